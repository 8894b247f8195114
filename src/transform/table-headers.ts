/**
 * rehype plugin: tables whose header cells say what their columns are. A screen reader names a
 * cell's column by its header cell; an empty header cell names nothing, and Ace (axe's
 * empty-table-header) rejects it.
 *
 * - A header row with nothing in any cell (`| | |` in Markdown, how tables without a header are
 *   written there) is no header row: it is left out.
 * - An empty header cell in a row that has others (the corner of a table with row labels) is an
 *   ordinary cell.
 * - A table that is left with no header cell at all is kept as it is, with a warning at its
 *   position: briefpack cannot know what its columns are. `--validate` rejects it (the PDF's
 *   structure check finds a table without header cells).
 */
import type { Element, Root } from 'hast';
import type { Diagnostics } from '../diagnostics.js';
import { walkElements } from '../tree-walk.js';
// What an element shows: its text and the alt text of its images.
import { headingTitle as shownText } from './anchors.js';

export interface TableHeaderOptions {
  file: string;
  diagnostics: Diagnostics;
}

export function rehypeTableHeaders(options: TableHeaderOptions) {
  return (tree: Root) => {
    walkElements(tree, (node: Element) => {
      if (node.tagName !== 'table') return undefined;
      withoutEmptyHeaders(node);
      if (!hasHeaderCell(node)) {
        options.diagnostics.warn('markdown/table', 'table has no header row: screen readers cannot say which column a cell is in', {
          file: options.file,
          position: node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined,
        });
      }
      // A table inside a cell is walked on its own.
      return undefined;
    });
  };
}

/** The table's own rows: in its sections or straight under it, not those of tables inside its cells. */
function rowsOf(table: Element): Array<{ row: Element; parent: Element }> {
  const rows: Array<{ row: Element; parent: Element }> = [];
  for (const child of table.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'tr') rows.push({ row: child, parent: table });
    else if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) {
      for (const row of child.children) if (row.type === 'element' && row.tagName === 'tr') rows.push({ row, parent: child });
    }
  }
  return rows;
}

function cellsOf(row: Element): Element[] {
  return row.children.filter((c): c is Element => c.type === 'element' && (c.tagName === 'th' || c.tagName === 'td'));
}

function withoutEmptyHeaders(table: Element): void {
  const rows = rowsOf(table);
  for (const { row, parent } of rows) {
    const cells = cellsOf(row);
    const headers = cells.filter((c) => c.tagName === 'th');
    if (headers.length === 0) continue;
    if (rows.length > 1 && cells.every((c) => shownText(c) === '')) {
      parent.children = parent.children.filter((c) => c !== row);
      continue;
    }
    for (const cell of headers) {
      if (shownText(cell) !== '') continue;
      cell.tagName = 'td';
      delete cell.properties.scope;
      delete cell.properties.abbr;
    }
  }
  // A head left with no row would be an empty <thead>, which XHTML does not allow.
  table.children = table.children.filter((c) => !(c.type === 'element' && c.tagName === 'thead' && !c.children.some((r) => r.type === 'element')));
}

/** Whether a table has a header cell in its own rows. */
export function hasHeaderCell(table: Element): boolean {
  return rowsOf(table).some(({ row }) => cellsOf(row).some((c) => c.tagName === 'th'));
}
