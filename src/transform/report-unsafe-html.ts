/**
 * rehype plugin, run just before sanitizing: says what the sanitizer is about to drop from raw
 * HTML (scripts, frames, forms, event handlers, inline styles, javascript: links), at its line,
 * so that an author knows why pasted content looks different. (Form fields, which GitHub's schema
 * would keep as checkboxes, are removed and reported by content-model.ts.)
 */
import type { Element, Root } from 'hast';
import { SKIP, walkElements } from '../tree-walk.js';
import type { Diagnostics, RuleId } from '../diagnostics.js';
import { sanitizeSchema } from './sanitize-schema.js';

export const REMOVED_ELEMENTS: ReadonlySet<string> = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'button', 'select', 'textarea', 'style', 'link', 'meta', 'base', 'svg', 'math', 'video', 'audio', 'template', 'noscript']);

/** Elements whose tags the sanitizer drops while keeping what they hold (`<center>`, `<font>`, `<u>`). */
const KEPT_TAGS = new Set(sanitizeSchema.tagNames ?? []);

export function rehypeReportUnsafeHtml(options: { file: string; diagnostics: Diagnostics }) {
  return (tree: Root) => reportUnsafeHtml(tree, { ...options, rule: 'markdown/html', from: 'raw HTML' });
}

/**
 * Says what the sanitizer will remove from `tree`, at each place; `from` names what the HTML is.
 * `keep`: elements of the usual removed list that this sanitizer keeps (a template shell's
 * <style> and <meta>); `dataUrls`: whether data: URLs stay.
 */
export function reportUnsafeHtml(
  tree: Root,
  options: { file: string; diagnostics: Diagnostics; rule: RuleId; from: string; keep?: readonly string[]; dataUrls?: boolean },
): void {
  walkElements(tree, (node: Element) => {
    const position = node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined;
    const warn = (what: string) => options.diagnostics.warn(options.rule, `removed ${what} from ${options.from}`, { file: options.file, position });
    if (REMOVED_ELEMENTS.has(node.tagName) && !options.keep?.includes(node.tagName)) {
      warn(`<${node.tagName}>`);
      return SKIP;
    }
    if (!KEPT_TAGS.has(node.tagName) && node.position && !options.keep?.includes(node.tagName)) {
      options.diagnostics.warn(options.rule, `ignored the <${node.tagName}> tag of ${options.from}; what it holds is kept`, { file: options.file, position });
    }
    for (const [key, value] of Object.entries(node.properties)) {
      if (/^on[A-Z]/.test(key)) warn(`the ${key.toLowerCase()} attribute of <${node.tagName}>`);
      else if (key === 'style') warn(`the style attribute of <${node.tagName}>`);
      else if ((key === 'href' || key === 'src') && typeof value === 'string') {
        const scheme = /^\s*(javascript|vbscript|data):/i.exec(value)?.[1]?.toLowerCase();
        if (scheme && !(scheme === 'data' && options.dataUrls && key === 'src')) warn(`a ${scheme}: URL in <${node.tagName}>`);
      }
    }
    return undefined;
  });
}
