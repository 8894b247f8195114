/**
 * rehype plugin: heading levels a screen reader can walk as an outline. People using one move
 * through a document by its headings, and a level that is skipped (`##` then `####`) reads as
 * a missing section: Ace (axe's heading-order) and PDF accessibility checkers reject it.
 *
 * - The article's title is its only level-1 heading (the chapter header prints it), so a `#`
 *   heading in the text is a section like `##`: README files start with `# name`, and many
 *   articles are written with `#` for their sections. It is in the contents like `##`.
 * - A heading more than one level below the heading it comes under is brought up to the next
 *   level, with a warning at its position, and the headings under it with it, so that what was
 *   nested stays nested and what were siblings stay siblings. It keeps the size it was written
 *   at: it gets the class `look-hN` (N its written level), which the templates style like an hN.
 *
 * Headings with no text are left alone here: rehypeAnchors leaves them out, so they count for
 * nothing. The notes section's own heading is not the author's and is left alone too.
 */
import type { Element, Root } from 'hast';
import type { Diagnostics } from '../diagnostics.js';
import { SKIP, walkElements } from '../tree-walk.js';
import { headingTitle } from './anchors.js';

export interface HeadingLevelOptions {
  file: string;
  diagnostics: Diagnostics;
}

const HEADING = /^h([1-6])$/;

export function rehypeHeadingLevels(options: HeadingLevelOptions) {
  return (tree: Root) => {
    // The headings still open, as written and as printed, innermost last; the chapter title,
    // printed above the text, is the level-1 heading every text comes under.
    const open: Array<{ written: number; printed: number }> = [{ written: 1, printed: 1 }];
    walkElements(tree, (node: Element) => {
      if (node.tagName === 'section' && node.properties.dataFootnotes !== undefined) return SKIP;
      const match = HEADING.exec(node.tagName);
      if (!match || headingTitle(node) === '') return undefined;
      const written = Number(match[1]);
      const level = Math.max(written, 2);
      while (open.at(-1)!.written >= level) open.pop();
      const parent = open.at(-1)!;
      const printed = parent.printed + 1;
      if (level > parent.written + 1) {
        options.diagnostics.warn(
          'markdown/heading',
          `heading "${shortened(headingTitle(node))}" skips a level (level ${written} under a level-${parent.written} heading): printed as a level-${printed} heading`,
          {
            file: options.file,
            position: node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined,
            hint: `Give a heading one more # than the heading it comes under (${'#'.repeat(parent.written + 1)} under ${'#'.repeat(parent.written)}); screen readers navigate by heading levels.`,
          },
        );
      }
      if (printed !== level) node.properties.className = [...classNames(node), `look-h${written}`];
      node.tagName = `h${printed}`;
      open.push({ written: level, printed });
      return undefined;
    });
  };
}

function classNames(node: Element): string[] {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : [];
}

function shortened(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
