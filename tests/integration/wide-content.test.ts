/**
 * Nothing cut off in print: a 300-character line of code, a 200-character web address, a table
 * of 30 columns and a picture 3000 pixels wide all print whole (every character in the PDF's
 * text, the picture scaled to the text block); what no step can fit is a warning at its source
 * line, which --strict makes an error. Code is set in the shipped monospace face, highlighted,
 * and the EPUB still passes EPUBCheck.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module, also run by hand
import { LONG_CODE_LINE, LONG_URL, LONG_WORD, TABLE_COLUMNS, wideContentPack } from '../../scripts/wide-content-pack.mjs';
import { briefpack, ROOT, tempDir } from '../helpers/cli.js';
import { epubCheck, pdfFonts, run, unzipRead } from '../helpers/tools.js';

interface Diagnostic {
  file?: string;
  line?: number;
  column?: number;
  severity: string;
  rule: string;
  message: string;
}

let pack: string;
let out: string;
let diagnostics: Diagnostic[];
const file = (ext: string) => path.join(out, `wide-content.${ext}`);
/** The PDF's text with every space and line break taken out: wrapped lines join up again. */
let joined: string;
const squeeze = (s: string) => s.replace(/\s+/g, '');

function buildJson(dir: string, outDir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = briefpack(['build', dir, '--out', outDir, '--json', ...args], { env });
  return { code: r.code, stderr: r.stderr, diagnostics: (JSON.parse(r.stdout) as { diagnostics: Diagnostic[] }).diagnostics };
}

const EPOCH = { SOURCE_DATE_EPOCH: '1760000000' };

beforeAll(() => {
  pack = wideContentPack(tempDir('briefpack-wide-')) as string;
  out = tempDir('briefpack-wide-out-');
  const r = buildJson(pack, out, ['--no-cache'], EPOCH);
  expect(r.code, r.stderr).toBe(0);
  diagnostics = r.diagnostics;
  // -layout: the plain mode joins a line that ends in a hyphen to the next without it ("value-" "11").
  joined = squeeze(run('pdftotext', ['-layout', file('pdf'), '-']));
});

describe('a pack of content wider than the page', () => {
  it('prints every character of the long code line, the long address and the long word', () => {
    expect(LONG_CODE_LINE).toHaveLength(300);
    expect(LONG_URL).toHaveLength(200);
    expect(joined).toContain(squeeze(LONG_CODE_LINE));
    expect(joined).toContain(LONG_URL);
    expect(joined).toContain(LONG_WORD);
  });

  it('prints every column of the 30-column table, set smaller, and warns of nothing', () => {
    for (let c = 1; c <= TABLE_COLUMNS; c++) expect(joined).toContain(`r3c${c}`);
    expect(diagnostics.filter((d) => d.rule === 'print/overflow')).toEqual([]);
  });

  it('scales the 3000-pixel picture to the text block (170 mm on A4)', () => {
    const rows = run('pdfimages', ['-list', file('pdf')]).split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/));
    const wide = rows.find((r) => r[3] === '3000');
    expect(wide).toBeDefined();
    // Printed width in millimetres, from the resolution the picture is printed at.
    const widthMm = (3000 / Number(wide![12])) * 25.4;
    expect(widthMm).toBeGreaterThan(165);
    expect(widthMm).toBeLessThanOrEqual(170.5);
  });

  it('sets code in the shipped monospace face, in regular, italic (comments) and semibold (keywords)', () => {
    const names = pdfFonts(file('pdf')).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toEqual(expect.arrayContaining(['SourceCodePro-Regular', 'SourceCodePro-Italic', 'SourceCodePro-SemiBold']));
  });

  it('carries the highlighting into the EPUB and the web page, and the EPUB passes EPUBCheck', () => {
    const result = epubCheck(file('epub'));
    expect(result.messages).toEqual([]);
    expect([result.fatals, result.errors, result.warnings]).toEqual([0, 0, 0]);
    const chapter = unzipRead(file('epub'), 'OEBPS/wide.xhtml');
    expect(chapter).toContain('<span class="hljs-keyword">function</span>');
    expect(chapter).toContain('<span class="code-line">');
    const epubFonts = run('unzip', ['-Z1', file('epub')]).split('\n').filter((f) => f.includes('source-code-pro'));
    expect(epubFonts.length).toBeGreaterThan(0);
    const html = readFileSync(file('html'), 'utf8');
    expect(html).toContain('<span class="hljs-keyword">def</span>');
    expect(html).toMatch(/<div class="table-scroll" role="region" tabindex="0" aria-label="Table"><table>/);
  });

  it('gives the same bytes on every build', () => {
    const again = tempDir('briefpack-wide-again-');
    expect(buildJson(pack, again, ['--no-cache'], EPOCH).code).toBe(0);
    const digest = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('wide-content.')).map((n) => [n, createHash('sha256').update(readFileSync(path.join(dir, n))).digest('hex')]);
    expect(digest(again)).toHaveLength(3);
    expect(digest(again)).toEqual(digest(out));
  });
});

describe('what cannot be fitted', () => {
  let dir: string;
  beforeAll(() => {
    dir = wideContentPack(tempDir('briefpack-too-wide-')) as string;
    const cols = 110;
    const table = [`| ${Array.from({ length: cols }, (_, i) => `H${i}`).join(' | ')} |`, `|${' --- |'.repeat(cols)}`, `| ${Array.from({ length: cols }, (_, i) => `v${i}`).join(' | ')} |`];
    const article = path.join(dir, 'articles', 'wide.md');
    writeFileSync(article, `${readFileSync(article, 'utf8')}\nA table far too wide:\n\n${table.join('\n')}\n`);
    // A template of the pack's own that lets code run on instead of wrapping.
    mkdirSync(path.join(dir, 'templates', 'nowrap'), { recursive: true });
    writeFileSync(path.join(dir, 'templates', 'nowrap', 'print.html'), readFileSync(path.join(ROOT, 'templates', 'default', 'print.html')));
    writeFileSync(path.join(dir, 'templates', 'nowrap', 'print.css'), 'pre { white-space: pre; overflow-wrap: normal; }\n');
  });

  it('is a warning at the source line of each block that runs past the page, with its width and how much is cut off', () => {
    const r = buildJson(dir, tempDir(), ['--format', 'pdf', '--template', 'nowrap']);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(path.join(dir, 'articles', 'wide.md'), 'utf8').split('\n');
    const lineOf = (start: string) => lines.findIndex((l) => l.startsWith(start)) + 1;
    const found = r.diagnostics.filter((d) => d.rule === 'print/overflow');
    expect(found.map((d) => [d.severity, d.line, d.column])).toEqual([
      ['warning', lineOf('```js'), 1],
      ['warning', lineOf('| H0 |'), 1],
    ]);
    for (const d of found) expect(d.file).toMatch(/articles\/wide\.md$/);
    expect(found[0]!.message).toMatch(/^the code block is \d+ mm wide, \d+ mm wider than the text block; its long lines are cut off at the right edge$/);
    expect(found[1]!.message).toMatch(/^the table is \d+ mm wide even set smaller and scaled down, \d+ mm wider than the text block; its last columns are cut off$/);
  });

  it('fails the build with --strict, writing nothing', () => {
    const outDir = tempDir();
    const r = briefpack(['build', dir, '--out', outDir, '--format', 'pdf', '--strict']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/articles\/wide\.md:\d+:1 warning the table is \d+ mm wide .* \(print\/overflow\)/);
    expect(readdirSync(outDir)).toEqual([]);
  });
});
