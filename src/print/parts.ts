/**
 * A large pack printed in parts: runs of consecutive articles, each printed by a renderer of its
 * own, as many at a time as there are cores, then merged into one tagged PDF. Every article
 * starts on a new page, so a part lays out exactly as it would in the whole document.
 * Single-sided, a part is printed without its folio, which alone would tie it to the pages before
 * it: the folios are printed on their own and stamped on in the merge. Double-sided, one or two
 * stand-in pages and a page counter that starts where the parts before it end give a part the
 * page numbers and left/right pages it has in the whole document.
 * A rebuild reprints only the parts whose document changed (the rest come from the cache).
 */
import os from 'node:os';
import path from 'node:path';
import type { BuildCache } from '../cache.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Chapter, Manifest, Pack, TocEntry } from '../model.js';
import { CACHE_DIR, contentKey } from '../cache.js';
import { hasAnySlot, type Template } from '../compose/template.js';
import { duplexBlanks, layoutHolds, MAX_PASSES, unsettledLayout } from './layout-settling.js';
import { PdfFile } from '../pdf/file.js';
import { mergeFinishing } from '../pdf/finish.js';
import { mergePdfs, PdfMerger } from '../pdf/merge.js';
import { namedDestinations } from '../pdf/destinations.js';
import type { PdfOptions, PdfResult } from './request.js';
import { folioCss, folioDocument, printDocument, standInPages, type LinkTargets, type PrintLayout, type PrintPart, type PrintSource } from './document.js';
import { openPrintPage, pageResources, type PrintPage } from './page.js';
import type { IsolatedPage } from '../chromium/session.js';
import type { PageOverflow } from './overflow.js';
import { finishingOf } from './finishing.js';

/**
 * Print weight per part (load/print-weight.ts: Markdown characters, and images by their bytes):
 * about fifty pages. The number of parts depends only on the pack (1, 2, 4, 12, then one for
 * every LARGE_PART), never on the machine, so that every machine gives the same bytes.
 * Measured on 2 cores with the headless shell: 219 pages are 10% faster in 2 parts than whole
 * and slower again in 4; 874 pages take as long in 8 parts as in 4. In 12 parts they take 3-5%
 * longer than in 8 (8.6 -> 8.9 s: each part costs a renderer), but a rebuild after one article
 * changed reprints 73 pages instead of 110 and is 10% faster (2.16 -> 1.94 s): a pack that
 * size is rebuilt far more often than it is built clean.
 */
const PART_WEIGHT = 150_000;
/**
 * From 2.88 MB on (twelve of these), a part for every so much weight, about eighty pages: a
 * one-article rebuild of a 4,000-page pack reprints eighty pages, not a twelfth of the pack, and
 * the parts of a pack that grows keep their size.
 */
const LARGE_PART = 240_000;
/** Parts of a pack of a few hundred pages (pack-200 is printed in twelve); more, and it has thousands. */
const FIXED_PARTS = 12;

/** Whether a print in these parts is one of thousands of pages: more parts than a fixed count. */
export function thousandsOfPages(plan: readonly number[][]): boolean {
  return plan.length > FIXED_PARTS;
}

/**
 * Runs of chapter indices, from the articles' print weights alone: known before any article is
 * transformed, so that parts can be printed while later ones still are.
 */
