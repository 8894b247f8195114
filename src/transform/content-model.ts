/**
 * rehype plugin, run right after sanitizing: makes every chapter fit the XHTML content model that
 * EPUBCheck enforces, whatever raw HTML the Markdown held. HTML's parser accepts a lot that XHTML
 * does not: an inline element left open (`<b>`, `<a>`, `<span>`) ends up wrapping the blocks
 * after it, `<pre>` and headings can hold blocks, a sanitized form leaves a checkbox, lists hold
 * stray text, and GitHub's sanitizer schema lets obsolete elements and attributes through.
 *
 * Repairs keep what the reader sees where they can (formatting is pushed down into the blocks it
 * wrapped, as browsers show it; a missing `<summary>` gets the label browsers show); a repair that
 * changes what the reader sees is a warning at the source position.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { Diagnostics, Position } from '../diagnostics.js';
import { EXIT, SKIP, spliceChildren, walkElements, walkNodes } from '../tree-walk.js';

/** Elements that hold phrasing content and are phrasing content themselves. */
const PHRASING = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'del', 'dfn', 'em', 'i', 'img', 'input', 'ins', 'kbd', 'mark', 'q', 'u',
  'ruby', 'rp', 'rt', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'var', 'wbr',
]);

/** Blocks whose content is phrasing only: a block inside is flattened into them. */
const PHRASING_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'summary']);

const VOID = new Set(['br', 'hr', 'img', 'input', 'wbr', 'col']);

/** Obsolete elements that GitHub's schema keeps, and what they are in HTML5. */
const RENAMED: Readonly<Record<string, string>> = { tt: 'code', strike: 's' };

/** Attributes each element may keep (hast property names), beyond the global ones. */
const ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'hrefLang', 'title', 'dataFootnoteRef', 'dataFootnoteBackref', 'ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy'],
  img: ['src', 'alt', 'width', 'height', 'title', 'ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy'],
  td: ['colSpan', 'rowSpan', 'headers'],
  th: ['colSpan', 'rowSpan', 'headers', 'scope', 'abbr'],
  ol: ['start', 'reversed', 'type', 'ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy'],
  ul: ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy'],
  dl: ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy'],
  table: ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy'],
  summary: ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy'],
  li: ['value'],
  input: ['type', 'checked', 'disabled'],
  details: ['open'],
  time: ['dateTime'],
  del: ['cite', 'dateTime'],
  ins: ['cite', 'dateTime'],
  q: ['cite'],
  blockquote: ['cite'],
  abbr: ['title'],
  col: ['span'],
  colgroup: ['span'],
  section: ['dataFootnotes'],
  bdo: ['dir'],
};

/** Attributes every element may keep. `align` is turned into a class first. */
const GLOBAL_ATTRIBUTES = new Set(['id', 'className', 'lang', 'dir', 'title', 'role', 'dataSidebar']);

const ALIGNMENTS = new Set(['left', 'center', 'right', 'justify']);

export interface ContentModelOptions {
  file: string;
  diagnostics: Diagnostics;
}

type Parent = Root | Element;

export function rehypeContentModel(options: ContentModelOptions) {
  return (tree: Root) =>
    repairContentModel(tree, (node, message) => options.diagnostics.warn('markdown/html', message, { file: options.file, position: positionOf(node) }));
}

/** The repair itself, for any tree (a chapter, a custom kind's template); `warn` hears what the reader would see change. */
export function repairContentModel(tree: Root, warn: (node: Element | undefined, message: string) => void = () => undefined): void {
  // Children before parents: a phrasing element is split only once the elements inside it
  // are repaired, so that the blocks it holds are final. What an element is replaced by goes
  // into its parent when the parent's turn comes, all at once: splicing each into place would
  // take time in proportion to its siblings (10,000 notes in one list).
  const elements = postOrder(tree);
  const tasks = taskCheckboxes(elements);
  const replacements = new Map<Element, readonly ElementContent[]>();
  const replace = (node: Element, by: readonly ElementContent[]) => replacements.set(node, by);
  for (const { node, parent } of elements) {
    applyReplacements(node, replacements);
    repairElement(node, parent, warn, tasks, replace);
  }
  applyReplacements(tree, replacements);
  removeNestedInteractive(tree, warn);
}

