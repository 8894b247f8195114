/**
 * What print would cut off. Chromium clips whatever runs past the page box, and says nothing.
 * Most of it the templates' CSS prevents (code and long words wrap, pictures scale to the text);
 * what is left is found in the loaded print document, before its first print: tables wider than
 * the text block are set smaller, then scaled down, then let break their words, and whatever
 * still leaves the text block is reported at its source line.
 *
 * The print document is measured on screen at the width of its text block (see document.ts),
 * so the screen layout shows what print will cut: widths do not depend on pagination.
 */
import type { Page } from 'puppeteer-core';
import { contentKey, type BuildCache } from '../cache.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Chapter, Pack } from '../model.js';
import { POSITIONED } from '../transform/source-positions.js';

/** Below this, scaling a table down would make its text too small to read (about 5 pt): it breaks words instead. */
const MIN_ZOOM = 0.65;

/** One element that leaves the text block, as the page found it. */
export interface OverflowFinding {
  /** The chapter's article slug. */
  article: string;
  /** Indices, innermost first, of the positioned elements (transform/source-positions.ts) around it, itself included. */
  positioned: number[];
  /** How many positioned elements the page found in the chapter: a check that the side table fits. */
  count: number;
  tag: string;
  widthMm: number;
  overMm: number;
  side: 'left' | 'right';
  /** A table after every step: set smaller, scaled down to MIN_ZOOM, words broken. */
  fitted: boolean;
}

/** What one loaded document showed: the chapters it holds, and what in them leaves the text block. */
export interface PageOverflow {
  articles: string[];
  findings: OverflowFinding[];
}

/**
 * Fit wide tables to the text block, in the loaded page, and find what still leaves it. Runs as
 * DevTools code (the page's own scripts are disabled). The changes stay for every print of it.
 */
export async function fitWideContent(page: Page): Promise<PageOverflow> {
  return page.evaluate(
    async (positioned: string, minZoom: number): Promise<PageOverflow> => {
      // Widths are those of the shipped fonts only once they are loaded (print waits for them too).
      await document.fonts.ready;
      // Measured at the width of the text block on paper (see document.ts), then let go.
      const root = document.documentElement;
      root.style.width = getComputedStyle(root).getPropertyValue('--text-block-width').trim() || 'auto';
      const mm = 25.4 / 96;
      // The page area: the root element's box, as wide on screen as on paper (body margins inside it, as in print).
      const { left, right } = document.documentElement.getBoundingClientRect();
      const over = (el: Element) => {
        const r = el.getBoundingClientRect();
        return Math.max(r.right - right, left - r.left, 0);
      };
      // A pixel of tolerance: widths are fractional, and a hair's breadth prints.
      const tooWide = (el: Element) => over(el) > 1;
      const chapters = Array.from(document.querySelectorAll<HTMLElement>('article.chapter[data-article]'));
      // Tables: each step for those the last one left too wide, all at once (one layout per step).
      let tables = chapters.flatMap((c) => Array.from(c.querySelectorAll('table'))).filter((t) => !t.parentElement?.closest('table') && tooWide(t));
      tables.forEach((t) => t.classList.add('fit-compact'));
      tables = tables.filter(tooWide);
      const available = right - left;
      for (const t of tables) {
        const width = t.getBoundingClientRect().width;
        (t as HTMLElement).style.zoom = String(Math.max(minZoom, Math.floor((available / width) * 1000) / 1000));
      }
      tables = tables.filter(tooWide);
      tables.forEach((t) => t.classList.add('fit-break'));
      const findings: PageOverflow['findings'] = [];
      for (const chapter of chapters) {
        // Most chapters have nothing beyond their box: one read tells.
        if (chapter.scrollWidth <= chapter.clientWidth + 1) continue;
        const list = Array.from(chapter.querySelectorAll(positioned));
        const index = new Map(list.map((el, i) => [el, i]));
        // What overflows is told by the block that holds it (a code block, not each of its
        // highlighted words), once, and not again inside a block told already.
        const blocks = new Map<Element, { left: number; right: number }>();
        for (const el of Array.from(chapter.querySelectorAll('*'))) {
          if (!tooWide(el)) continue;
          let block: Element = el;
          while (!index.has(block) && block.parentElement && block.parentElement !== chapter) block = block.parentElement;
          const r = el.getBoundingClientRect();
          const extent = blocks.get(block) ?? block.getBoundingClientRect();
          blocks.set(block, { left: Math.min(extent.left, r.left), right: Math.max(extent.right, r.right) });
        }
        const told: Element[] = [];
        for (const [block, extent] of blocks) {
          if (told.some((t) => t.contains(block))) continue;
          told.push(block);
          const indices: number[] = [];
          for (let up: Element | null = block; up && up !== chapter; up = up.parentElement) {
            const i = index.get(up);
            if (i !== undefined) indices.push(i);
          }
          findings.push({
            article: chapter.dataset.article ?? '',
            positioned: indices,
            count: list.length,
            tag: block.tagName.toLowerCase(),
            widthMm: Math.round((extent.right - extent.left) * mm),
            overMm: Math.round(Math.max(extent.right - right, left - extent.left, 0) * mm),
            side: extent.right - right >= left - extent.left ? 'right' : 'left',
            fitted: block.classList.contains('fit-break'),
          });
        }
      }
      root.style.removeProperty('width');
      return { articles: chapters.map((c) => c.dataset.article ?? ''), findings };
    },
    POSITIONED,
    MIN_ZOOM,
  );
}

