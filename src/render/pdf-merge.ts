/**
 * Several tagged Chromium PDFs (consecutive page runs of one pack) as one tagged PDF: pages in
 * order under one page tree, one structure tree under one Document element, one parent tree,
 * one ID tree and one set of named destinations, and folios printed on their own stamped on the
 * pages printed without them. Every object is copied with its references renumbered; streams
 * are copied as they are, never decoded.
 */
import { asArray, PdfFile, PdfStream, PdfWriter } from './pdf-file.js';
import type { MergeFinishing } from './pdf-finish.js';
import { PdfName, PdfRef, PdfString, type PdfDict, type PdfValue } from './pdf-syntax.js';
import { destinationId } from './pdf-pages.js';
import { Renumberer } from './pdf-renumber.js';
import { HeaderIdRenumbering } from './stable-header-ids.js';

export interface MergePart {
  bytes: Buffer;
  /** Named destinations that belong to this part; others are stand-ins for links across parts. */
  ownDestinations: ReadonlySet<string>;
}

/** Folios printed on their own (print-document.ts's folioDocument): one page for each page they go on. */
export interface FolioStamp {
  bytes: Buffer;
}

const SUBSET_TAG = /^[A-Z]{6}\+/;

/** A font subset's name with a tag of its own for file `k` of a merge. */
function subsetTagged(name: PdfName, k: number): PdfName {
  if (!SUBSET_TAG.test(name.value)) return name;
  const tag = `${String.fromCharCode(65 + (Math.floor(k / 26) % 26))}${String.fromCharCode(65 + (k % 26))}`;
  return new PdfName(`${name.value.slice(0, 4)}${tag}${name.value.slice(6)}`);
}

/** A value of file `k` with its references moved by `base` and its subset names tagged. */
function mover(base: number, k: number): (value: PdfValue) => PdfValue {
  const move = (value: PdfValue): PdfValue => {
    if (value instanceof PdfRef) return new PdfRef(value.num + base, value.gen);
    if (value instanceof PdfName) return subsetTagged(value, k);
    if (Array.isArray(value)) return value.map(move);
    if (value instanceof Map) return new Map([...value].map(([key, v]) => [key, move(v)]));
    return value;
  };
  return move;
}

/** All at once, the parts in page order. */
export function mergePdfs(parts: readonly MergePart[], finishing?: MergeFinishing): Buffer {
  const merger = new PdfMerger(parts.length);
  parts.forEach((part, k) => merger.add(k, part));
  return merger.finish(undefined, finishing);
}

/** What the merge keeps of a part until the end, by its place in page order. */
interface PlacedPart {
  file: PdfFile;
  pageRoot: PdfRef | undefined;
  pages: number;
  documentKids: PdfValue[];
  lang: PdfValue | undefined;
}

/** A page of a part that waits for its folio, written once the folios are in. */
interface WaitingPage {
  num: number;
  value: PdfDict;
  original: PdfDict;
  file: PdfFile;
  move: (value: PdfValue) => PdfValue;
  /** Its place among the pages that get folios (from 0). */
  folio: number;
}

/**
 * Parts merged one at a time, as they are printed (in any order of places, but those that get
 * folios in page order): each part's objects are written as soon as it is added, so the merge
 * works while Chromium still prints the rest. Objects are numbered in the order parts are added;
 * pages and the structure tree follow page order.
 */
export class PdfMerger {
  private readonly writer = new PdfWriter();
  private readonly renumberer = new Renumberer();
  // The page tree's root and the Document element come first: every part refers to them.
  private readonly pagesRoot = new PdfRef(1);
  private readonly documentRef = new PdfRef(2);
  private nextNum = 3;
  private readonly headerIds = new HeaderIdRenumbering();
  private keyOffset = 0;
  private readonly parentTree: Array<[number, PdfValue]> = [];
  private readonly idTree: Array<[string, PdfValue]> = [];
  private readonly dests: PdfDict = new Map();
  private readonly placed: Array<PlacedPart | undefined>;
  private readonly waiting: WaitingPage[] = [];
  private folioPages = 0;

  /** `count` parts; those from place `stampFrom` on get folios stamped on. */
  constructor(
    count: number,
    private readonly stampFrom?: number,
  ) {
    this.placed = Array.from({ length: count }, () => undefined);
  }

