/**
 * A sealed origin for Chromium: the page asks for `http://briefpack.local/...` and we answer
 * from memory (the document), the shipped fonts, or an allow-list of the pack's own files.
 * Every other request is refused and reported, so rendering never touches the network or files
 * outside the pack.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer';
import type { Diagnostics } from '../diagnostics.js';
import type { PrintFace } from './fonts.js';

export const ORIGIN = 'http://briefpack.local';
export const FONT_PREFIX = '/_briefpack/fonts/';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.css': 'text/css',
};

export interface PageServer {
  /** Set what `ORIGIN/<name>` returns; the page then navigates there. */
  setDocument(name: string, html: string): string;
}

export async function servePage(
  page: Page,
  options: { packRoot: string; packFiles: readonly string[]; fonts: readonly PrintFace[]; diagnostics: Diagnostics },
): Promise<PageServer> {
  const documents = new Map<string, string>();
  const fonts = new Map(options.fonts.map((f) => [f.name, f.file]));
  const packFiles = new Set(options.packFiles);
  const reported = new Set<string>();
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    void answer(request).catch(() => {
      // The page may have navigated away; nothing to answer any more.
    });
  });

  async function answer(request: HTTPRequest): Promise<void> {
    const url = request.url();
    if (url.startsWith('data:')) return request.continue();
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed && parsed.origin === ORIGIN && request.method() === 'GET') {
      const pathname = decodeURIComponent(parsed.pathname);
      const doc = documents.get(pathname);
      if (doc !== undefined) return request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: doc });
      if (pathname.startsWith(FONT_PREFIX)) {
        const file = fonts.get(pathname.slice(FONT_PREFIX.length));
        if (file) return request.respond({ status: 200, contentType: 'font/ttf', body: await readFile(file) });
      }
      // Chromium asks for a favicon on its own; not the page's doing, so not worth a warning.
      if (pathname === '/favicon.ico') return request.respond({ status: 404, body: '' });
      const rel = pathname.replace(/^\/+/, '');
      if (packFiles.has(rel)) {
        const body = await readFile(path.join(options.packRoot, rel));
        return request.respond({ status: 200, contentType: MIME[path.extname(rel).toLowerCase()] ?? 'application/octet-stream', body });
      }
    }
    if (!reported.has(url)) {
      reported.add(url);
      options.diagnostics.warn('render/request-blocked', `blocked a request from the page: ${url.length > 120 ? `${url.slice(0, 120)}…` : url}`);
    }
    return request.abort('blockedbyclient');
  }

  return {
    setDocument(name, html) {
      documents.set(`/${name}`, html);
      return `${ORIGIN}/${name}`;
    },
  };
}
