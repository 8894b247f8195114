/** The EPUB cover picture: the print cover, laid out by Chromium at a 2:3 e-reader ratio, as JPEG. */
import { pathToFileURL } from 'node:url';
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import type { Browser } from 'puppeteer-core';
import type { Diagnostics } from '../diagnostics.js';
import type { Pack } from '../model.js';
import { coverContent } from '../compose/front.js';
import type { Template } from '../compose/template.js';
import { fontFaceCss, printFonts } from '../fonts.js';
import { sealPage } from '../chromium/sealed-page.js';

const WIDTH = 800;
const HEIGHT = 1200;

export async function renderCoverImage(pack: Pack, template: Template, browser: Browser, diagnostics: Diagnostics, timeoutMs: number): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: WIDTH, height: HEIGHT, deviceScaleFactor: 2 });
    const sealed = await sealPage(page, new Map(printFonts().map((f) => [f.file, null])), diagnostics);
    const css = [
      fontFaceCss(printFonts(), (f) => pathToFileURL(f.file).href),
      template.css('base'),
      template.css('print'),
      `html, body { margin: 0; height: ${HEIGHT}px; background: #fff; } .cover { height: ${HEIGHT}px; }`,
      // E-reader libraries show covers as thumbnails: larger type than the printed cover.
      '.cover .pack-title { font-size: 46pt; } .cover .pack-subtitle { font-size: 19pt; } .cover .organisation, .cover .marking { font-size: 13pt; }',
    ].join('\n');
    const tree = h('html', { lang: pack.manifest.language }, [
      h('head', [h('meta', { charset: 'utf-8' }), h('style', css)]),
      h('body.print', [h('section.cover', coverContent(pack.manifest) as ElementContent[])]),
    ]);
    try {
      await sealed.open(`<!doctype html>${toHtml(tree)}`, timeoutMs);
      await page.evaluate('document.fonts.ready');
      return await page.screenshot({ type: 'jpeg', quality: 88, fullPage: false, optimizeForSpeed: false });
    } finally {
      sealed.dispose();
    }
  } finally {
    await page.close().catch(() => undefined);
  }
}
