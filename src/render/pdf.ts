/**
 * Print HTML → PDF with Chromium. Chromium has no target-counter(), so the contents is laid out
 * with placeholder numbers, the PDF's named destinations tell where each heading landed, and the
 * document is printed again with the real numbers (and, for duplex, blank pages where an article
 * would start on a left page) until nothing moves.
 */
import type { Browser } from 'puppeteer';
import { PDFDocument } from 'pdf-lib';
import { BuildFailure, ExitCode, type Diagnostics } from '../diagnostics.js';
import type { Pack } from '../model.js';
import type { Template } from '../compose/template.js';
import { printFonts } from './fonts.js';
import { finishPdf } from './pdf-finish.js';
import { namedDestinations } from './pdf-pages.js';
import { printDocument, type PrintLayout } from './print-document.js';
import { servePage } from './page-server.js';

export interface PdfOptions {
  paper: 'a4' | 'letter';
  duplex: boolean;
  bleedMm: number;
  creator: string;
  date: Date;
  timeoutMs: number;
  diagnostics: Diagnostics;
  onPass?: (pass: number) => void;
  /** Receives the final print HTML (for --debug-html and the bench's floor measurement). */
  onPrintHtml?: (html: string) => void;
}

export interface PdfResult {
  bytes: Uint8Array;
  pages: number;
  passes: number;
  /** Printed page of every contents entry, by id. */
  headingPages: Map<string, number>;
}

const MAX_PASSES = 5;

export async function renderPdf(pack: Pack, template: Template, browser: Browser, options: PdfOptions): Promise<PdfResult> {
  const page = await browser.newPage();
  try {
    // Content is static; scripts in a pack cannot run while printing.
    await page.setJavaScriptEnabled(false);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String((error as Error).message ?? error)));
    const server = await servePage(page, {
      packRoot: pack.manifest.root,
      packFiles: [...new Set(pack.chapters.flatMap((c) => c.images))],
      fonts: printFonts(),
      diagnostics: options.diagnostics,
    });

    const entries = pack.toc.flatMap((e) => [e, ...e.children]);
    let layout: PrintLayout = { paper: options.paper, duplex: options.duplex, bleedMm: options.bleedMm };
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      options.onPass?.(pass);
      const html = printDocument(pack, template, layout);
      const url = server.setDocument('print.html', html);
      await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs });
      const raw = await page.pdf({
        preferCSSPageSize: true,
        printBackground: true,
        // The first pass only measures where headings land; tagging doubles print time and cannot move anything.
        tagged: pass > 1,
        outline: false,
        timeout: options.timeoutMs,
        waitForFonts: true,
      });
      if (errors.length) {
        throw new BuildFailure(errors.map((message) => ({ severity: 'error', rule: 'render/failed', message: `page error while printing: ${message}` })), ExitCode.RenderError);
      }
      const doc = await PDFDocument.load(raw, { updateMetadata: false });
      const dests = namedDestinations(doc);
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
        options.onPrintHtml?.(html);
        const bytes = await finishPdf(raw, pack, { creator: options.creator, date: options.date, bleedMm: options.bleedMm });
        return { bytes, pages: doc.getPageCount(), passes: pass, headingPages };
      }
      layout = { ...layout, pages: headingPages, blankBefore };
    }
    throw new BuildFailure(
      [{ severity: 'error', rule: 'render/failed', message: `contents page numbers did not settle after ${MAX_PASSES} passes` }],
      ExitCode.RenderError,
    );
  } finally {
    await page.close().catch(() => undefined);
  }
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
