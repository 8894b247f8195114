/** Real validators and inspectors for tests: poppler, qpdf, EPUBCheck. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';

export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: env ?? process.env });
}

export function pdfInfo(file: string, env?: NodeJS.ProcessEnv): Record<string, string> {
  const out = run('pdfinfo', [file], env);
  return Object.fromEntries(
    out
      .split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
  );
}

export function pageCount(file: string): number {
  return Number(pdfInfo(file).Pages);
}

/** Text of one page (1-based). */
export function pageText(file: string, page: number): string {
  return run('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-']);
}

export function allText(file: string): string {
  return run('pdftotext', [file, '-']);
}

export interface FontRow {
  name: string;
  type: string;
  embedded: boolean;
}

export function pdfFonts(file: string, env?: NodeJS.ProcessEnv): FontRow[] {
  const lines = run('pdffonts', [file], env).split('\n').slice(2).filter(Boolean);
  return lines.map((line) => {
    // Columns: name type encoding emb sub uni object ID; the name has no spaces, the type may.
    const cells = line.trim().split(/\s+/);
    const emb = cells[cells.length - 5];
    return { name: cells[0]!, type: cells.slice(1, cells.length - 6).join(' '), embedded: emb === 'yes' };
  });
}

export interface OutlineItem {
  title: string;
  page: number;
  depth: number;
}

/** The PDF outline (bookmarks), flattened in order, from `qpdf --json`. */
export function pdfOutline(file: string): OutlineItem[] {
  const json = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', '--json-key=pages', file])) as {
    outlines: Array<{ title: string; destpageposfrom1: number; kids: unknown[] }>;
  };
  const items: OutlineItem[] = [];
  const walk = (nodes: Array<{ title: string; destpageposfrom1: number; kids: unknown[] }>, depth: number) => {
    for (const n of nodes) {
      items.push({ title: n.title, page: n.destpageposfrom1, depth });
      walk(n.kids as typeof nodes, depth + 1);
    }
  };
  walk(json.outlines, 0);
  return items;
}

export interface EpubCheckResult {
  fatals: number;
  errors: number;
  warnings: number;
  messages: string[];
}

export function epubCheck(file: string): EpubCheckResult {
  const reportFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'epubcheck-')), 'report.json');
  spawnSync('java', ['-jar', '/usr/share/java/epubcheck.jar', '--json', reportFile, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    checker: { nFatal: number; nError: number; nWarning: number };
    messages: Array<{ ID: string; severity: string; message: string; locations: Array<{ path: string; line: number; column: number }> }>;
  };
  return {
    fatals: report.checker.nFatal,
    errors: report.checker.nError,
    warnings: report.checker.nWarning,
    messages: report.messages.map((m) => `${m.severity} ${m.ID} ${m.message} @ ${m.locations.map((l) => `${l.path}:${l.line}:${l.column}`).join(', ')}`),
  };
}

export function unzipList(file: string): string[] {
  return run('unzip', ['-Z1', file]).split('\n').filter(Boolean);
}

export function unzipRead(file: string, entry: string): string {
  return run('unzip', ['-p', file, entry]);
}

/** The first well-formedness error of an XML document (strict, namespace-aware), or undefined. */
export function xmlProblem(xml: string): string | undefined {
  let problem: string | undefined;
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (e) => {
    problem ??= e.message;
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    problem ??= (e as Error).message;
  }
  return problem;
}