/**
 * The findings of a build's print documents, by chapter, reported once the PDF is made. A part
 * taken from the build cache was not loaded: its chapters' findings come from the cache too.
 */
export class OverflowReport {
  private readonly measured = new Map<string, OverflowFinding[]>();

  /** Told what each loaded document showed (later loads of the same chapter show the same). */
  readonly record = (page: PageOverflow): void => {
    for (const article of page.articles) this.measured.set(article, []);
    for (const finding of page.findings) this.measured.get(finding.article)?.push(finding);
  };

  /** Warnings at the source positions, and the findings kept in the cache under what decides them. */
  report(pack: Pack, diagnostics: Diagnostics, cache: BuildCache, printedWith: string): void {
    for (const chapter of pack.chapters) {
      const name = `overflow-${contentKey(printedWith, chapter.key, chapter.images.map((file) => pack.images.get(file).sha256).join('\0'))}.json`;
      let findings = this.measured.get(chapter.article.slug);
      if (findings) cache.write(name, JSON.stringify(findings));
      else findings = cache.readJson<OverflowFinding[]>(name) ?? [];
      for (const finding of findings) warn(chapter, finding, diagnostics);
    }
  }
}

const WHAT: Readonly<Record<string, string>> = { table: 'the table', pre: 'the code block', img: 'the picture', figure: 'the figure' };

function warn(chapter: Chapter, finding: OverflowFinding, diagnostics: Diagnostics): void {
  const { positions } = chapter;
  // Positions only when the page found the elements the transform counted (see transform/source-positions.ts).
  const trusted = positions.length === finding.count * 2;
  const at = trusted ? finding.positioned.find((i) => positions[2 * i]! > 0) : undefined;
  const position = at === undefined ? undefined : { line: positions[2 * at]!, column: positions[2 * at + 1]! };
  const what = WHAT[finding.tag] ?? `a <${finding.tag}> element`;
  const cut =
    finding.tag === 'table'
      ? `its ${finding.side === 'right' ? 'last' : 'first'} columns are cut off`
      : finding.tag === 'pre'
        ? `its long lines are cut off at the ${finding.side} edge`
        : `what runs past its ${finding.side} edge is cut off`;
  const tried = finding.fitted ? ' even set smaller and scaled down' : '';
  diagnostics.warn('print/overflow', `${what} is ${finding.widthMm} mm wide${tried}, ${finding.overMm} mm wider than the text block; ${cut}`, {
    file: chapter.article.file,
    position,
  });
}
