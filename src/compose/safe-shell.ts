/**
 * A pack template's HTML shell for the web page, held to the rules of article HTML: no scripts,
 * event handlers, frames, forms, embedded objects or refreshes, no `style` attributes, nothing
 * loaded from anywhere (a `src` other than a data: URL, a `<link>`, a remote URL in a `<style>`),
 * links only to http(s), mailto and places in the page. What is removed is reported at its line.
 * The shell keeps what a shell is for: the document, its head, and elements with `data-slot`.
 */
import type { Element, Root } from 'hast';
import { sanitize, type Schema } from 'hast-util-sanitize';
import type { Diagnostics, RuleId } from '../diagnostics.js';
import { SKIP, walkElements } from '../tree-walk.js';
import { REMOVED_ELEMENTS, reportUnsafeHtml } from '../transform/report-unsafe-html.js';
import { sanitizeSchema } from '../transform/sanitize-schema.js';
import { safeCss } from './safe-css.js';

const SHELL_ELEMENTS = ['html', 'head', 'body', 'title', 'meta', 'style', 'header', 'footer', 'main', 'nav', 'section', 'article', 'aside'];

const shellSchema: Schema = {
  ...sanitizeSchema,
  allowDoctypes: true,
  // A shell's <title> and <style> are its own (the slots fill them); scripts still go with their text.
  strip: (sanitizeSchema.strip ?? []).filter((name) => name !== 'title' && name !== 'style'),
  // No form controls at all: article HTML keeps a disabled checkbox for task lists, a shell needs none.
  tagNames: [...new Set([...(sanitizeSchema.tagNames ?? []), ...SHELL_ELEMENTS])].filter((name) => name !== 'input'),
  attributes: {
    ...sanitizeSchema.attributes,
    meta: ['charSet', 'name', 'content'],
    style: ['dataSlot', 'media'],
    '*': [...(sanitizeSchema.attributes?.['*'] ?? []), 'dataSlot', 'role', 'ariaLabel', 'ariaHidden'],
  },
  protocols: {
    ...sanitizeSchema.protocols,
    href: ['http', 'https', 'mailto'],
    src: ['data'],
  },
};

/** Attributes whose value is a URL that a browser or reader loads (or sends something to) by itself. */
const LOADING_ATTRIBUTES = ['src', 'srcSet', 'poster', 'background', 'data', 'codeBase', 'action', 'formAction', 'ping', 'longDesc', 'cite', 'xLinkHref'];

export function safeShell(tree: Root, file: string, diagnostics: Diagnostics, rule: RuleId): Root {
  walkElements(tree, (node: Element, index, parent) => {
    const position = node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined;
    const warn = (message: string) => diagnostics.warn(rule, message, { file, position });
    // Reported, with all it holds, by reportUnsafeHtml below.
    if (REMOVED_ELEMENTS.has(node.tagName) && !SHELL_ELEMENTS.includes(node.tagName)) return SKIP;
    if (node.tagName === 'style') {
      const text = node.children.find((c) => c.type === 'text');
      if (text && text.type === 'text') {
        text.value = safeCss(text.value, { file, start: text.position?.start, diagnostics, rule });
      }
      return SKIP;
    }
    if (node.tagName === 'meta' && node.properties.httpEquiv !== undefined) {
      warn('removed <meta http-equiv> from the template: a shell may not refresh, redirect or set policies');
      parent.children.splice(index, 1);
      return index;
    }
    for (const key of LOADING_ATTRIBUTES) {
      const value = node.properties[key];
      if (value === undefined || value === null || (typeof value === 'string' && /^\s*data:/i.test(value))) continue;
      warn(`removed the ${key.toLowerCase()} attribute of <${node.tagName}> from the template: only data: URLs may be loaded`);
      delete node.properties[key];
    }
    const href = node.properties.href;
    if (typeof href === 'string' && /^\s*\/\//.test(href)) {
      // Protocol-relative: the sanitizer would take it for a path.
      warn(`removed the href attribute of <${node.tagName}> from the template: write the scheme (https:)`);
      delete node.properties.href;
    }
    return undefined;
  });
  reportUnsafeHtml(tree, { file, diagnostics, rule, from: 'the template', keep: SHELL_ELEMENTS, dataUrls: true });
  return sanitize(tree, shellSchema) as Root;
}
