/**
 * A pack large enough to print in parts (runs of articles laid out by separate renderers, in
 * parallel, then merged): the merged PDF must be indistinguishable in use from one printed
 * whole: page numbers, contents, links, bookmarks, structure tree, fonts, duplex.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import type { Pack } from '../../src/model.js';
// @ts-expect-error: a plain JS module shared with the benchmark
import { generatePack, makePng } from '../../scripts/generate-pack.mjs';
import { briefpack, tempDir } from '../helpers/cli.js';
import { bodyPages, expectContentsMatchesPages, expectOutlineMatches, headingPages, normalise, pageTexts } from '../helpers/pdf-expect.js';
import { pdfFonts, pdfInfo, pdfLinks, pdfOutline, qpdfObjects, run, structureProblems, type QpdfValue } from '../helpers/tools.js';
import { integrityProblems } from '../helpers/pdf-integrity.js';
import { printHtmlOf, structureOutline, wholePrint } from '../helpers/whole-print.js';
import { PdfFile } from '../../src/pdf/file.js';
import { mergePdfs } from '../../src/pdf/merge.js';
import { PdfName, PdfRef } from '../../src/pdf/syntax.js';
import { ENTRY_HEADER_BYTES } from '../../src/cache.js';

// About 30 articles of ~11 kB: over the 300 kB at which a pack prints in two parts.
const ARTICLES = 30;
const env = { SOURCE_DATE_EPOCH: '1780000000' };
let packDir: string;
let pack: Pack;
const pdfs: Record<string, string> = {};
const logs: Record<string, string> = {};

/** A cache entry's data, without the signature that comes before it. */
const cachedData = (file: string) => readFileSync(file).subarray(ENTRY_HEADER_BYTES);

function build(name: string, args: string[], out = tempDir()): string {
  const r = briefpack(['build', packDir, '--out', out, '--format', 'pdf', ...args], { env });
  expect(r.code, r.stderr).toBe(0);
  logs[name] = r.stderr;
  return path.join(out, `${pack.manifest.slug}.pdf`);
}

/**
 * An output folder whose PDF and cache are those of the pack as it is now: the rebuild tests
 * below edit the pack one after the other, and each goes on from the last one's folder rather
 * than building the pack again first (each build of it takes seconds on two busy cores).
 */
let current: { out: string; pdf: string } | undefined;

function currentBuild(): { out: string; pdf: string } {
  if (!current) {
    const out = tempDir();
    current = { out, pdf: build('current', [], out) };
  }
  return current;
}

/**
 * Ids that PDF syntax could mistake for something else once they are names and strings in the
 * PDF: keywords ("stream", "endobj", "obj", "R"), parentheses, non-ASCII; defined in one part
 * and linked to from the other, and (headings) from the contents in the first.
 */
function addTrickyIds(dir: string): void {
  appendFileSync(
    path.join(dir, 'articles', 'article-005.md'),
    '\n## Mainstream obj R (livestream)\n\nForward to [the keywords](article-025.md#Obj(R)-endobj-stream), [the résumé](article-025.md#naïve-résumé-stream) and [the heading](article-025.md#ünïcødé-endobj-stream-r).\n',
  );
  appendFileSync(
    path.join(dir, 'articles', 'article-025.md'),
    '\n<p id="Obj(R)-endobj-stream">A paragraph whose id is made of PDF keywords.</p>\n\n<p id="naïve-résumé-stream">A paragraph whose id is not ASCII.</p>\n\n## Ünïcødé endobj stream (R)\n\nBack to [the upstream](article-005.md#mainstream-obj-r-livestream).\n',
  );
}

beforeAll(async () => {
  packDir = generatePack(tempDir(), ARTICLES) as string;
  addTrickyIds(packDir);
  pack = (await check({ packDir })).pack;
  pdfs.plain = build('plain', ['--debug-html']);
  pdfs.duplex = build('duplex', ['--duplex', '--debug-html']);
}, 240_000);

