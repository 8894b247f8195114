/** Assertions on a built PDF that several tests share, all from poppler's and qpdf's view of it. */
import { expect } from 'vitest';
import type { TocEntry } from '../../src/model.js';
import { pageCount, pageText, pdfOutline } from './tools.js';

export const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

export function pageTexts(pdf: string): string[] {
  return Array.from({ length: pageCount(pdf) }, (_, i) => pageText(pdf, i + 1));
}

/** Where each contents entry's heading is printed (first page after the contents that shows it). */
export function headingPages(texts: readonly string[], toc: readonly TocEntry[]): Map<string, number> {
  const contentsPage = texts.findIndex((t) => /^\s*Contents\s*$/m.test(t)) + 1;
  expect(contentsPage, 'a page headed "Contents"').toBeGreaterThan(0);
  const pages = new Map<string, number>();
  let from = contentsPage;
  for (const entry of toc.flatMap((e) => [e, ...e.children])) {
    // Headings appear in contents order, so each search starts at the previous heading's page.
    const index = texts.findIndex((t, i) => i + 1 > contentsPage && i + 1 >= from && normalise(t).includes(normalise(entry.title)));
    expect(index, `page of heading "${entry.title}"`).toBeGreaterThanOrEqual(0);
    pages.set(entry.id, index + 1);
    from = index + 1;
  }
  return pages;
}

/** Every contents line ends with the page its heading is printed on. */
export function expectContentsMatchesPages(pdf: string, toc: readonly TocEntry[]): Map<string, number> {
  const texts = pageTexts(pdf);
  const pages = headingPages(texts, toc);
  // The contents runs from its heading to the page before the first article.
  const first = texts.findIndex((t) => /^\s*Contents\s*$/m.test(t));
  const firstArticle = Math.min(...toc.map((e) => pages.get(e.id)!));
  const contents = texts.slice(first, firstArticle - 1).join('\n').split('\n');
  for (const entry of toc.flatMap((e) => [e, ...e.children])) {
    const start = normalise(entry.title).split(' ').slice(0, 5).join(' ');
    const line = contents.find((l) => normalise(l).startsWith(start) || normalise(l).includes(` ${start}`) || normalise(l).includes(start));
    expect(line, `contents line for "${entry.title}"`).toBeDefined();
    expect(Number(/(\d+)\s*$/.exec(line!)?.[1]), `page number for "${entry.title}"`).toBe(pages.get(entry.id));
  }
  return pages;
}

/** One bookmark per article and section, in contents order, each on its heading's page. */
export function expectOutlineMatches(pdf: string, toc: readonly TocEntry[], pages: Map<string, number>): void {
  const outline = pdfOutline(pdf);
  const entries = toc.flatMap((e) => [e, ...e.children]);
  expect(outline.map((o) => [o.title, o.depth])).toEqual(entries.map((e) => [e.title, e.level - 1]));
  entries.forEach((entry, i) => expect(outline[i]!.page, entry.title).toBe(pages.get(entry.id)));
}

export interface BodyPage {
  page: number;
  text: string;
  /** Non-blank lines, top to bottom. */
  lines: string[];
  /** The article the page belongs to (undefined before the first article). */
  article: TocEntry | undefined;
  total: number;
}

/** Every page but the cover, with its lines and the article it belongs to. */
export function bodyPages(pdf: string, toc: readonly TocEntry[]): BodyPage[] {
  const texts = pageTexts(pdf);
  const pages = headingPages(texts, toc);
  const articleOf = (page: number) => [...toc].reverse().find((e) => pages.get(e.id)! <= page);
  return texts.slice(1).map((text, i) => ({
    page: i + 2,
    text,
    lines: text.split('\n').filter((l) => l.trim()),
    article: articleOf(i + 2),
    total: texts.length,
  }));
}
