/** Real validators and inspectors for tests: poppler, qpdf, EPUBCheck, Ace by DAISY. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

export type QpdfValue = string | number | boolean | null | QpdfValue[] | { [key: string]: QpdfValue };

/** Every object of a PDF as qpdf reads it (JSON v2: references are "N G R" strings, names "/Name"). */
export function qpdfObjects(file: string): { objects: Map<string, QpdfValue>; pages: string[]; root: string } {
  const json = JSON.parse(run('qpdf', ['--json=2', '--json-key=qpdf', '--json-key=pages', file])) as {
    qpdf: [unknown, Record<string, { value?: QpdfValue; stream?: { dict: QpdfValue } }>];
    pages: Array<{ object: string }>;
  };
  const objects = new Map<string, QpdfValue>();
  let root = '';
  for (const [key, entry] of Object.entries(json.qpdf[1])) {
    if (key === 'trailer') root = String((entry.value as Record<string, QpdfValue>)['/Root']);
    else objects.set(key.replace(/^obj:/, ''), entry.value ?? entry.stream?.dict ?? null);
  }
  return { objects, pages: json.pages.map((p) => p.object), root };
}

/** A destination's name as the element id it goes to: Chromium percent-encodes ids that are not ASCII. */
function destinationName(name: string): string {
  try {
    return /%[0-9A-Fa-f]{2}/.test(name) ? decodeURIComponent(name) : name;
  } catch {
    return name;
  }
}

/** Link annotations that go to a named destination: on which page, the id it goes to, and the page it opens. */
export function pdfLinks(file: string): Array<{ from: number; name: string; to: number | undefined }> {
  const { objects, pages, root } = qpdfObjects(file);
  const get = (v: QpdfValue | undefined): QpdfValue | undefined => (typeof v === 'string' && / R$/.test(v) ? objects.get(v) : v);
  const dict = (v: QpdfValue | undefined) => (get(v) ?? {}) as Record<string, QpdfValue>;
  const dests = dict(dict(root)['/Dests']);
  const links: Array<{ from: number; name: string; to: number | undefined }> = [];
  pages.forEach((page, i) => {
    for (const annot of (dict(page)['/Annots'] as QpdfValue[] | undefined) ?? []) {
      const name = dict(annot)['/Dest'];
      if (typeof name !== 'string' || !name.startsWith('/')) continue;
      const target = get(dests[name]) as QpdfValue[] | undefined;
      const to = Array.isArray(target) ? pages.indexOf(String(target[0])) + 1 : undefined;
      links.push({ from: i + 1, name: destinationName(name.slice(1)), to: to || undefined });
    }
  });
  return links;
}

/**
 * What is wrong with a tagged PDF's structure tree, read through qpdf: elements whose /P is not
 * the element that lists them, pages and annotations whose structure key has no parent-tree
 * entry (pages with tagged content must have one: checked by counting below), parent-tree entries that point at no element, and /Headers ids missing from the ID tree.
 */
