/**
 * Where in its article each block of a chapter began, kept after the tree's own positions are
 * dropped: print measures the laid-out page and reports what runs off it at its source line.
 * A side table rather than attributes, so that no output carries it: the positions of the
 * elements `POSITIONED` selects, in document order, as the page finds them with
 * `querySelectorAll(POSITIONED)` in the chapter's element.
 */
import type { Root } from 'hast';
import { walkElements } from '../tree-walk.js';

export const POSITIONED_TAGS = ['table', 'pre', 'img', 'p', 'li', 'dt', 'dd', 'blockquote', 'figure', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;
export const POSITIONED = POSITIONED_TAGS.join(', ');

const positioned: ReadonlySet<string> = new Set(POSITIONED_TAGS);

/** Line and column of each positioned element, two numbers each (0, 0 where it has none: a sidebar, the chapter's header). */
export function sourcePositions(tree: Root): number[] {
  const out: number[] = [];
  walkElements(tree, (node) => {
    if (!positioned.has(node.tagName)) return;
    const start = node.position?.start;
    out.push(start?.line ?? 0, start?.column ?? 0);
  });
  return out;
}
