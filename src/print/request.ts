/**
 * What a print of the pack is asked (paper, sides, the clock, what to tell the build on the way)
 * and what it gives back, whether the pack is printed whole (pdf.ts) or in parts (parts.ts).
 */
import type { BuildCache } from '../cache.js';
import type { Diagnostics } from '../diagnostics.js';
import type { PageOverflow } from './overflow.js';

export interface PdfOptions {
  paper: 'a4' | 'letter';
  duplex: boolean;
  bleedMm: number;
  creator: string;
  date: Date;
  timeoutMs: number;
  diagnostics: Diagnostics;
  /** A layout pass begins; `detail` says how it is split or what it reused. */
  onPass?: (pass: number, detail?: string) => void;
  /** Where headings landed last time (from the cache): a good guess saves a whole layout pass. */
  initialLayout?: SettledLayout;
  /** Called once Chromium has the document and is laying it out (Node is free from then on). */
  onDocumentSent?: () => void;
  /** Told what each loaded print document has that leaves the text block (see overflow.ts). */
  onOverflow?: (found: PageOverflow) => void;
  /** Receives the final print HTML (for --debug-html and the bench's floor measurement). */
  onPrintHtml?: (html: string) => void;
  /** Where printed parts of a large pack are kept between builds. */
  cache?: BuildCache;
  /** The browser's version: a cached part is only as good as the Chromium that printed it. */
  rendererVersion?: string;
}

/** A layout that needed no change: contents numbers and duplex blank pages. */
export interface SettledLayout {
  pages: Record<string, number>;
  blankBefore: string[];
  /** Pages in each part, when the pack was printed in parts. */
  partPages?: number[];
}

export interface PdfResult {
  bytes: Uint8Array;
  pages: number;
  passes: number;
  layout: SettledLayout;
  /** Printed page of every contents entry, by id. */
  headingPages: Map<string, number>;
}
