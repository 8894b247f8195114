/**
 * The rooms of src/ stay rooms: no module imports itself back through others (a cycle ties
 * every module on it into one, whatever folders they sit in), the PDF toolkit in src/pdf/ knows
 * only PDF, and the rooms of the render stage (README.md's map of src/) keep to their own job. Imports are read by TypeScript's own pre-processor, so an import written in a
 * comment or a string is not one; type-only imports count, since a cycle of types is a cycle of
 * knowledge all the same.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

const SRC = path.resolve('src');
const PDF = path.join(SRC, 'pdf');

interface ImportGraph {
  /** Every .ts file under the root, to the files it imports (static, re-exported or dynamic). */
  edges: Map<string, string[]>;
  /** Relative imports that name no file: the graph would miss their edges. */
  unresolved: string[];
}

function tsFiles(root: string): string[] {
  const files: string[] = [];
  const folders = [root];
  for (let dir = folders.pop(); dir !== undefined; dir = folders.pop()) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) folders.push(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  }
  return files.sort();
}

/** An ESM specifier as written (`./pdf/file.js`) to the TypeScript file it names. */
function resolveImport(from: string, specifier: string, files: Set<string>): string | undefined {
  const target = path.resolve(path.dirname(from), specifier);
  for (const candidate of [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, path.join(target, 'index.ts')]) {
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}

function importGraph(root: string): ImportGraph {
  const files = tsFiles(root);
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveImport(file, fileName, known);
      if (target) targets.add(target);
      else unresolved.push(`${path.relative(root, file)}: ${fileName}`);
    }
    edges.set(file, [...targets].sort());
  }
  return { edges, unresolved };
}

/** One cycle, as the files on it in import order (the first repeated at the end), or undefined. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  for (const start of edges.keys()) {
    if (done.has(start)) continue;
    // Depth-first with an explicit stack: the path from `start` to the file being read.
    const onPath = new Set<string>([start]);
    const stack: Array<{ file: string; next: number }> = [{ file: start, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const target = edges.get(top.file)![top.next++];
      if (target === undefined) {
        stack.pop();
        onPath.delete(top.file);
        done.add(top.file);
      } else if (onPath.has(target)) {
        const from = stack.findIndex((s) => s.file === target);
        return [...stack.slice(from).map((s) => s.file), target];
      } else if (!done.has(target)) {
        onPath.add(target);
        stack.push({ file: target, next: 0 });
      }
    }
  }
  return undefined;
}

const named = (root: string, cycle: string[] | undefined) => cycle?.map((f) => path.relative(root, f)).join(' -> ');

describe('the import graph of src/', () => {
  const graph = importGraph(SRC);

  it('is read whole: every relative import names a file', () => {
    expect(graph.edges.size).toBeGreaterThan(100);
    expect(graph.unresolved).toEqual([]);
  });

  it('has no cycle', () => {
    expect(named(SRC, findCycle(graph.edges))).toBeUndefined();
  });

  it('keeps the PDF toolkit to itself: src/pdf/ imports nothing of briefpack outside it', () => {
    const pdfFiles = [...graph.edges.keys()].filter((f) => f.startsWith(PDF + path.sep));
    expect(pdfFiles.length).toBeGreaterThan(5);
    const leaving = pdfFiles.flatMap((f) => graph.edges.get(f)!.filter((t) => !t.startsWith(PDF + path.sep)).map((t) => `${path.relative(SRC, f)} imports ${path.relative(SRC, t)}`));
    expect(leaving).toEqual([]);
  });

  it('keeps the rooms of the render stage apart: Chromium knows no output format, and no format knows another', () => {
    // Room -> rooms it must not import. render/ joins them all; only the pipeline calls it.
    const apart: Record<string, string[]> = {
      chromium: ['pdf', 'print', 'epub', 'html', 'render'],
      print: ['epub', 'html', 'render'],
      epub: ['pdf', 'print', 'html', 'render'],
      html: ['pdf', 'print', 'epub', 'chromium', 'render'],
    };
    const room = (f: string) => path.relative(SRC, f).split(path.sep)[0]!;
    const crossing: string[] = [];
    for (const [file, targets] of graph.edges) {
      const banned = apart[room(file)] ?? [];
      for (const t of targets) if (banned.includes(room(t))) crossing.push(`${path.relative(SRC, file)} imports ${path.relative(SRC, t)}`);
    }
    expect(Object.keys(apart).every((r) => [...graph.edges.keys()].some((f) => room(f) === r))).toBe(true);
    expect(crossing).toEqual([]);
  });

  it('finds a cycle however it is written: a type import, a re-export, a dynamic import', () => {
    const root = tempDir('briefpack-cycles-');
    mkdirSync(path.join(root, 'a'));
    mkdirSync(path.join(root, 'b'));
    const write = (file: string, text: string) => writeFileSync(path.join(root, file), text);
    write('a/one.ts', "import type { Two } from '../b/two.js';\n// import { nothing } from './three.js';\nexport type One = Two;\n");
    write('b/two.ts', "export { three } from '../a/three.js';\nexport type Two = number;\n");
    write('a/three.ts', "export const three = () => import('./one.js');\nconst s = \"import x from './missing.js'\";\n");
    write('a/free.ts', "import { three } from './three.js';\nexport const free = three;\n");
    const planted = importGraph(root);
    expect(planted.unresolved).toEqual([]);
    expect(named(root, findCycle(planted.edges))).toBe('a/three.ts -> a/one.ts -> b/two.ts -> a/three.ts');
    // Without the dynamic import, the same files hold no cycle.
    write('a/three.ts', 'export const three = () => 3;\n');
    expect(findCycle(importGraph(root).edges)).toBeUndefined();
  });
});
