/**
 * The print HTML: template shell + cover + contents + chapters, plus the generated page rules
 * that Chromium cannot derive from content (running heads per article via named pages, the
 * classification marking, Page X of Y, paper, duplex margins).
 */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import { pathToFileURL } from 'node:url';
import { toHtml } from 'hast-util-to-html';
import type { Chapter, Pack } from '../model.js';
import { contentsContent, coverContent } from '../compose/front.js';
import { fillSlots, hasAnySlot, withoutSlots, type Template } from '../compose/template.js';
import { cssString } from './css-string.js';
import { fontFaceCss, printFonts } from '../fonts.js';
import { chapterMarkup, PRINT_HTML_OPTIONS } from './chapter-markup.js';
import type { BuildCache } from '../cache.js';

export interface PrintLayout {
  paper: 'a4' | 'letter';
  duplex: boolean;
  /** Bleed on each side, in millimetres (0 for none). The page grows by it; content keeps to the trim. */
  bleedMm: number;
  /** Page numbers to print in the contents (from the previous pass). */
  pages?: ReadonlyMap<string, number | string>;
  /** Article slugs that need a blank left page before them (duplex). */
  blankBefore?: ReadonlySet<string>;
  /** Only measuring where headings land: nothing needs to be painted. */
  measuring?: boolean;
}

/**
 * One run of consecutive articles printed on its own (a large pack prints in parts, in
 * parallel, and the parts are merged). `offset` pages of the whole document come before it: its
 * page counter starts from there, and one or two stand-in pages before it give its pages the
 * left/right sides they have in the whole document; printing starts after them.
 */
export interface PrintPart {
  /** Indices into pack.chapters. */
  chapters: readonly number[];
  /** With the cover and contents (the first part). */
  front: boolean;
  offset: number;
  /** Pages in the whole document, for "Page X of Y" (unknown while measuring). */
  totalPages?: number;
  linkTargets: LinkTargets;
  /**
   * Printed without its folio, which is stamped on after the merge (see folioDocument): nothing
   * on its pages then depends on the pages before it, so it is printed once, however those come
   * out. Single-sided only: double-sided, the side a page falls on moves its margins.
   */
  stampedFolio?: boolean;
}

/**
 * A part's links across the join. A part measured before the whole pack is read knows only its
 * own contents entries; the stand-ins take no space, so its pages come out the same, and the
 * page is given the whole list in place before its final print (PrintPage.apply).
 */
export interface LinkTargets {
  /** Ids this part links to that live in other parts: stand-in targets keep the links. */
  foreign: readonly string[];
  /**
   * Ids in this part that other parts link to (the contents, at least, links to every heading).
   * Chromium writes a named destination only for an element something in the same document
   * links to, and the merge needs one for each of these.
   */
  linkedFromElsewhere: readonly string[];
}

/**
 * What a print document is made of: the whole pack, or, for a part printed while later
 * articles are still being read, the manifest and the chapters made so far.
 */
export interface PrintSource {
  manifest: Pack['manifest'];
  toc: Pack['toc'];
  chapters: ReadonlyArray<Chapter | undefined>;
  images: Pack['images'];
}

/**
 * A measuring pass needs Chromium's layout, not its painting: hidden content keeps its boxes
 * (and so every page break and named destination) but costs nothing to draw, which makes
 * the pass about twice as fast. Margin boxes never affect the page area, so they go entirely.
 */
const MEASURING_CSS = [
  'html, html * { visibility: hidden !important; }',
  '@page { visibility: hidden !important;',
  ...['top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right'].map((box) => `  @${box} { content: none !important; }`),
  '}',
].join('\n');

export const PAPER = { a4: { width: 210, height: 297 }, letter: { width: 215.9, height: 279.4 } } as const;

export const BLANK_PAGE_TEXT = 'This page intentionally left blank';

