/**
 * Markings on Markdown that nobody here wrote: README files of node_modules (scripts/real-world-pack.mjs),
 * some marked SECRET whole, some with a `##` section in a :::marked block, each restricted part
 * holding a word found nowhere else. Every edition is made without rendering (check): what it
 * holds must lack every word above it, keep every word it holds, and its contents must be its own.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { toString as hastText } from 'hast-util-to-string';
import type { Root as MdastRoot } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { toString as mdText } from 'mdast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module, also run by hand
import { realWorldPack } from '../../scripts/real-world-pack.mjs';
import { check, type CheckResult } from '../../src/build.js';
import type { Pack } from '../../src/model.js';
import { tempDir } from '../helpers/cli.js';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

/** Words by the edition that may hold them: `secret` ones only the full edition. */
const words = { secret: [] as string[], official: [] as string[] };
/** The README and the title of each ## section put in a marked block. */
const sections: Array<{ slug: string; title: string }> = [];
let result: CheckResult;
let readmes: number;

beforeAll(async () => {
  const pack = tempDir('briefpack-real-world-editions-');
  readmes = (realWorldPack(pack, { count: 40 }) as string[]).length;
  const files = readdirSync(path.join(pack, 'articles')).sort();
  for (const [i, name] of files.entries()) {
    const file = path.join(pack, 'articles', name);
    let text = readFileSync(file, 'utf8');
    if (i % 4 === 1) {
      const word = `RealSecretQx${i}`;
      words.secret.push(word);
      text = text.replace(/^---\n/, '---\nlevel: SECRET\n').replace(/\n*$/, `\n\n${word} closes a secret README.\n`);
    } else if (i % 3 === 0) {
      // Its second ## section (as the README's own Markdown has it, not inside code) goes into a marked block.
      const tree = parser.parse(text) as MdastRoot;
      const headings = tree.children.filter((n) => n.type === 'heading' && n.depth === 2);
      const [from, to] = [headings[1]?.position?.start.offset, headings[2]?.position?.start.offset ?? text.length];
      if (from === undefined) continue;
      const word = `RealOfficialQx${i}`;
      words.official.push(word);
      sections.push({ slug: path.basename(name, '.md'), title: mdText(headings[1]!).trim() });
      text = `${text.slice(0, from)}\n:::marked{level=OFFICIAL}\n${word} opens a marked section.\n\n${text.slice(from, to).trimEnd()}\n:::\n\n${text.slice(to)}`;
    }
    writeFileSync(file, text);
  }
  const manifest = readFileSync(path.join(pack, 'pack.yaml'), 'utf8').replace(/^classification:.*\n/m, '');
  writeFileSync(
    path.join(pack, 'pack.yaml'),
    `${manifest}levels: [PUBLIC, OFFICIAL, SECRET]\nportion_marks: true\nwithheld: notice\neditions:\n  full:\n  partners: {max: OFFICIAL}\n  public: {max: PUBLIC}\n`,
  );
  result = await check({ packDir: pack, timeoutMs: 600_000 });
}, 600_000);

const edition = (name: string): Pack => result.editions.find((e) => e.name === name)!.pack;
const textOf = (pack: Pack) => pack.chapters.map((c) => hastText(c.tree)).join('\n');
const tocOf = (pack: Pack) => JSON.stringify(pack.toc);

describe('markings on 40 README files from node_modules', () => {
  it('marks some whole and some in part, and every edition is made', () => {
    expect(readmes).toBe(40);
    expect(words.secret.length).toBeGreaterThan(7);
    expect(words.official.length).toBeGreaterThan(4);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.editions.map((e) => [e.name, e.marking])).toEqual([
      [undefined, 'SECRET'],
      ['full', 'SECRET'],
      ['partners', 'OFFICIAL'],
      ['public', 'PUBLIC'],
    ]);
    expect(edition('public').chapters).toHaveLength(40 - words.secret.length);
  });

  it('each edition holds every word it may, and none above it', () => {
    const cases = [
      ['full', [...words.secret, ...words.official], []],
      ['partners', words.official, words.secret],
      ['public', [], [...words.secret, ...words.official]],
    ] as const;
    for (const [name, held, above] of cases) {
      const text = textOf(edition(name));
      expect(held.filter((w) => !text.includes(w)), `${name} holds`).toEqual([]);
      expect(above.filter((w) => text.includes(w)), `${name} leaks`).toEqual([]);
    }
  });

  it('gives each edition contents of its own: the sections of a withheld passage are not in it', () => {
    const full = edition('full');
    const pub = edition('public');
    const titles = (pack: Pack, slug: string) => pack.chapters.find((c) => c.article.slug === slug)!.toc.children.map((e) => e.title);
    for (const { slug, title } of sections) {
      const count = (list: string[]) => list.filter((t) => t === title).length;
      expect(count(titles(pub, slug)), `${slug}: ${title}`).toBe(count(titles(full, slug)) - 1);
    }
    for (const word of words.official) expect(tocOf(pub)).not.toContain(word);
    // Every link of the public edition that points into it reaches an id it defines.
    const ids = new Set(pub.chapters.flatMap((c) => c.ids.defined));
    const dangling = pub.chapters.flatMap((c) => c.ids.linked.filter((id) => !ids.has(id)).map((id) => `${c.article.slug}: #${id}`));
    expect(dangling).toEqual([]);
  });
});
