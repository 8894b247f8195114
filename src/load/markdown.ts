/**
 * The Markdown reader: CommonMark + GFM (tables, footnotes, strikethrough, task lists, literal
 * autolinks) + directives + front matter.
 *
 * Two parts of GFM cost more than all of CommonMark: the table construct is tried at the start
 * of every paragraph, and the literal-autolink construct at every letter and then on every text
 * node. A text that cannot hold a table or a literal autolink is read without them, in less than
 * half the time (150 generated articles of prose: 414 -> 180 ms); the tree is the same, positions
 * included (a test reads texts both ways).
 */
import type { Root } from 'mdast';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { combineExtensions } from 'micromark-util-combine-extensions';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';

export interface GfmParts {
  tables: boolean;
  autolinks: boolean;
}

/** The parts of GFM a text may use: false only where the text cannot hold one. */
export function gfmPartsFor(text: string): GfmParts {
  return { tables: mayHoldTable(text), autolinks: mayHoldAutolink(text) };
}

/**
 * A table needs a delimiter row: after any blockquote markers and indentation, a line of hyphens,
 * colons, pipes and blanks, with a pipe or a colon (hyphens alone underline a heading).
 */
function mayHoldTable(text: string): boolean {
  return text.split(/\r\n|\r|\n/).some((line) => line.includes('-') && (line.includes('|') || line.includes(':')) && isDelimiterRowShaped(line));
}

/**
 * Whether a line is blockquote markers and blanks, then only blanks, pipes, colons and hyphens,
 * in one pass. (The regular expression it replaces, /^[ \t>]*[ \t|:-]*$/, tried every way of
 * sharing a run of blanks between its two parts: 19 s on a line of 200,000 spaces.)
 */
function isDelimiterRowShaped(line: string): boolean {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t' || line[i] === '>')) i++;
  for (; i < line.length; i++) {
    const c = line[i];
    if (c !== ' ' && c !== '\t' && c !== '|' && c !== ':' && c !== '-') return false;
  }
  return true;
}

/**
 * A literal autolink starts with "www.", "http://" or "https://", or holds an "@". A backslash
 * escape cannot make letters, and a character reference, which can, starts with "&".
 */
function mayHoldAutolink(text: string): boolean {
  return /[@&]|www|http/i.test(text);
}

function remarkGfmParts(this: Processor, parts: GfmParts): void {
  const data = this.data();
  // In the order remark-gfm adds them, which decides which construct wins where two could start.
  (data.micromarkExtensions ??= []).push(
    combineExtensions([
      ...(parts.autolinks ? [gfmAutolinkLiteral()] : []),
      gfmFootnote(),
      gfmStrikethrough(),
      ...(parts.tables ? [gfmTable()] : []),
      gfmTaskListItem(),
    ]),
  );
  (data.fromMarkdownExtensions ??= []).push([
    ...(parts.autolinks ? [gfmAutolinkLiteralFromMarkdown()] : []),
    gfmFootnoteFromMarkdown(),
    gfmStrikethroughFromMarkdown(),
    ...(parts.tables ? [gfmTableFromMarkdown()] : []),
    gfmTaskListItemFromMarkdown(),
  ]);
}

const parsers = new Map<string, ReturnType<typeof readerWith>>();

function readerWith(parts: GfmParts) {
  return unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfmParts, parts).use(remarkDirective);
}

/** `parts` overrides what the text is read with (tests compare both ways of reading). */
export function parseMarkdown(text: string, parts: GfmParts = gfmPartsFor(text)): Root {
  const key = `${parts.tables}${parts.autolinks}`;
  let parser = parsers.get(key);
  if (!parser) {
    parser = readerWith(parts);
    parsers.set(key, parser);
  }
  return parser.runSync(parser.parse(text)) as Root;
}