/** The element's children with those that were replaced swapped for what replaces them. */
function applyReplacements(parent: Parent, replacements: Map<Element, readonly ElementContent[]>): void {
  if (!parent.children.some((c) => c.type === 'element' && replacements.has(c))) return;
  const children: ElementContent[] = [];
  for (const child of parent.children as ElementContent[]) {
    const by = child.type === 'element' ? replacements.get(child) : undefined;
    if (by === undefined) children.push(child);
    else {
      replacements.delete(child as Element);
      for (const c of by) children.push(c);
    }
  }
  parent.children = children as Parent['children'];
}

/** Every element with its parent, children before their parents; iterative, for deep trees. */
function postOrder(tree: Root): Array<{ node: Element; parent: Parent }> {
  const out: Array<{ node: Element; parent: Parent }> = [];
  const stack: Array<{ node: Element; parent: Parent; expanded: boolean }> = [];
  for (let i = tree.children.length - 1; i >= 0; i--) {
    const c = tree.children[i]!;
    if (c.type === 'element') stack.push({ node: c, parent: tree, expanded: false });
  }
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.expanded) {
      stack.pop();
      out.push({ node: top.node, parent: top.parent });
      continue;
    }
    top.expanded = true;
    for (let i = top.node.children.length - 1; i >= 0; i--) {
      const c = top.node.children[i]!;
      if (c.type === 'element') stack.push({ node: c, parent: top.node, expanded: false });
    }
  }
  return out;
}

type Replace = (node: Element, by: readonly ElementContent[]) => void;

function repairElement(node: Element, parent: Parent, warn: (node: Element | undefined, message: string) => void, tasks: ReadonlySet<Element>, replaceWith: Replace): void {
  const renamed = RENAMED[node.tagName];
  if (renamed) node.tagName = renamed;
  repairAttributes(node);
  if (VOID.has(node.tagName)) node.children = [];

  switch (node.tagName) {
    case 'input':
      if (!tasks.has(node)) {
        warn(node, 'removed a form field (<input>) from raw HTML');
        replaceWith(node, []);
      }
      return;
    case 'picture':
      // Its <source> elements name other files (often remote); its <img> is what every reader shows.
      replaceWith(node, node.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'img'));
      return;
    case 'source':
      replaceWith(node, []);
      return;
    case 'bdo':
      if (node.properties.dir !== 'ltr' && node.properties.dir !== 'rtl') replaceWith(node, node.children);
      return;
    case 'time':
      if (node.properties.dateTime === undefined) node.tagName = 'span';
      return;
    case 'rt':
    case 'rp':
      if (!(parent.type === 'element' && parent.tagName === 'ruby')) replaceWith(node, node.children);
      return;
    case 'details':
      repairDetails(node);
      return;
    case 'figure':
      repairFigure(node);
      return;
    case 'ul':
    case 'ol':
      repairList(node, ['li'], 'li', warn);
      return;
    case 'dl':
      repairList(node, ['dt', 'dd', 'div'], 'dd', warn);
      return;
    case 'table':
      fosterOut(node, warn, replaceWith);
      return;
    case 'thead':
    case 'tbody':
    case 'tfoot':
    case 'tr':
      wrapStrayContent(node, warn);
      return;
    case 'colgroup':
      node.children = node.children.filter((c) => c.type === 'element' && c.tagName === 'col');
      return;
  }
  if (!node.children.some(isBlock)) return;
  if (PHRASING.has(node.tagName)) splitAroundBlocks(node, replaceWith);
  else if (node.tagName === 'p') liftBlocksOutOfParagraph(node, replaceWith);
  else if (PHRASING_BLOCKS.has(node.tagName)) {
    if (node.tagName !== 'pre') warn(node, `flattened the blocks inside a <${node.tagName}>, which holds text only`);
    node.children = flattened(node.children, node.tagName === 'pre' ? '\n' : ' ');
  }
}

/** The checkboxes GFM made for task list items, the only form controls a chapter keeps. */
function taskCheckboxes(elements: ReadonlyArray<{ node: Element }>): Set<Element> {
  const found = new Set<Element>();
  for (const { node } of elements) {
    if (node.tagName !== 'li' || !hasClass(node, 'task-list-item')) continue;
    const first = node.children.find((c): c is Element => c.type === 'element');
    const box = first?.tagName === 'p' ? first.children.find((c): c is Element => c.type === 'element') : first;
    if (box?.tagName === 'input' && box.properties.type === 'checkbox') found.add(box);
  }
  return found;
}

