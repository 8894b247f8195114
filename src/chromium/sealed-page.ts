/**
 * A page sealed off from everything but an allow-list of local files: the document itself, the
 * shipped fonts and the pack's own images. Chromium reads the document and the fonts straight
 * from disk (file: URLs, no copying through the DevTools protocol); the images are answered with
 * the bytes the build checked (see images/store.ts). Every other request, to the network or to
 * any other file, is refused and reported, so rendering never touches anything outside the pack.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { privateTempDir } from '../temp.js';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HTTPRequest, Page } from 'puppeteer-core';
import type { Diagnostics } from '../diagnostics.js';

export interface SealedPage {
  /** Write `html` where the page may read it and navigate there; `onSent` runs once Chromium has it. */
  open(html: string, timeoutMs: number, onSent?: () => void): Promise<void>;
  /** Remove the document's temporary folder. */
  dispose(): void;
}

/** Files a page may read, by absolute path: read from disk (null), or answered with these bytes. */
export type PageResources = Map<string, { data: Uint8Array; mediaType: string } | null>;

export async function sealPage(page: Page, resources: PageResources, diagnostics: Diagnostics): Promise<SealedPage> {
  const dir = privateTempDir('briefpack-page-');
  const document = path.join(dir, 'document.html');
  const allowed = new Map([...resources].map(([f, r]) => [path.resolve(f), r]));
  allowed.set(document, null);
  const reported = new Set<string>();
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    const url = request.url();
    let verdict: 'continue' | 'abort' = 'abort';
    let answer: { data: Uint8Array; mediaType: string } | null = null;
    if (url.startsWith('data:')) verdict = 'continue';
    else if (url.startsWith('file:')) {
      try {
        const file = path.resolve(fileURLToPath(url));
        if (allowed.has(file)) {
          verdict = 'continue';
          answer = allowed.get(file) ?? null;
        }
      } catch {
        verdict = 'abort';
      }
    }
    if (verdict === 'abort' && !reported.has(url)) {
      reported.add(url);
      diagnostics.warn('render/request-blocked', `blocked a request from the page: ${url.length > 120 ? `${url.slice(0, 120)}…` : url}`);
    }
    const done =
      verdict === 'abort'
        ? request.abort('blockedbyclient')
        : answer
          ? request.respond({ status: 200, contentType: answer.mediaType, body: Buffer.from(answer.data.buffer, answer.data.byteOffset, answer.data.byteLength) })
          : request.continue();
    // The page may have gone (a new pass began); nothing to answer any more.
    done.catch(() => undefined);
  });
  return {
    async open(html, timeoutMs, onSent) {
      writeFileSync(document, html);
      const loaded = page.goto(pathToFileURL(document).href, { waitUntil: 'load', timeout: timeoutMs });
      onSent?.();
      await loaded;
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
