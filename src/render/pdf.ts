/**
 * Print HTML → PDF with Chromium. Chromium has no target-counter(), so the contents is laid out
 * with placeholder numbers, the PDF's named destinations tell where each heading landed, and the
 * document is printed again with the real numbers (and, for duplex, blank pages where an article
 * would start on a left page) until nothing moves.
 */
import path from 'node:path';
import { BuildFailure, ExitCode, type Diagnostics } from '../diagnostics.js';
import type { Pack } from '../model.js';
import type { Template } from '../compose/template.js';
import { printFonts } from './fonts.js';
import { PdfFile } from './pdf-file.js';
import { finishPdf } from './pdf-finish.js';
import { namedDestinations } from './pdf-pages.js';
import { printDocument, type PrintLayout } from './print-document.js';
import { sealPage } from './sealed-page.js';
import type { IsolatedPage } from './session.js';

export interface PdfOptions {
  paper: 'a4' | 'letter';
  duplex: boolean;
  bleedMm: number;
  creator: string;
  date: Date;
  timeoutMs: number;
  diagnostics: Diagnostics;
  onPass?: (pass: number) => void;
  /** Where headings landed last time (from the cache): a good guess saves a whole layout pass. */
  initialLayout?: SettledLayout;
  /** Called once Chromium has the document and is laying it out (Node is free from then on). */
  onDocumentSent?: () => void;
  /** Receives the final print HTML (for --debug-html and the bench's floor measurement). */
  onPrintHtml?: (html: string) => void;
}

/** A layout that needed no change: contents numbers and duplex blank pages. */
export interface SettledLayout {
  pages: Record<string, number>;
  blankBefore: string[];
}

export interface PdfResult {
  bytes: Uint8Array;
  pages: number;
  passes: number;
  layout: SettledLayout;
  /** Printed page of every contents entry, by id. */
  headingPages: Map<string, number>;
}

const MAX_PASSES = 5;

/** What a print page may read: the shipped fonts and the pack's images. */
export function allowedFiles(pack: Pack): string[] {
  return [...printFonts().map((f) => f.file), ...pack.chapters.flatMap((c) => c.images.map((i) => path.join(pack.manifest.root, i)))];
}

/** A print document open in its own page, printed as often as the layout needs. */
interface PrintPage {
  print(tagged: boolean): Promise<Uint8Array>;
  /**
   * Put the measured numbers into the contents, show or hide the duplex blank pages, and end
   * measuring mode, all in place.
   */
  apply(pages: ReadonlyMap<string, number>, blankBefore: ReadonlySet<string>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Open `html` in a page of its own browser context. Chromium numbers the tagged PDF's structure elements
 * from process-wide DOM node ids, so a page that has laid out anything else before (the EPUB
 * cover, another build) would change the bytes: a new context gets a new renderer process.
 * Later passes change text in place rather than load a new document, which keeps the page's
 * fonts, styles and node ids, and saves laying out the document from scratch.
 */
async function openPrintPage(isolated: IsolatedPage, pack: Pack, html: string, options: PdfOptions): Promise<PrintPage> {
  const { page, close } = isolated;
  try {
    // Content is static; scripts in a pack cannot run while printing.
    await page.setJavaScriptEnabled(false);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String((error as Error).message ?? error)));
    const sealed = await sealPage(page, allowedFiles(pack), options.diagnostics);
    try {
      await sealed.open(html, options.timeoutMs, options.onDocumentSent);
    } finally {
      sealed.dispose();
    }
    return {
      async print(tagged) {
        const raw = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged, outline: false, timeout: options.timeoutMs, waitForFonts: true });
        if (errors.length) {
          throw new BuildFailure(
            errors.map((message) => ({ severity: 'error', rule: 'render/failed', message: `page error while printing: ${message}` })),
            ExitCode.RenderError,
          );
        }
        return raw;
      },
      async apply(pages, blankBefore) {
        // Runs as DevTools code: the page's own scripts stay disabled. Text nodes are changed,
        // not replaced, so no node is created between passes.
        await page.evaluate(
          (numbers: Record<string, string>, blanks: string[]) => {
            for (const span of Array.from(document.querySelectorAll<HTMLElement>('.toc-page[data-entry]'))) {
              const text = span.firstChild;
              const value = numbers[span.dataset.entry ?? ''];
              if (text && text.nodeType === Node.TEXT_NODE && value !== undefined) (text as Text).data = value;
            }
            for (const div of Array.from(document.querySelectorAll<HTMLElement>('.chapter-blank[data-blank-before]'))) {
              div.hidden = !blanks.includes(div.dataset.blankBefore ?? '');
            }
            document.querySelector('style[data-briefpack-measuring]')?.remove();
          },
          Object.fromEntries([...pages].map(([id, n]) => [id, String(n)])),
          [...blankBefore],
        );
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function renderPdf(pack: Pack, template: Template, newPage: () => Promise<IsolatedPage>, options: PdfOptions): Promise<PdfResult> {
  const entries = pack.toc.flatMap((e) => [e, ...e.children]);
  let layout: PrintLayout = { paper: options.paper, duplex: options.duplex, bleedMm: options.bleedMm };
  const guess = options.initialLayout;
  if (guess && entries.every((e) => typeof guess.pages[e.id] === 'number')) {
    layout = { ...layout, pages: new Map(Object.entries(guess.pages)), blankBefore: new Set(guess.blankBefore) };
  }
  const page = await openPrintPage(await newPage(), pack, printDocument(pack, template, { ...layout, measuring: layout.pages === undefined }), options);
  try {
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      options.onPass?.(pass);
      // A first pass without a guess only measures where headings land; tagging doubles print
      // time and cannot move anything, so it is left for the pass that may be the last.
      const raw = await page.print(layout.pages !== undefined);
      const file = new PdfFile(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
      const dests = namedDestinations(file);
      const headingPages = new Map(entries.map((e) => [e.id, dests.get(e.id)?.page ?? 0]));
      const blankBefore = new Set(layout.blankBefore ?? []);
      if (options.duplex && template.settings.articlesStartOnNewPage) {
        // An article on an even (left) page gets a blank page before it, or loses the one it has;
        // each change moves every later article by one page, which `shift` carries forward.
        let shift = 0;
        for (const chapter of pack.chapters) {
          const at = (headingPages.get(chapter.toc.id) ?? 0) + shift;
          if (at % 2 === 0) {
            if (blankBefore.delete(chapter.article.slug)) shift--;
            else {
              blankBefore.add(chapter.article.slug);
              shift++;
            }
          }
        }
      }
      const settled =
        layout.pages !== undefined &&
        entries.every((e) => layout.pages!.get(e.id) === headingPages.get(e.id)) &&
        sameSet(blankBefore, layout.blankBefore ?? new Set());
      if (settled) {
        options.onPrintHtml?.(printDocument(pack, template, layout));
        const bytes = finishPdf(raw, pack, { creator: options.creator, date: options.date, bleedMm: options.bleedMm });
        return {
          bytes,
          pages: file.pageRefs().length,
          passes: pass,
          headingPages,
          layout: { pages: Object.fromEntries(headingPages), blankBefore: [...blankBefore].sort() },
        };
      }
      await page.apply(headingPages, blankBefore);
      layout = { ...layout, pages: headingPages, blankBefore };
    }
  } finally {
    await page.close();
  }
  throw new BuildFailure(
    [{ severity: 'error', rule: 'render/failed', message: `contents page numbers did not settle after ${MAX_PASSES} passes` }],
    ExitCode.RenderError,
  );
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
