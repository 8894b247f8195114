/** A pack of a few articles checked in memory (load, validate, transform): its chapters as HTML and what it reported. */
import type { Element, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { check } from '../../src/build.js';
import { BuildFailure, formatDiagnostic, type Diagnostic } from '../../src/diagnostics.js';
import type { Pack } from '../../src/model.js';
import { writePack } from './pack.js';

export interface Checked {
  pack: Pack;
  dir: string;
  /** Each chapter's body as HTML, by article slug. */
  html: Record<string, string>;
  diagnostics: Diagnostic[];
  /** `file:line:col severity message` lines, with the pack folder left out. */
  messages: string[];
}

/** `articles`: slug → Markdown body (front matter added); `files`: other pack files. */
export async function checkArticles(articles: Record<string, string>, files: Record<string, string | Buffer> = {}): Promise<Checked> {
  const manifest = ['title: Test Pack', 'date: 2026-01-15', 'organisation: Test Unit', 'articles:', ...Object.keys(articles).map((s) => `  - ${s}`), ''].join('\n');
  const dir = writePack({
    'pack.yaml': manifest,
    ...Object.fromEntries(Object.entries(articles).map(([slug, body]) => [`articles/${slug}.md`, `---\ntitle: ${slug}\n---\n\n${body}\n`])),
    ...files,
  });
  try {
    const { pack, diagnostics } = await check({ packDir: dir });
    return {
      pack,
      dir,
      html: Object.fromEntries(pack.chapters.map((c) => [c.article.slug, toHtml(c.tree)])),
      diagnostics,
      messages: diagnostics.map((d) => formatDiagnostic(d).split('\n')[0]!.replaceAll(`${dir}/`, '').replace(/^.*?articles\//, 'articles/')),
    };
  } catch (error) {
    if (error instanceof BuildFailure) throw new Error(error.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    throw error;
  }
}

/** Every element of a tree, with its parent, found without recursion. */
export function elementsOf(tree: Root | Element): Array<{ node: Element; parent: Root | Element }> {
  const out: Array<{ node: Element; parent: Root | Element }> = [];
  const stack: Array<Root | Element> = [tree];
  while (stack.length) {
    const parent = stack.pop()!;
    for (const c of parent.children) {
      if (c.type !== 'element') continue;
      out.push({ node: c, parent });
      stack.push(c);
    }
  }
  return out;
}
