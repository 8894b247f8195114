/**
 * The tagged structure of a PDF, checked for what a screen reader needs, where no PDF/UA validator
 * can be installed: one level-1 heading per article and no heading level skipped, alt text on
 * every figure that shows an image, header cells (TH, with a scope) in every table, the document's
 * language and title set and the title shown, bookmarks in reading order.
 *
 * A problem inside an article is named by the article's line: the structure tree is in document
 * order, so the k-th heading, image figure or table of the article's <Art> element is the k-th
 * heading, image or table the chapter recorded (transform/element-sources.ts).
 *
 * A Figure that holds other structure elements (an image's figure with its caption, a quotation)
 * is a group: the image figure inside it carries the alt text, and is what is checked.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import type { Position } from '../diagnostics.js';
import type { ElementSources, SourceKind } from '../model.js';

export interface StructureProblem {
  message: string;
  /** The article the element came from, and where in it, when the PDF's articles match the pack's. */
  file?: string;
  position?: Position;
}

/** What the check needs of each article, in the order the PDF prints them. */
export interface ArticleSources {
  file: string;
  sources: ElementSources;
}

const HEADING = /^H([1-6])$/;

export function pdfStructureProblems(doc: PDFDocument, articles: readonly ArticleSources[]): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const context = doc.context;
  const deref = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? context.lookup(o) : o);
  const catalog = doc.catalog;

  if (!textOf(deref(catalog.get(PDFName.of('Lang'))))) problems.push({ message: 'the PDF does not say its language (no /Lang in its catalog)' });
  const info = deref(context.trailerInfo.Info);
  if (!(info instanceof PDFDict) || !textOf(deref(info.get(PDFName.of('Title'))))) problems.push({ message: 'the PDF has no title (no /Title in its document information)' });
  const preferences = deref(catalog.get(PDFName.of('ViewerPreferences')));
  const shown = preferences instanceof PDFDict && String(preferences.get(PDFName.of('DisplayDocTitle'))) === 'true';
  if (!shown) problems.push({ message: 'the PDF does not ask viewers to show its title rather than its file name (no /DisplayDocTitle true)' });

  const root = deref(catalog.get(PDFName.of('StructTreeRoot')));
  if (root instanceof PDFDict) structureTreeProblems(root, deref, articles, problems);
  bookmarkOrderProblems(doc, deref, problems);
  return problems;
}