function repairAttributes(node: Element): void {
  const allowed = ATTRIBUTES[node.tagName] ?? [];
  const props = node.properties;
  // An old-style named anchor is an id in HTML5.
  if (node.tagName === 'a' && props.name !== undefined && props.id === undefined) props.id = props.name;
  const align = typeof props.align === 'string' ? props.align.toLowerCase() : undefined;
  for (const key of Object.keys(props)) {
    if (!GLOBAL_ATTRIBUTES.has(key) && !allowed.includes(key) && !key.startsWith('data') && key !== 'ariaHidden') delete props[key];
  }
  // GFM's column alignment and raw HTML's align="center" still show, through the stylesheet.
  if (align && ALIGNMENTS.has(align)) props.className = [...classes(node), `align-${align}`];
  if (Array.isArray(props.className) && props.className.length === 0) delete props.className;
  if (typeof props.lang === 'string' && !isLanguageTag(props.lang)) delete props.lang;
  if (props.dir !== undefined && props.dir !== 'ltr' && props.dir !== 'rtl' && props.dir !== 'auto') delete props.dir;
  for (const key of ['width', 'height', 'start', 'value', 'span'] as const) {
    if (props[key] !== undefined && !/^-?\d+$/.test(String(props[key]).trim())) delete props[key];
  }
  for (const key of ['width', 'height', 'span'] as const) if (props[key] !== undefined && Number(props[key]) < 0) delete props[key];
  for (const key of ['colSpan', 'rowSpan'] as const) {
    if (props[key] !== undefined && !(Number.isInteger(Number(props[key])) && Number(props[key]) >= (key === 'colSpan' ? 1 : 0))) delete props[key];
  }
  if (props.scope !== undefined && !['row', 'col', 'rowgroup', 'colgroup'].includes(String(props.scope))) delete props.scope;
  if (props.type !== undefined && node.tagName === 'ol' && !['1', 'a', 'A', 'i', 'I'].includes(String(props.type))) delete props.type;
  if (typeof props.dateTime === 'string' && !isDateTime(props.dateTime)) delete props.dateTime;
  if (typeof props.hrefLang === 'string' && !isLanguageTag(props.hrefLang)) delete props.hrefLang;
  // A quotation's source is only worth keeping as a web address: anything else names a file.
  if (props.cite !== undefined && !/^https?:\/\/[^\s]+$/i.test(String(props.cite))) delete props.cite;
}

/** `<details>` needs a `<summary>` first: browsers show "Details" where there is none, and so do we. */
function repairDetails(node: Element): void {
  const summaries = node.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'summary');
  const [summary, ...extra] = summaries;
  for (const other of extra) other.tagName = 'p';
  const rest = node.children.filter((c) => c !== summary);
  node.children = [summary ?? { type: 'element', tagName: 'summary', properties: {}, children: [{ type: 'text', value: 'Details' }] }, ...rest];
}

/** A `<figcaption>` must be a figure's first or last child, and there is one at most. */
function repairFigure(node: Element): void {
  const captions = node.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'figcaption');
  if (captions.length === 0) return;
  const elements = node.children.filter((c) => c.type === 'element');
  if (captions.length === 1 && (elements[0] === captions[0] || elements.at(-1) === captions[0])) return;
  for (const extra of captions.slice(1)) extra.tagName = 'p';
  node.children = [...node.children.filter((c) => c !== captions[0]), captions[0]!];
}

/**
 * A list holds items only: anything else between them goes into the item before it (or a new
 * item when there is none), as a paragraph of its own.
 */
function repairList(node: Element, allowed: readonly string[], itemTag: string, warn: (node: Element | undefined, message: string) => void): void {
  const children: ElementContent[] = [];
  let moved = false;
  for (const child of node.children) {
    if ((child.type === 'element' && allowed.includes(child.tagName)) || isWhitespace(child) || child.type === 'comment') {
      children.push(child);
      continue;
    }
    if (child.type !== 'element' && child.type !== 'text') continue;
    moved = true;
    const block: ElementContent = isBlock(child) ? child : { type: 'element', tagName: 'p', properties: {}, children: [child] };
    const last = [...children].reverse().find((c): c is Element => c.type === 'element' && c.tagName === itemTag);
    if (last) last.children.push(block);
    else children.push({ type: 'element', tagName: itemTag, properties: {}, children: [block] });
  }
  if (moved) warn(node, `moved content that stood between the items of a <${node.tagName}> into an item`);
  node.children = children;
}

/**
 * A row holds cells only, a table section rows only: cells straight in a section get a row of
 * their own, and anything else a cell of its own, so that nothing the author wrote is lost.
 */