// Several builds of a 30-article pack in one test: minutes on a busy two-core machine.
describe('a pack printed in parts', { timeout: 600_000 }, () => {
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

  it('is sound all through: every object reachable, no reference dangling, every structure key on its element', () => {
    for (const pdf of [pdfs.plain!, pdfs.duplex!]) expect(integrityProblems(pdf), pdf).toEqual([]);
  });

  it('links to ids that hold PDF keywords, parentheses or non-ASCII, across the join, from their own Link elements', () => {
    const links = pdfLinks(pdfs.plain!);
    const texts = pageTexts(pdfs.plain!);
    // The page it is printed on, after the contents (which lists the headings too).
    const firstArticle = headingPages(texts, pack.toc).get(pack.toc[0]!.id)!;
    const pageOf = (text: string) => texts.findIndex((t, i) => i + 1 >= firstArticle && normalise(t).includes(text)) + 1;
    for (const [id, text] of [
      ['article-025--Obj(R)-endobj-stream', 'A paragraph whose id is made of PDF keywords.'],
      ['article-025--naïve-résumé-stream', 'A paragraph whose id is not ASCII.'],
      ['article-005--mainstream-obj-r-livestream', 'Mainstream obj R (livestream)'],
      ['article-025--ünïcødé-endobj-stream-r', 'Ünïcødé endobj stream (R)'],
    ] as const) {
      // Chromium names a link's destination by its fragment: percent-encoded where not ASCII.
      const found = links.filter((l) => l.name === id || decodeURIComponent(l.name) === id);
      expect(found.length, id).toBeGreaterThan(0);
      for (const link of found) expect(link.to, id).toBe(pageOf(text));
    }
  });

  it('reads as Chromium\'s own print of the whole document: the same structure tree, text and bookmarks, in fewer bytes', async () => {
    for (const [name, pdf] of Object.entries({ plain: pdfs.plain!, duplex: pdfs.duplex! })) {
      const { file: whole, printed } = await wholePrint(printHtmlOf(pdf), path.join(tempDir(), `${name}-whole.pdf`), pack);
      expect(structureOutline(run('pdfinfo', ['-struct', pdf])), name).toBe(structureOutline(run('pdfinfo', ['-struct', whole])));
      expect(run('pdftotext', [pdf, '-']), name).toBe(run('pdftotext', [whole, '-']));
      expect(pdfOutline(pdf), name).toEqual(pdfOutline(whole));
      // The same faces, embedded and subset, as one program each (the parts' subsets united).
      const faces = (file: string) => [...new Set(pdfFonts(file).map((f) => `${f.name.replace(/^[A-Z]{6}\+/, '')} ${f.type} ${f.embedded}`))].sort();
      expect(faces(pdf), name).toEqual(faces(whole));
      // Object streams and a cross-reference stream: about half the bytes of Chromium's own print.
      expect(pdfInfo(pdf)['PDF version'], name).toBe('1.5');
      expect(statSync(pdf).size, name).toBeLessThan(printed * 0.6);
    }
  }, 240_000);

  it('gives each face one font program, which draws every page as the parts\' own subsets did', () => {
    const file = new PdfFile(readFileSync(pdfs.plain!));
    const programs = new Map<string, Set<number>>();
    for (const num of file.objectNumbers()) {
      const value = file.object(num);
      if (!(value instanceof Map) || (value.get('Type') as PdfName | undefined)?.value !== 'FontDescriptor') continue;
      const face = (value.get('FontName') as PdfName).value.replace(/^[A-Z]{6}\+/, '');
      if (!programs.has(face)) programs.set(face, new Set());
      programs.get(face)!.add((value.get('FontFile2') as PdfRef).num);
    }
    expect(programs.size).toBeGreaterThan(3);
    for (const [face, nums] of programs) expect(nums.size, face).toBe(1);
    // The printed parts merged again, with and without sharing: every page the same pixels.
    const cache = path.join(path.dirname(pdfs.plain!), '.briefpack-cache');
    const parts = readdirSync(cache).filter((f) => f.startsWith('part-')).sort().map((f) => ({ bytes: cachedData(path.join(cache, f)), ownDestinations: new Set<string>() }));
    const dir = tempDir();
    const shared = path.join(dir, 'shared.pdf');
    const own = path.join(dir, 'own.pdf');
    writeFileSync(shared, mergePdfs(parts));
    writeFileSync(own, mergePdfs(parts, { shareFonts: false }));
    expect(statSync(shared).size).toBeLessThan(statSync(own).size);
    run('pdftoppm', ['-r', '30', '-png', shared, path.join(dir, 'shared')]);
    run('pdftoppm', ['-r', '30', '-png', own, path.join(dir, 'own')]);
    const pages = readdirSync(dir).filter((f) => f.startsWith('shared-'));
    expect(pages.length).toBeGreaterThan(ARTICLES * 3);
    for (const page of pages) expect(readFileSync(path.join(dir, page)).equals(readFileSync(path.join(dir, page.replace('shared', 'own')))), page).toBe(true);
  }, 120_000);

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
    current = { out, pdf: rebuilt };
  });

  it('rebuilds right when a change in the first part moves every page after it', () => {
    const { out } = currentBuild();
    const article = path.join(packDir, 'articles', 'article-001.md');
    const extra = Array.from({ length: 40 }, (_, i) => `An added paragraph ${i} that pushes every later page further on.`).join('\n\n');
    writeFileSync(article, readFileSync(article, 'utf8').replace('## Section 2', `${extra}\n\n## Section 2`));
    const rebuilt = build('moved', [], out);
    // The last layout no longer holds: every part is laid out again, in a second pass.
    expect(logs.moved).toContain('layout pass 2');
    const clean = build('moved-clean', ['--no-cache']);
    expect(readFileSync(rebuilt).equals(readFileSync(clean))).toBe(true);
    current = { out, pdf: rebuilt };
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
    // The default template's pages, less its cover and contents (of the pack as it is now:
    // earlier tests edit articles).
    const plain = headingPages(pageTexts(currentBuild().pdf), pack.toc);
    const front = plain.get(pack.toc[0]!.id)! - 1;
    let from = 0;
    for (const entry of pack.toc.flatMap((e) => [e, ...e.children])) {
      // Headings in order, as headingPages finds them, with no contents page to start from.
      const index = texts.findIndex((t, i) => i >= from && normalise(t).includes(normalise(entry.title)));
      expect(index + 1, entry.title).toBe(plain.get(entry.id)! - front);
      from = index;
    }
  });

  it('prints a cached part again, with a warning, when it was cut short, and gives the same bytes', () => {
    const { out, pdf } = currentBuild();
    const whole = readFileSync(pdf);
    const cache = path.join(out, '.briefpack-cache');
    const part = readdirSync(cache).filter((f) => f.startsWith('part-')).sort()[1]!;
    const bytes = readFileSync(path.join(cache, part));
    // Cut short, as a full disk leaves it.
    writeFileSync(path.join(cache, part), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const rebuilt = build('cache-truncated', [], out);
    // The entry's signature no longer holds: it is not read at all.
    expect(logs['cache-truncated']).toContain(`warning cache entry ${part} failed its integrity check`);
    // The pack has not changed since: the same bytes as the build that made the cache.
    expect(readFileSync(rebuilt).equals(whole)).toBe(true);
    // Whole again (printed anew: its table header ids may differ, which the merge renumbers):
    // the next build takes it from the cache without a word.
    expect(new PdfFile(cachedData(path.join(cache, part))).whole()).toBe(true);
    build('cache-after', [], out);
    expect(logs['cache-after']).not.toMatch(/cannot be read|integrity/);
  });

  it('prints a part again when an image in it changed, though its file name did not', () => {
    const { out } = currentBuild();
    writeFileSync(path.join(packDir, 'images', 'chart.png'), makePng(336, 189));
    const rebuilt = build('image-after', [], out);
    const clean = build('image-clean', ['--no-cache']);
    expect(readFileSync(rebuilt).equals(readFileSync(clean))).toBe(true);
  });
});
