/**
 * Templates are folders: HTML shells with `data-slot` elements plus CSS per medium. A pack picks
 * one by name; a folder of that name under the pack's `templates/` wins over a built-in one.
 *
 * A pack's template is the pack's input like its articles: every file is read once, as
 * load/pack-file.ts reads pack files, when the template is loaded; and what reaches the HTML page and
 * the EPUB (web.html, base.css, web.css, epub.css) is held to the rules of article HTML (see
 * safe-shell.ts and safe-css.ts). The print side is sealed off while it renders (every request
 * outside the pack is blocked), so print.html and print.css are used as written.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { walkElements } from '../tree-walk.js';
import { BuildFailure, Diagnostics, type Diagnostic } from '../diagnostics.js';
import { displayPath } from '../io.js';
import { HtmlNesting, MAX_DEPTH, positionIn } from '../load/nesting.js';
import { isProblem, packFolder, readPackFile, SIZE_LIMITS, type SizeLimit } from '../load/pack-file.js';
import { decodeSource } from '../load/text.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { safeCss } from './safe-css.js';
import { safeShell } from './safe-shell.js';

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
  /** The pack's own template files as read (absolute path, SHA-256 of the bytes): inputs of the build. */
  files: ReadonlyMap<string, string>;
}

export function builtinTemplateNames(): string[] {
  return readdirSync(BUILTIN_TEMPLATES)
    .filter((name) => existsSync(path.join(BUILTIN_TEMPLATES, name, 'print.html')))
    .sort();
}

const FILES = ['print.html', 'web.html', 'base.css', 'print.css', 'web.css', 'epub.css', 'template.json'] as const;
type TemplateFile = (typeof FILES)[number];

function limitOf(file: TemplateFile): SizeLimit {
  if (file.endsWith('.html')) return SIZE_LIMITS.templateHtml;
  if (file.endsWith('.css')) return SIZE_LIMITS.templateCss;
  return SIZE_LIMITS.templateSettings;
}

/**
 * `where` is what named the template (pack.yaml), for an unknown one. Problems with a pack
 * template's files are errors and throw; what its HTML and CSS lose to the rules is warned about
 * in `diagnostics`.
 */