function wrapStrayContent(node: Element, warn: (node: Element | undefined, message: string) => void): void {
  const row = node.tagName === 'tr';
  const children: ElementContent[] = [];
  let open: Element | undefined;
  let moved = false;
  for (const child of node.children) {
    const fits = child.type === 'element' && (row ? child.tagName === 'td' || child.tagName === 'th' : child.tagName === 'tr');
    if (fits || isWhitespace(child) || child.type === 'comment') {
      if (!isWhitespace(child)) open = undefined;
      children.push(child);
      continue;
    }
    if (child.type !== 'element' && child.type !== 'text') continue;
    const isCell = child.type === 'element' && (child.tagName === 'td' || child.tagName === 'th');
    if (!isCell) moved = true;
    const cell: Element = isCell ? (child as Element) : { type: 'element', tagName: 'td', properties: {}, children: [child] };
    if (row) {
      children.push(cell);
      continue;
    }
    if (!open) {
      open = { type: 'element', tagName: 'tr', properties: {}, children: [] };
      children.push(open);
    }
    open.children.push(cell);
  }
  if (moved) warn(node, `put content that stood loose in a <${node.tagName}> into a cell of its own`);
  node.children = children;
}

/**
 * What a table may not hold straight inside it goes before the table, the way HTML's parser
 * fosters content out of tables. Its sanitizer may have removed the element that held it.
 */
function fosterOut(table: Element, warn: (node: Element | undefined, message: string) => void, replaceWith: Replace): void {
  const allowed = ['caption', 'colgroup', 'thead', 'tbody', 'tfoot', 'tr'];
  const stray = table.children.filter((c) => !(c.type === 'element' && allowed.includes(c.tagName)) && !isWhitespace(c) && c.type !== 'comment');
  if (stray.length === 0) return;
  table.children = table.children.filter((c) => !stray.includes(c));
  const moved: ElementContent[] = [];
  for (const c of stray) {
    if (c.type === 'element' && isBlock(c)) moved.push(c);
    else if (c.type === 'element' || c.type === 'text') moved.push({ type: 'element', tagName: 'p', properties: {}, children: [c] });
  }
  if (moved.length === 0) return;
  warn(table, 'moved content that a <table> cannot hold to before the table');
  moved.push(table);
  replaceWith(table, moved);
}

/**
 * A phrasing element around blocks (an open `<b>` that HTML's parser let run over the blocks
 * after it) is split: the phrasing between the blocks stays wrapped in copies of it, and each
 * block gets the element pushed down around its own text, so that the blocks look as before.
 */
function splitAroundBlocks(node: Element, replaceWith: Replace): void {
  const result: ElementContent[] = [];
  let run: ElementContent[] = [];
  let first = true;
  const copy = (children: ElementContent[]): Element => {
    const { id, ...rest } = node.properties;
    const element: Element = { type: 'element', tagName: node.tagName, properties: first ? node.properties : structuredClone(rest), children, position: node.position };
    first = false;
    return element;
  };
  const flush = () => {
    if (run.every(isWhitespace)) for (const c of run) result.push(c);
    else result.push(copy(run));
    run = [];
  };
  for (const child of node.children) {
    if (!isBlock(child)) {
      run.push(child);
      continue;
    }
    flush();
    pushDown(child as Element, copy);
    result.push(child);
  }
  flush();
  replaceWith(node, result);
}

/** Wrap every run of phrasing content inside `block` (and the blocks it holds) in a copy made by `wrap`. */
function pushDown(block: Element, wrap: (children: ElementContent[]) => Element): void {
  const stack: Element[] = [block];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (VOID.has(current.tagName)) continue;
    if (PHRASING_BLOCKS.has(current.tagName) || current.tagName === 'dt') {
      if (!current.children.every(isWhitespace)) current.children = [wrap(current.children)];
      continue;
    }
    const children: ElementContent[] = [];
    let run: ElementContent[] = [];
    const flush = () => {
      if (run.every(isWhitespace)) for (const c of run) children.push(c);
      else children.push(wrap(run));
      run = [];
    };
    // Lists, tables and their parts hold no text of their own: only their items and cells do.
    const structural = ['ul', 'ol', 'dl', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup'].includes(current.tagName);
    for (const child of current.children) {
      if (isBlock(child) || structural) {
        flush();
        children.push(child);
        if (child.type === 'element') stack.push(child);
      } else run.push(child);
    }
    flush();
    current.children = children;
  }
}

