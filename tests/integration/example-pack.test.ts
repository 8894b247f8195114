/**
 * Builds the example pack with the real CLI, Chromium, poppler, qpdf, EPUBCheck and Ace, and checks
 * the three artifacts the way a print shop, an e-reader and a release pipeline would.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import type { Pack } from '../../src/model.js';
import { EXAMPLE, briefpack, snapshotDir, tempDir, type CliResult } from '../helpers/cli.js';
import { findBrowser } from '../../src/chromium/location.js';
import { aceViolations, allText, epubCheck, pageCount, pageText, pdfFonts, pdfInfo, pdfOutline, unzipList, unzipRead } from '../helpers/tools.js';

const EPOCH = '1780000000'; // 2026-05-28T20:26:40Z
let out: string;
let result: CliResult;
let pack: Pack;
let pdf: string;
let epub: string;
let html: string;

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  out = tempDir();
  result = briefpack(['build', EXAMPLE, '--out', out], { env: { SOURCE_DATE_EPOCH: EPOCH } });
  pack = (await check({ packDir: EXAMPLE })).pack;
  const slug = pack.manifest.slug;
  pdf = path.join(out, `${slug}.pdf`);
  epub = path.join(out, `${slug}.epub`);
  html = path.join(out, `${slug}.html`);
});

describe('briefpack build (example pack)', () => {
  it('exits 0 and reports one line per artifact', () => {
    expect(result.stderr).not.toMatch(/ (error|warning) /);
    expect(result.code).toBe(0);
    for (const ext of ['pdf', 'epub', 'html']) {
      expect(result.stdout).toMatch(new RegExp(`^wrote .*\\.${ext}  [\\d.]+ (kB|MB).*  [\\d.]+ s$`, 'm'));
    }
    expect(readdirSync(out).filter((n) => !n.startsWith('.')).sort()).toEqual(['manifest.json', `${pack.manifest.slug}.epub`, `${pack.manifest.slug}.html`, `${pack.manifest.slug}.pdf`].sort());
  });
});

describe('the PDF', () => {
  it('is tagged A4 with at least two pages and the pack metadata', () => {
    const info = pdfInfo(pdf, { ...process.env, TZ: 'UTC' });
    const [w, h] = info['Page size']!.split(' x ').map((v) => parseFloat(v));
    expect(Math.abs(w! - 595)).toBeLessThan(1);
    expect(Math.abs(h! - 842)).toBeLessThan(1);
    expect(Number(info.Pages)).toBeGreaterThanOrEqual(2);
    expect(info.Tagged).toBe('yes');
    expect(info.Title).toContain(pack.manifest.title);
    expect(info.Author).toBe(pack.manifest.organisation);
    expect(info.Creator).toMatch(/^briefpack \d+\.\d+\.\d+/);
    // SOURCE_DATE_EPOCH, to the second, not the clock's year.
    expect(info.CreationDate).toBe('Thu May 28 20:26:40 2026 UTC');
    expect(info.ModDate).toBe('Thu May 28 20:26:40 2026 UTC');
  });

  it('prints the title, every section heading and every key person', () => {
    const text = normalise(allText(pdf));
    expect(text).toContain(pack.chapters[0]!.article.meta.title);
    for (const section of pack.toc[0]!.children) expect(text).toContain(section.title);
    const people = pack.sidebars.get('key-people');
    if (!people || 'custom' in people || people.kind !== 'people') throw new Error('key-people sidebar missing');
    for (const person of people.people) expect(text).toContain(person.name);
  });

  it('embeds every font, and only the shipped ones', () => {
    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.name).toMatch(/^[A-Z]{6}\+(SourceSerif4|SourceSans3|NotoNaskhArabic)/);
    }
  });

  it('prints on each contents entry the page where that heading is', () => {
    const pages = pageCount(pdf);
    const texts = Array.from({ length: pages }, (_, i) => pageText(pdf, i + 1));
    const contentsPage = texts.findIndex((t) => /^\s*Contents\s*$/m.test(t)) + 1;
    expect(contentsPage).toBeGreaterThan(1);
    const entries = pack.toc.flatMap((e) => [e, ...e.children]);
    for (const entry of entries) {
      const printedOn = texts.findIndex((t, i) => i + 1 > contentsPage && normalise(t).includes(entry.title)) + 1;
      expect(printedOn, entry.title).toBeGreaterThan(contentsPage);
      const start = entry.title.split(' ').slice(0, 4).join(' ');
      const lines = texts[contentsPage - 1]!.split('\n');
      const first = lines.findIndex((l) => l.includes(start));
      expect(first, entry.title).toBeGreaterThanOrEqual(0);
      // A title that wraps carries its page number on its last line, as a book's contents does.
      const last = lines.slice(first).find((l) => /\d+\s*$/.test(l));
      expect(Number(/(\d+)\s*$/.exec(last ?? '')?.[1]), entry.title).toBe(printedOn);
    }
  });

  it('has bookmarks for every article and section, pointing at their pages', () => {
    const outline = pdfOutline(pdf);
    const entries = pack.toc.flatMap((e) => [e, ...e.children]);
    expect(outline.map((o) => [o.title, o.depth])).toEqual(entries.map((e) => [e.title, e.level - 1]));
    const texts = Array.from({ length: pageCount(pdf) }, (_, i) => normalise(pageText(pdf, i + 1)));
    for (const item of outline) expect(texts[item.page - 1], item.title).toContain(item.title);
  });

  it('carries "Page X of Y" and the marking top and bottom on every page but the cover', () => {
    const pages = pageCount(pdf);
    const marking = pack.manifest.classification!;
    for (let p = 2; p <= pages; p++) {
      const lines = pageText(pdf, p).split('\n').filter((l) => l.trim());
      expect(lines.join('\n')).toContain(`Page ${p} of ${pages}`);
      expect(lines[0]).toContain(marking);
      expect(lines.at(-1)).toContain(marking);
    }
    expect(pageText(pdf, 1)).not.toMatch(/Page 1 of/);
  });
});

describe('the EPUB', () => {
  it('passes EPUBCheck with no errors and no warnings', () => {
    const report = epubCheck(epub);
    expect(report.messages).toEqual([]);
    expect([report.fatals, report.errors, report.warnings]).toEqual([0, 0, 0]);
  });

  it('passes Ace by DAISY with no violation of any impact', () => {
    expect(aceViolations(epub, findBrowser().path)).toEqual([]);
  });

  it('starts with an uncompressed mimetype and has a nested nav and a marked cover', () => {
    const bytes = readFileSync(epub);
    expect(bytes.subarray(30, 38).toString()).toBe('mimetype');
    expect(bytes.readUInt16LE(8)).toBe(0); // stored
    const entries = unzipList(epub);
    expect(entries[0]).toBe('mimetype');
    const nav = unzipRead(epub, 'OEBPS/toc.xhtml');
    for (const entry of pack.toc.flatMap((e) => [e, ...e.children])) expect(nav).toContain(`>${entry.title}</a>`);
    expect(nav).toContain('epub:type="landmarks"');
    const opf = unzipRead(epub, 'OEBPS/content.opf');
    expect(opf).toMatch(/properties="cover-image"/);
    expect(opf).toContain('<meta property="dcterms:modified">2026-05-28T20:26:40Z</meta>');
    for (const property of ['accessMode', 'accessModeSufficient', 'accessibilityFeature', 'accessibilityHazard', 'accessibilitySummary']) {
      expect(opf).toContain(`property="schema:${property}"`);
    }
  });
});

describe('the HTML', () => {
  it('is one self-contained page with the whole pack', () => {
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain(`<html lang="${pack.manifest.language}">`);
    expect(page).toContain(pack.chapters[0]!.article.meta.title);
    for (const section of pack.toc[0]!.children) expect(page).toContain(`>${section.title}</h2>`);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page).not.toMatch(/url\(["']?https?:/);
  });
});

describe('reproducibility and the release manifest', () => {
  it('lists every artifact with its real size and SHA-256', () => {
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      artifacts: Array<{ path: string; bytes: number; sha256: string; format: string; pages?: number }>;
    };
    expect(manifest.artifacts.map((a) => a.format)).toEqual(['pdf', 'epub', 'html']);
    for (const a of manifest.artifacts) {
      const data = readFileSync(path.join(out, a.path));
      expect(a.bytes).toBe(data.length);
      expect(a.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    }
    expect(manifest.artifacts[0]!.pages).toBe(pageCount(pdf));
  });

  it('builds byte-identical artifacts again with the same SOURCE_DATE_EPOCH, at another time and in another time zone', () => {
    const again = tempDir();
    const second = briefpack(['build', EXAMPLE, '--out', again], { env: { SOURCE_DATE_EPOCH: EPOCH, TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8' } });
    expect(second.code).toBe(0);
    for (const name of readdirSync(out).filter((n) => !n.startsWith('.'))) {
      expect(readFileSync(path.join(again, name)).equals(readFileSync(path.join(out, name))), name).toBe(true);
    }
  });
});

describe('a failing build', () => {
  it('names the file and line, exits 1 and leaves the output folder as it was', () => {
    const broken = tempDir();
    cpSync(EXAMPLE, broken, { recursive: true });
    const manifestFile = path.join(broken, 'pack.yaml');
    writeFileSync(manifestFile, readFileSync(manifestFile, 'utf8').replace('organisation: Middle East Desk', 'organisation: [Middle East Desk'));
    const before = snapshotDir(out);
    const failed = briefpack(['build', broken, '--out', out]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/pack\.yaml:\d+:\d+ error YAML syntax/);
    expect(failed.stdout).toBe('');
    const after = snapshotDir(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, data] of before) expect(after.get(name)!.equals(data), name).toBe(true);
  });

  it('writes nothing at all when the output folder did not exist', () => {
    const broken = tempDir();
    cpSync(EXAMPLE, broken, { recursive: true });
    writeFileSync(path.join(broken, 'articles', 'syria-russia-reset.md'), '---\ntitle: [oops\n---\n\nText\n');
    const fresh = path.join(tempDir(), 'out');
    const failed = briefpack(['build', broken, '--out', fresh]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/syria-russia-reset\.md:2:\d+ error/);
    expect(existsSync(fresh)).toBe(false);
  });
});
