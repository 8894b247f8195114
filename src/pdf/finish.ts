/**
 * The finishing step on a printed PDF: document information with dates from the caller's clock
 * (Chromium stamps the wall clock), bookmarks, the display settings a reader expects, roles for
 * structure types that older readers do not know and, with bleed, the print-shop boxes and crop
 * marks. The printed objects are copied untouched; only what changes is written anew, into a
 * compact file. A PDF merged from parts is finished as it is merged (mergeFinishing), which
 * spares reading the merged file back. Knows PDF, not what is printed.
 */
import { PdfFile, PdfStream, PdfWriter } from './file.js';
import { writeOutline, type ObjectSink, type OutlineEntry } from './outline.js';
import { destinationArray, destinationId, namedDestinations } from './destinations.js';
import { formatNumber, PdfName, PdfRef, PdfString, type PdfDict, type PdfValue } from './syntax.js';

export type { ObjectSink, OutlineEntry } from './outline.js';

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  /** The program that made the document (also given as its producer). */
  creator: string;
  /** Creation and modification date. */
  date: Date;
}

export interface Finishing {
  info: DocumentInfo;
  /** The document's language (BCP 47). */
  lang: string;
  outline: readonly OutlineEntry[];
  /** Structure types and the standard ones readers should take them for, where the file has no role for them yet. */
  roles: Readonly<Record<string, string>>;
  /** Bleed on each side, in millimetres (0: none). */
  bleedMm: number;
}

const PT_PER_MM = 72 / 25.4;
/** Room outside the bleed for crop marks. */
const MARK_AREA_MM = 10;

/**
 * What finishing does to a document assembled from parts (merge.ts), without reading it back:
 * its information dictionary, the catalog and structure root the merge writes, and every page.
 */
export interface MergeFinishing {
  info: PdfDict;
  /** The merged catalog finished; `dests` are the named destinations, by name as the file has it. */
  catalog(catalog: PdfDict, dests: ReadonlyMap<string, PdfValue>, objects: ObjectSink): PdfDict;
  structRoot(root: PdfDict): PdfDict;
  /**
   * A page as it is written (changed in place; `resolve` reads what its references point at);
   * undefined when finishing leaves pages alone.
   */
  page?(page: PdfDict, objects: ObjectSink, resolve: (value: PdfValue | undefined) => PdfValue | undefined): void;
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
}

/** One printed file finished. */
export function finishPdf(bytes: Uint8Array, finishing: Finishing): Buffer {
  const file = new PdfFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const replaced = new Map<number, PdfValue | PdfStream>();
  const added = new Additions(file.size);

  const info = infoDict(finishing.info);
  const infoRef = file.trailer.get('Info');
  const newInfoRef = infoRef instanceof PdfRef ? infoRef : added.reserve();
  if (infoRef instanceof PdfRef) replaced.set(infoRef.num, info);
  else added.set(newInfoRef, info);

  const rootRef = file.trailer.get('Root');
  if (!(rootRef instanceof PdfRef)) throw new Error('the PDF has no catalog reference');
  const dests = new Map([...namedDestinations(file)].map(([name, dest]) => [name, dest.array]));
  const catalog = finishedCatalog(file.catalog(), finishing, writeOutline(added, finishing.outline, dests));
  replaced.set(rootRef.num, catalog);
  const structRootRef = catalog.get('StructTreeRoot');
  const structRoot = file.dict(structRootRef);
  if (structRootRef instanceof PdfRef && structRoot) replaced.set(structRootRef.num, withRoles(structRoot, file.dict(structRoot.get('RoleMap')), finishing.roles));

  if (finishing.bleedMm > 0) {
    const marks = printMarks(finishing.bleedMm);
    for (const ref of file.pageRefs()) {
      const page = new Map(file.dict(ref)!);
      marks(page, added, (v) => file.resolve(v));
      replaced.set(ref.num, page);
    }
  }

  const trailer: PdfDict = new Map<string, PdfValue>([
    ['Root', rootRef],
    ['Info', newInfoRef],
  ]);
  return file.rewrite(replaced, added.values, trailer, new PdfWriter());
}

