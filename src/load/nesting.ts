/**
 * How deep a text nests, measured without the parsers that would choke on it. Parsers and tree
 * walkers recurse, or work in proportion to the depth on every line: 3,000 nested `>` overflowed
 * the stack, a line of 10,000 list markers took Markdown's reader 90 s. A document nested 1,000
 * deep still went through every stage (2,000 did not), and Chromium's HTML parser stops nesting
 * at 512; so deeper than 500 is refused, with the position where the text passes that depth.
 */
import type { Nodes as MdastNodes, Root as MdastRoot } from 'mdast';

/** The deepest nesting accepted in an article (Markdown and HTML together) or an HTML fragment. */
export const MAX_DEPTH = 500;

/** The deepest nesting accepted in YAML or JSON data: sidebars and schemas nest a handful of levels. */
export const MAX_DATA_DEPTH = 100;

export interface DeepAt {
  /** 0-based offset into the text. */
  offset: number;
  depth: number;
}

/**
 * Block containers opened at the start of each line (`>`, list markers, as in `> - > 1. text`):
 * Markdown's reader does work in the square of their number on every line, so they are counted
 * before it reads anything.
 */
export function deepLinePrefix(text: string, limit = MAX_DEPTH): DeepAt | undefined {
  let lineStart = 0;
  while (lineStart < text.length) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    let i = lineStart;
    let depth = 0;
    for (;;) {
      let spaces = 0;
      while (i < end && (text[i] === ' ' || text[i] === '\t') && spaces < 4) {
        i++;
        spaces++;
      }
      const marker = i;
      const c = text[i];
      if (c === '>') {
        i++;
      } else if ((c === '-' || c === '*' || c === '+') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        i += 2;
      } else if (c !== undefined && c >= '0' && c <= '9') {
        let k = i;
        while (k < end && k - i < 9 && text[k]! >= '0' && text[k]! <= '9') k++;
        if ((text[k] === '.' || text[k] === ')') && (text[k + 1] === ' ' || text[k + 1] === '\t')) i = k + 2;
        else break;
      } else {
        break;
      }
      if (++depth > limit) return { offset: marker, depth };
    }
    lineStart = end + 1;
  }
  return undefined;
}

/** The first node of a Markdown tree deeper than `limit`, found without recursion. */
export function deepMarkdownNode(tree: MdastRoot, limit = MAX_DEPTH): { node: MdastNodes; depth: number } | undefined {
  const stack: Array<[MdastNodes | MdastRoot, number]> = [[tree, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return { node: node as MdastNodes, depth };
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i] as MdastNodes, depth + 1]);
  }
  return undefined;
}

// Elements that never hold others, and those a new sibling of their own kind closes.
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const CLOSED_BY: Record<string, readonly string[]> = {
  p: ['p'],
  li: ['li'],
  dt: ['dt', 'dd'],
  dd: ['dt', 'dd'],
  tr: ['tr', 'td', 'th'],
  td: ['td', 'th'],
  th: ['td', 'th'],
  option: ['option'],
  optgroup: ['optgroup', 'option'],
  thead: ['tbody', 'tfoot', 'tr', 'td', 'th'],
  tbody: ['thead', 'tbody', 'tr', 'td', 'th'],
  tfoot: ['thead', 'tbody', 'tr', 'td', 'th'],
};
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'plaintext', 'iframe', 'noembed', 'noframes', 'noscript']);

/**
 * Open HTML elements, followed across the pieces of raw HTML of one document in their order
 * (a `<div>` opened in one block and closed in another), approximately as an HTML parser nests
 * them, in one pass over the text. The approximation errs on the deep side only where HTML would
 * close an element that is not closed (a `<p>` before a `<div>`).
 */
export class HtmlNesting {
  private readonly open: string[] = [];

  constructor(private readonly limit = MAX_DEPTH) {}

  /** Read a piece of HTML at a depth of `base` outer levels; where it first passes the limit, if it does. */
  read(html: string, base = 0): DeepAt | undefined {
    const open = this.open;
    const lower = html.toLowerCase();
    let i = 0;
    while (i < html.length) {
      const lt = html.indexOf('<', i);
      if (lt < 0) break;
      if (html.startsWith('<!--', lt)) {
        const close = html.indexOf('-->', lt + 4);
        if (close < 0) break;
        i = close + 3;
        continue;
      }
      const closing = html[lt + 1] === '/';
      let k = lt + (closing ? 2 : 1);
      const nameStart = k;
      while (k < html.length && /[A-Za-z0-9-]/.test(html[k]!)) k++;
      if (k === nameStart || !/[A-Za-z]/.test(html[nameStart]!)) {
        i = lt + 1;
        continue;
      }
      const name = html.slice(nameStart, k).toLowerCase();
      // The end of the tag: the first `>` outside a quoted attribute value.
      let quote = '';
      let end = -1;
      for (; k < html.length; k++) {
        const c = html[k]!;
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') {
          end = k;
          break;
        }
      }
      if (end < 0) break;
      i = end + 1;
      if (closing) {
        const at = open.lastIndexOf(name);
        if (at >= 0) open.length = at;
        continue;
      }
      if (VOID.has(name) || html[end - 1] === '/') continue;
      if (RAW_TEXT.has(name)) {
        const close = lower.indexOf(`</${name}`, i);
        i = close < 0 ? html.length : close;
        continue;
      }
      const closes = CLOSED_BY[name];
      while (closes && open.length > 0 && closes.includes(open.at(-1)!)) open.pop();
      open.push(name);
      if (base + open.length > this.limit) return { offset: lt, depth: base + open.length };
    }
    return undefined;
  }
}

/** Line and column (1-based) of an offset, counted from a starting position. */
export function positionIn(text: string, offset: number, start = { line: 1, column: 1 }): { line: number; column: number } {
  let line = start.line;
  let lineStart = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i;
  }
  return { line, column: lineStart < 0 ? start.column + offset : offset - lineStart };
}
