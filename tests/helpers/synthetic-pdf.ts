/**
 * Tagged PDFs laid out the way Chromium writes them (a classic cross-reference table, a structure
 * tree with a parent tree, link annotations to named destinations, font subsets, table headers
 * named after node ids), made with the toolkit's own writer from a small description: parts to
 * merge in tests that need no browser, at any size.
 */
import { PdfName, PdfRef, PdfString, type PdfDict, type PdfValue } from '../../src/pdf/syntax.js';
import { PdfStream, PdfWriter } from '../../src/pdf/writer.js';

export interface SyntheticPage {
  /** Ids defined on the page: a heading each, and a named destination. */
  ids: readonly string[];
  /** Ids the page links to (a Link element and annotation each). */
  links: readonly string[];
  /** Paragraphs of plain text (one marked-content sequence each). */
  paragraphs?: number;
  /** Table headers with an id from the renderer's node counter, and a cell naming each. */
  headers?: number;
}

export interface SyntheticPart {
  pages: readonly SyntheticPage[];
  /** Ids defined in other parts that this part links to: stand-in destinations on its first page. */
  foreign?: readonly string[];
  /** Kids per page-tree node: fewer pages than this make a flat tree. */
  fanout?: number;
  /** The part's sections sit in one container element under the Document, as a document's <main> does. */
  container?: boolean;
  /** Where the renderer's node counter starts (table header ids). */
  firstNodeId?: number;
  /** Write the file compact (object streams) instead of Chromium's way. */
  compact?: boolean;
}

/** What the part holds, to check a merge against. */
export interface SyntheticSummary {
  pages: number;
  elements: number;
  links: number;
}

/** Numbers objects as they are made and writes them at the end, in number order. */
class Objects {
  private readonly values: Array<PdfValue | PdfStream> = [];
  ref(value: PdfValue | PdfStream = null): PdfRef {
    this.values.push(value);
    return new PdfRef(this.values.length);
  }
  set(ref: PdfRef, value: PdfValue | PdfStream): void {
    this.values[ref.num - 1] = value;
  }
  write(writer: PdfWriter): void {
    this.values.forEach((value, i) => writer.object(i + 1, value));
  }
  get count(): number {
    return this.values.length;
  }
}

const name = (value: string) => new PdfName(value);
const utf8Name = (id: string) => Buffer.from(id, 'utf8').toString('latin1');

/** Page tree nodes over `kids` (pages), `fanout` to a node, bottom up; returns the root. */
function pageTree(objects: Objects, pages: PdfRef[], pageDicts: PdfDict[], fanout: number, mediaBox: PdfValue[]): PdfRef {
  let level: Array<{ ref: PdfRef; dict: PdfDict; count: number }> = pages.map((ref, i) => ({ ref, dict: pageDicts[i]!, count: 1 }));
  do {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i += fanout) {
      const kids = level.slice(i, i + fanout);
      const dict: PdfDict = new Map<string, PdfValue>([['Type', name('Pages')], ['Kids', kids.map((k) => k.ref)], ['Count', kids.reduce((n, k) => n + k.count, 0)]]);
      const ref = objects.ref(dict);
      for (const kid of kids) kid.dict.set('Parent', ref);
      next.push({ ref, dict, count: dict.get('Count') as number });
    }
    level = next;
  } while (level.length > 1);
  level[0]!.dict.set('MediaBox', mediaBox);
  return level[0]!.ref;
}