  add(k: number, part: MergePart): void {
    const stamping = this.stampFrom !== undefined && k >= this.stampFrom;
    if (stamping && this.placed.some((p, j) => p === undefined && j >= this.stampFrom! && j < k)) {
      throw new Error(`part ${k + 1} is merged before a part whose pages come before it get their folios`);
    }
    const file = new PdfFile(this.headerIds.renumbered(part.bytes));
    const base = this.nextNum - 1;
    this.nextNum += file.size;
    const { writer, renumberer, keyOffset } = this;
    // Font subsets get a tag of their own per part: two parts' "AAAAAA+SourceSerif4" hold
    // different glyphs, and a subset name must not stand for two fonts in one file.
    const move = mover(base, k);
    // The place among the pages with folios of each of the part's pages that gets one.
    const stamped = new Map<number, number>();
    if (stamping) file.pageRefs().forEach((ref, i) => stamped.set(ref.num, this.folioPages + i));

    const catalog = file.catalog();
    const structRootRef = catalog.get('StructTreeRoot');
    const structRoot = file.dict(structRootRef);
    const skip = new Set<number>();
    const skipRef = (value: PdfValue | undefined) => value instanceof PdfRef && skip.add(value.num);
    skipRef(file.trailer.get('Root'));
    skipRef(file.trailer.get('Info'));
    skipRef(structRootRef);
    skipRef(catalog.get('Dests'));

    const treeEntries = (root: PdfValue | undefined, key: 'Nums' | 'Names', visit: (key: PdfValue, value: PdfValue) => void) => {
      const walk = (node: PdfValue | undefined, depth: number) => {
        skipRef(node);
        const dict = file.dict(node);
        if (!dict || depth > 64) return;
        const entries = asArray(dict.get(key));
        for (let i = 0; i + 1 < entries.length; i += 2) visit(entries[i]!, entries[i + 1]!);
        for (const kid of asArray(dict.get('Kids'))) walk(kid, depth + 1);
      };
      walk(root, 0);
    };
    let maxKey = -1;
    treeEntries(structRoot?.get('ParentTree'), 'Nums', (key, value) => {
      if (typeof key !== 'number') return;
      maxKey = Math.max(maxKey, key);
      this.parentTree.push([key + keyOffset, move(value)]);
    });
    treeEntries(structRoot?.get('IDTree'), 'Names', (key, value) => {
      if (key instanceof PdfString) this.idTree.push([key.bytes, move(value)]);
    });

    // The part's Document element dissolves into the merged one.
    const ownKids = new Set<number>();
    const documentKids: PdfValue[] = [];
    let lang: PdfValue | undefined;
    const documents = asArray(structRoot?.get('K')).length ? asArray(structRoot?.get('K')) : [structRoot?.get('K')];
    for (const doc of documents) {
      const element = file.dict(doc);
      if (!element) continue;
      const type = element.get('S');
      if (type instanceof PdfName && type.value === 'Document') {
        skipRef(doc);
        lang ??= element.get('Lang');
        const inner = element.get('K');
        for (const kid of Array.isArray(inner) ? inner : inner === undefined ? [] : [inner]) {
          if (kid instanceof PdfRef) ownKids.add(kid.num);
          documentKids.push(move(kid));
        }
      } else if (doc !== undefined) {
        if (doc instanceof PdfRef) ownKids.add(doc.num);
        documentKids.push(move(doc));
      }
    }

    const destinations = file.dict(catalog.get('Dests'));
    for (const [name, value] of destinations ?? []) {
      if (part.ownDestinations.has(destinationId(name))) this.dests.set(name, move(file.resolve(value) ?? null));
    }

    const pageRoot = catalog.get('Pages');
    const special = new Set([...ownKids, ...stamped.keys(), ...(pageRoot instanceof PdfRef ? [pageRoot.num] : [])]);
    for (const { num, bytes } of file.rawObjects()) {
      if (skip.has(num)) continue;
      // Most objects (tens of thousands of structure elements) only need their references moved.
      const quick = special.has(num) ? undefined : renumberer.moved(bytes, base);
      if (quick) {
        writer.raw(num + base, ...quick);
        continue;
      }
      const entry = file.entry(num)!;
      const value = move(entry.value);
      if (value instanceof Map) {
        if (typeof value.get('StructParents') === 'number') value.set('StructParents', (value.get('StructParents') as number) + keyOffset);
        if (typeof value.get('StructParent') === 'number') value.set('StructParent', (value.get('StructParent') as number) + keyOffset);
        if (ownKids.has(num) && value.has('P')) value.set('P', this.documentRef);
        if (pageRoot instanceof PdfRef && num === pageRoot.num) value.set('Parent', this.pagesRoot);
        const folio = stamped.get(num);
        if (folio !== undefined) {
          // Its folio is not in the file yet: the page is written last.
          this.waiting.push({ num: num + base, value, original: entry.value as PdfDict, file, move, folio });
          continue;
        }
      }
      if (entry.stream) {
        const dict = value as PdfDict;
        dict.delete('Length');
        writer.object(num + base, new PdfStream(dict, entry.stream));
      } else writer.object(num + base, value);
    }
    const pages = file.pageRefs().length;
    if (stamping) this.folioPages += pages;
    this.placed[k] = { file, pageRoot: pageRoot instanceof PdfRef ? new PdfRef(pageRoot.num + base) : undefined, pages, documentKids, lang };
    this.keyOffset += Math.max(maxKey + 1, typeof structRoot?.get('ParentTreeNextKey') === 'number' ? (structRoot.get('ParentTreeNextKey') as number) : 0);
  }

