/**
 * A pack large enough to print in parts (runs of articles laid out by separate renderers, in
 * parallel, then merged): the merged PDF must be indistinguishable in use from one printed
 * whole: page numbers, contents, links, bookmarks, structure tree, fonts, duplex.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import type { Pack } from '../../src/model.js';
// @ts-expect-error: a plain JS module shared with the benchmark
import { generatePack, makePng } from '../../scripts/generate-pack.mjs';
import { briefpack, tempDir } from '../helpers/cli.js';
import { bodyPages, expectContentsMatchesPages, expectOutlineMatches, headingPages, normalise, pageTexts } from '../helpers/pdf-expect.js';
import { pdfFonts, pdfInfo, pdfLinks, qpdfObjects, run, structureProblems, type QpdfValue } from '../helpers/tools.js';

// About 30 articles of ~11 kB: over the 300 kB at which a pack prints in two parts.
const ARTICLES = 30;
const env = { SOURCE_DATE_EPOCH: '1780000000' };
let packDir: string;
let pack: Pack;
const pdfs: Record<string, string> = {};
const logs: Record<string, string> = {};

function build(name: string, args: string[], out = tempDir()): string {
  const r = briefpack(['build', packDir, '--out', out, '--format', 'pdf', ...args], { env });
  expect(r.code, r.stderr).toBe(0);
  logs[name] = r.stderr;
  return path.join(out, `${pack.manifest.slug}.pdf`);
}

beforeAll(async () => {
  packDir = generatePack(tempDir(), ARTICLES) as string;
  pack = (await check({ packDir })).pack;
  pdfs.plain = build('plain', []);
  pdfs.duplex = build('duplex', ['--duplex']);
}, 240_000);

describe('a pack printed in parts', () => {
  it('is printed in parts: single-sided, the articles once, while the pack is read, and the contents when they are done', () => {
    expect(logs.plain).toMatch(/layout pass 1 \(3 parts, measuring the first, 2 started while the pack was read\)/);
    expect(logs.plain).toMatch(/layout pass 2 \(3 parts\)/);
    expect(logs.plain).not.toMatch(/layout pass 3/);
  });

  it('is printed in parts: double-sided, every part measured first, then printed tagged', () => {
    expect(logs.duplex).toMatch(/layout pass 1 \(2 parts, measuring, 1 of them while the pack was read\)/);
    expect(logs.duplex).toMatch(/layout pass 2 \(2 parts\)/);
  });

  it('prints on every contents entry the page its heading is on, and bookmarks go there too', () => {
    for (const pdf of [pdfs.plain!, pdfs.duplex!]) {
      const pages = expectContentsMatchesPages(pdf, pack.toc);
      expectOutlineMatches(pdf, pack.toc, pages);
    }
  });

  it('numbers every page "Page X of Y" across the join, with the right running head', () => {
    for (const { page, text, lines, article, total } of bodyPages(pdfs.plain!, pack.toc)) {
      expect(text.match(/Page \d+ of \d+/g), `page ${page}`).toEqual([`Page ${page} of ${total}`]);
      if (article) expect(normalise(lines[1]!), `page ${page} running head`).toContain(normalise(article.title).slice(0, 30));
    }
  });

  it('links every contents entry, including those in the second part, to its heading page', () => {
    const texts = pageTexts(pdfs.plain!);
    const pages = headingPages(texts, pack.toc);
    const links = pdfLinks(pdfs.plain!);
    const firstArticle = pages.get(pack.toc[0]!.id)!;
    for (const entry of pack.toc.flatMap((e) => [e, ...e.children])) {
      const link = links.find((l) => l.name === entry.id && l.from < firstArticle);
      expect(link, `contents link to ${entry.id}`).toBeDefined();
      expect(link!.to, `contents link to ${entry.id}`).toBe(pages.get(entry.id));
    }
  });

  it('links articles to one another, across the join too', () => {
    const texts = pageTexts(pdfs.plain!);
    const pages = headingPages(texts, pack.toc);
    const links = pdfLinks(pdfs.plain!);
    // Each article links to the one before it, the first to the last: one of them crosses from
    // the second part back into the first, and the first forward into the second.
    pack.toc.forEach((article, i) => {
      const target = pack.toc[i === 0 ? pack.toc.length - 1 : i - 1]!;
      const from = pages.get(article.id)!;
      const until = i + 1 < pack.toc.length ? pages.get(pack.toc[i + 1]!.id)! : texts.length + 1;
      const found = links.filter((l) => l.name === target.id && l.from >= from && l.from < until);
      // A link broken over two lines is two annotations.
      expect(found.length, `${article.title} → ${target.title}`).toBeGreaterThan(0);
      expect([...new Set(found.map((l) => l.to))], `${article.title} → ${target.title}`).toEqual([pages.get(target.id)]);
    });
  });

  it('starts every article on a right-hand page in duplex, across the join too', () => {
    const texts = pageTexts(pdfs.duplex!);
    const pages = headingPages(texts, pack.toc);
    for (const article of pack.toc) expect(pages.get(article.id)! % 2, article.title).toBe(1);
    texts.forEach((text, i) => {
      if (i === 0) return;
      // Once, on the outer edge: a part's own folio rules must not add a second one.
      expect(text.match(/Page \d+ of \d+/g), `page ${i + 1}`).toEqual([`Page ${i + 1} of ${texts.length}`]);
    });
  });

  it('has one consistent structure tree that poppler reads whole', () => {
    for (const pdf of [pdfs.plain!, pdfs.duplex!]) {
      expect(structureProblems(pdf)).toEqual([]);
      // Every page with text on it is tagged (a duplex blank page carries only artifacts).
      const { objects, pages } = qpdfObjects(pdf);
      const texts = pageTexts(pdf);
      pages.forEach((page, i) => {
        const dict = objects.get(page) as Record<string, unknown>;
        if (!texts[i]!.includes('intentionally left blank')) expect(typeof dict['/StructParents'], `page ${i + 1}`).toBe('number');
      });
      expect(run('qpdf', ['--check', pdf])).toContain('No syntax or stream encoding errors');
      const tree = run('pdfinfo', ['-struct', pdf]);
      const kinds = tree.split('\n').map((l) => l.trim().split(' ')[0]);
      expect(kinds.filter((k) => k === 'Document')).toHaveLength(1);
      // The cover's title, then one per article; "Contents" and one per section.
      expect(kinds.filter((k) => k === 'H1')).toHaveLength(ARTICLES + 1);
      expect(kinds.filter((k) => k === 'H2')).toHaveLength(1 + pack.toc.reduce((n, e) => n + e.children.length, 0));
      expect(kinds.filter((k) => k === 'Link').length).toBeGreaterThanOrEqual(pack.toc.flatMap((e) => [e, ...e.children]).length);
    }
  });

  it('is finished as a PDF printed whole: information, language, bookmarks open, and a role for sidebars', () => {
    for (const pdf of [pdfs.plain!, pdfs.duplex!]) {
      const info = pdfInfo(pdf, { TZ: 'UTC' });
      expect(info.Title).toBe(`${pack.manifest.title}: ${pack.manifest.subtitle}`);
      expect(info.Creator).toMatch(/^briefpack /);
      // The build clock (SOURCE_DATE_EPOCH), not Chromium's wall clock.
      expect(info.CreationDate).toContain(String(new Date(Number(env.SOURCE_DATE_EPOCH) * 1000).getUTCFullYear()));
      const { objects, root } = qpdfObjects(pdf);
      const catalog = objects.get(root) as Record<string, QpdfValue>;
      expect(catalog['/Lang']).toBe(`u:${pack.manifest.language}`);
      expect(catalog['/PageMode']).toBe('/UseOutlines');
      expect((catalog['/ViewerPreferences'] as Record<string, QpdfValue>)['/DisplayDocTitle']).toBe(true);
      const structRoot = objects.get(String(catalog['/StructTreeRoot'])) as Record<string, QpdfValue>;
      expect((structRoot['/RoleMap'] as Record<string, QpdfValue>)['/Aside']).toBe('/Sect');
    }
  });

  it('embeds every font, each subset under a name of its own', () => {
    const fonts = pdfFonts(pdfs.plain!);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f.embedded, f.name).toBe(true);
    expect(new Set(fonts.map((f) => f.name)).size).toBe(fonts.length);
  });

  it('gives the same bytes on every build, and a rebuild reprints only the part that changed', () => {
    const out = tempDir();
    const first = build('first', [], out);
    expect(readFileSync(first).equals(readFileSync(pdfs.plain!))).toBe(true);

    const article = path.join(packDir, 'articles', `article-${String(ARTICLES).padStart(3, '0')}.md`);
    writeFileSync(article, readFileSync(article, 'utf8').replace('## Section 2', 'A sentence added since the last build.\n\n## Section 2'));
    const rebuilt = build('rebuild', [], out);
    expect(logs.rebuild).toMatch(/2 of 3 parts unchanged, taken from the cache/);
    const clean = build('clean', ['--no-cache']);
    expect(readFileSync(rebuilt).equals(readFileSync(clean))).toBe(true);
    // The cache keeps the parts of the latest build only.
    expect(readdirSync(path.join(out, '.briefpack-cache')).filter((f) => f.startsWith('part-'))).toHaveLength(3);
    expect(readdirSync(path.join(out, '.briefpack-cache')).filter((f) => f.startsWith('folios-'))).toHaveLength(1);
  });

  it('rebuilds right when a change in the first part moves every page after it', () => {
    const out = tempDir();
    build('before', [], out);
    const article = path.join(packDir, 'articles', 'article-001.md');
    const extra = Array.from({ length: 40 }, (_, i) => `An added paragraph ${i} that pushes every later page further on.`).join('\n\n');
    writeFileSync(article, readFileSync(article, 'utf8').replace('## Section 2', `${extra}\n\n## Section 2`));
    const rebuilt = build('moved', [], out);
    // The last layout no longer holds: every part is laid out again, in a second pass.
    expect(logs.moved).toContain('layout pass 2');
    const clean = build('moved-clean', ['--no-cache']);
    expect(readFileSync(rebuilt).equals(readFileSync(clean))).toBe(true);
  });

  it('prints a template with no cover or contents in parts too, from its first article on', () => {
    const dir = path.join(packDir, 'templates', 'bare');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'print.html'),
      '<!doctype html><html><head><meta charset="utf-8"><title data-slot="title"></title><style data-slot="styles"></style></head><body class="print"><main class="chapters" data-slot="chapters"></main></body></html>',
    );
    const pdf = build('bare', ['--template', 'bare']);
    // No part of its own for a cover and contents the template does not have.
    expect(logs.bare).toMatch(/layout pass 1 \(2 parts, measuring the first, 1 started while the pack was read\)/);
    const texts = pageTexts(pdf);
    texts.forEach((text, i) => expect(text.match(/Page \d+ of \d+/g), `page ${i + 1}`).toEqual([`Page ${i + 1} of ${texts.length}`]));
    // The default template's pages, less its cover and contents (built again: earlier tests
    // edit articles).
    const plain = headingPages(pageTexts(build('bare-default', [])), pack.toc);
    const front = plain.get(pack.toc[0]!.id)! - 1;
    let from = 0;
    for (const entry of pack.toc.flatMap((e) => [e, ...e.children])) {
      // Headings in order, as headingPages finds them, with no contents page to start from.
      const index = texts.findIndex((t, i) => i >= from && normalise(t).includes(normalise(entry.title)));
      expect(index + 1, entry.title).toBe(plain.get(entry.id)! - front);
      from = index;
    }
  });

  it('prints a part again when an image in it changed, though its file name did not', () => {
    const out = tempDir();
    build('image-before', [], out);
    writeFileSync(path.join(packDir, 'images', 'chart.png'), makePng(336, 189));
    const rebuilt = build('image-after', [], out);
    const clean = build('image-clean', ['--no-cache']);
    expect(readFileSync(rebuilt).equals(readFileSync(clean))).toBe(true);
  });
});