export function loadTemplate(
  name: string,
  packRoot: string,
  where?: { file: string; position?: { line: number; column: number } },
  diagnostics: Diagnostics = new Diagnostics(),
): Template {
  const unknown = (): BuildFailure =>
    new BuildFailure([
      {
        severity: 'error',
        rule: 'template/unknown',
        message: `unknown template "${name}"`,
        file: where?.file,
        position: where?.position,
        hint: `Built-in templates: ${builtinTemplateNames().join(', ')}; or create ${path.join('templates', name, 'print.html')} in the pack.`,
      },
    ]);
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) throw unknown();
  const packDir = path.join(packRoot, 'templates', name);
  const folder = packFolder(packRoot, packDir);
  if (folder && 'outside' in folder) {
    throw new BuildFailure([
      { severity: 'error', rule: 'file/outside-pack', message: `templates/${name} is a link to a folder outside the pack folder`, file: displayPath(packDir) },
    ]);
  }
  const problems: Diagnostic[] = [];
  /** A file of the pack's template: its text, undefined when the template leaves it out. */
  const files = new Map<string, string>();
  const fromPack = (file: TemplateFile): { text: string; display: string } | undefined => {
    if (!folder) return undefined;
    const read = readPackFile(packRoot, path.join(packDir, file), limitOf(file));
    if (isProblem(read)) {
      if (!read.missing) problems.push(read.problem);
      return undefined;
    }
    const reported = new Diagnostics();
    const source = decodeSource(read.path, read.display, read.bytes, reported);
    problems.push(...reported.errors);
    diagnostics.addAll(reported.warnings);
    if (!source) return undefined;
    files.set(source.path, source.sha256);
    return { text: source.text, display: source.display };
  };
  const own = folder ? Object.fromEntries(FILES.map((file) => [file, fromPack(file)])) as Record<TemplateFile, { text: string; display: string } | undefined> : undefined;
  if (problems.length > 0) throw new BuildFailure(problems);
  const builtinDir = path.join(BUILTIN_TEMPLATES, name);
  const builtinExists = existsSync(path.join(builtinDir, 'print.html'));
  // A pack's folder is the template when it has its own print.html; one of a built-in template's
  // name may also change only some of its files, and takes the rest from the built-in one.
  const mine = (file: TemplateFile) => (own?.['print.html'] !== undefined || builtinExists ? own?.[file] : undefined);
  const isPack = FILES.some((file) => mine(file) !== undefined);
  if (own?.['print.html'] === undefined && !builtinExists) throw unknown();
  const dir = isPack ? packDir : builtinDir;
  // What a template leaves out comes from the built-in template of its name, then the default. Built-in files are briefpack's own.
  const builtin = (file: TemplateFile): string => {
    for (const d of [...(builtinExists ? [builtinDir] : []), path.join(BUILTIN_TEMPLATES, 'default')]) {
      const p = path.join(d, file);
      if (existsSync(p)) return readFileSync(p, 'utf8');
    }
    return '';
  };
  const rule = 'template/unsafe' as const;
  const text = (file: TemplateFile): string => mine(file)?.text ?? builtin(file);
  const reaching = (file: 'base.css' | 'web.css' | 'epub.css'): string => {
    const own = mine(file);
    return own ? safeCss(own.text, { file: own.display, diagnostics, rule }) : builtin(file);
  };
  const settings = templateSettings(mine('template.json'), builtin('template.json'));
  const print = shellTree(mine('print.html'), builtin('print.html'));
  const webOwn = mine('web.html');
  const web = webOwn ? safeShell(shellTree(webOwn, ''), webOwn.display, diagnostics, rule) : shellTree(undefined, builtin('web.html'));
  const css = { base: reaching('base.css'), print: text('print.css'), web: reaching('web.css'), epub: reaching('epub.css') };
  return {
    name,
    dir,
    settings,
    shell: (kind) => structuredClone(kind === 'print' ? print : web),
    css: (kind) => css[kind],
    // Only the pack's files that are used: a folder that is not a template gave nothing.
    files: isPack ? files : new Map(),
  };
}

/** A shell as a tree, after checking it does not nest deeper than the tree walkers can go. */
function shellTree(own: { text: string; display: string } | undefined, builtin: string): Root {
  if (!own) return fromHtml(builtin);
  const deep = new HtmlNesting().read(own.text);
  if (deep) {
    throw new BuildFailure([
      {
        severity: 'error',
        rule: 'template/invalid',
        message: `HTML elements nested more than ${MAX_DEPTH} levels deep`,
        file: own.display,
        position: positionIn(own.text, deep.offset),
      },
    ]);
  }
  return fromHtml(own.text);
}

function templateSettings(own: { text: string; display: string } | undefined, builtin: string): TemplateSettings {
  const defaults: TemplateSettings = { description: '', articlesStartOnNewPage: true };
  if (!own) return { ...defaults, ...(builtin ? (JSON.parse(builtin) as Partial<TemplateSettings>) : {}) };
  let declared: unknown;
  try {
    declared = JSON.parse(own.text);
  } catch (error) {
    throw new BuildFailure([
      { severity: 'error', rule: 'template/invalid', message: `template.json is not valid JSON: ${(error as Error).message}`, file: own.display, position: { line: 1, column: 1 } },
    ]);
  }
  const settings = declared as Partial<Record<keyof TemplateSettings, unknown>>;
  if (
    typeof declared !== 'object' ||
    declared === null ||
    Array.isArray(declared) ||
    (settings.description !== undefined && typeof settings.description !== 'string') ||
    (settings.articlesStartOnNewPage !== undefined && typeof settings.articlesStartOnNewPage !== 'boolean')
  ) {
    throw new BuildFailure([
      {
        severity: 'error',
        rule: 'template/invalid',
        message: 'template.json must be an object with an optional "description" (text) and "articlesStartOnNewPage" (true or false)',
        file: own.display,
        position: { line: 1, column: 1 },
      },
    ]);
  }
  return { ...defaults, ...(declared as Partial<TemplateSettings>) };
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

