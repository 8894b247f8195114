/**
 * What `qpdf --check` does not see in a merged tagged PDF, read through qpdf's JSON (a reader
 * that is not ours): objects that nothing reaches from the trailer, references to objects that
 * do not exist, and structure keys that point at the wrong parent-tree entry (a link annotation
 * whose /StructParent is not its Link element's, a page whose /StructParents array does not name
 * the elements that own its marked content). Every walk is iterative: the files are large.
 */
import { run } from './tools.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const REF = /^\d+ \d+ R$/;
const isRef = (v: Json | undefined): v is string => typeof v === 'string' && REF.test(v);
const isDict = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface PdfObjects {
  /** Every object by reference ("12 0 R"): a stream by its dictionary. */
  objects: Map<string, Json>;
  /** Object streams and cross-reference streams: the file's own bookkeeping, not content. */
  bookkeeping: Set<string>;
  /** Objects the cross-reference data lists (qpdf shows a reference to a missing object as null). */
  present: Set<string>;
  trailer: { [key: string]: Json };
  /** Pages in order. */
  pages: string[];
}

export function readObjects(file: string): PdfObjects {
  const json = JSON.parse(run('qpdf', ['--json=2', '--json-key=qpdf', '--json-key=pages', file])) as {
    qpdf: [unknown, Record<string, { value?: Json; stream?: { dict: Json } }>];
    pages: Array<{ object: string }>;
  };
  const objects = new Map<string, Json>();
  const bookkeeping = new Set<string>();
  let trailer: { [key: string]: Json } = {};
  for (const [key, entry] of Object.entries(json.qpdf[1])) {
    if (key === 'trailer') {
      trailer = entry.value as { [key: string]: Json };
      continue;
    }
    const ref = key.replace(/^obj:/, '');
    const value = entry.value ?? entry.stream?.dict ?? null;
    objects.set(ref, value);
    const type = isDict(value) ? value['/Type'] : undefined;
    if (entry.stream && (type === '/ObjStm' || type === '/XRef')) bookkeeping.add(ref);
  }
  const present = new Set<string>();
  for (const line of run('qpdf', ['--show-xref', file]).split('\n')) {
    const match = /^(\d+)\/(\d+): (?:un)?compressed/.exec(line);
    if (match) present.add(`${match[1]} ${match[2]} R`);
  }
  return { objects, bookkeeping, present, trailer, pages: json.pages.map((p) => p.object) };
}

/** Every reference inside a value (iteratively: arrays of tens of thousands of entries are common). */
function referencesIn(value: Json, out: string[]): void {
  const stack: Json[] = [value];
  while (stack.length) {
    const v = stack.pop()!;
    if (isRef(v)) out.push(v);
    else if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (isDict(v)) for (const item of Object.values(v)) stack.push(item);
  }
}

/** Objects nothing reaches from the trailer, and references to objects that are not there. */
export function reachabilityProblems(pdf: PdfObjects): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue: string[] = [];
  const trailerRefs: string[] = [];
  // The trailer of a cross-reference stream file is that stream's dictionary, with its own keys.
  const { Size, Index, W, Filter, DecodeParms, Length, Type, Prev, XRefStm, ...rest } = Object.fromEntries(Object.entries(pdf.trailer).map(([k, v]) => [k.slice(1), v]));
  void [Size, Index, W, Filter, DecodeParms, Length, Type, Prev, XRefStm];
  referencesIn(rest as Json, trailerRefs);
  const dangling = new Map<string, string>();
  for (const ref of trailerRefs) {
    if (!pdf.present.has(ref)) dangling.set(ref, 'the trailer');
    queue.push(ref);
  }
  while (queue.length) {
    const ref = queue.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const value = pdf.objects.get(ref);
    if (value === undefined || !pdf.present.has(ref)) continue;
    const found: string[] = [];
    referencesIn(value, found);
    for (const target of found) if (pdf.present.has(target) && !seen.has(target)) queue.push(target);
  }
  // Dangling references anywhere, reachable or not.
  for (const ref of pdf.present) {
    const found: string[] = [];
    referencesIn(pdf.objects.get(ref) ?? null, found);
    for (const target of found) if (!pdf.present.has(target)) dangling.set(target, ref);
  }
  const unreachable = [...pdf.present].filter((ref) => !seen.has(ref) && !pdf.bookkeeping.has(ref));
  if (unreachable.length) {
    const kinds = new Map<string, number>();
    for (const ref of unreachable) {
      const v = pdf.objects.get(ref);
      const kind = isDict(v) ? String(v['/Type'] ?? v['/S'] ?? v['/Subtype'] ?? 'dictionary') : Array.isArray(v) ? 'array' : typeof v;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    problems.push(`${unreachable.length} objects unreachable from the trailer (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}; e.g. ${unreachable.slice(0, 5).join(', ')})`);
  }
  if (dangling.size) problems.push(`${dangling.size} references to missing objects (e.g. ${[...dangling].slice(0, 5).map(([to, from]) => `${to} from ${from}`).join(', ')})`);
  return problems;
}

/**
 * Every link annotation's /StructParent names the entry of the element that holds it (an OBJR),
 * and every page's /StructParents names an array whose entry N is the element that owns the
 * page's marked content N; the other way round too, entry for entry.
 */
