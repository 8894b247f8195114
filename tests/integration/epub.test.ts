/**
 * The EPUB of a pack with images, footnotes, a wide table, an Arabic passage and a French
 * article: EPUBCheck, navigation, metadata, determinism, and how it reads on a phone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import type { Pack } from '../../src/model.js';
import { findBrowser } from '../../src/chromium/browser.js';
// @ts-expect-error: a plain JS module shared with the benchmark
import { generatePack } from '../../scripts/generate-pack.mjs';
import { briefpack, tempDir } from '../helpers/cli.js';
import { epubCheck, run, unzipList, unzipRead } from '../helpers/tools.js';

const EPOCH = '1790000000';
let pack: Pack;
let epub: string;
let again: string;

function buildEpub(dir: string): string {
  const out = tempDir();
  const r = briefpack(['build', dir, '--out', out, '--format', 'epub'], { env: { SOURCE_DATE_EPOCH: EPOCH } });
  expect(r.code, r.stderr).toBe(0);
  return path.join(out, `${pack.manifest.slug}.epub`);
}

beforeAll(async () => {
  const dir = generatePack(tempDir(), 5) as string;
  pack = (await check({ packDir: dir })).pack;
  epub = buildEpub(dir);
  again = buildEpub(dir);
});

describe('EPUB of a pack with images, notes, a wide table and two languages', () => {
  it('passes EPUBCheck with no errors and no warnings', () => {
    const report = epubCheck(epub);
    expect(report.messages).toEqual([]);
    expect([report.fatals, report.errors, report.warnings]).toEqual([0, 0, 0]);
  });

  it('is byte-identical when built again with SOURCE_DATE_EPOCH', () => {
    expect(readFileSync(again).equals(readFileSync(epub))).toBe(true);
  });

  it('has one nav entry per article and per section, landmarks and an NCX', () => {
    const nav = unzipRead(epub, 'OEBPS/toc.xhtml');
    const links = [...nav.matchAll(/<nav[^>]*epub:type="toc"[\s\S]*?<\/nav>/g)][0]![0].match(/<a /g) ?? [];
    const entries = pack.toc.flatMap((e) => [e, ...e.children]);
    expect(links.length).toBe(entries.length);
    for (const e of entries) expect(nav).toContain(`>${e.title}</a>`);
    const landmarks = /<nav[^>]*epub:type="landmarks"[\s\S]*?<\/nav>/.exec(nav)![0];
    for (const type of ['cover', 'toc', 'bodymatter']) expect(landmarks).toContain(`epub:type="${type}"`);
    expect(unzipRead(epub, 'OEBPS/toc.ncx').match(/<navPoint /g)?.length).toBe(entries.length);
  });

  it('derives a stable identifier from the pack and lists every language', () => {
    const opf = unzipRead(epub, 'OEBPS/content.opf');
    const id = /<dc:identifier id="pub-id">(urn:uuid:[0-9a-f-]{36})<\/dc:identifier>/.exec(opf)?.[1];
    expect(id).toBeDefined();
    expect(unzipRead(again, 'OEBPS/content.opf')).toContain(id);
    expect(opf).toContain('<dc:language>en-GB</dc:language>');
    expect(opf).toContain('<dc:language>fr</dc:language>');
    expect(opf).toContain('<meta property="dcterms:modified">2026-09-21T14:13:20Z</meta>');
  });

  it('marks footnotes for pop-up display and keeps them linked both ways', () => {
    const xhtml = unzipRead(epub, 'OEBPS/article-001.xhtml');
    const refs = [...xhtml.matchAll(/<a [^>]*href="#([^"]+)"[^>]*epub:type="noteref"|<a [^>]*epub:type="noteref"[^>]*href="#([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(refs.length).toBe(2);
    for (const target of refs) {
      expect(xhtml).toMatch(new RegExp(`<aside[^>]*id="${target}"[^>]*epub:type="footnote"|<aside[^>]*epub:type="footnote"[^>]*id="${target}"`));
    }
    expect(xhtml).toMatch(/role="doc-backlink"/);
  });

  it('packs images under content-hash names with alt text, and marks the cover', () => {
    const entries = unzipList(epub);
    const images = entries.filter((e) => e.startsWith('OEBPS/images/'));
    expect(images).toEqual([expect.stringMatching(/^OEBPS\/images\/[0-9a-f]{16}\.png$/)]);
    const xhtml = unzipRead(epub, 'OEBPS/article-002.xhtml');
    expect(xhtml).toMatch(/<img src="images\/[0-9a-f]{16}\.png" alt="A bar chart of monthly figures by province"/);
    expect(unzipRead(epub, 'OEBPS/content.opf')).toMatch(/<item id="cover-image" href="cover\.jpg" media-type="image\/jpeg" properties="cover-image"\/>/);
  });

  it('carries the languages and directions of its text', () => {
    expect(unzipRead(epub, 'OEBPS/article-005.xhtml')).toMatch(/<html [^>]*lang="fr" xml:lang="fr"/);
    expect(unzipRead(epub, 'OEBPS/article-004.xhtml')).toMatch(/<p lang="ar" dir="rtl" xml:lang="ar">/);
  });

  it('ships a reflowable style sheet: no custom properties, no page sizes, no fixed text colour', () => {
    const css = unzipRead(epub, 'OEBPS/style.css');
    expect(css).not.toContain('var(--');
    expect(css).not.toMatch(/@page/);
    expect(css).not.toMatch(/font-size:\s*\d+(px|pt)/);
    expect(css).toMatch(/@font-face/);
  });

  it('fits a phone screen: no article is wider than a 400-pixel viewport', async () => {
    const dir = tempDir();
    run('unzip', ['-q', epub, '-d', dir]);
    const browser = await puppeteer.launch({
      executablePath: findBrowser().path,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 400, height: 700 });
      for (const name of ['article-001.xhtml', 'article-003.xhtml']) {
        await page.goto(`file://${path.join(dir, 'OEBPS', name)}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, name).toBeLessThanOrEqual(400);
      }
    } finally {
      await browser.close();
    }
  });
});