export function planParts(weights: readonly number[], template: Template): number[][] {
  const all = weights.map((_, i) => i);
  if (!template.settings.articlesStartOnNewPage) return [all];
  const padded = weights.map((weight) => weight + 2_000);
  let total = 0;
  for (const w of padded) total += w;
  // Each part costs a renderer and a merge: more parts pay off only for packs of hundreds of pages.
  const count = Math.min(weights.length, total >= 16 * PART_WEIGHT ? Math.max(FIXED_PARTS, Math.floor(total / LARGE_PART)) : total >= 8 * PART_WEIGHT ? 4 : total >= 2 * PART_WEIGHT ? 2 : 1);
  if (count < 2) return [all];
  const parts: number[][] = [];
  let current: number[] = [];
  let weight = 0;
  padded.forEach((w, i) => {
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

interface PartIds extends LinkTargets {
  own: Set<string>;
}

/** Ids the chapters define. */
function idsDefinedIn(chapters: Iterable<Chapter>): Set<string> {
  const ids = new Set<string>();
  for (const chapter of chapters) for (const id of chapter.ids.defined) ids.add(id);
  return ids;
}

/**
 * The id a `#` link goes to, as a browser looks it up: the fragment as written if an element has
 * that id, else percent-decoded (a link to a non-ASCII id is written percent-encoded).
 */
function linkTarget(fragment: string, defined: (id: string) => boolean): string {
  if (defined(fragment)) return fragment;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Ids each part defines, and the ids it links to that another part defines. */
function partIds(pack: Pack, parts: readonly number[][]): PartIds[] {
  const owner = new Map<string, number>();
  const linked = parts.map(() => new Set<string>());
  parts.forEach((chapters, k) => {
    for (const index of chapters) for (const id of pack.chapters[index]!.ids.defined) owner.set(id, k);
  });
  parts.forEach((chapters, k) => {
    for (const index of chapters) for (const id of pack.chapters[index]!.ids.linked) linked[k]!.add(linkTarget(id, (x) => owner.has(x)));
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

/**
 * The link targets of a part printed before the rest of the pack is made: every id it links to
 * but does not define (as a rule, defined in another part), and its contents entries, which the
 * first part links to. Whatever else the whole pack links to in it is rare: render() prints the
 * part again then.
 */
function earlyLinkTargets(chapters: readonly Chapter[], own: ReadonlySet<string>): LinkTargets {
  const linked = new Set<string>();
  for (const chapter of chapters) {
    for (const fragment of chapter.ids.linked) {
      const id = linkTarget(fragment, (x) => own.has(x));
      if (!own.has(id)) linked.add(id);
    }
  }
  return {
    foreign: [...linked].sort(),
    linkedFromElsewhere: chapters.flatMap((c) => [c.toc, ...c.toc.children]).map((e) => e.id).sort(),
  };
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

/**
 * Chromium's turns: at most `limit` parts laid out or printed at a time, the most urgent first.
 * While Node is still reading the pack it keeps a core for itself (`limit` one less).
 */
class Turns {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    this.next();
  }

  async take<T>(urgent: boolean, work: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    // next() counts the turn as taken before it starts a waiting one.
    else await new Promise<void>((start) => (urgent ? this.waiting.unshift(start) : this.waiting.push(start)));
    try {
      return await work();
    } finally {
      this.active--;
      this.next();
    }
  }

  private next(): void {
    while (this.active < this.limit && this.waiting.length) {
      this.active++;
      this.waiting.shift()!();
    }
  }
}

/** What printing parts needs, known as soon as the manifest, the template and the articles' sizes are. */
export interface PartsSetup {
  template: Template;
  plan: number[][];
  newPage: () => Promise<IsolatedPage>;
  layout: Pick<PrintLayout, 'paper' | 'duplex' | 'bleedMm'>;
  timeoutMs: number;
  diagnostics: Diagnostics;
  /** Where printed parts and chapter markup are kept between builds. */
  cache?: BuildCache;
  /** The version of the Chromium that prints: a cached part is only as good as the one that printed it. */
  rendererVersion: () => Promise<string>;
  /** Told what each loaded part has that leaves the text block (see overflow.ts). */
  onOverflow?: (found: PageOverflow) => void;
}

/** A part printed before the pack was whole, and the chapters and link targets it was printed with. */
interface EarlyPrint {
  chapters: readonly Chapter[];
  linkTargets: LinkTargets;
  printed: Promise<PrintedPart>;
}

/**
 * Whether a part printed early was printed from the document the whole pack gives it: the same
 * chapters (one whose links to a later article had to be changed is made anew) and link targets.
 */
function stillHolds(early: EarlyPrint, chapters: readonly Chapter[], targets: LinkTargets): boolean {
  return early.chapters.length === chapters.length && early.chapters.every((c, i) => c === chapters[i]) && sameTargets(early.linkTargets, targets);
}

function sameTargets(a: LinkTargets, b: LinkTargets): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((id, i) => id === y[i]);
  return same(a.foreign, b.foreign) && same(a.linkedFromElsewhere, b.linkedFromElsewhere);
}

/**
 * A pack printed in parts, from the first print to the merged PDF. Two ways:
 *
 * - Single-sided, a part's pages depend on nothing before it once its folio ("Page X of Y") is
 *   left out: every part but the first is printed once, final and tagged, and the folios are
 *   printed on their own and stamped on in the merge. The first part, whose contents lists
 *   every article, is measured and then printed with the real page numbers.
 * - Double-sided, the side a page falls on moves its margins and decides blank pages: every part
 *   is measured first, then printed with its offset (and again if anything moved).
 *
 * In a clean build, the parts after the first are printed (single-sided) or measured (double-
 * sided) as soon as their chapters are made (`printEarly`), while later articles are still read.
 */
export class PartedPrint {
  private readonly pages: Array<Promise<PrintPage> | undefined>;
  private readonly loaded: boolean[];
  private readonly early = new Map<number, EarlyPrint>();
  private readonly turns = new Turns(Math.max(1, os.availableParallelism() - 1));
  private sent = false;
  /** The whole build's options, from render() on. */
  private options: PdfOptions | undefined;

  /**
   * Runs of chapter indices, the first with the cover and contents. Single-sided, the cover and
   * contents (when the template has them) are a part of their own: it is printed last, once every
   * other part's pages are known, so the smaller the better.
   */
  readonly parts: number[][];

  constructor(private readonly setup: PartsSetup) {
    const front = hasAnySlot(setup.template.shell('print'), ['cover', 'contents']);
    this.parts = this.stamped && front ? [[], ...setup.plan] : setup.plan;
    this.pages = this.parts.map(() => undefined);
    this.loaded = this.parts.map(() => false);
  }

  private get stamped(): boolean {
    return !this.setup.layout.duplex;
  }

  /**
   * Start part `k` (not the first) now: `source` holds its chapters. It knows the links of its
   * own chapters, and which of its ids the contents link to, but not what other parts link to:
   * render() prints it again in the rare case that they link into it elsewhere too (double-sided,
   * it gives the page the whole list in place before the final print).
   */
  printEarly(source: PrintSource, k: number): void {
    if (k === 0 || this.early.has(k)) return;
    const chapters = this.parts[k]!.map((i) => source.chapters[i]!);
    const own = idsDefinedIn(chapters);
    const linkTargets = earlyLinkTargets(chapters, own);
    const part: PrintPart = { chapters: this.parts[k]!, front: false, offset: 0, linkTargets, stampedFolio: this.stamped };
    const measuring = !this.stamped;
    const html = printDocument(source, this.setup.template, { ...this.baseLayout(), measuring }, part, this.setup.cache);
    // A final print may be in the cache already (a rebuild); a measuring one never is.
    const printed = this.print(k, source, chapters, html, { measuring, own, key: measuring ? '' : this.cacheKey(source, chapters, html) });
    // Failures are reported by render(), which takes this promise; a build that stops before
    // then (an error in a later article) has nothing to report from here.
    printed.catch(() => undefined);
    this.early.set(k, { chapters, linkTargets, printed });
  }

  private baseLayout(): PrintLayout {
    const { paper, duplex, bleedMm } = this.setup.layout;
    return { paper, duplex, bleedMm };
  }

  private pageFor(k: number, source: Pick<PrintSource, 'manifest' | 'images'>, chapters: readonly Chapter[]): Promise<PrintPage> {
    const { setup } = this;
    return (this.pages[k] ??= setup.newPage().then((isolated) =>
      openPrintPage(isolated, pageResources(source, chapters), {
        timeoutMs: setup.timeoutMs,
        diagnostics: setup.diagnostics,
        // Only documents sent once the pack is whole tell the build that Chromium has its work.
        onDocumentSent: () => this.chromiumHasWork(),
        onOverflow: setup.onOverflow,
      }),
    ));
  }

  /** Tell the build, once, that Chromium has its work (documents sent before render() do not count). */
  private chromiumHasWork(): void {
    if (this.sent || !this.options) return;
    this.sent = true;
    this.options.onDocumentSent?.();
  }

  /** The part's name in the cache: its document, the Chromium that prints it, what its images hold. */
  private async cacheKey(source: Pick<PrintSource, 'images'>, chapters: readonly Chapter[], html: string): Promise<string> {
    const images = chapters.flatMap((c) => c.images.map((file) => source.images.get(file).sha256));
    // One argument, not one per image: a part may hold more images than a call takes arguments.
    return `part-${contentKey(await this.setup.rendererVersion(), html, images.join('\n'))}.pdf`;
  }

  /**
   * Print part `k`: from the cache under `key` if it is there, else load `html` (or, when the
   * part's page already holds its document, change it in place with `inPlace`) and print it.
   * A measuring print leaves the page open for the next pass; a final one closes it.
   */
  private async print(
    k: number,
    source: Pick<PrintSource, 'manifest' | 'images'>,
    chapters: readonly Chapter[],
    html: string,
    how: { measuring: boolean; own: ReadonlySet<string>; offset?: number; key?: string | Promise<string>; inPlace?: (page: PrintPage) => Promise<void> },
  ): Promise<PrintedPart> {
    const { measuring, own, offset = 0, inPlace } = how;
    const key = (await how.key) ?? '';
    let bytes = measuring || !key ? undefined : this.cachedPdf(key);
    const cached = bytes !== undefined;
    if (!bytes) {
      // The turn is asked for at once, in the order parts were asked for, the page opened in it.
      const opening = this.pageFor(k, source, chapters);
      let page: PrintPage | undefined;
      // The first part, with the contents, is the last to be ready and the one all wait for: it goes first.
      const raw = await this.turns.take(k === 0, async () => {
        page = await opening;
        if (this.loaded[k] && inPlace) await inPlace(page);
        else await page.load(html);
        this.loaded[k] = true;
        // Measuring needs no tags; the stand-in pages before a part are laid out, never printed.
        return page.print(!measuring, offset > 0 ? `${standInPages(offset) + 1}-` : '');
      });
      bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      // Outside the turn: another part's layout need not wait for this renderer to tidy up.
      if (measuring) await page!.collectGarbage();
      else {
        this.pages[k] = undefined;
        this.loaded[k] = false;
        await page!.close();
      }
    }
    const file = new PdfFile(bytes);
    const dests = new Map<string, number>();
    for (const [id, dest] of namedDestinations(file)) if (own.has(id)) dests.set(id, dest.page);
    return { bytes, cached, key, pages: file.pageRefs().length, dests };
  }

  /**
   * A printed part (or folios) from the cache, if it reads as a whole PDF. One that does not (a
   * disk that filled up, a copy cut short) is printed again, with a warning, rather than failing
   * this build and every later one.
   */
  private cachedPdf(key: string): Buffer | undefined {
    const bytes = this.setup.cache?.read(key);
    if (!bytes) return undefined;
    let problem: string | undefined;
    try {
      const file = new PdfFile(bytes);
      if (!file.whole()) problem = 'its objects are not where its cross-reference table says';
      else namedDestinations(file);
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem === undefined) return bytes;
    this.setup.diagnostics.warn('render/cache-unreadable', `a printed part in the cache cannot be read (${problem}): it is printed again`, {
      file: path.join(CACHE_DIR, key),
    });
    return undefined;
  }

  async render(pack: Pack, options: PdfOptions): Promise<PdfResult> {
    this.options = options;
    return this.stamped ? this.renderStamped(pack, options) : this.renderMeasured(pack, options);
  }

  /** Single-sided: the parts after the first printed once, the folios stamped on. */
  private async renderStamped(pack: Pack, options: PdfOptions): Promise<PdfResult> {
    const { template } = this.setup;
    const { parts } = this;
    const { entries, ids, ownerOf, chaptersOf } = partsOfPack(pack, parts);
    const base = this.baseLayout();
    let layout: PrintLayout = base;
    const guess = options.initialLayout;
    if (guess && entries.every((e) => typeof guess.pages[e.id] === 'number')) layout = { ...base, pages: new Map(Object.entries(guess.pages)) };
    let firstPages = guess?.partPages?.[0];
    const printFirst = (measuring: boolean, total: number | undefined): Promise<PrintedPart> => {
      const html = printDocument(pack, template, { ...layout, measuring }, { chapters: parts[0]!, front: true, offset: 0, totalPages: total, linkTargets: ids[0]! }, options.cache);
      return this.print(0, pack, chaptersOf(0), html, {
        measuring,
        own: ids[0]!.own,
        key: measuring ? '' : this.cacheKey(pack, chaptersOf(0), html),
        inPlace: (page) => page.apply(layout.pages!, new Set(), { standIns: 0, folioCss: folioCss(layout, total, 0), linkTargets: ids[0]! }),
      });
    };
    // Measuring the first part needs nothing from the rest: it starts before anything else, and
    // then Node's core is Chromium's too.
    const measuringFirst = layout.pages === undefined || firstPages === undefined ? printFirst(true, undefined) : undefined;
    measuringFirst?.catch(() => undefined);
    this.turns.setLimit(Math.max(1, os.availableParallelism()));
    // Parts started while the pack was read keep Chromium busy (or are in the cache already).
    if (this.early.size) this.chromiumHasWork();

    // The parts after the first, final whatever the pages before them do.
    const rest = parts.slice(1).map((_, j) => {
      const k = j + 1;
      // A part's document depends on the pack beyond its own chapters only through its link
      // targets: with the same ones, the part printed early was printed from this very document.
      const early = this.early.get(k);
      if (early && stillHolds(early, chaptersOf(k), ids[k]!)) return early.printed;
      const part: PrintPart = { chapters: parts[k]!, front: false, offset: 0, linkTargets: ids[k]!, stampedFolio: true };
      const html = printDocument(pack, template, base, part, options.cache);
      const key = this.cacheKey(pack, chaptersOf(k), html);
      // Printed early without a link into it from elsewhere: printed again once the page is free.
      const free = early ? early.printed.then(() => undefined, () => undefined) : Promise.resolve();
      return free.then(() => this.print(k, pack, chaptersOf(k), html, { measuring: false, own: ids[k]!.own, key }));
    });
    const early = this.early.size;
    this.early.clear();
    // The rest are merged as they come, while the first part is measured and printed; their
    // folios and the first part go in last.
    const merger = new PdfMerger(parts.length, { stampFrom: 1, continuing: continuingParts(parts), finishing: finishingFor(pack, options) });
    const merging = (async () => {
      for (const [j, printed] of rest.entries()) merger.add(j + 1, { bytes: (await printed).bytes, ownDestinations: ids[j + 1]!.own });
    })();
    merging.catch(() => undefined);

    // The first part: measured (unless the last build's layout is a good guess), then printed
    // with the real numbers, until they hold.
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const measuring = layout.pages === undefined || firstPages === undefined;
      options.onPass?.(pass, `${parts.length} parts${measuring ? ', measuring the first' : ''}${pass === 1 && early ? `, ${early} started while the pack was read` : ''}`);
      // Measuring the first part needs nothing from the rest; printing it needs their pages.
      const restPages = measuring ? 0 : (await Promise.all(rest)).reduce((sum, p) => sum + p.pages, 0);
      const total = measuring ? undefined : firstPages! + restPages;
      // The folios of the rest go to their own page, alongside the first part's print.
      const folios = measuring ? undefined : this.printFolios(pack, firstPages! + 1, restPages, total!);
      const first = await (pass === 1 && measuringFirst ? measuringFirst : printFirst(measuring, total));
      const printed = [first, ...(await Promise.all(rest))];
      const reused = printed.filter((p) => p.cached).length;
      if (reused) options.onPass?.(pass, `${reused} of ${parts.length} parts unchanged, taken from the cache`);
      const startsNow = prefixSums(printed.map((p) => p.pages));
      const headingPages = pagesOfEntries(entries, ownerOf, printed, startsNow);
      if (!measuring && layoutHolds(layout, headingPages, new Set()) && first.pages === firstPages) {
        const stamp = await folios!;
        options.onPrintHtml?.(printDocument(pack, template, layout));
        for (const p of [...printed, stamp]) options.cache?.write(p.key, p.bytes);
        await merging;
        merger.add(0, { bytes: first.bytes, ownDestinations: ids[0]!.own });
        return {
          bytes: merger.finish(stamp),
          pages: total!,
          passes: pass,
          headingPages,
          layout: { pages: Object.fromEntries(headingPages), blankBefore: [], partPages: printed.map((p) => p.pages) },
        };
      }
      await folios?.catch(() => undefined);
      layout = { ...layout, pages: headingPages };
      firstPages = first.pages;
    }
    throw unsettledLayout();
  }

  /** The folios of pages `first` to `first + count - 1` of `total`, printed on a page of their own. */
  private async printFolios(pack: Pack, first: number, count: number, total: number): Promise<{ bytes: Buffer; key: string }> {
    const html = folioDocument(pack.manifest, this.setup.template, this.baseLayout(), first, count, total);
    const key = `folios-${contentKey(await this.setup.rendererVersion(), html)}.pdf`;
    const kept = this.cachedPdf(key);
    if (kept) return { bytes: kept, key };
    const page = await this.setup.newPage().then((isolated) => openPrintPage(isolated, pageResources(pack, []), { timeoutMs: this.setup.timeoutMs, diagnostics: this.setup.diagnostics }));
    try {
      const raw = await this.turns.take(false, async () => {
        await page.load(html);
        return page.print(false);
      });
      return { bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), key };
    } finally {
      await page.close();
    }
  }

  /** Double-sided: every part measured, then printed with its offset, until nothing moves. */
  private async renderMeasured(pack: Pack, options: PdfOptions): Promise<PdfResult> {
    // The pack is read: Node's core is Chromium's too.
    this.turns.setLimit(Math.max(1, os.availableParallelism()));
    const { template } = this.setup;
    const { parts } = this;
    const { entries, ids, ownerOf, chaptersOf } = partsOfPack(pack, parts);
    let layout: PrintLayout = this.baseLayout();
    let partPages: number[] | undefined;
    const guess = options.initialLayout;
    if (guess && entries.every((e) => typeof guess.pages[e.id] === 'number') && guess.partPages?.length === parts.length) {
      layout = { ...layout, pages: new Map(Object.entries(guess.pages)), blankBefore: new Set(guess.blankBefore) };
      partPages = guess.partPages;
    }

    const printPart = (k: number, measuring: boolean, offset: number, totalPages: number | undefined): Promise<PrintedPart> => {
      const early = measuring ? this.early.get(k) : undefined;
      if (early && early.chapters.every((c, i) => c === chaptersOf(k)[i])) return early.printed;
      const part: PrintPart = { chapters: parts[k]!, front: k === 0, offset, totalPages, linkTargets: ids[k]! };
      const html = printDocument(pack, template, { ...layout, measuring }, part, options.cache);
      return this.print(k, pack, chaptersOf(k), html, {
        measuring,
        own: ids[k]!.own,
        offset,
        key: measuring ? '' : this.cacheKey(pack, chaptersOf(k), html),
        inPlace: (page) =>
          page.apply(layout.pages!, layout.blankBefore ?? new Set(), {
            standIns: standInPages(offset),
            folioCss: folioCss(layout, totalPages, offset),
            linkTargets: ids[k]!,
          }),
      });
    };

    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const measuring = layout.pages === undefined || partPages === undefined;
      const early = measuring ? parts.filter((_, k) => this.early.has(k)).length : 0;
      options.onPass?.(pass, `${parts.length} parts${measuring ? `, measuring${early ? `, ${early} of them while the pack was read` : ''}` : ''}`);
      const offsets = measuring ? parts.map(() => 0) : prefixSums(partPages!);
      const total = measuring ? undefined : partPages!.reduce((a, b) => a + b, 0);
      // A measuring pass prints every part: their pages open while their documents are made.
      if (measuring) for (let k = 0; k < parts.length; k++) void this.pageFor(k, pack, chaptersOf(k)).catch(() => undefined);
      const printed = await Promise.all(parts.map((_, k) => printPart(k, measuring, offsets[k]!, total)));
      this.early.clear();
      const reused = printed.filter((p) => p.cached).length;
      if (reused) options.onPass?.(pass, `${reused} of ${parts.length} parts unchanged, taken from the cache`);
      const pagesNow = printed.map((p) => p.pages);
      const startsNow = prefixSums(pagesNow);
      const headingPages = pagesOfEntries(entries, ownerOf, printed, startsNow);
      const blankBefore = duplexBlanks(pack, headingPages, layout.blankBefore);
      if (!measuring && layoutHolds(layout, headingPages, blankBefore) && pagesNow.every((n, k) => n === partPages![k])) {
        options.onPrintHtml?.(printDocument(pack, template, layout));
        // Only the parts of the settled layout are worth keeping for the next build.
        for (const p of printed) options.cache?.write(p.key, p.bytes);
        return {
          bytes: mergePdfs(
            printed.map((p, k) => ({ bytes: p.bytes, ownDestinations: ids[k]!.own })),
            { continuing: continuingParts(parts), finishing: finishingFor(pack, options) },
          ),
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
  }

  /** Close every page still open (after render(), or instead of it when the build stopped). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.early.values()].map((e) => e.printed));
    await Promise.all(this.pages.map((p) => p?.then((page) => page.close(), () => undefined)));
  }
}

/** What both ways of printing in parts need to know of the whole pack. */
function partsOfPack(pack: Pack, parts: readonly number[][]) {
  const ids = partIds(pack, parts);
  return {
    /** Every contents entry: articles and their sections. */
    entries: pack.toc.flatMap((e) => [e, ...e.children]),
    ids,
    /** The part each id is defined in. */
    ownerOf: new Map(ids.flatMap((p, k) => [...p.own].map((id) => [id, k] as const))),
    chaptersOf: (k: number) => parts[k]!.map((i) => pack.chapters[i]!),
  };
}

/** The page of each contents entry in the whole document: where its part starts, plus where it is in the part (0: not found). */
function pagesOfEntries(entries: readonly TocEntry[], ownerOf: ReadonlyMap<string, number>, printed: readonly PrintedPart[], starts: readonly number[]): Map<string, number> {
  return new Map(
    entries.map((e) => {
      const k = ownerOf.get(e.id);
      const local = k === undefined ? undefined : printed[k]!.dests.get(e.id);
      return [e.id, k === undefined || local === undefined ? 0 : starts[k]! + local];
    }),
  );
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

/** Finishing done as the parts are merged: the merged file is never read back. */
function finishingFor(pack: Pack, options: PdfOptions) {
  return mergeFinishing(finishingOf(pack, { creator: options.creator, date: options.date, bleedMm: options.bleedMm }));
}

/**
 * Where each part's first top-level structure element goes on with the part before it: after a
 * part of articles, the next part's articles are in the same container as the last part's.
 */
function continuingParts(parts: readonly number[][]): boolean[] {
  return parts.map((_, k) => k > 0 && parts[k - 1]!.length > 0);
}
