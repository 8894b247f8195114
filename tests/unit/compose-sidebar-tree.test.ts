/**
 * src/compose/sidebar-tree.ts, front.ts, dates.ts and slug.ts: what each built-in sidebar kind,
 * the cover and the contents hold, in the tree every medium renders.
 */
import type { Element } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { formatDate } from '../../src/compose/dates.js';
import { contentsContent, coverContent } from '../../src/compose/front.js';
import { sidebarTree } from '../../src/compose/sidebar-tree.js';
import { slugify } from '../../src/compose/slug.js';
import type { Manifest, Sidebar } from '../../src/model.js';

const of = (data: Record<string, unknown>) => ({ id: 'x', file: 'sidebars/x.yaml', position: { line: 1, column: 1 }, title: 'The title', ...data }) as unknown as Sidebar;
const html = (tree: Element) => toHtml(tree);
/** The texts of the elements with `className`, in document order. */
function texts(tree: Element, className: string): string[] {
  const out: string[] = [];
  const walk = (node: Element) => {
    const classes = (node.properties?.className as string[] | undefined) ?? [];
    if (classes.includes(className)) out.push(toHtml(node.children).replace(/<[^>]+>/g, ''));
    for (const child of node.children) if (child.type === 'element') walk(child);
  };
  walk(tree);
  return out;
}

describe('a timeline', () => {
  const events = (dates: Array<string | [string, string]>) => dates.map((d, i) => (typeof d === 'string' ? { date: d, event: `e${i}` } : { date: d[0], event: d[1] }));

  it('lists dated events in date order, as written, whatever order the file has them in', () => {
    const tree = sidebarTree(of({ kind: 'timeline', events: events(['2026-10', '2025', '2026-09-30', 'autumn 2026', '2026-10-01']) }));
    // Autumn starts on 1 September; a day comes before the month it starts.
    expect(texts(tree, 'when')).toEqual(['2025', 'autumn 2026', '2026-09-30', '2026-10-01', '2026-10']);
    expect(texts(tree, 'event')).toEqual(['e1', 'e3', 'e2', 'e4', 'e0']);
  });

  it('puts the shorter of two spans that start together first, and keeps the file order of equal ones', () => {
    const tree = sidebarTree(of({ kind: 'timeline', events: events([['2026', 'year'], ['2026-01', 'month'], ['2026-01-01', 'day'], ['2026-01', 'month again'], ['2026-01-01', 'day again']]) }));
    expect(texts(tree, 'event')).toEqual(['day', 'day again', 'month', 'month again', 'year']);
  });

  it('keeps the order of a timeline written with relative times', () => {
    const tree = sidebarTree(of({ kind: 'timeline', events: [{ date: '2026-10', event: 'b' }, { when: 'this week', event: 'a' }, { date: '2025', event: 'c' }] }));
    expect(texts(tree, 'when')).toEqual(['2026-10', 'this week', '2025']);
  });
});

