/**
 * Where a chapter's headings, images and tables were written, in document order. Positions leave
 * the chapter's tree once it is made (see chapter.ts), but the checks of the rendered PDF and
 * EPUB find their faults in exactly these elements, long after: the k-th figure of an article in
 * the PDF's structure tree is its k-th image, and so on. This record lets them name the line.
 * Its shapes are the model's (model.ts): every stage reads them, and the model imports no stage.
 */
import type { Element, Root } from 'hast';
import type { ElementSources, Sidebar, SourceKind, SourceOf } from '../model.js';
import { walkElements } from '../tree-walk.js';
import { hasHeaderCell } from './table-headers.js';

const HEADING = /^h([1-6])$/;

/** Which list of ElementSources an element belongs in, if any. */
export function sourceKind(node: Element): SourceKind | undefined {
  if (HEADING.test(node.tagName)) return 'headings';
  if (node.tagName === 'img') return 'images';
  if (node.tagName === 'table') return 'tables';
  return undefined;
}

/**
 * The record, from the chapter's final tree while it still has its positions. `sidebars`: the
 * sidebars placed in it, by their element: what is inside one was written in the sidebar's file.
 */
export function elementSources(tree: Root, sidebars: ReadonlyMap<Element, Sidebar> = new Map()): ElementSources {
  const sources: ElementSources = { headings: [], images: [], tables: [] };
  // The sidebar each element is in, if any, found as the walk enters its element.
  const inside = new Map<Element, Sidebar>();
  walkElements(tree, (node, _index, parent) => {
    const sidebar = sidebars.get(node) ?? (parent.type === 'element' ? inside.get(parent) : undefined);
    if (sidebar) inside.set(node, sidebar);
    const kind = sourceKind(node);
    if (!kind) return;
    const start = node.position?.start;
    const where: SourceOf = sidebar
      ? { file: sidebar.file, position: sidebar.position }
      : start
        ? { position: { line: start.line, column: start.column } }
        : {};
    if (kind === 'headings') sources.headings.push({ level: Number(HEADING.exec(node.tagName)![1]), ...where });
    else if (kind === 'images') sources.images.push({ alt: typeof node.properties.alt === 'string' && node.properties.alt.trim() !== '', ...where });
    else sources.tables.push({ header: hasHeaderCell(node), ...where });
  });
  return sources;
}