/** `cache`: where each chapter's markup is kept between builds (see chapter-markup.ts). */
export function printDocument(pack: PrintSource, template: Template, layout: PrintLayout, part?: PrintPart, cache?: BuildCache): string {
  const chapters: ElementContent[] = [];
  const printed = printedChapters(pack, part);
  for (const [, chapter] of printed) {
    // Double-sided, every article has its blank page ready, hidden until the layout needs it:
    // a later pass then shows or hides it in the open page instead of laying out a new document.
    const slug = chapter.article.slug;
    if (layout.duplex || layout.blankBefore?.has(slug)) {
      chapters.push(
        h('div.chapter-blank', { ariaHidden: 'true', dataBlankBefore: slug, hidden: !layout.blankBefore?.has(slug) }, [h('p', BLANK_PAGE_TEXT)]),
      );
    }
    chapters.push({ type: 'raw', value: chapterMarkup(chapter, cache) });
  }
  const css = [
    fontFaceCss(printFonts(), (f) => pathToFileURL(f.file).href),
    template.css('base'),
    template.css('print'),
    pageRules(pack.manifest, printed, layout),
  ].join('\n');
  // A part has the cover and contents or chapters, or both; an empty slot could still take a page.
  const dropped = [...(part && !part.front ? ['cover', 'contents'] : []), ...(part && part.chapters.length === 0 ? ['chapters'] : [])];
  const shell = dropped.length ? withoutSlots(template.shell('print'), dropped) : template.shell('print');
  const tree = fillSlots(shell, {
    title: pack.manifest.title,
    styles: css,
    cover: coverContent(pack.manifest),
    // A part without the contents has no slot for them: not made for nothing.
    contents: dropped.includes('contents') ? [] : contentsContent(pack.toc, layout.pages ?? new Map(pack.toc.flatMap((e) => [e, ...e.children]).map((e) => [e.id, '00']))),
    chapters,
  });
  const html = tree.children.find((c) => c.type === 'element' && c.tagName === 'html');
  if (html && html.type === 'element') {
    html.properties.lang = pack.manifest.language;
    const head = html.children.find((c) => c.type === 'element' && c.tagName === 'head');
    if (head && head.type === 'element') {
      // Images are pack-relative paths; fonts are file: URLs: the document opens anywhere.
      head.children.unshift(h('base', { href: pathToFileURL(`${pack.manifest.root}/`).href }));
      if (layout.measuring) head.children.push(h('style', { dataBriefpackMeasuring: '' }, MEASURING_CSS));
    }
    const body = html.children.find((c) => c.type === 'element' && c.tagName === 'body');
    if (part && body && body.type === 'element') {
      body.children.unshift(
        ...(part.front || part.stampedFolio ? [] : [pageOffsets(standInPages(part.offset))]),
        h('div.link-targets', { ariaHidden: 'true' }, linkStandIns(part.linkTargets)),
      );
      const folio = part.stampedFolio ? `@page { @bottom-right { content: none; } }` : folioCss(layout, part.totalPages, part.offset);
      if (head && head.type === 'element') head.children.push(h('style', { dataBriefpackFolio: '' }, folio));
    } else if (body && body.type === 'element' && !hasAnySlot(shell, ['contents'])) {
      // Chromium writes a destination only for an element a link points at, and the bookmarks
      // and page numbers are read from those: without a contents list, stand-in links do it.
      const entries = pack.toc.flatMap((e) => [e, ...e.children]).map((e) => e.id);
      body.children.unshift(h('div.link-targets', { ariaHidden: 'true' }, linkStandIns({ foreign: [], linkedFromElsewhere: entries })));
    }
  }
  // The only raw nodes are the chapters' own markup, made by the same serializer.
  return toHtml(tree, { ...PRINT_HTML_OPTIONS, allowDangerousHtml: true });
}

/** The chapters a document prints, by their index in the pack (which names their @page rules). */
function printedChapters(pack: PrintSource, part: PrintPart | undefined): Array<[number, Chapter]> {
  const indices = part ? part.chapters : pack.chapters.map((_, i) => i);
  return indices.map((i) => {
    const chapter = pack.chapters[i];
    if (!chapter) throw new Error(`chapter ${i + 1} is not ready for printing`);
    return [i, chapter];
  });
}

