/** The EPUB cover picture: the print cover, laid out by Chromium at a 2:3 e-reader ratio, as JPEG. */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import type { Browser } from 'puppeteer';
import type { Diagnostics } from '../diagnostics.js';
import type { Pack } from '../model.js';
import { coverContent } from '../compose/front.js';
import type { Template } from '../compose/template.js';
import { fontFaceCss, printFonts } from './fonts.js';
import { FONT_PREFIX, servePage } from './page-server.js';

const WIDTH = 800;
const HEIGHT = 1200;

export async function renderCoverImage(pack: Pack, template: Template, browser: Browser, diagnostics: Diagnostics, timeoutMs: number): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: WIDTH, height: HEIGHT, deviceScaleFactor: 2 });
    const server = await servePage(page, { packRoot: pack.manifest.root, packFiles: [], fonts: printFonts(), diagnostics });
    const css = [
      fontFaceCss(printFonts(), (f) => `${FONT_PREFIX}${f.name}`),
      template.css('base'),
      template.css('print'),
      `html, body { margin: 0; height: ${HEIGHT}px; background: #fff; } .cover { height: ${HEIGHT}px; }`,
    ].join('\n');
    const tree = h('html', { lang: pack.manifest.language }, [
      h('head', [h('meta', { charset: 'utf-8' }), h('style', css)]),
      h('body.print', [h('section.cover', coverContent(pack.manifest) as ElementContent[])]),
    ]);
    const url = server.setDocument('cover.html', `<!doctype html>${toHtml(tree)}`);
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    await page.evaluate('document.fonts.ready');
    const shot = await page.screenshot({ type: 'jpeg', quality: 88, fullPage: false, optimizeForSpeed: false });
    return shot;
  } finally {
    await page.close().catch(() => undefined);
  }
}
