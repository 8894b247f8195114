/**
 * src/compose/front.ts, dates.ts and slug.ts: the cover block and the contents list as trees,
 * dates as readers see them, and slugs.
 */
import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { formatDate } from '../../src/compose/dates.js';
import { contentsContent, coverContent } from '../../src/compose/front.js';
import { slugify } from '../../src/compose/slug.js';
import type { Manifest, TocEntry } from '../../src/model.js';

const html = (children: ReturnType<typeof coverContent>) => toHtml({ type: 'root', children } as Root);

const manifest = (fields: Partial<Manifest>): Manifest =>
  ({ title: 'The Pack', organisation: 'Unit 4', date: '2026-11-26', language: 'en-GB', ...fields }) as Manifest;

describe('the cover block', () => {
  it('has the organisation, the kind, the title and the date, and nothing that was not given', () => {
    expect(html(coverContent(manifest({})))).toBe(
      '<p class="organisation">Unit 4</p><p class="pack-kind">Briefing pack</p><h1 class="pack-title">The Pack</h1>' +
        '<p class="pack-issue"><span class="pack-edition"></span><time class="pack-date" datetime="2026-11-26">26 November 2026</time></p>',
    );
  });

  it('has the marking above and below, the subtitle and the edition when given', () => {
    expect(html(coverContent(manifest({ classification: 'OFFICIAL', subtitle: 'Before the summit', edition: '3' })))).toBe(
      '<p class="marking">OFFICIAL</p><p class="organisation">Unit 4</p><p class="pack-kind">Briefing pack</p><h1 class="pack-title">The Pack</h1>' +
        '<p class="pack-subtitle">Before the summit</p>' +
        '<p class="pack-issue"><span class="pack-edition">Edition 3</span><time class="pack-date" datetime="2026-11-26">26 November 2026</time></p>' +
        '<p class="marking marking-bottom">OFFICIAL</p>',
    );
  });
});

describe('the contents list', () => {
  const toc: TocEntry[] = [
    { id: 'a', title: 'First', level: 1, children: [{ id: 'a--s', title: 'Section', level: 2, children: [] }] },
    { id: 'b', title: 'Second', level: 1, children: [] },
  ];

  it('lists articles and their sections, linked, without page numbers for the screen', () => {
    expect(html(contentsContent(toc))).toBe(
      '<h2 class="contents-title">Contents</h2><ol>' +
        '<li class="toc-article"><a href="#a"><span class="toc-title">First</span></a><ol><li class="toc-section"><a href="#a--s"><span class="toc-title">Section</span></a></li></ol></li>' +
        '<li class="toc-article"><a href="#b"><span class="toc-title">Second</span></a></li>' +
        '</ol>',
    );
  });

  it('gives each entry its page, a leader hidden from screen readers, and the title in a span of its own, for print', () => {
    const pages = new Map<string, number | string>([
      ['a', 3],
      ['a--s', 4],
    ]);
    expect(html(contentsContent(toc, pages))).toBe(
      '<h2 class="contents-title">Contents</h2><ol>' +
        '<li class="toc-article"><a href="#a"><span class="toc-title"><span class="toc-text">First</span></span><span class="toc-leader" aria-hidden="true"></span><span class="toc-page" data-entry="a">3</span></a>' +
        '<ol><li class="toc-section"><a href="#a--s"><span class="toc-title"><span class="toc-text">Section</span></span><span class="toc-leader" aria-hidden="true"></span><span class="toc-page" data-entry="a--s">4</span></a></li></ol></li>' +
        '<li class="toc-article"><a href="#b"><span class="toc-title"><span class="toc-text">Second</span></span><span class="toc-leader" aria-hidden="true"></span><span class="toc-page" data-entry="b"></span></a></li>' +
        '</ol>',
    );
  });
});

describe('dates', () => {
  it('are written out in the pack’s language, in UTC whatever the machine’s zone', () => {
    expect(formatDate('2026-11-26', 'en-GB')).toBe('26 November 2026');
    expect(formatDate('2026-11-26', 'en-US')).toBe('November 26, 2026');
    expect(formatDate('2026-01-01', 'de')).toBe('1. Januar 2026');
    // Asked again, the same (the format is kept per language).
    expect(formatDate('2026-01-01', 'de')).toBe('1. Januar 2026');
    expect(formatDate('2026-12-31', 'en-GB')).toBe('31 December 2026');
  });

  it('are left as written when the language is not one the machine knows how to name', () => {
    expect(formatDate('2026-11-26', 'not a language!')).toBe('2026-11-26');
  });
});

describe('slugs', () => {
  it('are lower-case ASCII words joined by hyphens, accents dropped', () => {
    expect(slugify('Crème Brûlée: the proˈnunciation')).toBe('creme-brulee-the-pronunciation');
    expect(slugify('  --Hello,   World!--  ')).toBe('hello-world');
    expect(slugify('ÅNGSTRÖM 2026')).toBe('angstrom-2026');
    expect(slugify('مرحبا')).toBe('');
  });

  it('are 80 characters at most, without a hyphen at the end where they were cut', () => {
    const long = `${'a'.repeat(79)} b`;
    expect(slugify(long)).toBe('a'.repeat(79));
    expect(slugify('x'.repeat(100))).toBe('x'.repeat(80));
    expect(slugify(`${'a'.repeat(78)}--b`)).toBe(`${'a'.repeat(78)}-b`);
  });
});
