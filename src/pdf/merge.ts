/**
 * Several tagged PDFs (consecutive page runs of one document, each printed on its own) as one
 * tagged PDF: pages in order under one page tree, one structure tree under one Document element,
 * one parent tree, one ID tree and one set of named destinations, and folios printed on their own
 * stamped on the pages printed without them. Every object is copied with its references
 * renumbered; streams are copied as they are, never decoded. Nothing is copied that the merged
 * file does not reach: a part's catalog, structure root, trees and page-tree nodes of the folio
 * file are left behind, not carried along as orphans. Knows PDF, not what is printed.
 */
import { deflateSync } from 'node:zlib';
import { asArray, decodeStream, PdfFile } from './file.js';
import type { MergeFinishing } from './finish.js';
import { unitedTrueType } from './font-union.js';
import type { ObjectSink } from './outline.js';
import { destinationId } from './destinations.js';
import { Renumberer } from './renumber.js';
import { PdfName, PdfRef, PdfString, writeValue, type PdfDict, type PdfValue } from './syntax.js';
import { PdfStream, PdfWriter } from './writer.js';
import { HeaderIdRenumbering } from './stable-header-ids.js';

export interface MergePart {
  bytes: Buffer;
  /** Named destinations that belong to this part; others are stand-ins for links across parts. */
  ownDestinations: ReadonlySet<string>;
}

/** Folios printed on their own: one page for each page they go on. */
export interface FolioStamp {
  bytes: Buffer;
}

export interface MergeOptions {
  /** Parts from this place on get folios stamped on (PdfMerger.finish() takes them). */
  stampFrom?: number;
  /**
   * By place: whether the part's first top-level structure element goes on with the last one of
   * the part before it (one container cut in two where the document was split into parts). The
   * two become one element, as in a document printed whole.
   */
  continuing?: readonly boolean[];
  /** Information, catalog, structure root and pages finished as they are written. */
  finishing?: MergeFinishing;
  /** Give each face one font program, the union of the parts' subsets, where that is safe (default). */
  shareFonts?: boolean;
}

const SUBSET_TAG = /^[A-Z]{6}\+/;

/** A font subset's name with a tag of its own for file `k` of a merge. */
function subsetTagged(name: PdfName, k: number): PdfName {
  if (!SUBSET_TAG.test(name.value)) return name;
  const tag = `${String.fromCharCode(65 + (Math.floor(k / 26) % 26))}${String.fromCharCode(65 + (k % 26))}`;
  return new PdfName(`${name.value.slice(0, 4)}${tag}${name.value.slice(6)}`);
}

/**
 * A value of file `k` with its references moved by `base` and its subset names tagged. It
 * recurses into the value's own nesting (a dictionary in an array in a dictionary), never from
 * one object to another, so its depth does not grow with the document.
 */
function mover(base: number, k: number): (value: PdfValue) => PdfValue {
  const move = (value: PdfValue): PdfValue => {
    if (value instanceof PdfRef) return new PdfRef(value.num + base, value.gen);
    if (value instanceof PdfName) return subsetTagged(value, k);
    if (Array.isArray(value)) return value.map(move);
    if (value instanceof Map) {
      const moved: PdfDict = new Map();
      for (const [key, v] of value) moved.set(key, move(v));
      return moved;
    }
    return value;
  };
  return move;
}

/** All at once, the parts in page order. */
export function mergePdfs(parts: readonly MergePart[], options: MergeOptions = {}): Buffer {
  const merger = new PdfMerger(parts.length, options);
  parts.forEach((part, k) => merger.add(k, part));
  return merger.finish();
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
  resolve: (value: PdfValue | undefined) => PdfValue | undefined;
  /** Its place among the pages that get folios (from 0). */
  folio: number;
}

/**
 * One structure element made of the pieces that parts hold of it, where parts meet: the end of
 * the one before, the start of the next (and all of a part in between). By place.
 */
