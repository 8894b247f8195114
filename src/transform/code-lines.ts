/**
 * rehype plugin: the text of every `<pre>` split into one `span.code-line` per source line (the
 * newline kept at its end), spans of highlighting and other inline elements cut at the line ends.
 * A line is then a box of its own: a line too long for the page wraps inside it, its continued
 * rows indented past the line's own indentation (`--indent`, in columns, for the templates' CSS),
 * and print marks them in the gutter.
 */
import type { Element, ElementContent, Root } from 'hast';
import { SKIP, walkElements } from '../tree-walk.js';

export function rehypeCodeLines() {
  return (tree: Root) => {
    walkElements(tree, (node) => {
      if (node.tagName !== 'pre') return undefined;
      const code = node.children.length === 1 && node.children[0]!.type === 'element' && node.children[0]!.tagName === 'code' ? node.children[0]! : node;
      code.children = codeLines(code.children);
      return SKIP;
    });
  };
}

/** A copy of an element cut at a line end: its attributes without an id, which only its first part keeps. */
function partOf(element: Element, first: boolean): Element {
  const properties = { ...element.properties };
  if (!first) {
    delete properties.id;
    delete properties.name;
  }
  return { type: 'element', tagName: element.tagName, properties, children: [] };
}

/**
 * `children` as line spans. Walked with a stack of its own (no recursion): each text is cut at
 * its newlines, and the elements around it are opened anew in each line it reaches.
 */
export function codeLines(children: readonly ElementContent[]): Element[] {
  const lines: Element[] = [];
  /** The current line and the copies of the elements open in it, outermost first. */
  let line: Element | undefined;
  let open: Array<{ original: Element; copy: Element }> = [];
  const copied = new Set<Element>();
  const newLine = () => {
    line = { type: 'element', tagName: 'span', properties: { className: ['code-line'] }, children: [] };
    lines.push(line);
    open = [];
  };
  /** Where content inside `ancestors` goes in the current line: their copies, opened as needed. */
  const parentFor = (ancestors: readonly Element[]): Element => {
    if (!line) newLine();
    let shared = 0;
    while (shared < open.length && shared < ancestors.length && open[shared]!.original === ancestors[shared]) shared++;
    open.length = shared;
    let parent = shared ? open[shared - 1]!.copy : line!;
    for (let i = shared; i < ancestors.length; i++) {
      const original = ancestors[i]!;
      const copy = partOf(original, !copied.has(original));
      copied.add(original);
      parent.children.push(copy);
      open.push({ original, copy });
      parent = copy;
    }
    return parent;
  };
  const stack: Array<{ nodes: readonly ElementContent[]; index: number; ancestors: Element[] }> = [{ nodes: children, index: 0, ancestors: [] }];
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      continue;
    }
    const node = frame.nodes[frame.index++]!;
    if (node.type === 'text') {
      const parts = node.value.split('\n');
      parts.forEach((part, i) => {
        // The newline ends its line, inside it: copied text keeps its line breaks.
        const text = i < parts.length - 1 ? `${part}\n` : part;
        if (text) parentFor(frame.ancestors).children.push({ type: 'text', value: text });
        if (i < parts.length - 1) line = undefined;
      });
    } else if (node.type === 'element' && node.tagName === 'br') {
      parentFor(frame.ancestors).children.push({ type: 'text', value: '\n' });
      line = undefined;
    } else if (node.type === 'element' && node.children.length > 0) {
      stack.push({ nodes: node.children, index: 0, ancestors: [...frame.ancestors, node] });
    } else if (node.type === 'element') {
      parentFor(frame.ancestors).children.push(partOf(node, true));
    }
    // Comments are left out: they show nothing.
  }
  for (const line of lines) {
    const indent = indentOf(line);
    if (indent > 0) line.properties.style = `--indent:${indent}ch`;
  }
  return lines;
}

/** Deeper than this, a continued row would start too far right to hold much. */
const MAX_INDENT = 32;

/** Columns of leading white space in a line (tabs to the next multiple of 8, as CSS sets them). */
function indentOf(line: Element): number {
  let columns = 0;
  const stack: ElementContent[] = [line];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'element') {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
      continue;
    }
    if (node.type !== 'text') continue;
    for (const ch of node.value) {
      if (ch === ' ') columns++;
      else if (ch === '\t') columns += 8 - (columns % 8);
      else return Math.min(columns, MAX_INDENT);
    }
  }
  // A line of white space only has nothing to continue.
  return 0;
}
