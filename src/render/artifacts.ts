/**
 * Render stage: PDF, EPUB and HTML concurrently from one Pack, sharing one browser. Nothing is
 * written here; the artifacts come back as bytes for the validate and write stages.
 */
import type { Diagnostics } from '../diagnostics.js';
import type { ResolvedLayout } from '../config.js';
import type { Format, Manifest, Pack } from '../model.js';
import type { Template } from '../compose/template.js';
import { killBrowser } from '../chromium/browser.js';
import { renderCoverImage } from '../epub/cover-image.js';
import { renderEpub } from '../epub/epub.js';
import { renderPdf } from '../print/pdf.js';
import type { SettledLayout } from '../print/request.js';
import { planParts, thousandsOfPages, type PartedPrint } from '../print/parts.js';
import type { Browser } from 'puppeteer-core';
import { BuildCache, contentKey } from '../cache.js';
import { coverContent } from '../compose/front.js';
import { VERSION } from '../version.js';
import { BrowserSession } from '../chromium/session.js';
import { renderWeb } from '../html/web.js';
import type { OverflowReport } from '../print/overflow.js';
import { recordSpan, timeSpan } from '../timings.js';

export interface RenderedArtifact {
  format: Format;
  name: string;
  data: Uint8Array | string;
  pages?: number;
  ms: number;
}

export interface RenderRequest {
  pack: Pack;
  template: Template;
  layout: ResolvedLayout;
  formats: readonly Format[];
  date: Date;
  creator: string;
  timeoutMs: number;
  /** The build's browser (started early, while the pack was being loaded). */
  session: BrowserSession;
  debugHtml: boolean;
  diagnostics: Diagnostics;
  progress: (message: string) => void;
  /** Test hook: kill the browser once, mid-render, to exercise the retry. */
  crashOnce?: boolean;
  /** Test hook: a bug of ours (a TypeError) while the EPUB renders, to exercise how bugs are reported. */
  bugOnce?: boolean;
  cache: BuildCache;
  /** The PDF's parts, started while the pack was read, and the browser they belong to. */
  parted?: EarlyParts;
  /** What print would cut off, told by every loaded print document (the PDF's parts started early too). */
  overflow: OverflowReport;
}

export interface EarlyParts {
  browser: Promise<Browser>;
  print: PartedPrint;
}

export interface RenderResult {
  artifacts: RenderedArtifact[];
  /** Files written beside the artifacts (e.g. the print HTML with --debug-html). */
  extras: Array<{ name: string; data: string }>;
  chromium: string | undefined;
}

const ORDER: Format[] = ['pdf', 'epub', 'html'];

/** Where the last build's settled layout is kept: a good guess at it saves a layout pass. */
export function layoutCacheName(slug: string, layout: ResolvedLayout, template: Template): string {
  return `layout-${contentKey(slug, layout.paper, String(layout.duplex), String(layout.bleedMm), template.name)}.json`;
}

/** The EPUB cover picture's name in the build cache: it changes with what the cover shows. */
export function coverCacheName(manifest: Manifest, template: Template): string {
  return `cover-${contentKey(VERSION, JSON.stringify(coverContent(manifest)), template.css('base'), template.css('print'))}.jpg`;
}

