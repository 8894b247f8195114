/**
 * A large pack printed in parts: runs of consecutive articles, each laid out and printed by a
 * renderer of its own, as many at a time as there are cores, then merged into one tagged PDF.
 * Every article starts on a new page, so a part lays out exactly as it would in the whole
 * document; one or two stand-in pages and a page counter that starts where the parts before it
 * end give it the page numbers and left/right pages it has in the whole document.
 * A rebuild reprints only the parts whose document changed (the rest come from the cache).
 */
import os from 'node:os';
import type { Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { Pack } from '../model.js';
import { contentKey } from '../cache.js';
import type { Template } from '../compose/template.js';
import { duplexBlanks, layoutHolds, MAX_PASSES, unsettledLayout } from './layout-settling.js';
import { PdfFile } from './pdf-file.js';
import { finishPdf } from './pdf-finish.js';
import { mergePdfs } from './pdf-merge.js';
import { namedDestinations } from './pdf-pages.js';
import type { PdfOptions, PdfResult } from './pdf.js';
import { folioCss, printDocument, standInPages, type PrintLayout, type PrintPart } from './print-document.js';
import { openPrintPage, type PrintPage } from './print-page.js';
import type { IsolatedPage } from './session.js';

/**
 * Markdown characters per part: about fifty pages. The number of parts depends only on the
 * pack (1, 2, 4 or 8), never on the machine, so that every machine gives the same bytes.
 * Measured on 2 cores with the headless shell: 219 pages are 10% faster in 2 parts than whole
 * and slower again in 4; 874 pages take as long in 8 parts as in 4, and a rebuild after one
 * article changed reprints an eighth of them instead of a quarter.
 */
const PART_WEIGHT = 150_000;

/** Runs of chapter indices, or a single run when the pack is small or articles run on. */
export function planParts(pack: Pack, template: Template): number[][] {
  const all = pack.chapters.map((_, i) => i);
  if (!template.settings.articlesStartOnNewPage) return [all];
  const weights = pack.chapters.map((c) => c.article.size + 2_000);
  const total = weights.reduce((a, b) => a + b, 0);
  // Each part costs a renderer and a merge: more parts pay off only for packs of hundreds of pages.
  const count = Math.min(pack.chapters.length, total >= 16 * PART_WEIGHT ? 8 : total >= 8 * PART_WEIGHT ? 4 : total >= 2 * PART_WEIGHT ? 2 : 1);
  if (count < 2) return [all];
  const parts: number[][] = [];
  let current: number[] = [];
  let weight = 0;
  weights.forEach((w, i) => {
    current.push(i);
    weight += w;
    if (weight >= (total * (parts.length + 1)) / count && parts.length < count - 1) {
      parts.push(current);
      current = [];
    }
  });
  if (current.length) parts.push(current);
  return parts;
}

interface PartIds {
  own: Set<string>;
  foreign: string[];
  linkedFromElsewhere: string[];
}

/** Ids each part defines, and the ids it links to that another part defines. */
function partIds(pack: Pack, parts: readonly number[][]): PartIds[] {
  const owner = new Map<string, number>();
  const linked = parts.map(() => new Set<string>());
  parts.forEach((chapters, k) => {
    for (const index of chapters) {
      visit(pack.chapters[index]!.tree as Root, 'element', (node) => {
        const { id, href } = node.properties;
        if (typeof id === 'string') owner.set(id, k);
        if (typeof href === 'string' && href.startsWith('#')) linked[k]!.add(href.slice(1));
      });
    }
  });
  // The contents, in the first part, links to every article and section.
  for (const entry of pack.toc.flatMap((e) => [e, ...e.children])) linked[0]!.add(entry.id);
  const linkedFrom = (id: string, k: number) => linked.some((ids, j) => j !== k && ids.has(id));
  return parts.map((_, k) => {
    const own = [...owner].filter(([, part]) => part === k).map(([id]) => id);
    return {
      own: new Set(own),
      foreign: [...linked[k]!].filter((id) => owner.has(id) && owner.get(id) !== k).sort(),
      linkedFromElsewhere: own.filter((id) => linkedFrom(id, k)).sort(),
    };
  });
}

interface PrintedPart {
  bytes: Buffer;
  /** Taken from the cache of an earlier build rather than printed. */
  cached: boolean;
  /** Its name in the cache: a hash of its print document. */
  key: string;
  pages: number;
  /** Page within the part of each of its own destinations. */
  dests: Map<string, number>;
}

/** At most `limit` holders at a time: Chromium work on as many parts as there are cores. */
function semaphore(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export async function renderPdfInParts(
  pack: Pack,
  template: Template,
  parts: number[][],
  newPage: () => Promise<IsolatedPage>,
  options: PdfOptions,
): Promise<PdfResult> {
  const entries = pack.toc.flatMap((e) => [e, ...e.children]);
  const ids = partIds(pack, parts);
  const ownerOf = new Map(ids.flatMap((p, k) => [...p.own].map((id) => [id, k] as const)));
  let layout: PrintLayout = { paper: options.paper, duplex: options.duplex, bleedMm: options.bleedMm };
  let partPages: number[] | undefined;
  const guess = options.initialLayout;
  if (guess && entries.every((e) => typeof guess.pages[e.id] === 'number') && guess.partPages?.length === parts.length) {
    layout = { ...layout, pages: new Map(Object.entries(guess.pages)), blankBefore: new Set(guess.blankBefore) };
    partPages = guess.partPages;
  }
  let sent = false;
  // A page per part, kept from the measuring pass to the next, which changes the part in place.
  // A tagged print is most likely the last: its page closes then, and the rare pass after it
  // loads the part again.
  const pages: Array<Promise<PrintPage> | undefined> = parts.map(() => undefined);
  const loaded = parts.map(() => false);
  const pageFor = (k: number): Promise<PrintPage> =>
    (pages[k] ??= newPage().then((isolated) =>
      openPrintPage(isolated, pack, {
        timeoutMs: options.timeoutMs,
        diagnostics: options.diagnostics,
        onDocumentSent: () => {
          if (!sent) options.onDocumentSent?.();
          sent = true;
        },
      }),
    ));
  const slot = semaphore(Math.max(1, os.availableParallelism()));

  const printPart = async (k: number, measuring: boolean, offset: number, totalPages: number | undefined): Promise<PrintedPart> => {
    const part: PrintPart = { chapters: parts[k]!, front: k === 0, offset, totalPages, foreignTargets: ids[k]!.foreign, linkedFromElsewhere: ids[k]!.linkedFromElsewhere };
    const html = printDocument(pack, template, { ...layout, measuring }, part);
    const key = `part-${contentKey(options.rendererVersion ?? '', html)}.pdf`;
    let bytes = measuring ? undefined : options.cache?.read(key);
    const cached = bytes !== undefined;
    if (!bytes) {
      const page = await pageFor(k);
      const raw = await slot(async () => {
        if (loaded[k] && !measuring) {
          await page.apply(layout.pages!, layout.blankBefore ?? new Set(), { standIns: standInPages(offset), folioCss: folioCss(layout, totalPages, offset) });
        }
        else await page.load(html);
        loaded[k] = true;
        // Measuring needs no tags; the stand-in pages before a part are laid out, never printed.
        return page.print(!measuring, offset > 0 ? `${standInPages(offset) + 1}-` : '');
      });
      bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      // Outside the slot: another part's layout need not wait for this renderer to tidy up.
      if (measuring) await page.collectGarbage();
      else {
        pages[k] = undefined;
        loaded[k] = false;
        await page.close();
      }
    }
    const file = new PdfFile(bytes);
    const dests = new Map<string, number>();
    for (const [id, dest] of namedDestinations(file)) if (ids[k]!.own.has(id)) dests.set(id, dest.page);
    return { bytes, cached, key, pages: file.pageRefs().length, dests };
  };

  try {
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const measuring = layout.pages === undefined || partPages === undefined;
      options.onPass?.(pass, `${parts.length} parts${measuring ? ', measuring' : ''}`);
      const offsets = measuring ? parts.map(() => 0) : prefixSums(partPages!);
      const total = measuring ? undefined : partPages!.reduce((a, b) => a + b, 0);
      // A measuring pass prints every part: their pages open while their documents are made.
      if (measuring) for (let k = 0; k < parts.length; k++) void pageFor(k).catch(() => undefined);
      const printed = await Promise.all(parts.map((_, k) => printPart(k, measuring, offsets[k]!, total)));
      const reused = printed.filter((p) => p.cached).length;
      if (reused) options.onPass?.(pass, `${reused} of ${parts.length} parts unchanged, taken from the cache`);
      const pagesNow = printed.map((p) => p.pages);
      const startsNow = prefixSums(pagesNow);
      const headingPages = new Map(
        entries.map((e) => {
          const k = ownerOf.get(e.id);
          const local = k === undefined ? undefined : printed[k]!.dests.get(e.id);
          return [e.id, k === undefined || local === undefined ? 0 : startsNow[k]! + local];
        }),
      );
      const blankBefore = options.duplex ? duplexBlanks(pack, headingPages, layout.blankBefore) : new Set(layout.blankBefore ?? []);
      if (!measuring && layoutHolds(layout, headingPages, blankBefore) && pagesNow.every((n, k) => n === partPages![k])) {
        options.onPrintHtml?.(printDocument(pack, template, layout));
        // Only the parts of the settled layout are worth keeping for the next build.
        for (const p of printed) options.cache?.write(p.key, p.bytes);
        const merged = mergePdfs(printed.map((p, k) => ({ bytes: p.bytes, ownDestinations: ids[k]!.own })));
        return {
          bytes: finishPdf(merged, pack, { creator: options.creator, date: options.date, bleedMm: options.bleedMm }),
          pages: startsNow.at(-1)! + pagesNow.at(-1)!,
          passes: pass,
          headingPages,
          layout: { pages: Object.fromEntries(headingPages), blankBefore: [...blankBefore].sort(), partPages: pagesNow },
        };
      }
      layout = { ...layout, pages: headingPages, blankBefore };
      partPages = pagesNow;
    }
    throw unsettledLayout();
  } finally {
    await Promise.all(pages.map((p) => p?.then((page) => page.close(), () => undefined)));
  }
}

/** Pages before each part. */
function prefixSums(counts: readonly number[]): number[] {
  let sum = 0;
  return counts.map((n) => {
    const before = sum;
    sum += n;
    return before;
  });
}
