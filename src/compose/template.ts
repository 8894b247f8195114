/**
 * Templates are folders: HTML shells with `data-slot` elements plus CSS per medium. A pack picks
 * one by name; a folder of that name under the pack's `templates/` wins over a built-in one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { walkElements } from '../tree-walk.js';
import { BuildFailure } from '../diagnostics.js';
import { PACKAGE_ROOT } from '../package-root.js';

export const BUILTIN_TEMPLATES = path.join(PACKAGE_ROOT, 'templates');

export interface TemplateSettings {
  description: string;
  /** False for templates where articles run on (duplex blank pages then make no sense). */
  articlesStartOnNewPage: boolean;
}

export interface Template {
  name: string;
  dir: string;
  settings: TemplateSettings;
  shell(kind: 'print' | 'web'): Root;
  css(kind: 'base' | 'print' | 'web' | 'epub'): string;
}

export function builtinTemplateNames(): string[] {
  return readdirSync(BUILTIN_TEMPLATES)
    .filter((name) => existsSync(path.join(BUILTIN_TEMPLATES, name, 'print.html')))
    .sort();
}

export function loadTemplate(name: string, packRoot: string, where?: { file: string; position?: { line: number; column: number } }): Template {
  const own = path.join(packRoot, 'templates', name);
  const builtin = path.join(BUILTIN_TEMPLATES, name);
  // A pack's folder of a built-in template's name changes only the files it holds.
  const layers = [own, builtin].filter((d) => existsSync(d));
  const dir = layers.find((d) => existsSync(path.join(d, 'print.html'))) ?? (existsSync(path.join(builtin, 'print.html')) ? builtin : undefined);
  if (!dir || !/^[a-z0-9][a-z0-9_-]*$/i.test(name)) {
    throw new BuildFailure([
      {
        severity: 'error',
        rule: 'template/unknown',
        message: `unknown template "${name}"`,
        file: where?.file,
        position: where?.position,
        hint: `Built-in templates: ${builtinTemplateNames().join(', ')}; or create ${path.join('templates', name, 'print.html')} in the pack.`,
      },
    ]);
  }
  // A pack template may leave out files; it then inherits them from the built-in default.
  const read = (file: string) => {
    for (const d of [...layers, path.join(BUILTIN_TEMPLATES, 'default')]) {
      const p = path.join(d, file);
      if (existsSync(p)) return readFileSync(p, 'utf8');
    }
    return '';
  };
  const declared = read('template.json');
  const settings: TemplateSettings = {
    description: '',
    articlesStartOnNewPage: true,
    ...(declared ? (JSON.parse(declared) as Partial<TemplateSettings>) : {}),
  };
  return {
    name,
    dir,
    settings,
    shell: (kind) => fromHtml(read(`${kind}.html`)),
    css: (kind) => read(`${kind}.css`),
  };
}

/** Replace each `data-slot="name"` element's children with the given trees; keep the element. */
/** Whether the shell has an element for any of the named slots. */
export function hasAnySlot(shell: Root, names: readonly string[]): boolean {
  let found = false;
  walkElements(shell, (node: Element) => {
    if (names.includes(String(node.properties.dataSlot))) found = true;
  });
  return found;
}

/** The shell without the elements that hold the named slots (a print part with no cover or contents). */
export function withoutSlots(shell: Root, names: readonly string[]): Root {
  const tree = structuredClone(shell);
  const drop = (parent: Root | Element) => {
    parent.children = parent.children.filter((c) => !(c.type === 'element' && names.includes(String(c.properties.dataSlot))));
    for (const c of parent.children) if (c.type === 'element') drop(c);
  };
  drop(tree);
  return tree;
}

export function fillSlots(shell: Root, slots: Record<string, ElementContent[] | string>): Root {
  const tree = structuredClone(shell);
  walkElements(tree, (node: Element) => {
    const name = node.properties.dataSlot;
    if (typeof name !== 'string') return;
    delete node.properties.dataSlot;
    const value = slots[name];
    if (value === undefined) return;
    node.children = typeof value === 'string' ? [{ type: 'text', value }] : value;
  });
  return tree;
}

