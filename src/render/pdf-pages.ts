/**
 * Where things landed in a Chromium PDF. Chromium writes a named destination for every element
 * id that a link points at; the contents links to every article and section, so the /Dests
 * dictionary tells us the page of each heading without parsing text.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, type PDFObject } from 'pdf-lib';

export interface Destination {
  page: number; // 1-based
  /** The destination array as Chromium wrote it ([page /XYZ left top zoom]), reused for bookmarks. */
  array: PDFArray;
}

export function namedDestinations(doc: PDFDocument): Map<string, Destination> {
  const pageIndex = new Map<string, number>();
  doc.getPages().forEach((p, i) => pageIndex.set(p.ref.toString(), i + 1));
  const result = new Map<string, Destination>();
  const add = (name: string, value: PDFObject | undefined) => {
    let array = value instanceof PDFRef ? doc.context.lookup(value) : value;
    if (array instanceof PDFDict) array = array.lookup(PDFName.of('D'));
    if (!(array instanceof PDFArray)) return;
    const ref = array.get(0);
    const page = ref instanceof PDFRef ? pageIndex.get(ref.toString()) : undefined;
    if (page !== undefined) result.set(name, { page, array });
  };
  const dests = doc.catalog.lookup(PDFName.of('Dests'));
  if (dests instanceof PDFDict) {
    for (const [key, value] of dests.entries()) add(decodeName(key.asString()), value);
  }
  return result;
}

/** PDF names escape bytes as #xx; ids are UTF-8 underneath. */
function decodeName(name: string): string {
  const raw = name.replace(/^\//, '');
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '#' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(raw.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}
