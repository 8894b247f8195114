/**
 * The finishing step on Chromium's PDF: document metadata with dates from the build clock
 * (Chromium stamps the wall clock), bookmarks that mirror the contents (articles, then their
 * sections), the display settings a reader expects and, with bleed, the print-shop boxes and
 * crop marks. Chromium's objects are copied untouched; only what changes is written anew. A PDF
 * merged from parts is finished as it is merged (mergeFinishing), except for bleed, which edits
 * every page: reading 17 MB back and writing them again took a rebuild of 200 articles 0.17 s.
 */
import type { Pack, TocEntry } from '../model.js';
import { PdfFile, PdfStream } from './pdf-file.js';
import { destinationArray, destinationId, namedDestinations } from './pdf-pages.js';
import { formatNumber, PdfName, PdfRef, PdfString, type PdfDict, type PdfValue } from './pdf-syntax.js';

export interface FinishOptions {
  creator: string;
  date: Date;
  bleedMm: number;
}

const PT_PER_MM = 72 / 25.4;
/** Room outside the bleed for crop marks. */
const MARK_AREA_MM = 10;

/** Where the finishing puts the objects it adds: numbers first, values when they are known. */
export interface ObjectSink {
  reserve(): PdfRef;
  set(ref: PdfRef, value: PdfValue | PdfStream): void;
}

/**
 * What finishing does to a document assembled from parts (pdf-merge.ts), without reading it back:
 * its information dictionary, and the catalog and structure root the merge writes.
 */
export interface MergeFinishing {
  info: PdfDict;
  /** The merged catalog finished; `dests` are the named destinations, by name as the file has it. */
  catalog(catalog: PdfDict, dests: ReadonlyMap<string, PdfValue>, objects: ObjectSink): PdfDict;
  structRoot(root: PdfDict): PdfDict;
}

/** New objects, numbered as they are added after the file's own. */
class Additions implements ObjectSink {
  readonly values: Array<PdfValue | PdfStream> = [];
  constructor(private readonly first: number) {}
  reserve(): PdfRef {
    this.values.push(null);
    return new PdfRef(this.first + this.values.length - 1);
  }
  set(ref: PdfRef, value: PdfValue | PdfStream): void {
    this.values[ref.num - this.first] = value;
  }
  add(value: PdfValue | PdfStream): PdfRef {
    const ref = this.reserve();
    this.set(ref, value);
    return ref;
  }
}

export function finishPdf(bytes: Uint8Array, pack: Pack, options: FinishOptions): Uint8Array {
  const file = new PdfFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const replaced = new Map<number, PdfValue | PdfStream>();
  const added = new Additions(file.size);

  const info = documentInfo(pack, options);
  const infoRef = file.trailer.get('Info');
  const newInfoRef = infoRef instanceof PdfRef ? infoRef : added.reserve();
  if (infoRef instanceof PdfRef) replaced.set(infoRef.num, info);
  else added.set(newInfoRef, info);

  const rootRef = file.trailer.get('Root');
  if (!(rootRef instanceof PdfRef)) throw new Error('the PDF has no catalog reference');
  const dests = new Map([...namedDestinations(file)].map(([name, dest]) => [name, dest.array]));
  const catalog = finishedCatalog(file.catalog(), pack, writeOutline(added, pack.toc, dests));
  replaced.set(rootRef.num, catalog);
  const structRootRef = catalog.get('StructTreeRoot');
  const structRoot = file.dict(structRootRef);
  if (structRootRef instanceof PdfRef && structRoot) replaced.set(structRootRef.num, withAsideRole(structRoot, file.dict(structRoot.get('RoleMap'))));

  if (options.bleedMm > 0) addPrintMarks(file, replaced, added, options.bleedMm);

  const trailer: PdfDict = new Map<string, PdfValue>([
    ['Root', rootRef],
    ['Info', newInfoRef],
  ]);
  return file.rewrite(replaced, added.values, trailer);
}

/** Finishing for the merge of parts (single- or double-sided): everything but bleed, which edits every page. */
export function mergeFinishing(pack: Pack, options: FinishOptions): MergeFinishing {
  return {
    info: documentInfo(pack, options),
    catalog: (catalog, dests, objects) => {
      const arrays = new Map<string, PdfValue[]>();
      for (const [name, value] of dests) {
        const target = destinationArray(value);
        if (target?.[0] instanceof PdfRef) arrays.set(destinationId(name), target);
      }
      return finishedCatalog(catalog, pack, writeOutline(objects, pack.toc, arrays));
    },
    structRoot: (root) => withAsideRole(root, root.get('RoleMap') instanceof Map ? (root.get('RoleMap') as PdfDict) : undefined),
  };
}

/** The information dictionary, dated by the build clock (Chromium stamps the wall clock). */
function documentInfo(pack: Pack, options: FinishOptions): PdfDict {
  const { manifest } = pack;
  const keywords = manifest.keywords ?? [...new Set(pack.chapters.flatMap((c) => c.article.meta.tags))];
  return new Map<string, PdfValue>([
    ['Title', PdfString.text(manifest.subtitle ? `${manifest.title}: ${manifest.subtitle}` : manifest.title)],
    ['Author', PdfString.text((manifest.author ?? [manifest.organisation]).join(', '))],
    ['Subject', PdfString.text(manifest.description ?? manifest.subtitle ?? manifest.title)],
    ['Keywords', PdfString.text(keywords.join(' '))],
    ['Creator', PdfString.text(options.creator)],
    ['Producer', PdfString.text(options.creator)],
    ['CreationDate', new PdfString(pdfDate(options.date))],
    ['ModDate', new PdfString(pdfDate(options.date))],
  ]);
}

