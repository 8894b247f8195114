/**
 * A page sealed off from everything but an allow-list of local files: the document itself, the
 * shipped fonts and the pack's own images. Chromium reads those straight from disk (file: URLs,
 * no copying through the DevTools protocol); every other request, to the network or to any
 * other file, is refused and reported, so rendering never touches anything outside the pack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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

export async function sealPage(page: Page, allowedFiles: Iterable<string>, diagnostics: Diagnostics): Promise<SealedPage> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'briefpack-page-'));
  const document = path.join(dir, 'document.html');
  const allowed = new Set([...allowedFiles].map((f) => path.resolve(f)));
  allowed.add(document);
  const reported = new Set<string>();
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    const url = request.url();
    let verdict: 'continue' | 'abort' = 'abort';
    if (url.startsWith('data:')) verdict = 'continue';
    else if (url.startsWith('file:')) {
      try {
        if (allowed.has(path.resolve(fileURLToPath(url)))) verdict = 'continue';
      } catch {
        verdict = 'abort';
      }
    }
    if (verdict === 'abort' && !reported.has(url)) {
      reported.add(url);
      diagnostics.warn('render/request-blocked', `blocked a request from the page: ${url.length > 120 ? `${url.slice(0, 120)}…` : url}`);
    }
    const done = verdict === 'continue' ? request.continue() : request.abort('blockedbyclient');
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
