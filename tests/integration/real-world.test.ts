/**
 * Markdown that nobody here wrote: the README files of 120 packages installed in node_modules,
 * chosen by scripts/real-world-pack.mjs (the same on every machine with the same lock file),
 * built in every format and checked with EPUBCheck, Ace by DAISY, qpdf and every link of each output.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module, also run by hand
import { realWorldPack } from '../../scripts/real-world-pack.mjs';
import { briefpack, tempDir } from '../helpers/cli.js';
import { epubLinkReport, htmlLinkReport, pdfLinkReport } from '../helpers/links.js';
import { aceViolations, epubCheck, pageCount, pdfFonts, run } from '../helpers/tools.js';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Root as MdastRoot, RootContent } from 'mdast';
import { findBrowser } from '../../src/chromium/location.js';

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
let names: string[];
let code: number;
let diagnostics: Diagnostic[];

beforeAll(() => {
  pack = tempDir('briefpack-real-world-');
  out = tempDir('briefpack-real-world-out-');
  names = realWorldPack(pack, { count: 120 });
  const r = briefpack(['build', pack, '--out', out, '--json', '--timeout', '600']);
  code = r.code;
  diagnostics = (JSON.parse(r.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
  if (code !== 0) console.error(r.stderr);
});

const file = (ext: string) => path.join(out, `packages-we-build-on.${ext}`);

describe('a pack of 120 README files from node_modules', () => {
  it('builds in every format, with nothing but warnings', () => {
    expect(names).toHaveLength(120);
    expect(code).toBe(0);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(pageCount(file('pdf'))).toBeGreaterThan(200);
  });

  it('passes EPUBCheck with no error and no warning', () => {
    const result = epubCheck(file('epub'));
    expect(result.messages).toEqual([]);
    expect([result.fatals, result.errors, result.warnings]).toEqual([0, 0, 0]);
  });

  it('passes Ace by DAISY with no violation of any impact', () => {
    expect(aceViolations(file('epub'), findBrowser().path)).toEqual([]);
  }, 1_800_000);

  it('has one H1 per article and no heading level skipped, where the READMEs have both', () => {
    // The pack's own README files start with `# name` and skip levels: the transform repairs them, saying where.
    const skips = diagnostics.filter((d) => d.rule === 'markdown/heading' && d.message.includes('skips a level'));
    expect(skips.length).toBeGreaterThan(20);
    for (const d of skips) expect([d.file, d.line, d.column].every((v) => v !== undefined), d.message).toBe(true);
  });

  it('is a PDF that qpdf finds no fault in', () => {
    expect(run('qpdf', ['--check', file('pdf')])).toContain('No syntax or stream encoding errors found');
  });

  it('has no dead internal link in any format, and links only to the web outside itself', () => {
    for (const [format, report] of [
      ['pdf', pdfLinkReport(file('pdf'))],
      ['epub', epubLinkReport(file('epub'))],
      ['html', htmlLinkReport(readFileSync(file('html'), 'utf8'))],
    ] as const) {
      expect(report.problems.slice(0, 10), format).toEqual([]);
      expect(report.internal, format).toBeGreaterThan(500);
      expect(report.external, format).toBeGreaterThan(500);
    }
  });

  it('publishes no path of the build machine', () => {
    const inflated = path.join(tempDir('briefpack-real-world-qdf-'), 'inflated.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', file('pdf'), inflated]);
    // READMEs say "file:" and even "file://" in their prose and code (epub-gen-memory's does),
    // which the web page shows as text; a file: address, in a link, a picture or a style sheet,
    // is another thing. The PDF holds its text as glyphs: any "file://" in it is an address.
    expect(readFileSync(inflated, 'latin1')).not.toMatch(/file:\/\//);
    expect(readFileSync(file('html'), 'utf8')).not.toMatch(/(href|src)="file:|url\(["']?file:/);
    for (const bytes of [readFileSync(inflated, 'latin1'), readFileSync(file('html'), 'utf8')]) expect(bytes).not.toContain(pack);
  });

  it('prints every line of every code block whole, in the monospace face, and reports nothing cut off', () => {
    expect(diagnostics.filter((d) => d.rule === 'print/overflow')).toEqual([]);
    expect(pdfFonts(file('pdf')).some((f) => f.name.includes('SourceCodePro'))).toBe(true);
    // In the order the page draws it: a code block in a table cell keeps its lines together.
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    const text = squeeze(run('pdftotext', ['-raw', file('pdf'), '-']));
    const articles = [...readFileSync(path.join(pack, 'pack.yaml'), 'utf8').matchAll(/^ {2}- (\S+)$/gm)].map((m) => m[1]!);
    let lines = 0;
    const missing: string[] = [];
    let from = 0;
    for (const name of articles) {
      const stack: Array<MdastRoot | RootContent> = [unified().use(remarkParse).use(remarkGfm).parse(readFileSync(path.join(pack, 'articles', `${name}.md`), 'utf8'))];
      const code: string[] = [];
      while (stack.length) {
        const node = stack.pop()!;
        if (node.type === 'code') code.push(node.value);
        if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
      }
      // Lines of printable ASCII (a character no shipped font has is a warning of its own), each
      // looked for after the one before it: the text is in reading order, and a search of the
      // whole PDF's text for each of thousands of lines took longer than the build.
      for (const line of code.flatMap((c) => c.split('\n')).filter((l) => l.trim() && /^[\x20-\x7e\t]+$/.test(l))) {
        lines++;
        const wanted = squeeze(line);
        let at = text.indexOf(wanted, from);
        if (at < 0) at = text.indexOf(wanted);
        if (at < 0) missing.push(`${name}: ${line}`);
        else from = at + wanted.length;
      }
    }
    expect(lines).toBeGreaterThan(3000);
    expect(missing.slice(0, 10)).toEqual([]);
  });

  it('says where each link that goes nowhere is, by file, line and column', () => {
    const links = diagnostics.filter((d) => d.rule === 'markdown/link');
    expect(links.length).toBeGreaterThan(10);
    for (const d of links) expect([d.file, d.line, d.column].every((v) => v !== undefined), d.message).toBe(true);
  });
});
