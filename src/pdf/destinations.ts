/**
 * Where things landed in a printed PDF. Chromium writes a named destination for every element
 * id that a link points at, so the destinations tell the page of every element a link points
 * at, without parsing text.
 */
import { asArray, type PdfFile } from './file.js';
import { PdfRef, PdfString, type PdfValue } from './syntax.js';

export interface Destination {
  page: number; // 1-based
  /** The destination array as Chromium wrote it ([page /XYZ left top zoom]), reused for bookmarks. */
  array: PdfValue[];
}

/**
 * A named destination's element id: names are bytes, element ids UTF-8 underneath. Chromium
 * names a destination after the fragment of the link to it, which is percent-encoded where the
 * id is not ASCII: decoded, as a browser decodes it to find the element.
 */
export function destinationId(name: string): string {
  const id = Buffer.from(name, 'latin1').toString('utf8');
  if (!/%[0-9A-Fa-f]{2}/.test(id)) return id;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/** The destination array a named destination holds, directly or as a dictionary's /D. */
export function destinationArray(value: PdfValue | undefined, resolve: (value: PdfValue | undefined) => PdfValue | undefined = (v) => v): PdfValue[] | undefined {
  let target = resolve(value);
  if (target instanceof Map) target = resolve(target.get('D'));
  return Array.isArray(target) ? target : undefined;
}

export function namedDestinations(file: PdfFile): Map<string, Destination> {
  const pageIndex = new Map(file.pageRefs().map((ref, i) => [ref.num, i + 1]));
  const result = new Map<string, Destination>();
  const add = (name: string, value: PdfValue | undefined) => {
    const target = destinationArray(value, (v) => file.resolve(v));
    const ref = target?.[0];
    const page = ref instanceof PdfRef ? pageIndex.get(ref.num) : undefined;
    if (target && page !== undefined) result.set(destinationId(name), { page, array: target });
  };
  const catalog = file.catalog();
  const dests = file.dict(catalog.get('Dests'));
  if (dests) for (const [key, value] of dests) add(key, value);
  // PDF 1.2 and later may keep them in a name tree instead (walked with a stack).
  const nodes: Array<PdfValue | undefined> = [file.dict(catalog.get('Names'))?.get('Dests')];
  const seen = new Set<number>();
  while (nodes.length) {
    const node = nodes.pop();
    if (node instanceof PdfRef) {
      if (seen.has(node.num)) continue;
      seen.add(node.num);
    }
    const dict = file.dict(node);
    if (!dict) continue;
    const names = asArray(dict.get('Names'));
    for (let i = 0; i + 1 < names.length; i += 2) {
      const key = names[i];
      if (key instanceof PdfString) add(key.bytes, names[i + 1]);
    }
    const kids = asArray(dict.get('Kids'));
    for (let i = kids.length - 1; i >= 0; i--) nodes.push(kids[i]);
  }
  return result;
}
