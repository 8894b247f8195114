/**
 * The finishing step on Chromium's PDF (pdf-lib): document metadata with dates from the build
 * clock (Chromium stamps the wall clock), bookmarks that mirror the contents (articles, then
 * their sections), and the display settings a reader expects.
 */
import {
  beginMarkedContent,
  endMarkedContent,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFArray,
  PDFDict as PDFDictClass,
  PDFNumber,
  PDFString,
  rgb,
  type PDFObject,
  type PDFDict,
  type PDFRef,
} from 'pdf-lib';
import type { Pack, TocEntry } from '../model.js';
import { namedDestinations, type Destination } from './pdf-pages.js';

export interface FinishOptions {
  creator: string;
  date: Date;
  bleedMm: number;
}

const PT_PER_MM = 72 / 25.4;
/** Room outside the bleed for crop marks. */
const MARK_AREA_MM = 10;

export async function finishPdf(bytes: Uint8Array, pack: Pack, options: FinishOptions): Promise<Uint8Array> {
  // updateMetadata: false, or pdf-lib stamps its own producer and the current time.
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const { manifest } = pack;
  doc.setTitle(manifest.subtitle ? `${manifest.title}: ${manifest.subtitle}` : manifest.title, { showInWindowTitleBar: true });
  doc.setAuthor((manifest.author ?? [manifest.organisation]).join(', '));
  doc.setSubject(manifest.description ?? manifest.subtitle ?? manifest.title);
  const keywords = manifest.keywords ?? [...new Set(pack.chapters.flatMap((c) => c.article.meta.tags))];
  doc.setKeywords(keywords);
  doc.setCreator(options.creator);
  doc.setProducer(options.creator);
  doc.setCreationDate(options.date);
  doc.setModificationDate(options.date);
  doc.setLanguage(manifest.language);
  renumberStructureIds(doc);

  if (options.bleedMm > 0) addPrintMarks(doc, options.bleedMm);

  const dests = namedDestinations(doc);
  const outlines = writeOutline(doc, pack.toc, dests);
  if (outlines) {
    doc.catalog.set(PDFName.of('Outlines'), outlines);
    doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }
  return doc.save({ useObjectStreams: false });
}

function writeOutline(doc: PDFDocument, toc: readonly TocEntry[], dests: Map<string, Destination>): PDFRef | undefined {
  const context = doc.context;
  const rootRef = context.nextRef();
  const build = (entries: readonly TocEntry[], parent: PDFRef): { first?: PDFRef; last?: PDFRef; count: number } => {
    const items = entries
      .map((entry) => ({ entry, dest: dests.get(entry.id), ref: context.nextRef() }))
      .filter((i): i is { entry: TocEntry; dest: Destination; ref: PDFRef } => i.dest !== undefined);
    let count = 0;
    items.forEach((item, i) => {
      const children = build(item.entry.children, item.ref);
      const dict: Record<string, unknown> = {
        Title: PDFHexString.fromText(item.entry.title),
        Parent: parent,
        Dest: item.dest.array,
      };
      if (i > 0) dict.Prev = items[i - 1]!.ref;
      if (i < items.length - 1) dict.Next = items[i + 1]!.ref;
      if (children.first && children.last) {
        dict.First = children.first;
        dict.Last = children.last;
        // Positive: articles open, so readers see the sections at once.
        dict.Count = PDFNumber.of(children.count);
      }
      context.assign(item.ref, context.obj(dict as never) as unknown as PDFDict);
      count += 1 + children.count;
    });
    return { first: items[0]?.ref, last: items.at(-1)?.ref, count };
  };
  const top = build(toc, rootRef);
  if (!top.first || !top.last) return undefined;
  context.assign(
    rootRef,
    context.obj({ Type: 'Outlines', First: top.first, Last: top.last, Count: PDFNumber.of(top.count) } as never) as unknown as PDFDict,
  );
  return rootRef;
}

const NODE_ID = /^node(\d+)$/;

/**
 * Chromium names tagged table headers after process-wide DOM node ids ("node00000343"), which
 * depend on what the page did before (a measuring pass lays out and numbers nodes first). The
 * same document must give the same bytes however many passes it took, so the ids are renumbered
 * in their original order, which also keeps the /IDTree's keys sorted.
 */
function renumberStructureIds(doc: PDFDocument): void {
  const found = new Set<number>();
  const visit = (object: PDFObject, replace: ((value: PDFString) => void) | undefined, rename?: Map<number, string>) => {
    if (object instanceof PDFString) {
      const match = NODE_ID.exec(object.asString());
      if (!match) return;
      if (rename) replace?.(PDFString.of(rename.get(Number(match[1]))!));
      else found.add(Number(match[1]));
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) visit(object.get(i), (v) => object.set(i, v), rename);
    } else if (object instanceof PDFDictClass) {
      for (const [key, value] of object.entries()) visit(value, (v) => object.set(key, v), rename);
    }
  };
  const objects = doc.context.enumerateIndirectObjects().map(([, object]) => object);
  for (const object of objects) visit(object, undefined);
  if (!found.size) return;
  const rename = new Map([...found].sort((a, b) => a - b).map((id, i) => [id, `node${String(i + 1).padStart(8, '0')}`]));
  for (const object of objects) visit(object, undefined, rename);
}

/**
 * Print-shop boxes and crop marks. Chromium laid out trim + bleed; the BleedBox is that page,
 * the TrimBox is inset by the bleed, and the MediaBox grows outwards to make room for crop
 * marks, which are drawn as artifacts so they stay out of the tagged structure.
 */
function addPrintMarks(doc: PDFDocument, bleedMm: number): void {
  const b = bleedMm * PT_PER_MM;
  const m = MARK_AREA_MM * PT_PER_MM;
  const gap = 2 * PT_PER_MM; // marks stop short of the bleed
  for (const page of doc.getPages()) {
    const { width: w, height: h } = page.getMediaBox();
    page.setBleedBox(0, 0, w, h);
    page.setTrimBox(b, b, w - 2 * b, h - 2 * b);
    page.setMediaBox(-m, -m, w + 2 * m, h + 2 * m);
    page.setCropBox(-m, -m, w + 2 * m, h + 2 * m);
    page.pushOperators(beginMarkedContent('Artifact'));
    const line = (x1: number, y1: number, x2: number, y2: number) =>
      page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.25, color: rgb(0, 0, 0) });
    for (const x of [b, w - b]) {
      line(x, -m, x, -gap); // below the bottom edge
      line(x, h + gap, x, h + m); // above the top edge
    }
    for (const y of [b, h - b]) {
      line(-m, y, -gap, y); // left of the left edge
      line(w + gap, y, w + m, y); // right of the right edge
    }
    page.pushOperators(endMarkedContent());
  }
}
