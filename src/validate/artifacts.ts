/**
 * `--validate`: the release gate. The EPUB goes through EPUBCheck and, when it is installed,
 * Ace by DAISY (ace.ts); the PDF gets the structural checks a print shop and a screen reader
 * depend on (fonts embedded, tagged, bookmarks, pages, and its tagged structure: pdf-structure.ts).
 * Runs on the rendered bytes before anything is written, so a failing gate changes nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, type PDFObject } from 'pdf-lib';
import type { Diagnostics } from '../diagnostics.js';
import type { Pack } from '../model.js';
import { validateEpubAccessibility } from './ace.js';
import { pdfStructureProblems } from './pdf-structure.js';

export function epubcheckJar(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.EPUBCHECK_JAR, '/usr/share/java/epubcheck.jar', '/usr/share/epubcheck/epubcheck.jar'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p));
}

interface EpubCheckMessage {
  ID: string;
  severity: string;
  message: string;
  locations: Array<{ path: string; line: number; column: number }>;
}

/** EPUBCheck on the EPUB's bytes; every FATAL, ERROR and WARNING becomes an error of the gate. */
export async function validateEpub(bytes: Uint8Array, name: string, diagnostics: Diagnostics, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const jar = epubcheckJar(env);
  if (!jar) {
    diagnostics.error('validate/tool', 'EPUBCheck not found, so the EPUB cannot be validated', {
      hint: 'Install it (Debian: apt-get install epubcheck) or set EPUBCHECK_JAR to epubcheck.jar.',
    });
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'briefpack-validate-'));
  try {
    const epub = path.join(dir, name);
    const report = path.join(dir, 'report.json');
    writeFileSync(epub, bytes);
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn('java', ['-jar', jar, '--json', report, epub], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', (c) => resolve(c ?? 1));
    }).catch((error: Error) => {
      diagnostics.error('validate/tool', `could not run EPUBCheck: ${error.message}`, { hint: 'Is Java installed (java on PATH)?' });
      return -1;
    });
    if (code === -1) return;
    let messages: EpubCheckMessage[];
    try {
      messages = (JSON.parse(readFileSync(report, 'utf8')) as { messages: EpubCheckMessage[] }).messages;
    } catch {
      // A broken jar, or a Java that cannot run it: Java says why on its own output.
      diagnostics.error('validate/tool', `EPUBCheck (${jar}) exited with ${code} without writing its report`, {
        hint: `Run it by hand to see why: java -jar ${jar} FILE.epub`,
      });
      return;
    }
    for (const m of messages) {
      if (!['FATAL', 'ERROR', 'WARNING'].includes(m.severity)) continue;
      const loc = m.locations[0];
      const inside = loc ? loc.path.replace(/^.*?\.epub\//, '') : '';
      diagnostics.error('validate/epub', `EPUBCheck ${m.severity} ${m.ID}: ${m.message}${inside ? ` (${inside}${loc && loc.line > 0 ? `:${loc.line}:${loc.column}` : ''})` : ''}`, {
        file: name,
      });
    }
    if (code !== 0 && messages.length === 0) diagnostics.error('validate/epub', `EPUBCheck exited with ${code}`, { file: name });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fonts embedded, tagged, bookmarks for the contents, a sensible page count. */
export async function validatePdf(bytes: Uint8Array, name: string, pack: Pack, diagnostics: Diagnostics): Promise<void> {
  const fail = (message: string) => diagnostics.error('validate/pdf', message, { file: name });
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    fail(`not a readable PDF: ${(error as Error).message}`);
    return;
  }
  // pdf-lib reads a file without a trailer or catalog without complaint, and then has none.
  const catalog = doc.catalog as PDFDocument['catalog'] | undefined;
  if (!catalog) {
    fail('not a readable PDF: it has no document catalog');
    return;
  }
  const markInfo = catalog.lookup(PDFName.of('MarkInfo'));
  const marked = markInfo instanceof PDFDict && String(markInfo.get(PDFName.of('Marked'))) === 'true';
  if (!marked || !catalog.has(PDFName.of('StructTreeRoot'))) fail('the PDF is not tagged (no MarkInfo/Marked or StructTreeRoot)');
  const entries = pack.toc.reduce((n, e) => n + 1 + e.children.length, 0);
  const outlines = catalog.lookup(PDFName.of('Outlines'));
  const count = outlines instanceof PDFDict ? Number(String(outlines.get(PDFName.of('Count')) ?? '0')) : 0;
  if (entries > 0 && count !== entries) fail(`the PDF has ${count} bookmarks; the contents has ${entries} entries`);
  const minimumPages = 2 + pack.chapters.length; // cover, contents, at least a page per article
  if (doc.getPageCount() < minimumPages) fail(`the PDF has ${doc.getPageCount()} pages; a pack of ${pack.chapters.length} articles needs at least ${minimumPages}`);
  for (const font of unembeddedFonts(doc)) fail(`font ${font} is not embedded`);
  const articles = pack.chapters.map((c) => ({ file: c.article.file, sources: c.sources }));
  for (const problem of pdfStructureProblems(doc, articles)) {
    diagnostics.error('validate/pdf-structure', problem.file ? `${problem.message} (in ${name})` : problem.message, {
      file: problem.file ?? name,
      position: problem.position,
    });
  }
}

function unembeddedFonts(doc: PDFDocument): string[] {
  const missing = new Set<string>();
  const context = doc.context;
  const deref = (o: PDFObject | undefined) => (o instanceof PDFRef ? context.lookup(o) : o);
  for (const [, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || String(object.get(PDFName.of('Type'))) !== '/Font') continue;
    const subtype = String(object.get(PDFName.of('Subtype')));
    if (subtype === '/Type0' || subtype === '/Type3') continue; // Type0 is checked through its descendants; Type3 glyphs are inline
    let descriptor = deref(object.get(PDFName.of('FontDescriptor')));
    if (!(descriptor instanceof PDFDict)) {
      const descendants = deref(object.get(PDFName.of('DescendantFonts')));
      if (descendants instanceof PDFArray) descriptor = deref((deref(descendants.get(0)) as PDFDict | undefined)?.get(PDFName.of('FontDescriptor')));
    }
    const embedded =
      descriptor instanceof PDFDict && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => (descriptor as PDFDict).has(PDFName.of(k)));
    if (!embedded) missing.add(String(object.get(PDFName.of('BaseFont')) ?? subtype).replace(/^\//, ''));
  }
  return [...missing].sort();
}

export interface GateOptions {
  env: NodeJS.ProcessEnv;
  /** The Chromium the build printed with: Ace runs its checks in it. */
  browser: string;
  progress: (message: string) => void;
}

/** The gate over every rendered artifact; problems are added to `diagnostics`. */
export async function validateArtifacts(
  artifacts: ReadonlyArray<{ format: string; name: string; data: Uint8Array | string }>,
  pack: Pack,
  diagnostics: Diagnostics,
  options: GateOptions,
): Promise<void> {
  await Promise.all(
    artifacts.map(async (a) => {
      if (typeof a.data === 'string') return;
      if (a.format === 'pdf') await validatePdf(a.data, a.name, pack, diagnostics);
      if (a.format === 'epub') {
        const data = a.data;
        await Promise.all([
          validateEpub(data, a.name, diagnostics, options.env),
          validateEpubAccessibility(data, a.name, pack, options.browser, diagnostics, options.env).then((findings) => {
            if (!findings) options.progress('Ace by DAISY is not installed: the EPUB\'s accessibility was not checked (see briefpack doctor)');
          }),
        ]);
      }
    }),
  );
}
