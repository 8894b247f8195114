/**
 * Print HTML → PDF with Chromium. Chromium has no target-counter(), so the contents is laid out
 * with placeholder numbers, the PDF's named destinations tell where each heading landed, and the
 * document is printed again with the real numbers (and, for duplex, blank pages where an article
 * would start on a left page) until nothing moves.
 */
import type { Pack } from '../model.js';
import type { Template } from '../compose/template.js';
import { PdfFile } from '../pdf/file.js';
import { finishPdf } from '../pdf/finish.js';
import { finishingOf } from './finishing.js';
import { stableHeaderIds } from '../pdf/stable-header-ids.js';
import { namedDestinations } from '../pdf/destinations.js';
import { printDocument, type PrintLayout } from './document.js';
import { duplexBlanks, layoutHolds, MAX_PASSES, onlyEntryLayout, unsettledLayout } from './layout-settling.js';
import { PartedPrint, planParts } from './parts.js';
import { pageResources, openPrintPage } from './page.js';
import type { IsolatedPage } from '../chromium/session.js';
import type { PdfOptions, PdfResult } from './request.js';

/** `parted`: a large pack's print begun while the pack was read (its parts started early). */
export async function renderPdf(
  pack: Pack,
  template: Template,
  newPage: () => Promise<IsolatedPage>,
  options: PdfOptions,
  parted?: PartedPrint,
): Promise<PdfResult> {
  const plan = planParts(pack.chapters.map((c) => c.article.printWeight), template);
  if (!parted && plan.length < 2) return renderWhole(pack, template, newPage, options);
  const print =
    parted ??
    new PartedPrint({
      template,
      plan,
      newPage,
      layout: { paper: options.paper, duplex: options.duplex, bleedMm: options.bleedMm },
      timeoutMs: options.timeoutMs,
      diagnostics: options.diagnostics,
      cache: options.cache,
      rendererVersion: async () => options.rendererVersion ?? '',
      onOverflow: options.onOverflow,
    });
  try {
    return await print.render(pack, options);
  } finally {
    await print.close();
  }
}

/** A pack small enough for one document: one page, printed again after changes made in place. */
async function renderWhole(pack: Pack, template: Template, newPage: () => Promise<IsolatedPage>, options: PdfOptions): Promise<PdfResult> {
  const entries = pack.toc.flatMap((e) => [e, ...e.children]);
  let layout: PrintLayout = { paper: options.paper, duplex: options.duplex, bleedMm: options.bleedMm };
  const guess = options.initialLayout ?? onlyEntryLayout(pack, template, options.duplex);
  if (guess && entries.every((e) => typeof guess.pages[e.id] === 'number')) {
    layout = { ...layout, pages: new Map(Object.entries(guess.pages)), blankBefore: new Set(guess.blankBefore) };
  }
  const page = await openPrintPage(await newPage(), pageResources(pack, pack.chapters), options);
  try {
    await page.load(printDocument(pack, template, { ...layout, measuring: layout.pages === undefined }));
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      options.onPass?.(pass);
      // A first pass without a guess only measures where headings land; tagging doubles print
      // time and cannot move anything, so it is left for the pass that may be the last.
      const raw = await page.print(layout.pages !== undefined);
      const file = new PdfFile(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
      const dests = namedDestinations(file);
      const headingPages = new Map(entries.map((e) => [e.id, dests.get(e.id)?.page ?? 0]));
      const blankBefore = options.duplex && template.settings.articlesStartOnNewPage ? duplexBlanks(pack, headingPages, layout.blankBefore) : new Set(layout.blankBefore ?? []);
      if (layoutHolds(layout, headingPages, blankBefore)) {
        options.onPrintHtml?.(printDocument(pack, template, layout));
        const bytes = finishPdf(
          stableHeaderIds([Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)])[0]!,
          finishingOf(pack, { creator: options.creator, date: options.date, bleedMm: options.bleedMm }),
        );
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
  throw unsettledLayout();
}
