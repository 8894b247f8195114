/**
 * Markdown that nobody here wrote: the README files of 120 packages installed in node_modules,
 * chosen by scripts/real-world-pack.mjs (the same on every machine with the same lock file),
 * built in every format and checked with EPUBCheck, Ace by DAISY, qpdf and every link of each output.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module, also run by hand
import { realWorldPack } from '../../scripts/real-world-pack.mjs';
import { briefpack, tempDir } from '../helpers/cli.js';
import { epubLinkReport, htmlLinkReport, pdfLinkReport } from '../helpers/links.js';
import { findBrowser } from '../../src/render/browser-location.js';
import { aceViolations, epubCheck, pageCount, run } from '../helpers/tools.js';

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
    // READMEs say "file:" and "file://" in their prose and code; an address of a file
    // (file:///path, or a link, image or url() to file:) is another thing.
    for (const bytes of [readFileSync(inflated, 'latin1'), readFileSync(file('html'), 'utf8')]) {
      expect(bytes).not.toMatch(/file:\/\/\/|(href|src)="file:|url\(["']?file:/);
      expect(bytes).not.toContain(pack);
    }
  });

  it('says where each link that goes nowhere is, by file, line and column', () => {
    const links = diagnostics.filter((d) => d.rule === 'markdown/link');
    expect(links.length).toBeGreaterThan(10);
    for (const d of links) expect([d.file, d.line, d.column].every((v) => v !== undefined), d.message).toBe(true);
  });
});