export async function renderArtifacts(request: RenderRequest): Promise<RenderResult> {
  const { pack, template, layout, diagnostics, progress } = request;
  const slug = pack.manifest.slug;
  const wants = (f: Format) => request.formats.includes(f);
  const extras: RenderResult['extras'] = [];
  const { session } = request;
  let crashPending = request.crashOnce ?? false;

  const timed = async (format: Format, work: () => Promise<Omit<RenderedArtifact, 'ms' | 'format' | 'name'>>): Promise<RenderedArtifact> => {
    const start = performance.now();
    const result = await work();
    recordSpan(format, start);
    return { ...result, format, name: `${slug}.${format}`, ms: Math.round(performance.now() - start) };
  };

  const jobs: Array<Promise<RenderedArtifact>> = [];
  // The PDF is the long pole and Chromium does most of its work: EPUB and HTML, which keep Node
  // busy, wait until Chromium has the print document, so they never delay handing it over.
  let pdfUnderWay: () => void = () => undefined;
  const chromiumBusy = wants('pdf') ? new Promise<void>((resolve) => (pdfUnderWay = resolve)) : Promise.resolve();
  // A pack of thousands of pages: its EPUB and HTML are made after the PDF, one after the other.
  // Made alongside the merge of its parts, they held the build's peak at the sum of all three
  // (pack-1000: Node 620 -> 920 MB while Chromium still held 720 MB), past what a CI runner has.
  const oneAtATime = thousandsOfPages(request.parted?.print.parts ?? planParts(pack.chapters.map((c) => c.article.printWeight), template));
  let before: Promise<unknown> = chromiumBusy;
  const next = (job: Promise<RenderedArtifact>) => {
    jobs.push(job);
    if (oneAtATime) before = job.catch(() => undefined);
  };
  try {
    if (wants('pdf')) {
      next(
        timed('pdf', () =>
          session.withRetry('PDF', async (browser) => {
            progress('render pdf');
            const layoutKey = layoutCacheName(slug, layout, template);
            // After a crash, the parts started early went with the browser that printed them.
            const early = request.parted && (await request.parted.browser.catch(() => undefined)) === browser ? request.parted.print : undefined;
            const pdf = await renderPdf(pack, template, () => session.isolatedPage(browser), {
              initialLayout: request.cache.readJson<SettledLayout>(layoutKey),
              paper: layout.paper,
              duplex: layout.duplex,
              bleedMm: layout.bleedMm,
              creator: request.creator,
              date: request.date,
              timeoutMs: request.timeoutMs,
              diagnostics,
              onPass: (pass, detail) => {
                progress(`render pdf: layout pass ${pass}${detail ? ` (${detail})` : ''}`);
                if (crashPending && pass === 2) {
                  crashPending = false;
                  killBrowser(browser);
                }
              },
              onDocumentSent: pdfUnderWay,
              onOverflow: request.overflow.record,
              cache: request.cache,
              rendererVersion: await browser.version(),
              onPrintHtml: request.debugHtml ? (html) => extras.push({ name: `${slug}.print.html`, data: html }) : undefined,
            }, early);
            request.cache.write(layoutKey, JSON.stringify(pdf.layout));
            // What a chapter's print cuts off depends on its markup, the template, the paper and the Chromium.
            const printedWith = [await browser.version(), template.css('base'), template.css('print'), layout.paper].join('\n');
            request.overflow.report(pack, diagnostics, request.cache, printedWith);
            return { data: pdf.bytes, pages: pdf.pages };
          }).finally(pdfUnderWay),
        ),
      );
    }
    if (wants('epub')) {
      next(
        timed('epub', async () => {
          await before;
          progress('render epub');
          if (request.bugOnce) (undefined as unknown as { bug(): void }).bug();
          const coverKey = coverCacheName(pack.manifest, template);
          // The Chromium that pictured a cover is kept with it: an EPUB built from the cache, with
          // no browser started, names the same one in manifest.json as the clean build did.
          const painter = `${coverKey}.chromium`;
          const kept = request.cache.read(coverKey);
          const keptBy = kept && request.cache.read(painter)?.toString('utf8');
          const cover = kept && keptBy ? kept : await timeSpan('epub cover', () => session.withRetry('EPUB cover', (browser) => renderCoverImage(pack, template, browser, diagnostics, request.timeoutMs)));
          if (keptBy) session.version ??= keptBy;
          request.cache.write(coverKey, cover);
          if (session.version) request.cache.write(painter, session.version);
          return { data: await renderEpub(pack, template, { date: request.date, generator: request.creator, cover, cache: request.cache }) };
        }),
      );
    }
    if (wants('html')) {
      next(
        timed('html', async () => {
          await before;
          progress('render html');
          return { data: await renderWeb(pack, template, request.cache) };
        }),
      );
    }
    const artifacts = await Promise.all(jobs);
    artifacts.sort((a, b) => ORDER.indexOf(a.format) - ORDER.indexOf(b.format));
    return { artifacts, extras, chromium: session.version };
  } finally {
    // Every job has settled (or one failed): wait for the rest before closing their browser.
    await Promise.allSettled(jobs);
  }
}
