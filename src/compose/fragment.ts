/**
 * Declarative HTML fragments for custom sidebar kinds, filled as trees (never by string
 * concatenation, so data is always text, never markup):
 *   data-text="path"   the element's content becomes the value at path
 *   data-each="path"   the element repeats for each item of the list at path; inside, paths are
 *                      relative to the item, and "." is the item itself
 *   data-if="path"     the element stays only when the value at path is present and not empty
 *   data-href="path"   sets href from an http(s) URL at path
 * The fragment itself is sanitized like article HTML.
 */
import type { Element, ElementContent, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { sanitize } from 'hast-util-sanitize';
import { repairContentModel } from '../transform/content-model.js';
import { validUri } from '../transform/links.js';
import type { Diagnostics } from '../diagnostics.js';
import { HtmlNesting, MAX_DEPTH, positionIn } from '../load/nesting.js';
import { reportUnsafeHtml } from '../transform/report-unsafe-html.js';
import { sanitizeSchema } from '../transform/sanitize-schema.js';

const DIRECTIVES = ['dataText', 'dataEach', 'dataIf', 'dataHref'] as const;

/**
 * The article schema, with the directives, and any class on any element: GitHub's schema lets
 * lists and links keep only classes of its own, but a kind's template is styled by its classes.
 */
const fragmentSchema = {
  ...sanitizeSchema,
  attributes: Object.fromEntries(
    Object.entries({ ...sanitizeSchema.attributes, '*': [...(sanitizeSchema.attributes?.['*'] ?? []), ...DIRECTIVES] }).map(([tag, allowed]) => [
      tag,
      allowed.map((a) => (Array.isArray(a) && a[0] === 'className' ? 'className' : a)),
    ]),
  ),
};

/**
 * The fragment as a sanitized tree, with what the sanitizer removed reported at its place, like
 * raw HTML in an article; undefined, after an error, when it nests too deep to be walked.
 */
export function parseFragment(html: string, file: string, diagnostics: Diagnostics): Root | undefined {
  const deep = new HtmlNesting().read(html);
  if (deep) {
    diagnostics.error('template/invalid', `HTML elements nested more than ${MAX_DEPTH} levels deep`, { file, position: positionIn(html, deep.offset) });
    return undefined;
  }
  const tree = fromHtml(html, { fragment: true });
  reportUnsafeHtml(tree, { file, diagnostics, rule: 'template/unsafe', from: 'the template' });
  const clean = sanitize(tree, fragmentSchema) as Root;
  // Repaired to the XHTML content model like article HTML, so that the EPUB stays valid.
  repairContentModel(clean);
  return clean;
}

function lookup(scope: unknown, path: string): unknown {
  if (path === '.' || path === '') return scope;
  return path.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), scope);
}

function present(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(asText).join(', ');
  if (typeof value === 'object') return '';
  return String(value);
}

export function fillFragment(fragment: Root, data: unknown): ElementContent[] {
  return fillChildren(fragment.children as ElementContent[], data);
}

function fillChildren(children: readonly ElementContent[], scope: unknown): ElementContent[] {
  return children.flatMap((child) => (child.type === 'element' ? fillElement(child, scope) : [structuredClone(child)]));
}

function fillElement(node: Element, scope: unknown): ElementContent[] {
  const each = node.properties.dataEach;
  if (typeof each === 'string') {
    const list = lookup(scope, each);
    if (!Array.isArray(list)) return [];
    const template: Element = { ...node, properties: { ...node.properties, dataEach: undefined } };
    return list.flatMap((item) => fillElement(template, item));
  }
  const condition = node.properties.dataIf;
  if (typeof condition === 'string' && !present(lookup(scope, condition))) return [];
  const properties = { ...node.properties };
  for (const key of DIRECTIVES) delete properties[key];
  const href = node.properties.dataHref;
  if (typeof href === 'string') {
    const url = asText(lookup(scope, href));
    const uri = /^https?:\/\//i.test(url) ? validUri(url) : undefined;
    if (uri) properties.href = uri;
  }
  const text = node.properties.dataText;
  const children: ElementContent[] =
    typeof text === 'string' ? [{ type: 'text', value: asText(lookup(scope, text)) }] : fillChildren(node.children, scope);
  return [{ type: 'element', tagName: node.tagName, properties, children }];
}