/** The catalog with the pack's language, the title shown in the window and, if any, the bookmarks open. */
function finishedCatalog(original: PdfDict, pack: Pack, outlines: PdfRef | undefined): PdfDict {
  const catalog = new Map(original);
  catalog.set('Lang', PdfString.text(pack.manifest.language));
  catalog.set('ViewerPreferences', new Map<string, PdfValue>([['Type', new PdfName('ViewerPreferences')], ['DisplayDocTitle', true]]));
  if (outlines) {
    catalog.set('Outlines', outlines);
    catalog.set('PageMode', new PdfName('UseOutlines'));
  }
  return catalog;
}

/**
 * Chromium tags sidebars <Aside>, a PDF 2.0 structure type, in a PDF 1.4 file: readers of PDF 1.x
 * (poppler, older Acrobat, PDF/UA-1 checkers) do not know it and drop the whole sidebar from the
 * tree. A role map names the PDF 1.7 type they should read it as.
 */
function withAsideRole(structRoot: PdfDict, roleMap: PdfDict | undefined): PdfDict {
  const root = new Map(structRoot);
  const roles = new Map(roleMap ?? []);
  if (!roles.has('Aside')) roles.set('Aside', new PdfName('Sect'));
  root.set('RoleMap', roles);
  return root;
}

/** D:YYYYMMDDHHmmSSZ, in UTC. */
function pdfDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `D:${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

/** Bookmarks mirroring the contents, to the headings' destinations (by element id). */
function writeOutline(added: ObjectSink, toc: readonly TocEntry[], dests: ReadonlyMap<string, PdfValue[]>): PdfRef | undefined {
  const rootRef = added.reserve();
  const build = (entries: readonly TocEntry[], parent: PdfRef): { first?: PdfRef; last?: PdfRef; count: number } => {
    const items = entries.flatMap((entry) => {
      const dest = dests.get(entry.id);
      return dest ? [{ entry, dest, ref: added.reserve() }] : [];
    });
    let count = 0;
    items.forEach((item, i) => {
      const children = build(item.entry.children, item.ref);
      const dict: PdfDict = new Map<string, PdfValue>([
        ['Title', PdfString.text(item.entry.title)],
        ['Parent', parent],
        ['Dest', item.dest],
      ]);
      if (i > 0) dict.set('Prev', items[i - 1]!.ref);
      if (i < items.length - 1) dict.set('Next', items[i + 1]!.ref);
      if (children.first && children.last) {
        dict.set('First', children.first);
        dict.set('Last', children.last);
        // Positive: articles open, so readers see the sections at once.
        dict.set('Count', children.count);
      }
      added.set(item.ref, dict);
      count += 1 + children.count;
    });
    return { first: items[0]?.ref, last: items.at(-1)?.ref, count };
  };
  const top = build(toc, rootRef);
  if (!top.first || !top.last) {
    added.set(rootRef, null);
    return undefined;
  }
  added.set(
    rootRef,
    new Map<string, PdfValue>([
      ['Type', new PdfName('Outlines')],
      ['First', top.first],
      ['Last', top.last],
      ['Count', top.count],
    ]),
  );
  return rootRef;
}

/**
 * Print-shop boxes and crop marks. Chromium laid out trim + bleed; the BleedBox is that page,
 * the TrimBox is inset by the bleed, and the MediaBox grows outwards to make room for crop
 * marks, which are drawn as artifacts so they stay out of the tagged structure. Chromium's own
 * content is wrapped in q/Q so that whatever state it leaves cannot move the marks.
 */
function addPrintMarks(file: PdfFile, replaced: Map<number, PdfValue | PdfStream>, added: Additions, bleedMm: number): void {
  const b = bleedMm * PT_PER_MM;
  const m = MARK_AREA_MM * PT_PER_MM;
  const gap = 2 * PT_PER_MM; // marks stop short of the bleed
  const save = added.add(new PdfStream(new Map(), Buffer.from('q\n', 'latin1')));
  const marksBySize = new Map<string, PdfRef>();
  for (const ref of file.pageRefs()) {
    const page = new Map(file.dict(ref)!);
    const box = (file.resolve(page.get('MediaBox')) as number[] | undefined) ?? [0, 0, 595.28, 841.89];
    const [x0, y0, x1, y1] = box.map(Number) as [number, number, number, number];
    const w = x1 - x0;
    const h = y1 - y0;
    const key = `${w}x${h}`;
    let marks = marksBySize.get(key);
    if (!marks) {
      const f = formatNumber;
      const line = (ax: number, ay: number, bx: number, by: number) => `${f(ax)} ${f(ay)} m ${f(bx)} ${f(by)} l S`;
      const ops = ['Q', '/Artifact BMC', 'q', '0 0 0 RG', '0.25 w'];
      for (const x of [b, w - b]) ops.push(line(x, -m, x, -gap), line(x, h + gap, x, h + m));
      for (const y of [b, h - b]) ops.push(line(-m, y, -gap, y), line(w + gap, y, w + m, y));
      ops.push('Q', 'EMC', '');
      marks = added.add(new PdfStream(new Map(), Buffer.from(ops.join('\n'), 'latin1')));
      marksBySize.set(key, marks);
    }
    const contents = page.get('Contents');
    page.set('Contents', [save, ...(Array.isArray(contents) ? contents : contents === undefined ? [] : [contents]), marks]);
    page.set('BleedBox', [0, 0, w, h]);
    page.set('TrimBox', [b, b, w - b, h - b]);
    page.set('MediaBox', [-m, -m, w + m, h + m]);
    page.set('CropBox', [-m, -m, w + m, h + m]);
    replaced.set(ref.num, page);
  }
}