/**
 * Stand-ins for a part's links across the join: an empty target for each id it links to in
 * another part, and a link to each of its ids that another part links to. PrintPage.apply makes
 * the same elements in place: keep the two in step.
 */
function linkStandIns(targets: LinkTargets): ElementContent[] {
  return [...targets.foreign.map((id) => h('span', { id })), ...targets.linkedFromElsewhere.map((id) => h('a', { href: `#${id}` }))];
}

/**
 * Stand-in pages before a part that `offset` pages precede: as many as keep its first page on
 * the side it has in the whole document (one or two; a first page of its own would take
 * `@page :first` rules), and so few that laying them out costs nothing. The page counter does
 * the rest (see folioCss). Before, every preceding page had a stand-in: 3,000 blank pages laid out
 * for the eight parts of an 874-page pack.
 */
export function standInPages(offset: number): number {
  return offset === 0 ? 0 : 2 - (offset % 2);
}

/** The stand-in pages before a part: a box-less holder, so that with none there is nothing at all. */
export function pageOffsets(count: number): ElementContent {
  return h('div.page-offsets', { ariaHidden: 'true' }, Array.from({ length: count }, () => h('div.page-offset')));
}

const FOLIO = (total: string) => `"Page " counter(page) " of " ${total}`;

/**
 * A part's page numbers: its page counter starts where the pages before it end, and its "of Y"
 * is written in (its own counter(pages) would count only its pages), overriding the folio rules
 * with the same selectors, later in the cascade.
 */
export function folioCss(layout: PrintLayout, totalPages: number | undefined, offset = 0): string {
  // The counter counts the stand-in pages too; it starts lower by as many.
  const counter = offset > 0 ? `html { counter-reset: page ${offset - standInPages(offset)}; }` : '';
  if (totalPages === undefined) return counter;
  const folio = FOLIO(cssString(String(totalPages)));
  // Double-sided, the folio sits on the outer edge: each side gets its own rule, so that the
  // right-hand box never shows on a left page.
  if (!layout.duplex) return [counter, `@page { @bottom-right { content: ${folio}; } }`].join('\n');
  return [counter, `@page :right { @bottom-right { content: ${folio}; } }`, `@page :left { @bottom-left { content: ${folio}; } }`].join('\n');
}

/**
 * The folios of pages `first` to `first + count - 1` of `total`, alone on otherwise empty pages
 * of the same size, margins and page rules, to be stamped onto pages printed without them.
 * Single-sided: every page has its folio bottom right.
 */
export function folioDocument(manifest: Pack['manifest'], template: Template, layout: PrintLayout, first: number, count: number, total: number): string {
  const css = [
    fontFaceCss(printFonts(), (f) => pathToFileURL(f.file).href),
    template.css('base'),
    template.css('print'),
    pageRules(manifest, [], layout),
    `html { counter-reset: page ${first - 1}; }`,
    `@page { @bottom-right { content: ${FOLIO(cssString(String(total)))}; }`,
    ...['top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center'].map((box) => `  @${box} { content: none; }`),
    '}',
    '.folio-page { break-after: page; height: 1px; }',
    '.folio-page:last-child { break-after: auto; }',
  ].join('\n');
  const tree = h(null, [
    { type: 'doctype' },
    h('html', { lang: manifest.language }, [
      h('head', [h('meta', { charset: 'utf-8' }), h('style', css)]),
      h('body', Array.from({ length: count }, () => h('div.folio-page'))),
    ]),
  ]);
  return toHtml(tree, PRINT_HTML_OPTIONS);
}

