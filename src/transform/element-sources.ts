/**
 * Where a chapter's headings, images and tables were written, in document order. Positions leave
 * the chapter's tree once it is made (see chapter.ts), but the checks of the rendered PDF and
 * EPUB find their faults in exactly these elements, long after: the k-th figure of an article in
 * the PDF's structure tree is its k-th image, and so on. This record lets them name the line.
 */
import type { Element, Root } from 'hast';
import type { Position } from '../diagnostics.js';
import { walkElements } from '../tree-walk.js';
import { hasHeaderCell } from './table-headers.js';

export type SourceKind = 'headings' | 'images' | 'tables';

export interface ElementSources {
  /** Every heading, the chapter title first (which comes from the front matter: no position). */
  headings: Array<{ level: number; position?: Position }>;
  /** Every image, and whether it has alt text. */
  images: Array<{ alt: boolean; position?: Position }>;
  /** Every table, and whether it has a header cell. */
  tables: Array<{ header: boolean; position?: Position }>;
}

const HEADING = /^h([1-6])$/;

/** Which list of ElementSources an element belongs in, if any. */
export function sourceKind(node: Element): SourceKind | undefined {
  if (HEADING.test(node.tagName)) return 'headings';
  if (node.tagName === 'img') return 'images';
  if (node.tagName === 'table') return 'tables';
  return undefined;
}

/** The record, from the chapter's final tree while it still has its positions. */
export function elementSources(tree: Root): ElementSources {
  const sources: ElementSources = { headings: [], images: [], tables: [] };
  walkElements(tree, (node) => {
    const kind = sourceKind(node);
    if (!kind) return;
    const start = node.position?.start;
    const position = start ? { line: start.line, column: start.column } : undefined;
    if (kind === 'headings') sources.headings.push({ level: Number(HEADING.exec(node.tagName)![1]), position });
    else if (kind === 'images') sources.images.push({ alt: typeof node.properties.alt === 'string' && node.properties.alt.trim() !== '', position });
    else sources.tables.push({ header: hasHeaderCell(node), position });
  });
  return sources;
}