/** The structure tree, walked in document order with a stack (it has one element per paragraph, link and cell). */
function structureTreeProblems(
  root: PDFDict,
  deref: (o: PDFObject | undefined) => PDFObject | undefined,
  articles: readonly ArticleSources[],
  problems: StructureProblem[],
): void {
  const roleMap = deref(root.get(PDFName.of('RoleMap')));
  const typeOf = (element: PDFDict): string => {
    let type = nameOf(element.get(PDFName.of('S')));
    // Custom types map to standard ones, possibly through others; a loop ends after a few steps.
    for (let i = 0; i < 8 && roleMap instanceof PDFDict; i++) {
      const mapped = nameOf(roleMap.get(PDFName.of(type)));
      if (!mapped || mapped === type) break;
      type = mapped;
    }
    return type;
  };
  const structKids = (element: PDFDict): PDFDict[] => {
    const k = deref(element.get(PDFName.of('K')));
    const list = k instanceof PDFArray ? k.asArray().map(deref) : [k];
    return list.filter((kid): kid is PDFDict => kid instanceof PDFDict && kid.has(PDFName.of('S')));
  };

  // Problems as the walk finds them: in which <Art> (-1: outside), and which heading, image
  // figure or table of it they are about.
  const found: Array<{ message: (where: string, article: string) => string; art: number; kind?: SourceKind; index?: number }> = [];
  const arts: Array<Record<SourceKind, number> & { h1: number }> = [];
  let previousLevel = 0;
  let art = -1;
  // Frames: an element to visit, or the end of an <Art> (to go back to where it was).
  const stack: Array<PDFDict | { leaveArt: number }> = structKids(root).reverse();
  while (stack.length) {
    const item = stack.pop()!;
    if (!(item instanceof PDFDict)) {
      art = item.leaveArt;
      continue;
    }
    const type = typeOf(item);
    const kids = structKids(item);
    if (type === 'Art') {
      stack.push({ leaveArt: art });
      art = arts.length;
      arts.push({ headings: 0, images: 0, tables: 0, h1: 0 });
    }
    const counts = art >= 0 ? arts[art]! : undefined;
    const heading = HEADING.exec(type);
    if (heading) {
      const level = Number(heading[1]);
      const at = { art, kind: 'headings' as const, index: counts ? counts.headings++ : 0 };
      if (level > previousLevel + 1) {
        const before = previousLevel ? `H${previousLevel}` : 'no heading';
        found.push({ message: (where) => `a heading skips a level: H${level} after ${before}${where}`, ...at });
      }
      if (level === 1 && counts && ++counts.h1 > 1) found.push({ message: (_, article) => `${article} has more than one H1 (its title should be the only one)`, ...at });
      previousLevel = level;
    } else if (type === 'Figure' && kids.length === 0) {
      const at = { art, kind: 'images' as const, index: counts ? counts.images++ : 0 };
      const alt = textOf(deref(item.get(PDFName.of('Alt')))) || textOf(deref(item.get(PDFName.of('ActualText'))));
      if (!alt.trim()) found.push({ message: (where) => `an image has no alt text (a Figure without /Alt)${where}`, ...at });
    } else if (type === 'Table') {
      const at = { art, kind: 'tables' as const, index: counts ? counts.tables++ : 0 };
      const headers = tableCells(item, structKids, typeOf).filter((c) => typeOf(c) === 'TH');
      if (headers.length === 0) found.push({ message: (where) => `a table has no header cells (no TH)${where}`, ...at });
      const unscoped = headers.filter((c) => !hasScope(c, deref)).length;
      if (unscoped > 0) found.push({ message: (where) => `${unscoped} header cell${unscoped === 1 ? '' : 's'} of a table without a /Scope${where}`, ...at });
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  arts.forEach((counts, i) => {
    if (counts.h1 === 0) found.push({ message: (_, article) => `${article} has no H1 (its title)`, art: i });
  });

  // The PDF's <Art> elements are the pack's articles, in order, if there are as many; and the
  // k-th table of an article is its k-th table if Chromium tagged as many as it has (it tags a
  // small table without borders or header cells as layout, and leaves it out).
  const matched = arts.length === articles.length && articles.length > 0;
  for (const f of found) {
    const article = matched && f.art >= 0 ? articles[f.art]! : undefined;
    if (!article) {
      const name = `article ${f.art + 1} of the PDF`;
      problems.push({ message: f.message(f.art >= 0 ? `, in ${name}` : arts.length ? ', outside the articles' : '', name) });
      continue;
    }
    const sources = f.kind ? article.sources[f.kind] : [];
    const source = f.kind && f.index !== undefined && arts[f.art]![f.kind] === sources.length ? sources[f.index] : undefined;
    problems.push({ message: f.message('', 'the article'), file: source?.file ?? article.file, position: source?.position });
  }
}

/** A table's own cells: in its rows, directly or in THead, TBody and TFoot (not those of tables inside its cells). */
function tableCells(table: PDFDict, structKids: (e: PDFDict) => PDFDict[], typeOf: (e: PDFDict) => string): PDFDict[] {
  const cells: PDFDict[] = [];
  for (const part of structKids(table)) {
    const type = typeOf(part);
    const rows = type === 'TR' ? [part] : ['THead', 'TBody', 'TFoot'].includes(type) ? structKids(part).filter((r) => typeOf(r) === 'TR') : [];
    for (const row of rows) for (const cell of structKids(row)) if (['TH', 'TD'].includes(typeOf(cell))) cells.push(cell);
  }
  return cells;
}

/** Whether a header cell's attributes (a dictionary or an array of them, with revision numbers) give a /Scope. */
function hasScope(cell: PDFDict, deref: (o: PDFObject | undefined) => PDFObject | undefined): boolean {
  const attributes = deref(cell.get(PDFName.of('A')));
  const list = attributes instanceof PDFArray ? attributes.asArray().map(deref) : [attributes];
  return list.some((a) => a instanceof PDFDict && ['/Row', '/Column', '/Both'].includes(String(a.get(PDFName.of('Scope')))));
}

/** Bookmarks, depth first, must go to places in the order the document has them. */
function bookmarkOrderProblems(doc: PDFDocument, deref: (o: PDFObject | undefined) => PDFObject | undefined, problems: StructureProblem[]): void {
  const outlines = deref(doc.catalog.get(PDFName.of('Outlines')));
  if (!(outlines instanceof PDFDict)) return;
  const pageIndex = new Map(doc.getPages().map((page, i) => [page.ref.toString(), i]));
  const dests = deref(doc.catalog.get(PDFName.of('Dests')));
  const places: Array<{ title: string; page: number; y: number }> = [];
  const stack: PDFObject[] = [];
  const first = deref(outlines.get(PDFName.of('First')));
  if (first) stack.push(first);
  while (stack.length) {
    const item = stack.pop();
    if (!(item instanceof PDFDict)) continue;
    const next = deref(item.get(PDFName.of('Next')));
    const child = deref(item.get(PDFName.of('First')));
    // Children before the next sibling: push the sibling first.
    if (next) stack.push(next);
    if (child) stack.push(child);
    let dest = deref(item.get(PDFName.of('Dest')));
    if (dest instanceof PDFName && dests instanceof PDFDict) dest = deref(dests.get(dest));
    if (dest instanceof PDFDict) dest = deref(dest.get(PDFName.of('D')));
    if (!(dest instanceof PDFArray)) continue;
    const page = dest.get(0);
    const y = deref(dest.get(3));
    places.push({
      title: textOf(deref(item.get(PDFName.of('Title')))),
      page: page instanceof PDFRef ? (pageIndex.get(page.toString()) ?? -1) : -1,
      y: y instanceof PDFNumber ? y.asNumber() : Number.POSITIVE_INFINITY,
    });
  }
  for (let i = 1; i < places.length; i++) {
    const [a, b] = [places[i - 1]!, places[i]!];
    // PDF's y grows upwards: further down the same page is a smaller y.
    if (b.page < a.page || (b.page === a.page && b.y > a.y + 0.5)) {
      problems.push({ message: `bookmark "${shortened(b.title)}" comes after "${shortened(a.title)}" but goes to a place before it (page ${b.page + 1}, not after page ${a.page + 1})` });
    }
  }
}

function textOf(value: PDFObject | undefined): string {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : '';
}

function nameOf(value: PDFObject | undefined): string {
  return value instanceof PDFName ? value.asString().replace(/^\//, '') : '';
}

function shortened(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