function pageRules(manifest: Pack['manifest'], printed: ReadonlyArray<[number, Chapter]>, layout: PrintLayout): string {
  const paper = PAPER[layout.paper];
  const marking = manifest.classification;
  const markingBox = (box: string) =>
    marking ? `@${box} { content: ${cssString(marking)}; color: var(--marking); font-weight: 700; font-size: 8pt; }` : '';
  const folio = FOLIO('counter(pages)');
  const b = layout.bleedMm;
  const inner = 22 + b;
  const outer = 18 + b;
  const rules = [
    `@page { size: ${paper.width + 2 * b}mm ${paper.height + 2 * b}mm; margin: ${22 + b}mm ${outer}mm ${20 + b}mm ${inner}mm;
      font-family: "Source Sans 3", sans-serif; font-size: 8pt; color: #5a6270;
      @top-left { content: ${cssString(manifest.title)}; font-size: 8pt; vertical-align: bottom; padding-bottom: 3mm; }
      ${markingBox('top-center')}
      ${markingBox('bottom-center')}
      @bottom-right { content: ${folio}; font-size: 8pt; vertical-align: top; padding-top: 3mm; }
    }`,
    // Cover: no furniture at all (its marking is part of the cover design).
    `@page cover { margin: 0; @top-left { content: none; } @top-center { content: none; } @top-right { content: none; }
      @bottom-left { content: none; } @bottom-center { content: none; } @bottom-right { content: none; } }`,
    `@page blank { @top-right { content: none; } }`,
    `.chapter-blank[hidden] { display: none !important; }`,
    // Stand-ins for the pages before a part (never printed) and for link targets in other parts.
    `.page-offsets { display: contents; }`,
    `.page-offset { break-after: page; height: 1px; visibility: hidden; }`,
    `.link-targets { position: absolute; width: 0; height: 0; overflow: hidden; }`,
    // The cover's own padding keeps its text inside the trim when the page carries bleed.
    `.cover { padding: ${22 + b}mm ${20 + b}mm ${18 + b}mm; }`,
    // The width of the text block on paper, which overflow.ts gives the page on screen while it
    // measures the loaded document (a rule for screen media that stayed made every print of a
    // long document twice as slow: Chromium laid it out again at each change of media).
    `:root { --text-block-width: ${paper.width - 40}mm; }`,
    // The steps overflow.ts takes with a table too wide for the text block (and a scale of its own).
    `table.fit-compact { font-size: 0.75em; } table.fit-compact th, table.fit-compact td { padding: 0.15em 0.25em; }`,
    `table.fit-break th, table.fit-break td { overflow-wrap: anywhere; }`,
  ];
  if (layout.duplex) {
    rules.push(
      `@page :left { margin-left: ${outer}mm; margin-right: ${inner}mm;
        @bottom-left { content: ${folio}; font-size: 8pt; vertical-align: top; padding-top: 3mm; }
        @bottom-right { content: none; } }`,
    );
  }
  // A part carries the rules of its own chapters only: the others would match nothing.
  for (const [i, chapter] of printed) {
    const name = `chapter-${i + 1}`;
    rules.push(`.chapter[data-article=${cssString(chapter.article.slug)}] { page: ${name}; }`);
    rules.push(
      `@page ${name} { @top-right { content: ${cssString(runningHead(chapter.article.meta.short_title ?? chapter.article.meta.title))}; font-size: 8pt; vertical-align: bottom; padding-bottom: 3mm; text-align: right; } }`,
    );
    // Double-sided, heads sit on the outer edge like a book's: the pack on the left-hand page,
    // the article on the right-hand page.
    if (layout.duplex) {
      rules.push(`@page ${name}:left { @top-right { content: none; } }`, `@page ${name}:right { @top-left { content: none; } }`);
    }
  }
  return rules.join('\n');
}

/** Running heads sit in a narrow margin box: long titles are cut at a word and marked with an ellipsis. */
export function runningHead(title: string, max = 55): string {
  if (title.length <= max) return title;
  const cut = title.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut.slice(0, max)).replace(/[\s,;:–—-]+$/, '')}…`;
}
