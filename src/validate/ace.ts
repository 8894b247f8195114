/**
 * Ace by DAISY, the EPUB accessibility checker publishers use (axe-core's rules for the content
 * documents plus EPUB's own checks of the package and its accessibility metadata), as part of
 * `--validate` when it is installed. Every violation, of any impact, is an error of the gate,
 * named by Ace's rule and, where the element came from an article, the article's line.
 * It runs against the Chromium that briefpack prints with, so it needs no browser of its own.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element, Root } from 'hast';
import type { Diagnostics, Position } from '../diagnostics.js';
import type { Chapter, Pack, SourceKind, SourceOf } from '../model.js';
import { epubChapterFiles } from '../epub/epub.js';
import { epubChapterTree } from '../epub/chapter-tree.js';
import { sourceKind } from '../transform/element-sources.js';
import { EXIT, walkElements } from '../tree-walk.js';
import { ACE_INSTALL_HINT, findAce, type AceLocation } from './ace-location.js';

/** Ace's own run: its exit code, what it said, and its report (undefined if it wrote none). */
async function runAce(location: AceLocation, epub: string, outDir: string, browser: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string; report?: AceReport }> {
  const output: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(location.command, [...location.args, '--force', '--silent', '--outdir', outDir, epub], {
      env: { ...env, PUPPETEER_EXECUTABLE_PATH: browser },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  const file = path.join(outDir, 'report.json');
  const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AceReport) : undefined;
  return { code, output: output.join(''), report };
}

interface AceAssertion {
  'earl:test': { 'dct:title': string; 'earl:impact': string; 'dct:description'?: string };
  'earl:result': { 'dct:description'?: string; 'earl:pointer'?: { cfi?: string[]; css?: string[] }; html?: string };
}

interface AceReport {
  'earl:assertedBy'?: { 'doap:release'?: { 'doap:revision'?: string } };
  assertions: Array<{ 'earl:testSubject': { url: string }; assertions: AceAssertion[] }>;
}

/** One violation as the tests and the gate read it: Ace's rule and impact, where it is in the EPUB and in the pack. */
export interface AceFinding {
  rule: string;
  impact: string;
  /** The file inside the EPUB's OEBPS folder (a chapter's document, content.opf, ...). */
  document: string;
  description: string;
  /** The article the element came from, and where in it, when it came from one. */
  file?: string;
  position?: Position;
  html?: string;
}

/**
 * Ace on the EPUB's bytes; each violation becomes an error of the gate (rule `validate/ace`).
 * Returns the findings, or undefined when Ace is not installed (the gate then goes without it).
 */
export async function validateEpubAccessibility(
  bytes: Uint8Array,
  name: string,
  pack: Pack,
  browser: string,
  diagnostics: Diagnostics,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AceFinding[] | undefined> {
  const search = findAce(env);
  if (!search.found) {
    if (search.problem) diagnostics.error('validate/tool', search.problem, { hint: `Unset it, or install Ace: ${ACE_INSTALL_HINT}.` });
    return undefined;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'briefpack-ace-'));
  try {
    const epub = path.join(dir, name);
    writeFileSync(epub, bytes);
    const run = await runAce(search.found, epub, path.join(dir, 'report'), browser, env).catch((error: Error) => {
      diagnostics.error('validate/tool', `could not run Ace (${search.found.path}): ${error.message}`, { hint: `Reinstall it: ${ACE_INSTALL_HINT}.` });
      return undefined;
    });
    if (!run) return undefined;
    if (!run.report) {
      const said = run.output.trim().split('\n').slice(-5).join('\n');
      diagnostics.error('validate/tool', `Ace (${search.found.path}) exited with ${run.code} and wrote no report${said ? `:\n${said}` : ''}`, {
        hint: `Check that it runs (briefpack doctor), or reinstall it: ${ACE_INSTALL_HINT}.`,
      });
      return undefined;
    }
    const findings = aceFindings(run.report, pack);
    for (const f of findings) {
      const where = f.file ? '' : ` (${f.document} in ${name})`;
      diagnostics.error('validate/ace', `Ace ${f.rule} (${f.impact}): ${f.description}${where}${f.html ? `: ${f.html}` : ''}`, {
        file: f.file ?? name,
        position: f.position,
      });
    }
    return findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Ace's violations, each traced back to the article and line its element came from where it can be. */
export function aceFindings(report: AceReport, pack: Pack): AceFinding[] {
  const files = epubChapterFiles(pack.chapters);
  const chapterOf = new Map(files.map((file, i) => [file, pack.chapters[i]!]));
  const trees = new Map<Chapter, Root>();
  const findings: AceFinding[] = [];
  for (const subject of report.assertions) {
    const document = subject['earl:testSubject'].url.replace(/^\/?OEBPS\//, '');
    for (const assertion of subject.assertions) {
      const test = assertion['earl:test'];
      const result = assertion['earl:result'];
      const finding: AceFinding = {
        rule: test['dct:title'],
        impact: test['earl:impact'],
        document,
        description: (test['dct:description'] ?? result['dct:description'] ?? '').split('\n')[0]!,
        html: result.html ? shortened(result.html.replace(/ xmlns(:\w+)?="[^"]*"/g, '')) : undefined,
      };
      const chapter = chapterOf.get(document);
      const cfi = result['earl:pointer']?.cfi?.[0];
      if (chapter) {
        finding.file = chapter.article.file;
        if (cfi) {
          let tree = trees.get(chapter);
          if (!tree) trees.set(chapter, (tree = epubChapterTree(chapter.tree, (src) => src)));
          const source = elementSource(chapter, tree, cfi);
          finding.file = source?.file ?? chapter.article.file;
          finding.position = source?.position;
        }
      }
      findings.push(finding);
    }
  }
  return findings;
}

/**
 * Where the element an EPUB CFI points at was written (`/4/2[id]/4/6/2`: even steps count
 * element children, the first step is the body, whose children are the chapter tree's root's):
 * that element's line, or that of the heading, image or table that holds it, or else that of
 * the heading it comes under.
 */
export function elementSource(chapter: Chapter, tree: Root, cfi: string): SourceOf | undefined {
  const steps = cfi
    .replace(/\[[^\]]*\]/g, '')
    .split('/')
    .filter(Boolean)
    .map(Number);
  if (steps[0] !== 4 || steps.some((s) => !Number.isInteger(s) || s % 2 !== 0)) return undefined;
  const path: Element[] = [];
  let parent: Root | Element = tree;
  for (const step of steps.slice(1)) {
    const elements: Element[] = (parent.children as Array<Root['children'][number]>).filter((c): c is Element => c.type === 'element');
    const child: Element | undefined = elements[step / 2 - 1];
    if (!child) break;
    path.push(child);
    parent = child;
  }
  const target = path.at(-1);
  if (!target) return undefined;

  // Which heading, image or table each element on the way is, counted in document order.
  const counted = new Map<Element, { kind: SourceKind; index: number }>();
  const counts: Record<SourceKind, number> = { headings: 0, images: 0, tables: 0 };
  walkElements(tree, (node) => {
    const kind = sourceKind(node);
    if (kind) counted.set(node, { kind, index: counts[kind]++ });
    return node === target ? EXIT : undefined;
  });
  for (let i = path.length - 1; i >= 0; i--) {
    const hit = counted.get(path[i]!);
    if (hit) return chapter.sources[hit.kind][hit.index];
  }
  // None holds it: the heading it comes under (the last one before it).
  return counts.headings > 0 ? chapter.sources.headings[counts.headings - 1] : undefined;
}

function shortened(text: string): string {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