export function structParentProblems(pdf: PdfObjects): string[] {
  const problems: string[] = [];
  const { objects } = pdf;
  const get = (v: Json | undefined): Json | undefined => (isRef(v) ? objects.get(v) : v);
  const dict = (v: Json | undefined) => {
    const d = get(v);
    return isDict(d) ? d : {};
  };
  const list = (v: Json | undefined): Json[] => {
    const d = get(v);
    return Array.isArray(d) ? d : d === undefined || d === null ? [] : [v!];
  };
  const catalog = dict(pdf.trailer['/Root']);
  const structRoot = dict(catalog['/StructTreeRoot']);

  // The parent tree: a number tree, walked with a stack.
  const parentTree = new Map<number, Json>();
  const nodes: Json[] = [structRoot['/ParentTree'] ?? null];
  while (nodes.length) {
    const node = dict(nodes.pop());
    const nums = list(node['/Nums']);
    for (let i = 0; i + 1 < nums.length; i += 2) {
      const key = nums[i] as number;
      if (parentTree.has(key)) problems.push(`parent-tree key ${key} appears twice`);
      parentTree.set(key, nums[i + 1]!);
    }
    for (const kid of list(node['/Kids'])) nodes.push(kid);
  }
  const nextKey = structRoot['/ParentTreeNextKey'];
  let highest = -1;
  for (const key of parentTree.keys()) highest = key > highest ? key : highest;
  if (typeof nextKey === 'number' && nextKey <= highest) problems.push(`/ParentTreeNextKey ${nextKey} is not above the highest key ${highest}`);

  // What the structure tree claims: (page, MCID) -> element, annotation -> element.
  const marked = new Map<string, string>();
  const owned = new Map<string, string>();
  const stack: Array<{ ref: string; page: Json | undefined }> = [];
  for (const kid of list(structRoot['/K'])) if (isRef(kid)) stack.push({ ref: kid, page: undefined });
  const visited = new Set<string>();
  while (stack.length) {
    const { ref } = stack.pop()!;
    if (visited.has(ref)) {
      problems.push(`${ref} is in the structure tree twice`);
      continue;
    }
    visited.add(ref);
    const element = dict(ref);
    const page = element['/Pg'];
    for (const kid of list(element['/K'])) {
      if (typeof kid === 'number') {
        if (!isRef(page)) problems.push(`${ref} has marked content ${kid} but no page`);
        else claim(marked, `${page}#${kid}`, ref, problems);
        continue;
      }
      const k = dict(kid);
      if (k['/Type'] === '/MCR') {
        const on = k['/Pg'] ?? page;
        if (k['/Stm'] !== undefined) continue; // marked content in a form: not keyed by the page
        if (!isRef(on)) problems.push(`${ref} has marked content ${String(k['/MCID'])} but no page`);
        else claim(marked, `${on}#${String(k['/MCID'])}`, ref, problems);
      } else if (k['/Type'] === '/OBJR') {
        const obj = k['/Obj'];
        if (isRef(obj)) claim(owned, obj, ref, problems);
        else problems.push(`${ref} has an object reference to no object`);
      } else if (isRef(kid)) stack.push({ ref: kid, page });
    }
  }

  const expectEntry = (what: string, entry: Json | undefined, element: string) => {
    if (entry !== element) problems.push(`${what} resolves to ${String(entry)}, not its element ${element}`);
  };
  // From the tree's side: each claim is where its page or annotation says it is.
  for (const [key, element] of marked) {
    const [page, mcid] = key.split('#') as [string, string];
    const structParents = dict(page)['/StructParents'];
    if (typeof structParents !== 'number') {
      problems.push(`page ${page} has marked content owned by ${element} but no /StructParents`);
      continue;
    }
    expectEntry(`marked content ${mcid} of page ${page} (/StructParents ${structParents})`, list(parentTree.get(structParents))[Number(mcid)], element);
  }
  for (const [annotation, element] of owned) {
    const structParent = dict(annotation)['/StructParent'];
    if (typeof structParent !== 'number') problems.push(`annotation ${annotation}, owned by ${element}, has no /StructParent`);
    else expectEntry(`annotation ${annotation} (/StructParent ${structParent})`, parentTree.get(structParent), element);
  }
  // From the pages' side: every key they hold leads back to a claim.
  for (const page of pdf.pages) {
    const p = dict(page);
    const structParents = p['/StructParents'];
    if (typeof structParents === 'number') {
      const entries = list(parentTree.get(structParents));
      if (!parentTree.has(structParents)) problems.push(`page ${page} has /StructParents ${structParents}, not in the parent tree`);
      entries.forEach((element, mcid) => {
        if (element !== null && marked.get(`${page}#${mcid}`) !== element) problems.push(`page ${page}'s parent-tree entry ${mcid} is ${String(element)}, which does not own that marked content`);
      });
    }
    for (const annotation of list(p['/Annots'])) {
      const structParent = dict(annotation)['/StructParent'];
      if (typeof structParent !== 'number') continue;
      if (!isRef(annotation) || owned.get(annotation) === undefined) problems.push(`annotation ${String(annotation)} on page ${page} has /StructParent ${structParent} but no element holds it`);
      else expectEntry(`annotation ${annotation} (/StructParent ${structParent})`, parentTree.get(structParent), owned.get(annotation)!);
    }
  }
  return [...new Set(problems)].slice(0, 30);
}

function claim(claims: Map<string, string>, key: string, element: string, problems: string[]): void {
  const other = claims.get(key);
  if (other !== undefined && other !== element) problems.push(`${key} is claimed by ${other} and ${element}`);
  claims.set(key, element);
}

/** Everything above, for one file. */
export function integrityProblems(file: string): string[] {
  const pdf = readObjects(file);
  return [...reachabilityProblems(pdf), ...structParentProblems(pdf)];
}