  /**
   * The merged file, once every part is added (and, if any get folios, with `stamp`). With
   * `finishing`, its catalog, structure root and information are written finished, which spares
   * reading the whole file back to finish it.
   */
  finish(stamp?: FolioStamp, finishing?: MergeFinishing): Buffer {
    const placed = this.placed.map((p, k) => {
      if (!p) throw new Error(`part ${k + 1} was never merged`);
      return p;
    });
    const { writer } = this;
    const fresh = () => new PdfRef(this.nextNum++);
    if (this.waiting.length) {
      if (!stamp) throw new Error('pages wait for folios that never came');
      const file = new PdfFile(stamp.bytes);
      const base = this.nextNum - 1;
      this.nextNum += file.size;
      const folios = copyFolios(file, base, placed.length, writer, this.renumberer, fresh);
      for (const page of this.waiting) {
        const form = folios.pages[page.folio];
        if (!form) throw new Error(`no folio for page ${page.folio + 1} of those that get one`);
        stampFolio(page.value, page.original, page.file, page.move, folios, form);
        writer.object(page.num, page.value);
      }
    }

    const first = placed[0]!.file;
    const pageCount = placed.reduce((n, p) => n + p.pages, 0);
    writer.object(this.pagesRoot.num, new Map<string, PdfValue>([['Type', new PdfName('Pages')], ['Kids', placed.flatMap((p) => (p.pageRoot ? [p.pageRoot] : []))], ['Count', pageCount]]));
    const structRootRef = fresh();
    const document: PdfDict = new Map<string, PdfValue>([
      ['Type', new PdfName('StructElem')],
      ['S', new PdfName('Document')],
      ['P', structRootRef],
      ['K', placed.flatMap((p) => p.documentKids)],
    ]);
    const lang = placed.find((p) => p.lang !== undefined)?.lang;
    if (lang !== undefined) document.set('Lang', lang);
    writer.object(this.documentRef.num, document);
    const parentTreeRef = fresh();
    writer.object(parentTreeRef.num, new Map<string, PdfValue>([['Nums', this.parentTree.sort((a, b) => a[0] - b[0]).flat()]]));
    const structRoot: PdfDict = new Map<string, PdfValue>([
      ['Type', new PdfName('StructTreeRoot')],
      ['K', this.documentRef],
      ['ParentTree', parentTreeRef],
      ['ParentTreeNextKey', this.keyOffset],
    ]);
    const { idTree } = this;
    if (idTree.length) {
      const idTreeRef = fresh();
      idTree.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      writer.object(idTreeRef.num, new Map<string, PdfValue>([['Names', idTree.flatMap(([key, value]) => [new PdfString(key), value])]]));
      structRoot.set('IDTree', idTreeRef);
    }
    const firstRoot = first.dict(first.catalog().get('StructTreeRoot'));
    for (const key of ['RoleMap', 'ClassMap']) {
      const value = firstRoot?.get(key);
      if (value !== undefined && !(value instanceof PdfRef)) structRoot.set(key, value);
    }
    writer.object(structRootRef.num, finishing ? finishing.structRoot(structRoot) : structRoot);
    const destsRef = fresh();
    // In name order: the order parts were added in must not show.
    writer.object(destsRef.num, new Map([...this.dests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

    const merged: PdfDict = new Map(first.catalog());
    merged.set('Pages', this.pagesRoot);
    merged.set('Dests', destsRef);
    merged.set('StructTreeRoot', structRootRef);
    const objects = { reserve: fresh, set: (ref: PdfRef, value: PdfValue | PdfStream) => writer.object(ref.num, value) };
    const catalog = finishing ? finishing.catalog(merged, this.dests, objects) : merged;
    const catalogRef = fresh();
    writer.object(catalogRef.num, catalog);
    const infoRef = fresh();
    writer.object(infoRef.num, finishing?.info ?? first.dict(first.trailer.get('Info')) ?? new Map());
    return writer.finish(new Map<string, PdfValue>([['Root', catalogRef], ['Info', infoRef]]));
  }
}

interface CopiedFolios {
  /** The form XObject of each folio, in order. */
  pages: PdfRef[];
  /** "q": put before a page's own content, so that the folio is drawn in the page's own space. */
  save: PdfRef;
  /** "Q" and the folio, drawn as a pagination artifact. */
  draw: PdfRef;
}

const FOLIO_NAME = 'BriefpackFolio';

/**
 * The stamp file's objects in the merged file: each page's content stream becomes a form
 * XObject (with the page's box and resources); its fonts and the rest are copied; its page
 * tree, pages and catalogue are left behind.
 */
function copyFolios(
  file: PdfFile,
  base: number,
  k: number,
  writer: PdfWriter,
  renumberer: Renumberer,
  fresh: () => PdfRef,
): CopiedFolios {
  const move = mover(base, k);
  const skip = new Set<number>();
  const forms = new Map<number, PdfDict>();
  const pages: PdfRef[] = [];
  const catalog = file.catalog();
  for (const ref of [file.trailer.get('Root'), file.trailer.get('Info'), catalog.get('Pages')]) if (ref instanceof PdfRef) skip.add(ref.num);
  file.pageRefs().forEach((ref, i) => {
    skip.add(ref.num);
    const page = file.dict(ref)!;
    const contents = Array.isArray(page.get('Contents')) ? (page.get('Contents') as PdfValue[]) : [page.get('Contents')!];
    const content = contents[0];
    if (contents.length !== 1 || !(content instanceof PdfRef)) throw new Error(`folio page ${i + 1} has ${contents.length} content streams; one was expected`);
    const box = page.get('MediaBox') ?? file.dict(catalog.get('Pages'))?.get('MediaBox');
    forms.set(content.num, new Map<string, PdfValue>([
      ['Type', new PdfName('XObject')],
      ['Subtype', new PdfName('Form')],
      ['BBox', box ?? null],
      ['Resources', move(file.resolve(page.get('Resources')) ?? new Map())],
    ]));
    pages[i] = new PdfRef(content.num + base);
  });
  for (const { num, bytes } of file.rawObjects()) {
    if (skip.has(num)) continue;
    const form = forms.get(num);
    if (form) {
      const entry = file.entry(num)!;
      const dict = new Map([...(move(entry.value) as PdfDict), ...form]);
      dict.delete('Length');
      writer.object(num + base, new PdfStream(dict, entry.stream!));
      continue;
    }
    const quick = renumberer.moved(bytes, base);
    if (quick) {
      writer.raw(num + base, ...quick);
      continue;
    }
    const entry = file.entry(num)!;
    const value = move(entry.value);
    if (entry.stream) {
      const dict = value as PdfDict;
      dict.delete('Length');
      writer.object(num + base, new PdfStream(dict, entry.stream));
    } else writer.object(num + base, value);
  }
  const save = fresh();
  writer.object(save.num, new PdfStream(new Map(), Buffer.from('q\n', 'latin1')));
  const draw = fresh();
  writer.object(draw.num, new PdfStream(new Map(), Buffer.from(`Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n/${FOLIO_NAME} Do\nEMC\n`, 'latin1')));
  return { pages, save, draw };
}

/**
 * Stamp a folio on a part's page (`value`, already moved; `original`, as the part has it): its
 * contents are wrapped in q/Q and followed by the folio, and its resources name the folio.
 */
function stampFolio(value: PdfDict, original: PdfDict, file: PdfFile, move: (v: PdfValue) => PdfValue, folios: CopiedFolios, form: PdfRef): void {
  // Resources and their XObject dictionary are copied into the page (either may be an object of
  // its own in the part), so that what is added is this page's alone.
  const own = file.dict(original.get('Resources'));
  const resources = new Map(move(own ?? new Map()) as PdfDict);
  const xobjects = new Map(move(file.dict(own?.get('XObject')) ?? new Map()) as PdfDict);
  xobjects.set(FOLIO_NAME, form);
  resources.set('XObject', xobjects);
  value.set('Resources', resources);
  const contents = value.get('Contents');
  value.set('Contents', [folios.save, ...(Array.isArray(contents) ? contents : contents === undefined ? [] : [contents]), folios.draw]);
}
