/**
 * Chromium's own tagged print of a print document (the HTML that `--debug-html` writes), in one
 * piece: what a pack printed in parts and merged must read like. Finished by the toolkit as a
 * build finishes its PDFs (information, bookmarks, roles), so that the two differ only in how
 * they were printed.
 */
import { writeFileSync } from 'node:fs';
import { closeBrowser, launchBrowser } from '../../src/chromium/browser.js';
import { finishPdf } from '../../src/pdf/finish.js';
import { stableHeaderIds } from '../../src/pdf/stable-header-ids.js';
import { finishingOf } from '../../src/print/finishing.js';
import type { Pack } from '../../src/model.js';

/** The finished print in `pdf`; `printed`: the bytes of Chromium's print as it came. */
export async function wholePrint(html: string, pdf: string, pack: Pack): Promise<{ file: string; printed: number }> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    const raw = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, timeout: 300_000, waitForFonts: true });
    const bytes = stableHeaderIds([Buffer.from(raw)])[0]!;
    writeFileSync(pdf, finishPdf(bytes, finishingOf(pack, { creator: 'test', date: new Date(0), bleedMm: 0 })));
    return { file: pdf, printed: raw.length };
  } finally {
    await closeBrowser(browser);
  }
}

/** `pdfinfo -struct` with what differs by numbering alone taken out: object numbers of annotations, table header ids. */
export function structureOutline(text: string): string {
  return text.replace(/Object \d+ \d+/g, 'Object').replace(/node\d{8}/g, 'node');
}

export function printHtmlOf(pdf: string): string {
  return pdf.replace(/\.pdf$/, '.print.html');
}