describe('each built-in kind', () => {
  it('people: name, role, and organisation and country when given', () => {
    const tree = sidebarTree(
      of({
        kind: 'people',
        people: [
          { name: 'A', role: 'Minister', organisation: 'MFA', country: 'Syria', note: 'Since 2025' },
          { name: 'B', role: 'Envoy', country: 'Russia' },
          { name: 'C', role: 'Adviser' },
        ],
      }),
    );
    expect(texts(tree, 'role')).toEqual(['Minister', 'Envoy', 'Adviser']);
    expect(texts(tree, 'affiliation')).toEqual(['MFA, Syria', 'Russia']);
    expect(texts(tree, 'person-note')).toEqual(['Since 2025']);
    expect(html(tree)).toContain('<dl class="people"><div class="person"><dt>A</dt><dd>');
  });

  it('facts, glossary and quote', () => {
    expect(html(sidebarTree(of({ kind: 'facts', facts: [{ label: 'Bases', value: 'Two', source: 'MoD' }, { label: 'Troops', value: '4,000' }] })))).toContain(
      '<dl class="facts"><div class="fact"><dt>Bases</dt><dd>Two <span class="fact-source">(MoD)</span></dd></div><div class="fact"><dt>Troops</dt><dd>4,000</dd></div></dl>',
    );
    expect(html(sidebarTree(of({ kind: 'glossary', terms: [{ term: 'EPUB', definition: 'An e-book format' }] })))).toContain('<dl class="glossary"><dt>EPUB</dt><dd>An e-book format</dd></dl>');
    const quote = html(sidebarTree(of({ kind: 'quote', text: 'We will stay.', speaker: 'A', context: 'in Moscow' })));
    expect(quote).toContain('<figure class="quote"><blockquote><p>We will stay.</p></blockquote><figcaption><span class="speaker">A</span><span class="context">, in Moscow</span></figcaption></figure>');
    expect(html(sidebarTree(of({ kind: 'quote', text: 'T', speaker: 'A' })))).not.toContain('context');
  });

  it('sources: linked titles, outlet, when accessed, note', () => {
    const tree = sidebarTree(
      of({
        kind: 'sources',
        sources: [
          { title: 'Report', outlet: 'Reuters', url: 'https://example.com/r', accessed: '2026-11-20', note: 'Paywalled' },
          { title: 'Book' },
        ],
      }),
    );
    expect(html(tree)).toContain(
      '<ol class="sources"><li><cite><a href="https://example.com/r">Report</a></cite>, <span class="outlet">Reuters</span> (accessed 2026-11-20). <span class="source-note">Paywalled</span></li><li><cite>Book</cite></li></ol>',
    );
  });

  it('positions: what each actor wants, fears and will not accept, only what is given', () => {
    const tree = sidebarTree(
      of({
        kind: 'positions',
        positions: [
          { actor: 'Moscow', wants: ['Bases', 'Influence'], concerns: ['Cost'], red_lines: ['Withdrawal'] },
          { actor: 'Damascus', concerns: ['Sanctions'] },
        ],
      }),
    );
    expect(html(tree)).toContain(
      '<section class="position"><p class="actor">Moscow</p><dl><dt>Wants</dt><dd>Bases</dd><dd>Influence</dd><dt>Concerns</dt><dd>Cost</dd><dt>Red lines</dt><dd>Withdrawal</dd></dl></section>' +
        '<section class="position"><p class="actor">Damascus</p><dl><dt>Concerns</dt><dd>Sanctions</dd></dl></section>',
    );
  });

  it('summary: each judgment with its confidence when given', () => {
    const tree = sidebarTree(of({ kind: 'summary', points: [{ text: 'Talks continue', confidence: 'high' }, { text: 'No deal yet' }] }));
    expect(html(tree)).toContain('<ol class="judgments"><li>Talks continue <span class="confidence confidence-high">high confidence</span></li><li>No deal yet</li></ol>');
  });
});

describe('every sidebar', () => {
  it('is an aside labelled by its title, its id unique when placed again, with its note last', () => {
    const sidebar = of({ kind: 'quote', text: 'T', speaker: 'S', note: 'Translated', id: 'q' });
    expect(html(sidebarTree(sidebar))).toBe(
      '<aside class="sidebar sidebar-quote" id="sidebar-q" aria-labelledby="sidebar-q-title" data-kind="quote"><p class="sidebar-title" id="sidebar-q-title">The title</p>' +
        '<figure class="quote"><blockquote><p>T</p></blockquote><figcaption><span class="speaker">S</span></figcaption></figure><p class="sidebar-note">Translated</p></aside>',
    );
    expect(html(sidebarTree(sidebar, 2))).toMatch(/^<aside class="sidebar sidebar-quote" id="sidebar-q-2" aria-labelledby="sidebar-q-2-title" data-kind="quote"><p class="sidebar-title" id="sidebar-q-2-title">/);
    expect(html(sidebarTree(of({ kind: 'quote', text: 'T', speaker: 'S', id: 'q' }), 1))).not.toContain('sidebar-note');
  });
});

