/** A print document open in a sealed page of its own, ready to be printed (and changed in place between prints). */
import { recordSpan } from '../timings.js';
import path from 'node:path';
import { BuildFailure, ExitCode, type Diagnostics } from '../diagnostics.js';
import type { Chapter, Manifest } from '../model.js';
import { printFonts } from '../fonts.js';
import { sealPage, type PageResources } from '../chromium/sealed-page.js';
import type { ImageStore } from '../images/store.js';
import type { IsolatedPage } from '../chromium/session.js';
import type { LinkTargets } from './document.js';
import { fitWideContent, type PageOverflow } from './overflow.js';
import type { Page } from 'puppeteer-core';

export interface PrintPageOptions {
  timeoutMs: number;
  diagnostics: Diagnostics;
  /** Called once Chromium has the document and is laying it out (Node is free from then on). */
  onDocumentSent?: () => void;
  /** Told, for each document loaded, what in it leaves the text block (see overflow.ts). */
  onOverflow?: (found: PageOverflow) => void;
}

/**
 * What a print page may read: the shipped fonts, from disk, and the images of the chapters it
 * prints, as the build's image store holds them (checked and sanitized, never the file again).
 */
export function pageResources(source: { manifest: Manifest; images?: ImageStore }, chapters: readonly Chapter[]): PageResources {
  const resources: PageResources = new Map(printFonts().map((f) => [f.file, null]));
  for (const chapter of chapters) {
    for (const file of chapter.images) resources.set(path.join(source.manifest.root, file), source.images!.get(file));
  }
  return resources;
}

/** A sealed page for print documents: each loaded, then printed as often as the layout needs. */
export interface PrintPage {
  /** Load a document in place of the last one, its wide tables fitted to the text block. */
  load(html: string): Promise<void>;
  /** `pageRanges` as Chromium takes them ("5-": from page 5 on); all pages if empty. */
  print(tagged: boolean, pageRanges?: string): Promise<Uint8Array>;
  /**
   * Put the measured numbers into the contents, show or hide the duplex blank pages, and end
   * measuring mode, all in place; a part also gets its stand-in pages, folio and link targets.
   */
  apply(pages: ReadonlyMap<string, number | string>, blankBefore: ReadonlySet<string>, part?: { standIns: number; folioCss: string; linkTargets: LinkTargets }): Promise<void>;
  /**
   * Free what the last print left behind. A print leaves the renderer holding what it painted
   * as garbage that Blink's collector takes its time over: on 219 pages, 126 MB laid out,
   * 266 MB after a print, 125 MB after a full collection (a memory-pressure signal frees none).
   */
  collectGarbage(): Promise<void>;
  close(): Promise<void>;
}

async function collectGarbage(page: Page): Promise<void> {
  const session = await page.createCDPSession();
  try {
    // A full collection: V8's heap and Blink's, where layout and paint objects live.
    await session.send('HeapProfiler.collectGarbage');
  } catch {
    // Only memory is at stake: a Chromium without this command prints just the same.
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/**
 * A page of its own browser context (its own renderer process), sealed. Later passes change
 * text in place rather than load a new document, which keeps the page's fonts and styles and
 * saves laying out the document from scratch; a page also serves one part after another.
 * Chromium's only trace of what a renderer did before is in the ids of tagged table headers,
 * which pdf/stable-header-ids.ts renumbers.
 */
export async function openPrintPage(isolated: IsolatedPage, resources: PageResources, options: PrintPageOptions): Promise<PrintPage> {
  const { page } = isolated;
  let sealed: Awaited<ReturnType<typeof sealPage>> | undefined;
  const close = async () => {
    sealed?.dispose();
    await isolated.close();
  };
  try {
    // Content is static; scripts in a pack cannot run while printing.
    await page.setJavaScriptEnabled(false);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String((error as Error).message ?? error)));
    sealed = await sealPage(page, resources, options.diagnostics);
    const loader = sealed;
    return {
      async load(html) {
        await loader.open(html, options.timeoutMs, options.onDocumentSent);
        const found = await fitWideContent(page);
        options.onOverflow?.(found);
      },
      async print(tagged, pageRanges = '') {
        const start = performance.now();
        const raw = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged, outline: false, pageRanges, timeout: options.timeoutMs, waitForFonts: true });
        if (errors.length) {
          throw new BuildFailure(
            errors.map((message) => ({ severity: 'error', rule: 'render/failed', message: `page error while printing: ${message}` })),
            ExitCode.RenderError,
          );
        }
        recordSpan(tagged ? 'print (tagged)' : 'print (measuring)', start);
        return raw;
      },
      async apply(pages, blankBefore, part) {
        // Runs as DevTools code: the page's own scripts stay disabled. Text nodes are changed,
        // not replaced, so no node is created between passes (bar a part's stand-in pages).
        await page.evaluate(
          (numbers: Record<string, string>, blanks: string[], standIns: number, folio: string | null, targets: LinkTargets | null) => {
            for (const span of Array.from(document.querySelectorAll<HTMLElement>('.toc-page[data-entry]'))) {
              const text = span.firstChild;
              const value = numbers[span.dataset.entry ?? ''];
              if (text && text.nodeType === Node.TEXT_NODE && value !== undefined) (text as Text).data = value;
            }
            for (const div of Array.from(document.querySelectorAll<HTMLElement>('.chapter-blank[data-blank-before]'))) {
              div.hidden = !blanks.includes(div.dataset.blankBefore ?? '');
            }
            document.querySelector('style[data-briefpack-measuring]')?.remove();
            const offsets = document.querySelector('.page-offsets');
            if (offsets) {
              while (offsets.children.length > standIns) offsets.lastElementChild!.remove();
              while (offsets.children.length < standIns) offsets.append(Object.assign(document.createElement('div'), { className: 'page-offset' }));
            }
            const style = document.querySelector('style[data-briefpack-folio]');
            if (style && folio !== null) style.textContent = folio;
            // The same elements as document.ts's linkStandIns, in the same order.
            const holder = document.querySelector('.link-targets');
            if (holder && targets) {
              holder.replaceChildren(
                ...targets.foreign.map((id) => Object.assign(document.createElement('span'), { id })),
                ...targets.linkedFromElsewhere.map((id) => {
                  const link = document.createElement('a');
                  link.setAttribute('href', `#${id}`);
                  return link;
                }),
              );
            }
          },
          Object.fromEntries([...pages].map(([id, n]) => [id, String(n)])),
          [...blankBefore],
          part?.standIns ?? 0,
          part?.folioCss ?? null,
          part ? { foreign: [...part.linkTargets.foreign], linkedFromElsewhere: [...part.linkTargets.linkedFromElsewhere] } : null,
        );
      },
      collectGarbage: () => collectGarbage(page),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
