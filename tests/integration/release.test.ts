/** The CI-facing surface: --json reports, doctor, and the --validate gate. */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import { Diagnostics } from '../../src/diagnostics.js';
import { validatePdf } from '../../src/validate/artifacts.js';
import { EXAMPLE, ROOT, briefpack, snapshotDir, tempDir } from '../helpers/cli.js';

const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'report.schema.json'), 'utf8')) as object;
const validateReport = new Ajv({ allErrors: true, strict: false }).compile(schema);

function expectReport(stdout: string) {
  const report = JSON.parse(stdout) as { ok: boolean; exitCode: number; artifacts: unknown[]; diagnostics: Array<{ rule: string; message: string; line?: number }> };
  const valid = validateReport(report);
  expect(validateReport.errors ?? [], 'report matches schemas/report.schema.json').toEqual([]);
  expect(valid).toBe(true);
  return report;
}

describe('--json', () => {
  it('prints one schema-valid report of a successful build on stdout', () => {
    const out = tempDir();
    const r = briefpack(['build', EXAMPLE, '--out', out, '--json', '--format', 'pdf,html']);
    expect(r.code).toBe(0);
    const report = expectReport(r.stdout);
    expect(report.ok).toBe(true);
    expect(report.artifacts).toHaveLength(2);
  });

  it('reports content errors with positions, and exit code 1', () => {
    const dir = tempDir();
    cpSync(EXAMPLE, dir, { recursive: true });
    writeFileSync(path.join(dir, 'sidebars', 'timeline.yaml'), 'title: Timeline\nkind: timeline\nevents:\n  - date: 2026-13\n    event: x\n');
    const r = briefpack(['check', dir, '--json']);
    expect(r.code).toBe(1);
    const report = expectReport(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.exitCode).toBe(1);
    expect(report.diagnostics).toEqual([expect.objectContaining({ rule: 'sidebar/date', line: 4, column: 11 })]);
  });
});

describe('briefpack doctor', () => {
  it('passes where Chromium is installed, naming its path and version', () => {
    const r = briefpack(['doctor', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { checks: Array<{ name: string; ok: boolean; detail: string }> };
    expectReport(r.stdout);
    const chromium = report.checks.find((c) => c.name === 'chromium');
    expect(chromium?.ok).toBe(true);
    expect(chromium?.detail).toMatch(/^Chromium \d+[.\d]* \(headless shell\) at \/.* \(from system\)$/);
  });

  it('fails, naming the file, when PUPPETEER_EXECUTABLE_PATH points at nothing', () => {
    const r = briefpack(['doctor'], { env: { PUPPETEER_EXECUTABLE_PATH: '/no/such/chromium' } });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('FAIL  chromium   PUPPETEER_EXECUTABLE_PATH names a file that does not exist: /no/such/chromium');
  });
});

describe('--validate', () => {
  it('passes the example pack', () => {
    const r = briefpack(['build', EXAMPLE, '--out', tempDir(), '--validate', '--format', 'pdf,epub']);
    expect(r.stderr).not.toMatch(/ error /);
    expect(r.code).toBe(0);
  });

  it('fails on an EPUB that EPUBCheck rejects, and writes nothing', () => {
    const dir = tempDir();
    cpSync(EXAMPLE, dir, { recursive: true });
    // A pack template whose EPUB style sheet uses a property EPUB forbids.
    mkdirSync(path.join(dir, 'templates', 'broken'), { recursive: true });
    cpSync(path.join(ROOT, 'templates', 'default', 'print.html'), path.join(dir, 'templates', 'broken', 'print.html'));
    writeFileSync(path.join(dir, 'templates', 'broken', 'epub.css'), 'p { unicode-bidi: bidi-override; }\n');
    const out = tempDir();
    writeFileSync(path.join(out, 'keep.txt'), 'earlier output');
    const before = snapshotDir(out);
    const r = briefpack(['build', dir, '--out', out, '--validate', '--template', 'broken', '--format', 'epub']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error EPUBCheck ERROR CSS-001: .*unicode-bidi.* \(OEBPS\/style\.css:\d+:\d+\) \(validate\/epub\)/);
    expect([...snapshotDir(out).keys()]).toEqual([...before.keys()]);
  });

  it('finds an untagged PDF with unembedded fonts and no bookmarks', async () => {
    const { pack } = await check({ packDir: EXAMPLE });
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage().drawText('Not a briefing pack', { font });
    const diagnostics = new Diagnostics();
    await validatePdf(await doc.save(), 'broken.pdf', pack, diagnostics);
    expect(diagnostics.list.map((d) => d.message)).toEqual([
      'the PDF is not tagged (no MarkInfo/Marked or StructTreeRoot)',
      'the PDF has 0 bookmarks; the contents has 4 entries',
      'the PDF has 1 pages; a pack of 1 articles needs at least 3',
      'font Helvetica is not embedded',
      'the PDF does not say its language (no /Lang in its catalog)',
      'the PDF has no title (no /Title in its document information)',
      'the PDF does not ask viewers to show its title rather than its file name (no /DisplayDocTitle true)',
    ]);
  });
});
