/**
 * Every object of a PDF as plain data, read by the toolkit and by pdf-lib (a parser that is not
 * ours), so that the two readings can be compared object for object.
 */
import { PDFArray, PDFBool, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRawStream, PDFRef, PDFStream, PDFString, type PDFObject } from 'pdf-lib';
import { PdfFile } from '../../src/pdf/file.js';
import { PdfName, PdfRef, PdfString, type PdfValue } from '../../src/pdf/syntax.js';

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/** Names as "/bytes", strings as "(bytes)", references as "N G R", all bytes as latin1 characters. */
export function plain(value: PdfValue | undefined): Plain {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  if (value instanceof PdfName) return `/${value.value}`;
  if (value instanceof PdfString) return `(${value.bytes})`;
  if (value instanceof PdfRef) return `${value.num} ${value.gen} R`;
  if (Array.isArray(value)) return value.map(plain);
  const out: { [key: string]: Plain } = {};
  for (const [key, v] of value) out[key] = plain(v);
  return out;
}

function plainPdfLib(value: PDFObject | undefined): Plain {
  if (value === undefined || value === PDFNull) return null;
  if (value instanceof PDFBool) return value.asBoolean();
  if (value instanceof PDFNumber) return value.asNumber();
  if (value instanceof PDFName) return `/${value.decodeText()}`;
  if (value instanceof PDFString || value instanceof PDFHexString) return `(${Buffer.from(value.asBytes()).toString('latin1')})`;
  if (value instanceof PDFRef) return `${value.objectNumber} ${value.generationNumber} R`;
  if (value instanceof PDFArray) return value.asArray().map(plainPdfLib);
  if (value instanceof PDFStream) return plainPdfLib(value.dict);
  if (value instanceof PDFDict) {
    const out: { [key: string]: Plain } = {};
    for (const [key, v] of value.entries()) out[key.decodeText()] = plainPdfLib(v);
    return out;
  }
  throw new Error(`an object pdf-lib read as ${value.constructor.name}`);
}

/** Every object by number as the toolkit reads it (a stream by its dictionary, /Length left out). */
export function toolkitView(bytes: Buffer): Map<number, Plain> {
  const file = new PdfFile(bytes);
  const view = new Map<number, Plain>();
  for (const num of file.objectNumbers()) view.set(num, withoutLength(plain(file.object(num))));
  return view;
}

/** The same through pdf-lib, bar the file's own object and cross-reference streams. */
export async function pdfLibView(bytes: Buffer): Promise<{ view: Map<number, Plain>; pages: number }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  const view = new Map<number, Plain>();
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream) {
      const type = object.dict.get(PDFName.of('Type'));
      if (type === PDFName.of('ObjStm') || type === PDFName.of('XRef')) continue;
    }
    view.set(ref.objectNumber, withoutLength(plainPdfLib(object)));
  }
  return { view, pages: doc.getPageCount() };
}

function withoutLength(value: Plain): Plain {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'Length' in value) {
    const { Length, ...rest } = value;
    void Length;
    return rest;
  }
  return value;
}