/** Finishing for a merge of parts: the same as finishPdf's, done while the merge writes. */
export function mergeFinishing(finishing: Finishing): MergeFinishing {
  const marks = finishing.bleedMm > 0 ? printMarks(finishing.bleedMm) : undefined;
  return {
    info: infoDict(finishing.info),
    catalog: (catalog, dests, objects) => {
      const arrays = new Map<string, PdfValue[]>();
      for (const [name, value] of dests) {
        const target = destinationArray(value);
        if (target?.[0] instanceof PdfRef) arrays.set(destinationId(name), target);
      }
      return finishedCatalog(catalog, finishing, writeOutline(objects, finishing.outline, arrays));
    },
    structRoot: (root) => withRoles(root, root.get('RoleMap') instanceof Map ? (root.get('RoleMap') as PdfDict) : undefined, finishing.roles),
    page: marks,
  };
}

function infoDict(info: DocumentInfo): PdfDict {
  return new Map<string, PdfValue>([
    ['Title', PdfString.text(info.title)],
    ['Author', PdfString.text(info.author)],
    ['Subject', PdfString.text(info.subject)],
    ['Keywords', PdfString.text(info.keywords)],
    ['Creator', PdfString.text(info.creator)],
    ['Producer', PdfString.text(info.creator)],
    ['CreationDate', new PdfString(pdfDate(info.date))],
    ['ModDate', new PdfString(pdfDate(info.date))],
  ]);
}

/** The catalog with the document's language, the title shown in the window and, if any, the bookmarks open. */
function finishedCatalog(original: PdfDict, finishing: Finishing, outlines: PdfRef | undefined): PdfDict {
  const catalog = new Map(original);
  catalog.set('Lang', PdfString.text(finishing.lang));
  catalog.set('ViewerPreferences', new Map<string, PdfValue>([['Type', new PdfName('ViewerPreferences')], ['DisplayDocTitle', true]]));
  if (outlines) {
    catalog.set('Outlines', outlines);
    catalog.set('PageMode', new PdfName('UseOutlines'));
  }
  return catalog;
}

/** The structure root with a role map that names, for each of `roles` it lacks, the type to read it as. */
function withRoles(structRoot: PdfDict, roleMap: PdfDict | undefined, roles: Readonly<Record<string, string>>): PdfDict {
  const root = new Map(structRoot);
  const map = new Map(roleMap ?? []);
  for (const [type, role] of Object.entries(roles)) if (!map.has(type)) map.set(type, new PdfName(role));
  root.set('RoleMap', map);
  return root;
}

/** D:YYYYMMDDHHmmSSZ, in UTC. */
function pdfDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `D:${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

/**
 * Print-shop boxes and crop marks, page by page. The page as printed is trim + bleed: the
 * BleedBox is that page, the TrimBox is inset by the bleed, and the MediaBox grows outwards to
 * make room for crop marks, drawn as artifacts so they stay out of the tagged structure. The
 * printed content is wrapped in q/Q so that whatever state it leaves cannot move the marks.
 * The two streams it adds are made once, for the first page that needs them.
 */
function printMarks(bleedMm: number): (page: PdfDict, objects: ObjectSink, resolve: (v: PdfValue | undefined) => PdfValue | undefined) => void {
  const b = bleedMm * PT_PER_MM;
  const m = MARK_AREA_MM * PT_PER_MM;
  const gap = 2 * PT_PER_MM; // marks stop short of the bleed
  let save: PdfRef | undefined;
  const marksBySize = new Map<string, PdfRef>();
  return (page, objects, resolve) => {
    if (!save) {
      save = objects.reserve();
      objects.set(save, new PdfStream(new Map(), Buffer.from('q\n', 'latin1')));
    }
    const box = (resolve(page.get('MediaBox')) as number[] | undefined) ?? [0, 0, 595.28, 841.89];
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
      marks = objects.reserve();
      objects.set(marks, new PdfStream(new Map(), Buffer.from(ops.join('\n'), 'latin1')));
      marksBySize.set(key, marks);
    }
    const contents = page.get('Contents');
    page.set('Contents', [save, ...(Array.isArray(contents) ? contents : contents === undefined ? [] : [contents]), marks]);
    page.set('BleedBox', [0, 0, w, h]);
    page.set('TrimBox', [b, b, w - b, h - b]);
    page.set('MediaBox', [-m, -m, w + m, h + m]);
    page.set('CropBox', [-m, -m, w + m, h + m]);
  };
}