interface Join {
  ref: PdfRef;
  pieces: Map<number, PdfDict>;
}

/**
 * Parts merged one at a time, as they are printed (in any order of places, but those that get
 * folios in page order): each part's objects are written as soon as it is added, so the merge
 * works while the rest are still printed. Objects are numbered in the order parts are added;
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
  private placed: Array<PlacedPart | undefined>;
  private waiting: WaitingPage[] = [];
  private readonly joins = new Map<number, Join>();
  private readonly fonts = new SharedFonts();
  private folioPages = 0;
  private readonly sink: ObjectSink = {
    reserve: () => this.fresh(),
    set: (ref, value) => this.writer.object(ref.num, value),
  };

  /** `count` parts, placed 0 to count - 1. */
  constructor(
    count: number,
    private readonly options: MergeOptions = {},
  ) {
    this.placed = Array.from({ length: count }, () => undefined);
  }

  private fresh(): PdfRef {
    return new PdfRef(this.nextNum++);
  }

  /** The element that parts k - 1 and k share. */
  private join(k: number): Join {
    let join = this.joins.get(k);
    if (!join) {
      join = { ref: this.fresh(), pieces: new Map() };
      this.joins.set(k, join);
    }
    return join;
  }

  add(k: number, part: MergePart): void {
    const { stampFrom, finishing } = this.options;
    const stamping = stampFrom !== undefined && k >= stampFrom;
    if (stamping && this.placed.some((p, j) => p === undefined && j >= stampFrom && j < k)) {
      throw new Error(`part ${k + 1} is merged before a part whose pages come before it get their folios`);
    }
    const file = new PdfFile(this.headerIds.renumbered(part.bytes));
    const base = this.nextNum - 1;
    this.nextNum += file.size;
    const { writer, renumberer, keyOffset } = this;
    // Font subsets get a tag of their own per part: two parts' "AAAAAA+SourceSerif4" hold
    // different glyphs, and a subset name must not stand for two fonts in one file.
    const move = mover(base, k);
    const resolve = (value: PdfValue | undefined) => (value instanceof PdfRef ? move(file.object(value.num - base)) : value);
    const { pages: pageRefs } = file.pageTree();
    // The place among the pages with folios of each of the part's pages that gets one.
    const stamped = new Map<number, number>();
    if (stamping) pageRefs.forEach((ref, i) => stamped.set(ref.num, this.folioPages + i));

    const catalog = file.catalog();
    const structRootRef = catalog.get('StructTreeRoot');
    const structRoot = file.dict(structRootRef);
    const skip = new Set<number>();
    const skipRef = (value: PdfValue | undefined) => value instanceof PdfRef && skip.add(value.num);
    skipRef(file.trailer.get('Root'));
    skipRef(file.trailer.get('Info'));
    skipRef(structRootRef);

    // Trees are walked with a stack: a parent tree has a node per page and annotation.
    const treeEntries = (root: PdfValue | undefined, key: 'Nums' | 'Names', visit: (key: PdfValue, value: PdfValue) => void) => {
      const nodes: Array<PdfValue | undefined> = [root];
      while (nodes.length) {
        const node = nodes.pop();
        skipRef(node);
        const dict = file.dict(node);
        if (!dict) continue;
        const entries = asArray(dict.get(key));
        for (let i = 0; i + 1 < entries.length; i += 2) visit(entries[i]!, entries[i + 1]!);
        const kids = asArray(dict.get('Kids'));
        for (let i = kids.length - 1; i >= 0; i--) if (!(kids[i] instanceof PdfRef && skip.has((kids[i] as PdfRef).num))) nodes.push(kids[i]);
      }
    };
    let maxKey = -1;
    treeEntries(structRoot?.get('ParentTree'), 'Nums', (key, value) => {
      if (typeof key !== 'number') return;
      if (key > maxKey) maxKey = key;
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

    // A container cut in two at either end of the part: its half is held back and written as
    // one element with the other half; the elements inside it get that element as parent.
    const joinedKids = new Map<number, PdfRef>();
    const holdBack = (index: number, join: Join): boolean => {
      const kid = documentKids[index];
      const original = kid instanceof PdfRef ? file.dict(new PdfRef(kid.num - base)) : undefined;
      const inner = original?.get('K');
      const kids = Array.isArray(inner) ? inner : inner === undefined ? [] : [inner];
      // Only a plain container: elements inside, no content or annotation of its own, no id.
      if (!original || original.has('ID') || !kids.every((x) => x instanceof PdfRef)) return false;
      skip.add((kid as PdfRef).num - base);
      for (const x of kids) joinedKids.set((x as PdfRef).num, join.ref);
      join.pieces.set(k, move(original) as PdfDict);
      documentKids[index] = join.ref;
      return true;
    };
    const continuing = this.options.continuing ?? [];
    const joinedFirst = continuing[k] === true && documentKids.length > 0 && holdBack(0, this.join(k));
    if (continuing[k + 1] && documentKids.length) {
      if (documentKids.length > 1 || !joinedFirst) holdBack(documentKids.length - 1, this.join(k + 1));
      // The part is all one piece of a container that goes on in the next part too: the next
      // part's piece joins the same element (unless that part came first and made its own).
      else if (!this.joins.has(k + 1)) this.joins.set(k + 1, this.joins.get(k)!);
    }

    const destinations = file.dict(catalog.get('Dests'));
    skipRef(catalog.get('Dests'));
    for (const [name, value] of destinations ?? []) {
      // The array is written into the merged dictionary: an object of its own would be left behind.
      skipRef(value);
      if (part.ownDestinations.has(destinationId(name))) this.dests.set(name, move(file.resolve(value) ?? null));
    }

    const pageRoot = catalog.get('Pages');
    const pageNums = new Set(pageRefs.map((ref) => ref.num));
    const fontFiles = this.options.shareFonts === false ? new Map<number, FontFile>() : fontFilesOf(file, pageRefs);
    const descriptors = new Set([...fontFiles.values()].map((f) => f.descriptor));
    // A stamped page gets resources of its own: resources it shared as an object of their own
    // are written only if something else refers to them too (known once every object is seen).
    const sharedResources = new Map<number, PdfValue | PdfStream>();
    for (const num of stamped.keys()) {
      const resources = file.dict(new PdfRef(num))?.get('Resources');
      if (resources instanceof PdfRef) sharedResources.set(resources.num, null);
    }
    const stillUsed = new Set<number>();
    const noteUse = sharedResources.size ? (n: number) => sharedResources.has(n) && stillUsed.add(n) : undefined;
    const special = new Set([
      ...ownKids,
      ...stamped.keys(),
      ...joinedKids.keys(),
      ...sharedResources.keys(),
      ...fontFiles.keys(),
      ...(finishing?.page ? pageNums : []),
      ...(pageRoot instanceof PdfRef ? [pageRoot.num] : []),
    ]);
    for (const object of file.objects()) {
      const { num } = object;
      if (skip.has(num)) continue;
      // Most objects (tens of thousands of structure elements) only need their references moved.
      const quick = special.has(num) ? undefined : renumberer.moved(object.bytes, base, object.bare, noteUse);
      if (quick) {
        if (quick.stream) writer.stream(num + base, quick.value, quick.stream);
        else writer.value(num + base, quick.value);
        continue;
      }
      const entry = file.entry(num)!;
      if (noteUse) referencesIn(stamped.has(num) ? withoutKey(entry.value, 'Resources') : entry.value, noteUse);
      const value = move(entry.value);
      if (sharedResources.has(num)) {
        sharedResources.set(num, entry.stream ? new PdfStream(value as PdfDict, entry.stream) : value);
        continue;
      }
      // Font programs and their descriptors wait for the end, when every part's subsets are in.
      const fontFile = fontFiles.get(num);
      if (fontFile && entry.stream) {
        this.fonts.program(num + base, fontFile.face, value as PdfDict, entry.stream);
        continue;
      }
      if (descriptors.has(num)) {
        this.fonts.descriptor(num + base, value as PdfDict);
        continue;
      }
      if (value instanceof Map) {
        if (typeof value.get('StructParents') === 'number') value.set('StructParents', (value.get('StructParents') as number) + keyOffset);
        if (typeof value.get('StructParent') === 'number') value.set('StructParent', (value.get('StructParent') as number) + keyOffset);
        if (ownKids.has(num) && value.has('P')) value.set('P', this.documentRef);
        const joined = joinedKids.get(num);
        if (joined && value.has('P')) value.set('P', joined);
        if (pageRoot instanceof PdfRef && num === pageRoot.num) value.set('Parent', this.pagesRoot);
        const folio = stamped.get(num);
        if (folio !== undefined) {
          // Its folio is not in the file yet: the page is written last.
          this.waiting.push({ num: num + base, value, original: entry.value as PdfDict, file, move, resolve, folio });
          continue;
        }
        if (pageNums.has(num)) finishing?.page?.(value, this.sink, resolve);
      }
      if (entry.stream) {
        const dict = value as PdfDict;
        dict.delete('Length');
        writer.object(num + base, new PdfStream(dict, entry.stream));
      } else writer.object(num + base, value);
    }
    for (const [num, value] of sharedResources) if (stillUsed.has(num)) writer.object(num + base, value!);
    if (stamping) this.folioPages += pageRefs.length;
    this.placed[k] = { file, pageRoot: pageRoot instanceof PdfRef ? new PdfRef(pageRoot.num + base) : undefined, pages: pageRefs.length, documentKids, lang };
    this.keyOffset += Math.max(maxKey + 1, typeof structRoot?.get('ParentTreeNextKey') === 'number' ? (structRoot.get('ParentTreeNextKey') as number) : 0);
  }

  /**
   * The merged file, once every part is added (and, if any get folios, with `stamp`). With the
   * finishing option, its catalog, structure root and information are written finished, which
   * spares reading the whole file back to finish it.
   */
  finish(stamp?: FolioStamp): Buffer {
    const { finishing } = this.options;
    const placed = this.placed.map((p, k) => {
      if (!p) throw new Error(`part ${k + 1} was never merged`);
      return p;
    });
    const { writer } = this;
    if (this.waiting.length) {
      if (!stamp) throw new Error('pages wait for folios that never came');
      const file = new PdfFile(stamp.bytes);
      const base = this.nextNum - 1;
      this.nextNum += file.size;
      const folios = copyFolios(file, base, placed.length, writer, this.renumberer, () => this.fresh(), this.options.shareFonts === false ? undefined : this.fonts);
      for (const page of this.waiting) {
        const form = folios.pages[page.folio];
        if (!form) throw new Error(`no folio for page ${page.folio + 1} of those that get one`);
        stampFolio(page.value, page.original, page.file, page.move, folios, form);
        finishing?.page?.(page.value, this.sink, page.resolve);
        writer.object(page.num, page.value);
      }
    }

    this.fonts.write(writer);
    const first = placed[0]!.file;
    const pageCount = placed.reduce((n, p) => n + p.pages, 0);
    writer.object(this.pagesRoot.num, new Map<string, PdfValue>([['Type', new PdfName('Pages')], ['Kids', placed.flatMap((p) => (p.pageRoot ? [p.pageRoot] : []))], ['Count', pageCount]]));
    const structRootRef = this.fresh();
    // The parts' top-level elements in order; an element two parts share comes once.
    const kids: PdfValue[] = [];
    for (const p of placed) {
      for (const kid of p.documentKids) {
        const last = kids[kids.length - 1];
        if (!(kid instanceof PdfRef && last instanceof PdfRef && kid.num === last.num)) kids.push(kid);
      }
    }
    for (const join of new Set(this.joins.values())) {
      const pieces = [...join.pieces].sort((a, b) => a[0] - b[0]).map(([, piece]) => piece);
      if (!pieces.length) continue;
      const element = new Map(pieces[0]!);
      const inner: PdfValue[] = [];
      for (const piece of pieces) {
        const k = piece.get('K');
        for (const x of Array.isArray(k) ? k : k === undefined ? [] : [k]) inner.push(x);
      }
      element.set('K', inner);
      element.set('P', this.documentRef);
      writer.object(join.ref.num, element);
    }
    const document: PdfDict = new Map<string, PdfValue>([
      ['Type', new PdfName('StructElem')],
      ['S', new PdfName('Document')],
      ['P', structRootRef],
      ['K', kids],
    ]);
    const lang = placed.find((p) => p.lang !== undefined)?.lang;
    if (lang !== undefined) document.set('Lang', lang);
    writer.object(this.documentRef.num, document);
    const parentTreeRef = this.fresh();
    const nums: PdfValue[] = [];
    for (const [key, value] of this.parentTree.sort((a, b) => a[0] - b[0])) nums.push(key, value);
    writer.object(parentTreeRef.num, new Map<string, PdfValue>([['Nums', nums]]));
    const structRoot: PdfDict = new Map<string, PdfValue>([
      ['Type', new PdfName('StructTreeRoot')],
      ['K', this.documentRef],
      ['ParentTree', parentTreeRef],
      ['ParentTreeNextKey', this.keyOffset],
    ]);
    const { idTree } = this;
    if (idTree.length) {
      const idTreeRef = this.fresh();
      idTree.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const names: PdfValue[] = [];
      for (const [key, value] of idTree) names.push(new PdfString(key), value);
      writer.object(idTreeRef.num, new Map<string, PdfValue>([['Names', names]]));
      structRoot.set('IDTree', idTreeRef);
    }
    const firstRoot = first.dict(first.catalog().get('StructTreeRoot'));
    for (const key of ['RoleMap', 'ClassMap']) {
      const value = firstRoot?.get(key);
      if (value !== undefined && !(value instanceof PdfRef)) structRoot.set(key, value);
    }
    writer.object(structRootRef.num, finishing ? finishing.structRoot(structRoot) : structRoot);
    const destsRef = this.fresh();
    // In name order: the order parts were added in must not show.
    writer.object(destsRef.num, new Map([...this.dests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

    const merged: PdfDict = new Map(first.catalog());
    merged.set('Pages', this.pagesRoot);
    merged.set('Dests', destsRef);
    merged.set('StructTreeRoot', structRootRef);
    const catalog = finishing ? finishing.catalog(merged, this.dests, this.sink) : merged;
    const catalogRef = this.fresh();
    writer.object(catalogRef.num, catalog);
    const infoRef = this.fresh();
    writer.object(infoRef.num, finishing?.info ?? first.dict(first.trailer.get('Info')) ?? new Map());
    // The parts, read and parsed, are let go: the merged file is all that is left to keep.
    this.placed = [];
    this.waiting = [];
    return writer.finish(new Map<string, PdfValue>([['Root', catalogRef], ['Info', infoRef]]));
  }
}

/** A font program a part's pages use: a TrueType subset under a CID font with glyph ids for CIDs. */
interface FontFile {
  descriptor: number;
  /** The face: the subset's name without its tag. */
  face: string;
}

/**
 * The font programs that may be shared, by object number: those of Type 0 fonts over a
 * CIDFontType2 with the Identity CID-to-glyph map, which is how Chromium embeds TrueType fonts.
 * Found through the pages' font resources; a font found no other way keeps its own program.
 */
function fontFilesOf(file: PdfFile, pages: readonly PdfRef[]): Map<number, FontFile> {
  const found = new Map<number, FontFile>();
  const seen = new Set<number>();
  for (const page of pages) {
    const fonts = file.dict(file.dict(file.dict(page)?.get('Resources'))?.get('Font'));
    for (const ref of fonts?.values() ?? []) {
      if (!(ref instanceof PdfRef) || seen.has(ref.num)) continue;
      seen.add(ref.num);
      const font = file.dict(ref);
      if ((font?.get('Subtype') as PdfName | undefined)?.value !== 'Type0') continue;
      const cid = file.dict(asArray(file.resolve(font!.get('DescendantFonts')))[0]);
      const map = cid?.get('CIDToGIDMap');
      if ((cid?.get('Subtype') as PdfName | undefined)?.value !== 'CIDFontType2' || !(map === undefined || (map instanceof PdfName && map.value === 'Identity'))) continue;
      const descriptorRef = cid!.get('FontDescriptor');
      const descriptor = file.dict(descriptorRef);
      const program = descriptor?.get('FontFile2');
      const name = descriptor?.get('FontName');
      if (!(descriptorRef instanceof PdfRef) || !(program instanceof PdfRef) || !(name instanceof PdfName)) continue;
      found.set(program.num, { descriptor: descriptorRef.num, face: name.value.replace(SUBSET_TAG, '') });
    }
  }
  return found;
}

/**
 * Font programs held back until every part is in: each face's subsets are written as their
 * union, once, and every descriptor of the face points at it (font-union.ts says when that
 * is safe; when it is not, each subset is written as it came).
 */
class SharedFonts {
  private readonly faces = new Map<string, Array<{ num: number; dict: PdfDict; data: Buffer }>>();
  private readonly descriptors = new Map<number, PdfDict>();

  program(num: number, face: string, dict: PdfDict, data: Buffer): void {
    let members = this.faces.get(face);
    if (!members) this.faces.set(face, (members = []));
    members.push({ num, dict, data });
  }

  descriptor(num: number, dict: PdfDict): void {
    this.descriptors.set(num, dict);
  }

  write(writer: PdfWriter): void {
    const sharedAs = new Map<number, PdfRef>();
    for (const members of this.faces.values()) {
      let united: Buffer | undefined;
      if (members.length > 1) {
        try {
          united = unitedTrueType(members.map((m) => decodeStream(m.dict, m.data)));
        } catch {
          // A program this reader cannot decode is written as it came.
          united = undefined;
        }
      }
      if (!united) {
        for (const m of members) {
          const dict = new Map(m.dict);
          dict.delete('Length');
          writer.object(m.num, new PdfStream(dict, m.data));
        }
        continue;
      }
      const target = new PdfRef(members[0]!.num);
      for (const m of members) sharedAs.set(m.num, target);
      // Fonts are small and read once: worth deflate's best.
      writer.object(target.num, new PdfStream(new Map<string, PdfValue>([['Length1', united.length], ['Filter', new PdfName('FlateDecode')]]), deflateSync(united, { level: 9 })));
    }
    for (const [num, dict] of this.descriptors) {
      const program = dict.get('FontFile2');
      const shared = program instanceof PdfRef ? sharedAs.get(program.num) : undefined;
      if (shared) {
        const copy = new Map(dict);
        copy.set('FontFile2', shared);
        writer.object(num, copy);
      } else writer.object(num, dict);
    }
    this.faces.clear();
    this.descriptors.clear();
  }
}

/** Every object number a value refers to (a stack: the value may be a long array). */
function referencesIn(value: PdfValue, visit: (num: number) => void): void {
  const stack: PdfValue[] = [value];
  while (stack.length) {
    const v = stack.pop()!;
    if (v instanceof PdfRef) visit(v.num);
    else if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v instanceof Map) for (const item of v.values()) stack.push(item);
  }
}

function withoutKey(value: PdfValue, key: string): PdfValue {
  if (!(value instanceof Map)) return value;
  const copy = new Map(value);
  copy.delete(key);
  return copy;
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
 * XObject (with the page's box and resources), and what those reach (fonts, graphics states) is
 * copied. Nothing else is: its catalog, page tree and pages stay behind.
 */
function copyFolios(file: PdfFile, base: number, k: number, writer: PdfWriter, renumberer: Renumberer, fresh: () => PdfRef, fonts: SharedFonts | undefined): CopiedFolios {
  const move = mover(base, k);
  const forms = new Map<number, PdfDict>();
  const pages: PdfRef[] = [];
  const catalog = file.catalog();
  const needed = new Set<number>();
  const reach: PdfValue[] = [];
  // Every folio page has the same resources, written into it: one object for all the forms
  // instead of a copy in each (a form's dictionary is not compressed; 150 bytes a page).
  const interned = new Map<string, PdfRef>();
  const shared = (resources: PdfDict): PdfRef => {
    const key = writeValue(resources);
    let ref = interned.get(key);
    if (!ref) {
      ref = fresh();
      writer.object(ref.num, resources);
      interned.set(key, ref);
    }
    return ref;
  };
  file.pageRefs().forEach((ref, i) => {
    const page = file.dict(ref)!;
    const contents = Array.isArray(page.get('Contents')) ? (page.get('Contents') as PdfValue[]) : [page.get('Contents')!];
    const content = contents[0];
    if (contents.length !== 1 || !(content instanceof PdfRef)) throw new Error(`folio page ${i + 1} has ${contents.length} content streams; one was expected`);
    const box = page.get('MediaBox') ?? file.dict(catalog.get('Pages'))?.get('MediaBox');
    const resources = page.get('Resources') ?? new Map();
    forms.set(content.num, new Map<string, PdfValue>([
      ['Type', new PdfName('XObject')],
      ['Subtype', new PdfName('Form')],
      ['BBox', box ?? null],
      ['Resources', resources instanceof Map ? shared(move(resources) as PdfDict) : move(resources)],
    ]));
    pages[i] = new PdfRef(content.num + base);
    needed.add(content.num);
    reach.push(file.object(content.num), resources);
  });
  // What the forms reach, object by object (a stack, not recursion).
  while (reach.length) {
    const value = reach.pop()!;
    if (value instanceof PdfRef) {
      if (!needed.has(value.num)) {
        needed.add(value.num);
        reach.push(file.object(value.num));
      }
    } else if (Array.isArray(value)) for (const item of value) reach.push(item);
    else if (value instanceof Map) for (const item of value.values()) reach.push(item);
  }
  const fontFiles = fonts ? fontFilesOf(file, file.pageRefs()) : new Map<number, FontFile>();
  const descriptors = new Set([...fontFiles.values()].map((f) => f.descriptor));
  for (const object of file.objects()) {
    const { num } = object;
    if (!needed.has(num)) continue;
    const fontFile = fontFiles.get(num);
    if (fonts && (fontFile || descriptors.has(num))) {
      const entry = file.entry(num)!;
      if (fontFile && entry.stream) fonts.program(num + base, fontFile.face, move(entry.value) as PdfDict, entry.stream);
      else if (!fontFile) fonts.descriptor(num + base, move(entry.value) as PdfDict);
      if (entry.stream || !fontFile) continue;
    }
    const form = forms.get(num);
    if (form) {
      const entry = file.entry(num)!;
      const dict = new Map([...(move(entry.value) as PdfDict), ...form]);
      dict.delete('Length');
      writer.object(num + base, new PdfStream(dict, entry.stream!));
      continue;
    }
    const quick = renumberer.moved(object.bytes, base, object.bare);
    if (quick) {
      if (quick.stream) writer.stream(num + base, quick.value, quick.stream);
      else writer.value(num + base, quick.value);
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