/** A paragraph cannot hold a block: it ends before the block and starts again after it, as HTML's parser does. */
function liftBlocksOutOfParagraph(node: Element, replaceWith: Replace): void {
  const result: ElementContent[] = [];
  let run: ElementContent[] = [];
  let first = true;
  const flush = () => {
    if (!run.every(isWhitespace)) {
      result.push({ type: 'element', tagName: 'p', properties: first ? node.properties : {}, children: run, position: node.position });
      first = false;
    }
    run = [];
  };
  for (const child of node.children) {
    if (isBlock(child)) {
      flush();
      result.push(child);
    } else run.push(child);
  }
  flush();
  replaceWith(node, result);
}

/** The phrasing content of `nodes`, blocks dissolved into it and parted by `separator`. */
function flattened(nodes: readonly ElementContent[], separator: string): ElementContent[] {
  const out: ElementContent[] = [];
  const stack: Array<ElementContent | 'separator'> = [...nodes].reverse();
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item === 'separator') {
      if (out.length > 0) out.push({ type: 'text', value: separator });
      continue;
    }
    if (isBlock(item)) {
      const block = item as Element;
      if (block.tagName === 'br' || block.tagName === 'hr') {
        stack.push('separator');
        continue;
      }
      stack.push('separator');
      for (let i = block.children.length - 1; i >= 0; i--) stack.push(block.children[i]!);
      stack.push('separator');
      continue;
    }
    out.push(item);
  }
  while (out.length > 0 && isWhitespace(out[out.length - 1]!)) out.pop();
  return out;
}

/**
 * Interactive content may not sit inside a link: a link inside a link keeps only its text (or,
 * when something links to it, becomes a span that keeps its id), a form field inside one goes,
 * and a link with nothing to show (left behind when HTML's parser closed it early) goes too.
 */
function removeNestedInteractive(tree: Root, warn: (node: Element | undefined, message: string) => void): void {
  walkElements(tree, (link, index, parent) => {
    if (link.tagName !== 'a') return undefined;
    if (link.properties.href !== undefined && link.properties.id === undefined && isEmpty(link)) {
      parent.children.splice(index, 1);
      return index;
    }
    walkElements(link, (inner, i, holder) => {
      if (inner.tagName === 'input') {
        warn(inner, 'removed a form field (<input>) from inside a link');
        holder.children.splice(i, 1);
        return i;
      }
      if (inner.tagName !== 'a') return undefined;
      if (inner.properties.id === undefined) {
        spliceChildren(holder.children as ElementContent[], i, 1, inner.children);
        return i;
      }
      inner.tagName = 'span';
      inner.properties = { id: inner.properties.id };
      return undefined;
    });
    // What it held is repaired already: the outer walk need not go inside.
    return SKIP;
  });
}

/** No text and no image anywhere inside. */
function isEmpty(node: Element): boolean {
  let empty = true;
  walkNodes(node, (child: ElementContent) => {
    if ((child.type === 'text' && child.value.trim() !== '') || (child.type === 'element' && child.tagName === 'img')) empty = false;
    return empty ? undefined : EXIT;
  });
  return empty;
}


/** Flow content that is not phrasing: what a phrasing element may not hold. */
function isBlock(node: ElementContent | RootContent): boolean {
  return node.type === 'element' && !PHRASING.has(node.tagName);
}

function isWhitespace(node: ElementContent | RootContent): boolean {
  return node.type === 'text' && node.value.trim() === '';
}

function classes(node: Element): string[] {
  const c = node.properties.className;
  return Array.isArray(c) ? c.map(String) : typeof c === 'string' ? (c as string).split(/\s+/).filter(Boolean) : [];
}

function hasClass(node: Element, name: string): boolean {
  return classes(node).includes(name);
}

function positionOf(node: Element | undefined): Position | undefined {
  const start = node?.position?.start;
  return start ? { line: start.line, column: start.column } : undefined;
}

/** BCP 47 in shape (what EPUBCheck checks): letters, then subtags of letters and digits. */
export function isLanguageTag(value: string): boolean {
  return /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(value);
}

/** HTML's date and time strings: a date, month, year, week, time, local or global date-time, or duration. */
export function isDateTime(value: string): boolean {
  const date = '\\d{4,}-\\d{2}-\\d{2}';
  const time = '\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?';
  const zone = '(Z|[+-]\\d{2}:?\\d{2})';
  const forms = [
    `${date}`,
    '\\d{4,}-\\d{2}',
    '\\d{4,}',
    '\\d{4,}-W\\d{2}',
    '--\\d{2}-\\d{2}',
    time,
    zone,
    `${date}[T ]${time}${zone}?`,
    'P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d{1,3})?S)?)?',
  ];
  return forms.some((form) => new RegExp(`^${form}$`).test(value.trim()));
}
