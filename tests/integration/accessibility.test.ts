/**
 * Accessible by proof. Ace by DAISY, run as README.md tells a reader to, and briefpack's own
 * checks of the PDF's tagged structure, on: a pack of known traps (images without alt text,
 * tables without a header row, headings that skip a level); a PDF Chromium printed from plain
 * HTML with the faults briefpack's transform would have repaired; a generated 50-article pack.
 * (The example pack and the real-world corpus are checked with Ace where they are built:
 * example-pack.test.ts, real-world.test.ts.)
 */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import puppeteer from 'puppeteer';
import { beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/chromium/browser.js';
import { pdfStructureProblems } from '../../src/validate/pdf-structure.js';
// @ts-expect-error: a plain JS module, also run by hand
import { generatePack } from '../../scripts/generate-pack.mjs';
import { ROOT, briefpack, snapshotDir, tempDir } from '../helpers/cli.js';
import { aceViolations, epubCheck, unzipRead } from '../helpers/tools.js';

const TRAPS = path.join(ROOT, 'tests', 'fixtures', 'a11y-traps');
const browser = () => findBrowser().path;

interface Reported {
  severity: string;
  rule: string;
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

/** A diagnostic as one line: `file:line:col severity rule message`, the pack folder left out. */
const line = (d: Reported, dir: string) =>
  `${(d.file ?? '').replace(`${dir}/`, '')}${d.line ? `:${d.line}:${d.column}` : ''} ${d.severity} ${d.rule} ${d.message}`;

describe('a pack of accessibility traps', () => {
  let dir: string;
  let out: string;
  let built: { code: number; diagnostics: Reported[] };

  beforeAll(() => {
    dir = tempDir('briefpack-a11y-traps-');
    cpSync(TRAPS, dir, { recursive: true });
    out = tempDir('briefpack-a11y-traps-out-');
    const r = briefpack(['build', dir, '--out', out, '--format', 'epub', '--json']);
    built = { code: r.code, diagnostics: (JSON.parse(r.stdout) as { diagnostics: Reported[] }).diagnostics };
  });

  const epub = () => path.join(out, 'accessibility-traps.epub');

  it('builds, with a warning at the line of each trap the transform cannot repair or has repaired', () => {
    expect(built.code).toBe(0);
    expect(built.diagnostics.map((d) => line(d, dir))).toEqual([
      'articles/traps.md:12:28 warning markdown/image image ../images/logo.png has no alt text',
      'articles/traps.md:14:1 warning markdown/image image ../images/logo.png has no alt text',
      'articles/traps.md:22:1 warning markdown/table table has no header row: screen readers cannot say which column a cell is in',
      'articles/traps.md:31:1 warning markdown/heading heading "A heading that skips a level" skips a level (level 4 under a level-2 heading): printed as a level-3 heading',
      'articles/traps.md:33:1 warning markdown/table table has no header row: screen readers cannot say which column a cell is in',
    ]);
  });

  it('Ace finds exactly the two images without alt text and the sidebar heading that skips a level', () => {
    expect(aceViolations(epub(), browser()).sort()).toEqual([
      'critical image-alt traps.xhtml',
      'critical image-alt traps.xhtml',
      'moderate heading-order traps.xhtml',
    ]);
  });

  it('passes EPUBCheck, and its accessibility metadata claims nothing it lacks', () => {
    const check = epubCheck(epub());
    expect(check.messages).toEqual([]);
    const opf = unzipRead(epub(), 'OEBPS/content.opf');
    expect(opf).not.toContain('alternativeText');
    expect(opf).toContain('<meta property="schema:accessModeSufficient">textual,visual</meta>');
    expect(opf).toContain('; 2 images of 4 in the articles have no text alternative; 2 tables of 5 have no header cells.</meta>');
  });

  it('--validate fails, writing nothing, naming Ace\'s rule and the PDF check at the line of each trap', () => {
    const gated = tempDir('briefpack-a11y-gate-');
    writeFileSync(path.join(gated, 'keep.txt'), 'earlier output');
    const before = snapshotDir(gated);
    const r = briefpack(['build', dir, '--out', gated, '--validate', '--json']);
    expect(r.code).toBe(1);
    const errors = (JSON.parse(r.stdout) as { diagnostics: Reported[] }).diagnostics.filter((d) => d.severity === 'error').map((d) => line(d, dir));
    const img = 'Ensure <img> elements have alternative text or a role of none or presentation: <img src="images/3f7492f3440be0cc.png" />';
    expect(errors).toEqual([
      'articles/traps.md:12:28 error validate/pdf-structure an image has no alt text (a Figure without /Alt) (in accessibility-traps.pdf)',
      `articles/traps.md:12:28 error validate/ace Ace image-alt (critical): ${img}`,
      'articles/traps.md:14:1 error validate/pdf-structure an image has no alt text (a Figure without /Alt) (in accessibility-traps.pdf)',
      `articles/traps.md:14:1 error validate/ace Ace image-alt (critical): ${img}`,
      'articles/traps.md:22:1 error validate/pdf-structure a table has no header cells (no TH) (in accessibility-traps.pdf)',
      'articles/traps.md:33:1 error validate/pdf-structure a table has no header cells (no TH) (in accessibility-traps.pdf)',
      // The kind's template heads the sidebar with an <h4> under a ## section: named at the sidebar's kind.
      'sidebars/aside.yaml:2:7 error validate/pdf-structure a heading skips a level: H4 after H2 (in accessibility-traps.pdf)',
      'sidebars/aside.yaml:2:7 error validate/ace Ace heading-order (moderate): Ensure the order of headings is semantically correct: <h4>From the margin</h4>',
    ]);
    expect([...snapshotDir(gated).keys()]).toEqual([...before.keys()]);
  });
});

describe("the PDF structure check, on Chromium's print of plain HTML", () => {
  /** A tagged PDF of `html` as Chromium prints it, without briefpack's finishing (no title shown, no bookmarks). */
  async function chromiumPdf(html: string): Promise<PDFDocument> {
    const b = await puppeteer.launch({ executablePath: browser(), args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await b.newPage();
      await page.setContent(html);
      return await PDFDocument.load(await page.pdf({ tagged: true }), { updateMetadata: false });
    } finally {
      await b.close();
    }
  }
  const GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAAUEBAAAACwAAAAAAQABAAACAkQBADs=';

  // (Chromium always writes a /Lang, en-US when the page has none; a table without borders or
  // header cells it takes for layout and does not tag as a table: this one has a border.)
  it('finds each fault: a heading that skips a level, an image without alt text, a table without header cells, no title', async () => {
    const doc = await chromiumPdf(
      `<html><body><h1>Title</h1><p>Text.</p><h3>Skipped a level</h3><p><img src="${GIF}" width="20" height="20"></p>` +
        '<table border="1"><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table></body></html>',
    );
    expect(pdfStructureProblems(doc, []).map((p) => p.message)).toEqual([
      'the PDF has no title (no /Title in its document information)',
      'the PDF does not ask viewers to show its title rather than its file name (no /DisplayDocTitle true)',
      'a heading skips a level: H3 after H1',
      'an image has no alt text (a Figure without /Alt)',
      'a table has no header cells (no TH)',
    ]);
  });

  it('counts the articles: one H1 each, the faults of each named by its place', async () => {
    const doc = await chromiumPdf(
      `<html lang="en"><head><title>Two</title></head><body><article><h1>One</h1><h2>Part</h2><h1>Again</h1></article>` +
        `<article><h2>No title</h2><figure><img src="${GIF}" alt="A dot" width="20" height="20"><figcaption>A grouping figure, no alt of its own</figcaption></figure></article></body></html>`,
    );
    expect(pdfStructureProblems(doc, []).map((p) => p.message)).toEqual([
      'article 1 of the PDF has more than one H1 (its title should be the only one)',
      'article 2 of the PDF has no H1 (its title)',
    ]);
  });

  it('finds nothing in the same content written right', async () => {
    const doc = await chromiumPdf(
      `<html lang="en"><head><title>Right</title></head><body><article><h1>Title</h1><p>Text.</p><h2>A section</h2><h3>Under it</h3>` +
        `<p><img src="${GIF}" alt="A dot" width="20" height="20"></p><table><tr><th>Col</th><th>Other</th></tr><tr><td>a</td><td>b</td></tr></table></article></body></html>`,
    );
    expect(pdfStructureProblems(doc, []).map((p) => p.message)).toEqual([]);
  });
});

describe('Ace on a generated pack of 50 articles', () => {
  it('finds no violation, and EPUBCheck none either', () => {
    const dir = generatePack(tempDir(), 50) as string;
    const out = tempDir();
    const r = briefpack(['build', dir, '--out', out, '--format', 'epub', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const epub = path.join(out, 'generated-pack-of-50.epub');
    expect(epubCheck(epub).messages).toEqual([]);
    expect(aceViolations(epub, browser())).toEqual([]);
  }, 1_800_000);
});
