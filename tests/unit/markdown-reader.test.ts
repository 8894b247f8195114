/**
 * The Markdown reader leaves out GFM's table and literal-autolink constructs where a text cannot
 * hold them. Leaving them out must never change the tree: every text here is read both ways, and
 * compared with remark-gfm's reading, positions included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { gfmPartsFor, parseMarkdown } from '../../src/load/markdown.js';
// @ts-expect-error: a plain JS module shared with the benchmark
import { generatePack } from '../../scripts/generate-pack.mjs';
import { EXAMPLE, tempDir } from '../helpers/cli.js';

const reference = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective);
const readByRemarkGfm = (text: string) => reference.runSync(reference.parse(text)) as Root;

function expectSameTree(text: string): void {
  expect(parseMarkdown(text)).toEqual(readByRemarkGfm(text));
}

const TRICKY = [
  '| a | b |\n| - | - |\n| 1 | 2 |',
  'a | b\n- | -\nc | d',
  'a | b\n:-: | --:',
  '> | quoted | table |\n> | --- | --- |\n> | x | y |',
  '- item\n\n  | in | list |\n  |----|------|\n  | a  | b    |',
  '> - a | b\n>   - | -',
  'para\n| a |\n| - |',
  '| a\n| -',
  'Setext\n---',
  'Setext\n===\n\n---\n\n***',
  '---\ntitle: front matter\n---\n\nText - with | a pipe and a dash',
  'a | b\n-- -- | --',
  '| not a table because of x |\n| - x |',
  'Visit www.example.com today.',
  'See https://example.org/path_(x) and http://a.b.',
  'Mail a.b@example.co.uk or mailto:c@d.eu, xmpp:e@f.org/g',
  'Escaped www\\.example\\.com and http\\://x.y',
  'Entities: &#64; &commat; &#119;ww.example.com &amp; a&#64;b.co',
  'WWW.EXAMPLE.COM and HTTPS://EXAMPLE.COM',
  '[link](https://example.com) and <https://example.com> and `www.example.com`',
  'Footnote[^1] ~~struck~~ ~one~\n\n[^1]: The note, with | a pipe.\n\n- [ ] task\n- [x] done',
  '::sidebar{#key-people}\n\nRatio 3:1 and Note:this, a :b[c]',
  'Line one\r\n| a |\r\n| - |\r\n',
  'Line one\r| a |\r| - |\r',
];

describe('the Markdown reader', () => {
  it('reads prose with neither tables nor links without those constructs', () => {
    expect(gfmPartsFor('Plain prose, with dashes - and colons: and no pipe.')).toEqual({ tables: false, autolinks: false });
    expect(gfmPartsFor('a | b\n- | -')).toEqual({ tables: true, autolinks: false });
    expect(gfmPartsFor('x &amp; y')).toEqual({ tables: false, autolinks: true });
  });

  it('gives remark-gfm\'s tree for texts at the edges of tables and literal autolinks', () => {
    for (const text of TRICKY) expectSameTree(text);
  });

  it('gives remark-gfm\'s tree for the example pack and the generated test pack', () => {
    const generated = tempDir();
    generatePack(generated, 12);
    const dirs = [path.join(EXAMPLE, 'articles'), path.join(generated, 'articles')];
    for (const dir of dirs) {
      const files = readdirSync(dir).filter((f) => f.endsWith('.md'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expectSameTree(readFileSync(path.join(dir, file), 'utf8'));
    }
  });

  // Texts of pieces that tables, literal autolinks and their near misses are made of. The first
  // kind has no "@", "&", "www" or "http" unless its letters happen to spell one, so that most
  // of them are read without the autolink construct.
  const common = ['|', '-', ':', '>', ' ', '  ', '\t', '\n', '\n\n', '\r\n', 'a', 'b c', '.', 'example', 'com', '\\', '*', '_', '~', '[', ']', '(', ')', '1.', '- ', '`', '---', '[^1]', '::', '{#x}'];
  // Under `npm run mutate` each mutant of the reader runs these again: fewer texts keep that
  // practical, and a mutant that changes the tree shows on most of them.
  const RUNS = process.env.BRIEFPACK_MUTATION_RUN ? 300 : 4000;
  const randomTexts = (extra: string[]) => fc.array(fc.constantFrom(...common, ...extra), { maxLength: 60 }).map((pieces) => pieces.join(''));

  it('gives remark-gfm\'s tree for random texts without what literal autolinks start with', () => {
    fc.assert(
      fc.property(randomTexts(['w', 'ww', 'h', 'ttp', '/', 'mailto', 'xmpp', '#', ';']), (text) => {
        expect(parseMarkdown(text)).toEqual(readByRemarkGfm(text));
      }),
      { numRuns: RUNS, seed: 20261126 },
    );
  });

  it('gives remark-gfm\'s tree for random texts with what literal autolinks start with', () => {
    fc.assert(
      fc.property(randomTexts(['www', '@', '&', '#64;', 'amp;', 'http', 'https', '://']), (text) => {
        expect(parseMarkdown(text)).toEqual(readByRemarkGfm(text));
      }),
      { numRuns: RUNS, seed: 20261126 },
    );
  });
});
