/**
 * Bounded work: input built to make the build crash, hang or take quadratic time is a content
 * error at its position (or a timeout that really stops the build), never an internal error.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import { Deadline } from '../../src/deadline.js';
import { BuildFailure, type Diagnostic } from '../../src/diagnostics.js';
import { parseLooseDate } from '../../src/schema/dates.js';
import { gfmPartsFor } from '../../src/load/markdown.js';
import { MINIMAL_MANIFEST, writePack } from '../helpers/pack.js';

/** `check` on a pack of one article with `body` (and more files): its diagnostics as `file:line:col rule message`. */
async function problems(body: string, extra: Record<string, string> = {}, timeoutMs?: number): Promise<string[]> {
  const dir = writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': `---\ntitle: One\n---\n\n${body}\n`, ...extra });
  let list: readonly Diagnostic[];
  try {
    list = (await check({ packDir: dir, outDir: path.join(dir, 'out'), timeoutMs })).diagnostics;
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    list = error.diagnostics;
  }
  return list.filter((d) => d.rule !== 'sidebar/unplaced').map((d) => `${path.basename(d.file ?? '')}:${d.position?.line}:${d.position?.column} ${d.rule} ${d.message}`);
}

describe('deep nesting', () => {
  it('reports 3,000 nested quotes at the line where they pass 500 levels', async () => {
    expect(await problems(`${'>'.repeat(3000)} deep`)).toEqual(['one.md:5:501 markdown/nesting quotes and list items nested more than 500 levels deep']);
  });

  it('reports 5,000 nested <div> at the element that passes 500 levels (the HTML block itself is one)', async () => {
    expect(await problems(`Text.\n\n${'<div>'.repeat(5000)}x${'</div>'.repeat(5000)}`)).toEqual([
      `one.md:7:${499 * 5 + 1} markdown/nesting HTML elements nested more than 500 levels deep`,
    ]);
  });

  it('counts HTML opened in one block and nested in the next, inside Markdown', async () => {
    const body = `${Array.from({ length: 300 }, () => '<div>\n').join('\n')}\n> ${'<span>'.repeat(250)}x`;
    const [problem] = await problems(body);
    expect(problem).toMatch(/^one\.md:\d+:\d+ markdown\/nesting HTML elements nested more than 500 levels deep$/);
  });

  it('reports a list of 10,000 markers on one line before reading it (Markdown took 90 s over it)', async () => {
    expect(await problems(`${'- '.repeat(10_000)}x`)).toEqual(['one.md:5:1001 markdown/nesting quotes and list items nested more than 500 levels deep']);
  });

  it('reports YAML nested 5,000 deep at the node past 100 levels (it overflowed the stack, or ran V8 out of memory)', async () => {
    const flow = await problems('Text.', { 'sidebars/deep.yaml': `title: T\nkind: facts\nfacts: ${'['.repeat(5000)}${']'.repeat(5000)}\n` });
    expect(flow).toEqual(['deep.yaml:3:107 yaml/nesting YAML nested more than 100 levels deep']);
    const block = Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}- `).join('\n');
    expect(await problems('Text.', { 'sidebars/deep.yaml': `title: T\nkind: facts\nfacts:\n${block}x\n` })).toEqual([
      'deep.yaml:103:100 yaml/nesting YAML nested more than 100 levels deep',
    ]);
  });
});

describe('YAML aliases', () => {
  it('reports an alias bomb at its first alias', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]'];
    const [problem] = await problems('Text.', { 'sidebars/bomb.yaml': `title: T\nkind: facts\n${bomb.join('\n')}\n` });
    expect(problem).toMatch(/^bomb\.yaml:4:8 yaml\/alias YAML aliases \(\*name\) repeat their anchors too often/);
  });

  it('reports a 200 kB sidebar whose aliases would make megabytes of page (it made a 20 MB web page)', async () => {
    const long = 'a fact of some length, '.repeat(9000);
    const facts = Array.from({ length: 90 }, () => '  - *fact').join('\n');
    const [problem] = await problems('Text.', { 'sidebars/big.yaml': `title: T\nkind: facts\nfact: &fact {label: L, value: "${long}"}\nfacts:\n${facts}\n` });
    expect(problem).toMatch(/^big\.yaml:5:5 yaml\/alias YAML aliases \(\*name\) repeat their anchors too often: the file would stand for more than [\d,]+ characters of data$/);
  });

  it('still takes a few aliases', async () => {
    const sidebar = 'title: T\nkind: facts\nfacts:\n  - &f {label: A, value: B}\n  - *f\n';
    expect(await problems('Text.\n\n::sidebar{#s}', { 'sidebars/s.yaml': sidebar })).toEqual([]);
  });
});

describe('paths and URLs', () => {
  it('reports a malformed percent-escape in an image path at the image (it was a URIError)', async () => {
    expect(await problems('![chart](images/%E0%A4%A.png)')).toEqual([
      'one.md:5:1 markdown/image image images/%E0%A4%A.png has a malformed percent-escape (% must be followed by the two hex digits of a UTF-8 byte)',
    ]);
  });

  it('refuses a javascript: source URL in front matter (it became a link in the HTML and the EPUB)', async () => {
    const dir = writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': '---\ntitle: One\nsource: {name: Evil, url: "javascript:alert(document.domain)"}\n---\n\nText.\n' });
    const failure = await check({ packDir: dir }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BuildFailure);
    expect((failure as BuildFailure).diagnostics.map((d) => `${d.position?.line}:${d.position?.column} ${d.rule} ${d.message}`)).toEqual([
      '3:27 frontmatter/invalid source.url must be an http(s) or mailto: URL',
    ]);
    const ok = writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': '---\ntitle: One\nsource: {name: Desk, url: "https://example.org/report"}\n---\n\nText.\n' });
    expect((await check({ packDir: ok })).diagnostics).toEqual([]);
  });
});

describe('custom kinds', () => {
  const kind = (schema: string) => ({
    'kinds/risk/schema.json': schema,
    'kinds/risk/template.html': '<p data-text="risk"></p>',
    'sidebars/r.yaml': `title: R\nkind: risk\nrisk: "${'a'.repeat(40)}!"\n`,
  });

  it('refuses an asynchronous schema at its "$async" (a rejected promise ended the process, and watch with it)', async () => {
    expect(await problems('::sidebar{#r}', kind('{\n  "$async": true,\n  "type": "object"\n}'))).toEqual([
      'schema.json:2:3 sidebar/schema a custom kind\'s schema may not be asynchronous ("$async": true)',
    ]);
  });

  it('runs "^(a+)+$" on RE2 in linear time (it ran 114 s), and reports the mismatch', async () => {
    const schema = '{"type": "object", "properties": {"risk": {"type": "string", "pattern": "^(a+)+$"}}}';
    expect(await problems('::sidebar{#r}', kind(schema), 5_000)).toEqual(['r.yaml:3:7 sidebar/type risk must match pattern "^(a+)+$"']);
  });

  it('refuses, at the pattern, what RE2 cannot run', async () => {
    const schema = '{\n  "type": "object",\n  "properties": {"risk": {"type": "string", "pattern": "^(a)\\\\1$"}}\n}';
    const [problem] = await problems('::sidebar{#r}', kind(schema));
    expect(problem).toMatch(/^schema\.json:3:56 sidebar\/schema the pattern "\^\(a\)\\\\1\$" cannot be used: invalid escape sequence/);
  });
});

// At once: well under vitest's default timeout. Under `npm run mutate` every branch is counted
// as it runs (vitest.mutate.config.ts sets BRIEFPACK_MUTATION_RUN), which slows it many times.
const AT_ONCE_MS = process.env.BRIEFPACK_MUTATION_RUN ? 60_000 : 2_000;

describe('linear pre-checks', () => {
  it('reads a line of 200,000 blanks before a delimiter-shaped ending at once (the pre-check took 19 s)', () => {
    const text = `a\n\n${' '.repeat(200_000)}-|x\n${' '.repeat(200_000)}-|\n`;
    // Whether the text may hold a table: false for the first line, true for the second; the old
    // regular expression took seconds over either (vitest's timeout fails a slow run).
    expect(gfmPartsFor(text).tables).toBe(true);
    expect(gfmPartsFor(`a\n\n${' '.repeat(200_000)}-|x\n`).tables).toBe(false);
  }, AT_ONCE_MS);

  it('gives up at once on a timeline date of 100,000 characters (it took 7.5 s)', () => {
    expect(parseLooseDate(`2026${' '.repeat(100_000)}x`)).toBeUndefined();
    expect(parseLooseDate('early September 2026 to late November 2027')).toEqual(parseLooseDate('early September 2026 / late November 2027'));
  }, AT_ONCE_MS);
});

describe('the deadline', () => {
  it('stops a catastrophic regular expression in the middle of its backtracking', () => {
    const deadline = new Deadline(300);
    const started = performance.now();
    let failure: unknown;
    try {
      deadline.run('testing', () => /^(a+)+$/.test(`${'a'.repeat(40)}!`), 'x.yaml');
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(BuildFailure);
    expect((failure as BuildFailure).diagnostics).toEqual([
      { severity: 'error', rule: 'build/timeout', message: 'the build took longer than the timeout of 0.3 s (while testing)', file: 'x.yaml' },
    ]);
    // Stopped by the watchdog, not by the expression finishing (which takes minutes).
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('stops waiting when the time is up, and lets work finish within it', async () => {
    const deadline = new Deadline(200);
    await expect(deadline.race('waiting', new Promise(() => undefined))).rejects.toThrow(/took longer than the timeout of 0\.2 s \(while waiting\)/);
    const later = new Deadline(60_000);
    expect(later.run('adding', () => 1 + 1)).toBe(2);
    await expect(later.race('waiting', Promise.resolve('done'))).resolves.toBe('done');
  });

  it('bounds check(): a pack whose reading takes longer than --timeout fails with build/timeout', async () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `Paragraph ${i} with *emphasis* and a [link](https://example.org/${i}).`).join('\n\n');
    const found = await problems(body, {}, 5);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/ build\/timeout the build took longer than the timeout of 0\.005 s \(while /);
  });
});
