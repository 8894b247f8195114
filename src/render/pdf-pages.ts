/**
 * Where things landed in a Chromium PDF. Chromium writes a named destination for every element
 * id that a link points at; the contents links to every article and section, so the /Dests
 * dictionary tells us the page of each heading without parsing text.
 */
import { asArray, type PdfFile } from './pdf-file.js';
import { PdfRef, PdfString, type PdfValue } from './pdf-syntax.js';

export interface Destination {
  page: number; // 1-based
  /** The destination array as Chromium wrote it ([page /XYZ left top zoom]), reused for bookmarks. */
  array: PdfValue[];
}

/**
 * A named destination's element id. Chromium names a destination by the id as a URL fragment
 * would write it, percent-encoded UTF-8 (`na%C3%AFvely` for `naïvely`); names are bytes.
 */
export function destinationId(name: string): string {
  const bytes = Buffer.from(name, 'latin1').toString('utf8');
  try {
    return decodeURIComponent(bytes);
  } catch {
    return bytes;
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
  // PDF 1.2 and later may keep them in a name tree instead.
  const walk = (node: PdfValue | undefined, depth: number) => {
    const dict = file.dict(node);
    if (!dict || depth > 64) return;
    const names = asArray(dict.get('Names'));
    for (let i = 0; i + 1 < names.length; i += 2) {
      const key = names[i];
      if (key instanceof PdfString) add(key.bytes, names[i + 1]);
    }
    for (const kid of asArray(dict.get('Kids'))) walk(kid, depth + 1);
  };
  walk(file.dict(catalog.get('Names'))?.get('Dests'), 0);
  return result;
}