export function structureProblems(file: string): string[] {
  const { objects, pages, root } = qpdfObjects(file);
  const get = (v: QpdfValue | undefined): QpdfValue | undefined => (typeof v === 'string' && / R$/.test(v) ? objects.get(v) : v);
  const dict = (v: QpdfValue | undefined) => (get(v) ?? {}) as Record<string, QpdfValue>;
  const problems: string[] = [];
  const structRootRef = dict(root)['/StructTreeRoot'] as string;
  const structRoot = dict(structRootRef);
  const treeEntries = (node: QpdfValue | undefined, key: '/Nums' | '/Names', out: Array<[QpdfValue, QpdfValue]>) => {
    const d = dict(node);
    const list = (d[key] as QpdfValue[] | undefined) ?? [];
    for (let i = 0; i + 1 < list.length; i += 2) out.push([list[i]!, list[i + 1]!]);
    for (const kid of (d['/Kids'] as QpdfValue[] | undefined) ?? []) treeEntries(kid, key, out);
  };
  const parentTree: Array<[QpdfValue, QpdfValue]> = [];
  treeEntries(structRoot['/ParentTree'], '/Nums', parentTree);
  const keys = new Set(parentTree.map(([k]) => k as number));
  if (keys.size !== parentTree.length) problems.push('a parent-tree key appears twice');
  const ids: Array<[QpdfValue, QpdfValue]> = [];
  treeEntries(structRoot['/IDTree'], '/Names', ids);
  const idSet = new Set(ids.map(([k]) => String(k)));
  if (idSet.size !== ids.length) problems.push('an ID-tree name appears twice');
  let documents = 0;
  const elements = new Set<string>();
  const walk = (ref: string, parent: string, depth: number) => {
    const element = dict(ref);
    if (element['/Type'] === '/MCR' || element['/Type'] === '/OBJR' || depth > 200) return;
    elements.add(ref);
    if (element['/S'] === '/Document') documents++;
    if (element['/P'] !== parent) problems.push(`${ref} (${String(element['/S'])}) has /P ${String(element['/P'])}, not ${parent}`);
    for (const a of ([] as QpdfValue[]).concat((element['/A'] as QpdfValue) ?? [])) {
      for (const h of (dict(a)['/Headers'] as QpdfValue[] | undefined) ?? []) if (!idSet.has(String(h))) problems.push(`${ref} names header ${String(h)}, not in the ID tree`);
    }
    const kids = ([] as QpdfValue[]).concat((element['/K'] as QpdfValue) ?? []);
    for (const kid of kids) if (typeof kid === 'string' && / R$/.test(kid)) walk(kid, ref, depth + 1);
  };
  for (const kid of ([] as QpdfValue[]).concat((structRoot['/K'] as QpdfValue) ?? [])) walk(String(kid), structRootRef, 0);
  if (documents !== 1) problems.push(`${documents} Document elements`);
  pages.forEach((page, i) => {
    const p = dict(page);
    // A page with no tagged content (a blank left page) needs no key; one with a key needs its entry.
    if (typeof p['/StructParents'] === 'number' && !keys.has(p['/StructParents'])) problems.push(`page ${i + 1} has no parent-tree entry`);
    for (const annot of (p['/Annots'] as QpdfValue[] | undefined) ?? []) {
      const key = dict(annot)['/StructParent'];
      if (typeof key === 'number' && !keys.has(key)) problems.push(`an annotation on page ${i + 1} has no parent-tree entry`);
    }
  });
  for (const [key, value] of parentTree) {
    // A page's entry is an array (often an indirect one) of elements, an annotation's one element.
    const resolved = get(value);
    const refs = Array.isArray(resolved) ? resolved : [value];
    for (const ref of refs) {
      if (typeof ref === 'string' && !elements.has(ref)) problems.push(`parent-tree entry ${String(key)} points at ${ref}, outside the tree`);
    }
  }
  return [...new Set(problems)].slice(0, 20);
}

/** Ace by DAISY as `scripts/setup.sh --test-tools` installs it (tools/ace), run the way README.md tells a reader to. */
export const ACE_CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'tools', 'ace', 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js');

/**
 * Ace's violations in an EPUB, each as `impact rule document`, read from its own report.json
 * (`assertions[].assertions[]`), against the Chromium briefpack prints with.
 */
export function aceViolations(epub: string, browser: string): string[] {
  const out = mkdtempSync(path.join(os.tmpdir(), 'ace-'));
  const r = spawnSync(process.execPath, [ACE_CLI, '--force', '--silent', '--outdir', out, epub], {
    encoding: 'utf8',
    env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: browser },
    timeout: 1_800_000,
  });
  const report = path.join(out, 'report.json');
  if (r.status !== 0 || !existsSync(report)) throw new Error(`Ace failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}`);
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    assertions: Array<{ 'earl:testSubject': { url: string }; assertions: Array<{ 'earl:test': { 'dct:title': string; 'earl:impact': string } }> }>;
  };
  return json.assertions.flatMap((subject) =>
    subject.assertions.map((a) => `${a['earl:test']['earl:impact']} ${a['earl:test']['dct:title']} ${subject['earl:testSubject'].url}`),
  );
}