describe('the cover and the contents', () => {
  const manifest = (extra: Partial<Manifest> = {}) => ({ title: 'Syria and Russia', organisation: 'Desk', date: '2026-11-26', language: 'en-GB', ...extra }) as Manifest;

  it('the cover: marking top and bottom when classified, title, subtitle, edition and the date in the pack\'s language', () => {
    const full = toHtml({ type: 'root', children: coverContent(manifest({ classification: 'OFFICIAL', subtitle: 'A reset', edition: '3' })) });
    expect(full).toBe(
      '<p class="marking">OFFICIAL</p><p class="organisation">Desk</p><p class="pack-kind">Briefing pack</p><h1 class="pack-title">Syria and Russia</h1><p class="pack-subtitle">A reset</p>' +
        '<p class="pack-issue"><span class="pack-edition">Edition 3</span><time class="pack-date" datetime="2026-11-26">26 November 2026</time></p><p class="marking marking-bottom">OFFICIAL</p>',
    );
    const plain = toHtml({ type: 'root', children: coverContent(manifest()) });
    expect(plain).not.toContain('marking');
    expect(plain).not.toContain('pack-subtitle');
    expect(plain).toContain('<span class="pack-edition"></span>');
  });

  it('the contents: every article and its sections, linked, with page numbers when known', () => {
    const toc = [
      { id: 'a', title: 'One', level: 1 as const, children: [{ id: 'a--s', title: 'Section', level: 2 as const, children: [] }] },
      { id: 'b', title: 'Two', level: 1 as const, children: [] },
    ];
    expect(toHtml({ type: 'root', children: contentsContent(toc) })).toBe(
      '<h2 class="contents-title">Contents</h2><ol><li class="toc-article"><a href="#a"><span class="toc-title">One</span></a><ol><li class="toc-section"><a href="#a--s"><span class="toc-title">Section</span></a></li></ol></li>' +
        '<li class="toc-article"><a href="#b"><span class="toc-title">Two</span></a></li></ol>',
    );
    const paged = toHtml({ type: 'root', children: contentsContent(toc, new Map([['a', 3], ['a--s', 4]])) });
    expect(paged).toContain('<a href="#a"><span class="toc-title"><span class="toc-text">One</span></span><span class="toc-leader" aria-hidden="true"></span><span class="toc-page" data-entry="a">3</span></a>');
    expect(paged).toContain('<span class="toc-page" data-entry="b"></span>');
  });

  it('dates: long, in the language given, in UTC whatever the machine\'s zone; as written when the language is unknown', () => {
    expect(formatDate('2026-11-26', 'en-GB')).toBe('26 November 2026');
    expect(formatDate('2026-11-26', 'en-US')).toBe('November 26, 2026');
    expect(formatDate('2026-01-01', 'de')).toBe('1. Januar 2026');
    expect(formatDate('2026-11-26', 'en-GB')).toBe('26 November 2026');
    expect(formatDate('2026-11-26', 'not a language!')).toBe('2026-11-26');
  });
});

describe('slugs', () => {
  it('are ASCII, lower-case and hyphenated, without accents, at most 80 characters, no hyphen at either end', () => {
    expect(slugify('Syria and Russia')).toBe('syria-and-russia');
    expect(slugify('  Ça va? Ünïcödé — “quotes” & ʿAyn  ')).toBe('ca-va-unicode-quotes-ayn');
    expect(slugify('--a--b--')).toBe('a-b');
    expect(slugify('日本語')).toBe('');
    const long = 'word '.repeat(20);
    expect(slugify(long)).toBe('word-'.repeat(16).slice(0, 79));
    expect(slugify(`${'a'.repeat(79)} b`)).toBe('a'.repeat(79));
    expect(slugify('ｆｕｌｌｗｉｄｔｈ ①')).toBe('fullwidth-1');
  });
});