export function syntheticPart(spec: SyntheticPart): { bytes: Buffer; summary: SyntheticSummary } {
  const objects = new Objects();
  const info = objects.ref(new Map([['Producer', PdfString.text('synthetic')]]));
  const font = objects.ref(new Map<string, PdfValue>([['Type', name('Font')], ['Subtype', name('Type1')], ['BaseFont', name('AAAAAA+Helvetica')]]));
  const resources = objects.ref(new Map<string, PdfValue>([['Font', new Map([['F1', font]])]]));
  const structRoot = objects.ref();
  const document = objects.ref();
  const container = spec.container ? objects.ref() : undefined;
  const parent = container ?? document;
  const parentTree: PdfValue[] = [];
  let nextKey = 0;
  const dests: PdfDict = new Map();
  const ids: PdfValue[] = [];
  const topKids: PdfRef[] = [];
  const pageRefs: PdfRef[] = [];
  const pageDicts: PdfDict[] = [];
  let nodeId = spec.firstNodeId ?? 1;
  let elements = 0;
  let links = 0;
  spec.pages.forEach((page, p) => {
    const pageRef = objects.ref();
    const sect = objects.ref();
    topKids.push(sect);
    const byMcid: PdfRef[] = [];
    const sectKids: PdfValue[] = [];
    const content: string[] = [];
    const annots: PdfRef[] = [];
    let y = 800;
    const marked = (element: PdfRef, tag: string, text: string) => {
      const mcid = byMcid.length;
      byMcid.push(element);
      const bytes = Buffer.from(text, 'utf8').toString('latin1');
      content.push(`/${tag} <</MCID ${mcid}>> BDC BT /F1 10 Tf 72 ${y} Td (${bytes.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj ET EMC`);
      y -= 14;
      return mcid;
    };
    const element = (type: string, build: (ref: PdfRef) => PdfValue, extra: Array<[string, PdfValue]> = []) => {
      const ref = objects.ref();
      objects.set(ref, new Map<string, PdfValue>([['Type', name('StructElem')], ['S', name(type)], ['P', sect], ['Pg', pageRef], ['K', build(ref)], ...extra]));
      sectKids.push(ref);
      elements++;
      return ref;
    };
    const foreign = p === 0 ? (spec.foreign ?? []) : [];
    for (const id of [...page.ids, ...foreign]) {
      dests.set(utf8Name(id), [pageRef, name('XYZ'), 0, y, 0]);
      if (page.ids.includes(id)) element('H2', (ref) => marked(ref, 'H2', id));
    }
    for (const id of page.links) {
      const annot = objects.ref();
      const key = nextKey++;
      element('Link', (ref) => {
        const mcid = marked(ref, 'Link', `see ${id}`);
        objects.set(annot, new Map<string, PdfValue>([
          ['Type', name('Annot')],
          ['Subtype', name('Link')],
          ['Rect', [72, y, 300, y + 12]],
          ['Border', [0, 0, 0]],
          ['Dest', name(utf8Name(id))],
          ['StructParent', key],
        ]));
        parentTree.push(key, ref);
        return [mcid, new Map<string, PdfValue>([['Type', name('OBJR')], ['Obj', annot], ['Pg', pageRef]])];
      });
      annots.push(annot);
      links++;
    }
    for (let i = 0; i < (page.paragraphs ?? 1); i++) element('P', (ref) => marked(ref, 'P', `paragraph ${i} on page ${p + 1} 1 0 R (stream) endobj`));
    for (let h = 0; h < (page.headers ?? 0); h++) {
      const id = `node${String(nodeId++).padStart(8, '0')}`;
      const th = element('TH', (ref) => marked(ref, 'TH', `Header ${h}`), [['ID', new PdfString(id)]]);
      ids.push(new PdfString(id), th);
      element('TD', (ref) => marked(ref, 'TD', `cell ${h}`), [['A', new Map<string, PdfValue>([['O', name('Table')], ['Headers', [new PdfString(id)]]])]]);
    }
    objects.set(sect, new Map<string, PdfValue>([['Type', name('StructElem')], ['S', name('Sect')], ['P', parent], ['K', sectKids]]));
    const contentRef = objects.ref(new PdfStream(new Map(), Buffer.from(content.join('\n'), 'latin1')));
    const structParents = nextKey++;
    const byMcidRef = objects.ref(byMcid);
    parentTree.push(structParents, byMcidRef);
    const dict: PdfDict = new Map<string, PdfValue>([
      ['Type', name('Page')],
      ['Resources', resources],
      ['Contents', contentRef],
      ['StructParents', structParents],
    ]);
    if (annots.length) dict.set('Annots', annots);
    objects.set(pageRef, dict);
    pageRefs.push(pageRef);
    pageDicts.push(dict);
  });
  const pagesRoot = pageTree(objects, pageRefs, pageDicts, spec.fanout ?? 64, [0, 0, 595, 842]);
  if (container) objects.set(container, new Map<string, PdfValue>([['Type', name('StructElem')], ['S', name('NonStruct')], ['P', document], ['K', topKids]]));
  elements += topKids.length;
  objects.set(document, new Map<string, PdfValue>([['Type', name('StructElem')], ['S', name('Document')], ['P', structRoot], ['K', container ? [container] : topKids], ['Lang', new PdfString('en')]]));
  // The parent tree as Chromium writes it: one node of key-value pairs, sorted by key.
  const pairs: Array<[number, PdfValue]> = [];
  for (let i = 0; i < parentTree.length; i += 2) pairs.push([parentTree[i] as number, parentTree[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const parentTreeRef = objects.ref(new Map([['Nums', pairs.flat()]]));
  const root: PdfDict = new Map<string, PdfValue>([['Type', name('StructTreeRoot')], ['K', document], ['ParentTree', parentTreeRef], ['ParentTreeNextKey', nextKey]]);
  if (ids.length) root.set('IDTree', objects.ref(new Map([['Names', ids]])));
  objects.set(structRoot, root);
  const destsRef = objects.ref(dests);
  const catalog = objects.ref(new Map<string, PdfValue>([
    ['Type', name('Catalog')],
    ['Pages', pagesRoot],
    ['MarkInfo', new Map([['Marked', true]])],
    ['StructTreeRoot', structRoot],
    ['Dests', destsRef],
  ]));
  const writer = new PdfWriter({ compact: spec.compact ?? false });
  objects.write(writer);
  return {
    bytes: writer.finish(new Map<string, PdfValue>([['Root', catalog], ['Info', info]])),
    summary: { pages: spec.pages.length, elements: elements + (container ? 1 : 0), links },
  };
}

/** Folios printed on their own: one untagged page each, "Page N", under a page tree of `fanout`. */
export function syntheticFolios(count: number, fanout = 8): Buffer {
  const objects = new Objects();
  const info = objects.ref(new Map());
  const font = objects.ref(new Map<string, PdfValue>([['Type', name('Font')], ['Subtype', name('Type1')], ['BaseFont', name('BAAAAA+Helvetica')]]));
  const resources = objects.ref(new Map<string, PdfValue>([['Font', new Map([['F1', font]])]]));
  const pageRefs: PdfRef[] = [];
  const pageDicts: PdfDict[] = [];
  for (let i = 0; i < count; i++) {
    const content = objects.ref(new PdfStream(new Map(), Buffer.from(`BT /F1 9 Tf 500 20 Td (Page ${i + 1}) Tj ET`, 'latin1')));
    const dict: PdfDict = new Map<string, PdfValue>([['Type', name('Page')], ['Resources', resources], ['Contents', content]]);
    pageRefs.push(objects.ref(dict));
    pageDicts.push(dict);
  }
  const root = pageTree(objects, pageRefs, pageDicts, fanout, [0, 0, 595, 842]);
  const catalog = objects.ref(new Map<string, PdfValue>([['Type', name('Catalog')], ['Pages', root]]));
  const writer = new PdfWriter({ compact: false });
  objects.write(writer);
  return writer.finish(new Map<string, PdfValue>([['Root', catalog], ['Info', info]]));
}
