/**
 * src/load/text.ts and yaml.ts: a content file's bytes as text (strict UTF-8, the bad byte
 * named at its place) and YAML with the position of every node, for the messages about it.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import { decodeSource } from '../../src/load/text.js';
import { parseYaml } from '../../src/load/yaml.js';

function decode(bytes: Buffer | string) {
  const diagnostics = new Diagnostics();
  const source = decodeSource('/pack/a.md', 'a.md', Buffer.from(bytes), diagnostics);
  return { source, problems: diagnostics.list.map((d) => `${d.position?.line}:${d.position?.column} ${d.severity} ${d.rule} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`) };
}

describe('a text file', () => {
  it('is read without its byte-order mark, with every line end made \\n, and hashed as it was on disk', () => {
    const bytes = Buffer.from('\uFEFFone\r\ntwo\rthree\nfour\u00e9');
    const { source, problems } = decode(bytes);
    expect(problems).toEqual([]);
    expect(source).toEqual({ path: '/pack/a.md', display: 'a.md', text: 'one\ntwo\nthree\nfour\u00e9', sha256: createHash('sha256').update(bytes).digest('hex') });
    // A byte-order mark is taken off the start only.
    expect(decode('a\uFEFFb').source?.text).toBe('a\uFEFFb');
  });

  it('that is not UTF-8 is refused, naming the first bad byte and its line and column', () => {
    const cases: Array<[Buffer, string]> = [
      [Buffer.from([0x61, 0x0a, 0x62, 0x63, 0xe9, 0x64]), '2:3 error file/encoding not valid UTF-8 (byte 0xe9)'], // Latin-1 é
      [Buffer.from([0xc0, 0x80]), '1:1 error file/encoding not valid UTF-8 (byte 0xc0)'], // overlong NUL
      [Buffer.from([0x61, 0xc1, 0xbf]), '1:2 error file/encoding not valid UTF-8 (byte 0xc1)'],
      [Buffer.from([0x61, 0xed, 0xa0, 0x80]), '1:2 error file/encoding not valid UTF-8 (byte 0xed)'], // a surrogate
      [Buffer.from([0xf5, 0x80, 0x80, 0x80]), '1:1 error file/encoding not valid UTF-8 (byte 0xf5)'],
      [Buffer.from([0xc3, 0xa9, 0x0a, 0xe2, 0x82]), '2:1 error file/encoding not valid UTF-8 (byte 0xe2)'], // cut short at the end
      [Buffer.from([0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0x0a, 0x0a, 0x61, 0x80]), '3:2 error file/encoding not valid UTF-8 (byte 0x80)'], // after € and 😀
      [Buffer.from([0xf4, 0x8f, 0xbf, 0xbf, 0xf4, 0x90, 0x80, 0x80]), '1:5 error file/encoding not valid UTF-8 (byte 0xf4)'], // past U+10FFFF
      [Buffer.from([0xdf, 0xbf, 0xc2, 0x41]), '1:3 error file/encoding not valid UTF-8 (byte 0xc2)'],
      [Buffer.from([0x01]), ''],
    ];
    for (const [bytes, expected] of cases.slice(0, -1)) {
      const { source, problems } = decode(bytes);
      expect(source, bytes.toString('hex')).toBeUndefined();
      expect(problems, bytes.toString('hex')).toEqual([expected]);
    }
  });

  it('loses the characters no output can carry, with one warning at the first', () => {
    expect(decode('ok\nab\u0007c\u0000\n\u000b\uFFFE\uFFFF\u0008\u000c\u000e\u001f').problems).toEqual([
      '2:3 warning file/encoding removed 9 control or non-characters (first: U+0007) | These characters cannot appear in EPUB or print; they usually come from copy and paste.',
    ]);
    expect(decode('ok\nab\u0007c\u0000\n\u000b\uFFFE\uFFFF\u0008\u000c\u000e\u001f').source?.text).toBe('ok\nabc\n');
    expect(decode('\u001bx').problems).toEqual(['1:1 warning file/encoding removed 1 control or non-character (first: U+001B) | These characters cannot appear in EPUB or print; they usually come from copy and paste.']);
    // Tab and line feed stay, as do the characters next to the forbidden ones.
    expect(decode('a\tb\n\u0009\u000a\u001f\u0020\uFFFD').source?.text).toBe('a\tb\n\t\n \uFFFD');
  });
});

function yaml(text: string, lineOffset?: number) {
  const diagnostics = new Diagnostics();
  const source = parseYaml(text, 'x.yaml', diagnostics, lineOffset === undefined ? {} : { lineOffset });
  return { source, problems: diagnostics.list.map((d) => `${d.position?.line}:${d.position?.column} ${d.rule} ${d.message}`) };
}

describe('YAML', () => {
  it('gives its value and where each node is: the value, or the key, or the nearest parent of what is missing', () => {
    const { source } = yaml('title: T\npeople:\n  - name: A\n    role:\n  - name: B\n    role: Envoy\n', 1);
    expect(source?.value).toEqual({ title: 'T', people: [{ name: 'A', role: null }, { name: 'B', role: 'Envoy' }] });
    expect(source?.empty).toBe(false);
    expect(source?.positionOf([])).toEqual({ line: 2, column: 1 });
    expect(source?.positionOf(['title'])).toEqual({ line: 2, column: 8 });
    expect(source?.positionOf(['title'], 'key')).toEqual({ line: 2, column: 1 });
    expect(source?.positionOf(['people', 1, 'role'])).toEqual({ line: 7, column: 11 });
    expect(source?.positionOf(['people', 1, 'role'], 'key')).toEqual({ line: 7, column: 5 });
    // A key without a value: right after it.
    expect(source?.positionOf(['people', 0, 'role'])).toEqual({ line: 5, column: 10 });
    // What is not there: at the nearest parent.
    expect(source?.positionOf(['people', 1, 'country'])).toEqual({ line: 6, column: 5 });
    expect(source?.positionOf(['people', 5, 'name'])).toEqual({ line: 4, column: 3 });
    expect(source?.positionOf(['title', 'deeper'])).toEqual({ line: 2, column: 8 });
    expect(source?.positionOf(['people', 'name'])).toEqual({ line: 4, column: 3 });
  });

  it('finds keys written as numbers or booleans by their text', () => {
    const { source } = yaml('2026: a\ntrue: b\n');
    expect(source?.positionOf(['2026'])).toEqual({ line: 1, column: 7 });
    expect(source?.positionOf(['true'], 'key')).toEqual({ line: 2, column: 1 });
  });

  it('is empty with nothing in it, or only comments', () => {
    expect(yaml('').source?.empty).toBe(true);
    expect(yaml('# nothing yet\n').source?.empty).toBe(true);
    expect(yaml('~\n').source?.empty).toBe(true);
    expect(yaml('0\n').source?.empty).toBe(false);
  });

  it('with two documents is refused at the second', () => {
    expect(yaml('a: 1\n---\nb: 2\n').problems).toEqual(['2:1 yaml/syntax YAML syntax: the file holds more than one document (a second ---)']);
  });

  it('reports a duplicate key at its second place, however it is quoted', () => {
    expect(yaml('title: T\n"title": U\n').problems).toEqual(['2:1 yaml/duplicate-key the key "title" appears twice in the same mapping']);
    expect(yaml("a: 1\n'a': 2\n").problems).toEqual(['2:1 yaml/duplicate-key the key "a" appears twice in the same mapping']);
  });

  it('reports a quoted text never closed at its opening quote', () => {
    expect(yaml('a: 1\nb: "open\nc: 2\n').problems).toEqual(['2:4 yaml/syntax YAML syntax: this double-quoted text is never closed']);
    expect(yaml("a: 1\nb: 'open\nc: 2\n").problems).toEqual(["2:4 yaml/syntax YAML syntax: this single-quoted text is never closed"]);
  });

  it('reports other syntax errors in its own words, without the parser\'s position', () => {
    const { problems } = yaml('a: [1, 2\nb: 3\n');
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^\d+:\d+ yaml\/syntax YAML syntax: (?!.* at line \d+)/);
  });

  it('nests 100 levels deep, and is refused at the first node past that', () => {
    const nested = (maps: number) => {
      let text = '';
      for (let i = 0; i < maps; i++) text += `${'  '.repeat(i)}k:\n`;
      return `${text}${'  '.repeat(maps)}v\n`;
    };
    // The value inside 99 mappings is on level 100.
    expect(yaml(nested(99)).problems).toEqual([]);
    expect(yaml(nested(99)).source?.value).toBeDefined();
    expect(yaml(nested(100)).problems).toEqual(['101:201 yaml/nesting YAML nested more than 100 levels deep']);
    expect(yaml(`${'['.repeat(120)}1${']'.repeat(120)}`).problems).toEqual(['1:101 yaml/nesting YAML nested more than 100 levels deep']);
  });

  it('expands aliases, unless they stand for much more than the file holds', () => {
    expect(yaml('a: &x [1, 2]\nb: *x\n').source?.value).toEqual({ a: [1, 2], b: [1, 2] });
    // 10 kB used 100 times: a megabyte from an 11 kB file.
    const big = `a: &a "${'x'.repeat(10_000)}"\nb: [${Array(100).fill('*a').join(', ')}]\n`;
    const budget = (64 * 1024 + 4 * big.length).toLocaleString('en');
    const { source, problems } = yaml(big);
    expect(source).toBeUndefined();
    expect(problems).toEqual([`2:5 yaml/alias YAML aliases (*name) repeat their anchors too often: the file would stand for more than ${budget} characters of data`]);
    // The same text used a few times is fine.
    expect(yaml(`a: &a "${'x'.repeat(10_000)}"\nb: [*a, *a, *a]\n`).problems).toEqual([]);
    const many = `a: &a x\nb: [${Array(1001).fill('*a').join(', ')}]\n`;
    expect(yaml(many).problems).toEqual([expect.stringMatching(/^2:5 yaml\/alias YAML aliases \(\*name\) repeat their anchors too often: /)]);
  });
});
