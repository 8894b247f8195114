/**
 * Print quality on a multi-article fixture pack: contents numbers, bookmarks, duplex, paper
 * sizes, bleed boxes, fonts, running heads, footnotes and tables, measured on the real PDFs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import type { Pack } from '../../src/model.js';
// @ts-expect-error: a plain JS module shared with the benchmark
import { generatePack } from '../../scripts/generate-pack.mjs';
import { EXAMPLE, briefpack, tempDir } from '../helpers/cli.js';
import { bodyPages, expectContentsMatchesPages, expectOutlineMatches, headingPages, normalise, pageTexts } from '../helpers/pdf-expect.js';
import { pdfFonts, pdfInfo, run, structureProblems } from '../helpers/tools.js';

const ARTICLES = 6;
let packDir: string;
let pack: Pack;
const pdfs: Record<string, string> = {};

function buildPdf(name: string, args: string[], env: NodeJS.ProcessEnv = {}, dir = packDir): string {
  const out = tempDir();
  const r = briefpack(['build', dir, '--out', out, '--format', 'pdf', ...args], { env });
  expect(r.code, r.stderr).toBe(0);
  const file = path.join(out, `${name}.pdf`);
  return file;
}

beforeAll(async () => {
  packDir = generatePack(tempDir(), ARTICLES) as string;
  pack = (await check({ packDir })).pack;
  const slug = pack.manifest.slug;
  pdfs.plain = buildPdf(slug, []);
  pdfs.duplex = buildPdf(slug, ['--duplex']);
  pdfs.letter = buildPdf(slug, ['--paper', 'letter']);
  pdfs.bleed = buildPdf(slug, ['--bleed', '3mm']);
});

describe('contents and bookmarks on a multi-article pack', () => {
  it('has articles of several pages each', () => {
    const texts = pageTexts(pdfs.plain!);
    const starts = [...headingPages(texts, pack.toc)].filter(([id]) => pack.toc.some((e) => e.id === id)).map(([, p]) => p);
    expect(starts).toHaveLength(ARTICLES);
    starts.forEach((start, i) => {
      const next = starts[i + 1] ?? texts.length + 1;
      expect(next - start, `pages of article ${i + 1}`).toBeGreaterThanOrEqual(2);
    });
  });

  it('prints on every contents entry the page its heading is printed on', () => {
    const pages = expectContentsMatchesPages(pdfs.plain!, pack.toc);
    expectOutlineMatches(pdfs.plain!, pack.toc, pages);
  });

  it('keeps both right in duplex, where blank pages shift everything', () => {
    const pages = expectContentsMatchesPages(pdfs.duplex!, pack.toc);
    expectOutlineMatches(pdfs.duplex!, pack.toc, pages);
  });
});

describe('page furniture', () => {
  it('puts "Page X of Y", the marking top and bottom, and the article in the running head', () => {
    for (const { page, text, lines, article, total } of bodyPages(pdfs.plain!, pack.toc)) {
      expect(lines[0], `page ${page} top`).toContain('OFFICIAL');
      expect(lines.at(-1), `page ${page} bottom`).toContain('OFFICIAL');
      expect(text, `page ${page}`).toContain(`Page ${page} of ${total}`);
      expect(lines[1], `page ${page} running head`).toContain(pack.manifest.title);
      if (article) expect(normalise(lines[1]!), `page ${page} running head`).toContain(normalise(article.title).slice(0, 30));
    }
  });

  it('repeats a table header on each page the table runs over', () => {
    const texts = pageTexts(pdfs.plain!);
    const tablePages = texts.map((t, i) => [t, i + 1] as const).filter(([t]) => /Province \d+/.test(t));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (const [text, page] of tablePages) expect(text, `page ${page}`).toMatch(/Region\s+Q1\s+Q2\s+Q3\s+Q4/);
  });

  it('prints footnotes as numbered notes at the end of each article', () => {
    const texts = pageTexts(pdfs.plain!).map(normalise);
    const notePages = texts.filter((t) => / Notes /.test(` ${t} `));
    expect(notePages.length).toBe(ARTICLES);
  });
});

describe('duplex', () => {
  it('starts every article on an odd page, with marked blank pages between', () => {
    const texts = pageTexts(pdfs.duplex!);
    const pages = headingPages(texts, pack.toc);
    for (const article of pack.toc) expect(pages.get(article.id)! % 2, article.title).toBe(1);
    const blanks = texts.map((t, i) => [t, i + 1] as const).filter(([t]) => t.includes('This page intentionally left blank'));
    expect(blanks.length).toBeGreaterThan(0);
    for (const [text, page] of blanks) {
      expect(page % 2, 'blank pages are left-hand pages').toBe(0);
      expect(text).toContain(`Page ${page} of ${texts.length}`);
      expect(text).toContain('OFFICIAL');
    }
  });
});

describe('duplex running heads', () => {
  it('sit on the outer edge: the pack on left-hand pages, the article on right-hand pages', () => {
    const texts = pageTexts(pdfs.duplex!);
    const pages = headingPages(texts, pack.toc);
    const articleOf = (page: number) => [...pack.toc].reverse().find((e) => pages.get(e.id)! <= page)!;
    for (let page = pages.get(pack.toc[0]!.id)!; page <= texts.length; page++) {
      const head = normalise(texts[page - 1]!.split('\n').filter((l) => l.trim())[1]!);
      const article = normalise(articleOf(page).title).slice(0, 30);
      if (page % 2 === 1) {
        expect(head, `page ${page}`).toContain(article);
        expect(head, `page ${page}`).not.toContain(pack.manifest.title);
      } else {
        expect(head, `page ${page}`).toBe(pack.manifest.title);
      }
    }
  });
});

describe('paper and bleed', () => {
  const size = (pdf: string) => pdfInfo(pdf)['Page size']!.split(' x ').map((v) => parseFloat(v));

  it('is tagged in every variant, with a consistent structure tree that poppler reads whole', () => {
    for (const [name, pdf] of Object.entries(pdfs)) {
      expect(pdfInfo(pdf).Tagged, name).toBe('yes');
      expect(structureProblems(pdf), name).toEqual([]);
      // Sidebars are <Aside> (PDF 2.0), role-mapped so that PDF 1.x readers keep them.
      const tree = spawnSync('pdfinfo', ['-struct', pdf], { encoding: 'utf8' });
      expect(tree.stderr, name).not.toContain('wrong type');
      expect(tree.stdout, name).toMatch(/^\s+Sect$/m);
    }
  });

  it('is 595 x 842 pt on A4 and 612 x 792 pt on Letter', () => {
    const [aw, ah] = size(pdfs.plain!);
    expect(Math.abs(aw! - 595)).toBeLessThan(1);
    expect(Math.abs(ah! - 842)).toBeLessThan(1);
    const [lw, lh] = size(pdfs.letter!);
    expect(Math.abs(lw! - 612)).toBeLessThan(1);
    expect(Math.abs(lh! - 792)).toBeLessThan(1);
  });

  it('sets TrimBox and BleedBox 3 mm apart, with the trim at the paper size', () => {
    const boxes = run('pdfinfo', ['-box', '-f', '1', '-l', '999', pdfs.bleed!]);
    const parse = (name: string) =>
      [...boxes.matchAll(new RegExp(`Page +\\d+ ${name}: +([-\\d.]+) +([-\\d.]+) +([-\\d.]+) +([-\\d.]+)`, 'g'))].map((m) => m.slice(1).map(Number));
    const trims = parse('TrimBox');
    const bleeds = parse('BleedBox');
    expect(trims.length).toBe(Number(pdfInfo(pdfs.bleed!).Pages));
    const bleedPt = (3 * 72) / 25.4;
    trims.forEach((trim, i) => {
      const bleed = bleeds[i]!;
      expect(trim[0]! - bleed[0]!).toBeCloseTo(bleedPt, 1);
      expect(trim[1]! - bleed[1]!).toBeCloseTo(bleedPt, 1);
      expect(bleed[2]! - trim[2]!).toBeCloseTo(bleedPt, 1);
      expect(bleed[3]! - trim[3]!).toBeCloseTo(bleedPt, 1);
      expect(Math.abs(trim[2]! - trim[0]! - 595.28)).toBeLessThan(1);
      expect(Math.abs(trim[3]! - trim[1]! - 841.89)).toBeLessThan(1);
    });
  });

  it('draws crop marks at the trim lines in the margin outside the bleed, and nothing else there', () => {
    // Page 2 in grey, the whole MediaBox; marks are 0.25 pt black lines.
    const dpi = 144;
    const raw = execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', '2', '-l', '2', pdfs.bleed!], { maxBuffer: 64 * 1024 * 1024 });
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(raw.toString('latin1', 0, 40))!;
    const [width, height] = [Number(header[1]), Number(header[2])];
    const pixels = raw.subarray(header[0].length);
    const boxes = run('pdfinfo', ['-box', '-f', '2', '-l', '2', pdfs.bleed!]);
    const box = (name: string) => /Page +2 (\w+): +([-\d.]+) +([-\d.]+) +([-\d.]+) +([-\d.]+)/g.exec(boxes.split('\n').find((l) => l.includes(name))!)!.slice(2).map(Number);
    const [mx0, , mx1] = box('MediaBox');
    const [tx0, , tx1] = box('TrimBox');
    const [bx0] = box('BleedBox');
    const px = (pt: number) => Math.round(((pt - mx0!) * dpi) / 72);
    // The strip above the bleed (as tall as the margin beside it), across the page: dark only
    // where the trim lines run.
    const stripRows = px(bx0!) - 4;
    const darkColumns = new Set<number>();
    for (let y = 2; y < stripRows; y++) for (let x = 0; x < width; x++) if (pixels[y * width + x]! < 160) darkColumns.add(x);
    const near = (x: number, target: number) => Math.abs(x - target) <= 2;
    expect(height).toBeGreaterThan(px(mx1!) - px(mx0!) - 1);
    expect([...darkColumns].some((x) => near(x, px(tx0!))), 'a mark at the left trim line').toBe(true);
    expect([...darkColumns].some((x) => near(x, px(tx1!))), 'a mark at the right trim line').toBe(true);
    expect([...darkColumns].filter((x) => !near(x, px(tx0!)) && !near(x, px(tx1!))), 'nothing else above the bleed').toEqual([]);
  });
});

describe('fonts', () => {
  const shipped = /^[A-Z]{6}\+(SourceSerif4|SourceSans3|NotoNaskhArabic)/;

  it('embeds only shipped fonts, Arabic included', () => {
    const fonts = pdfFonts(pdfs.plain!);
    for (const f of fonts) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.name).toMatch(shipped);
    }
    expect(fonts.some((f) => f.name.includes('NotoNaskhArabic'))).toBe(true);
  });

  it('prints the same fonts when the machine has no system fonts at all', () => {
    const conf = path.join(tempDir(), 'fonts.conf');
    mkdirSync(path.dirname(conf), { recursive: true });
    writeFileSync(conf, '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n');
    const hidden = buildPdf(pack.manifest.slug, [], { FONTCONFIG_FILE: conf });
    const names = (file: string) => [...new Set(pdfFonts(file).map((f) => f.name.replace(/^[A-Z]{6}\+/, '')))].sort();
    expect(names(hidden)).toEqual(names(pdfs.plain!));
  });

  it('warns, with file, line and column, about a character no shipped font has', () => {
    const dir = tempDir();
    run('cp', ['-r', `${EXAMPLE}/.`, dir]);
    const article = path.join(dir, 'articles', 'syria-russia-reset.md');
    writeFileSync(article, run('cat', [article]).replace('Yet obstacles loom.', 'Yet obstacles loom 🚧.'));
    const r = briefpack(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/syria-russia-reset\.md:\d+:\d+ warning no shipped font has the character "🚧" \(U\+1F6A7\) \(font\/missing-glyph\)/);
  });
});
