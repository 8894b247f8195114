/**
 * src/compose/cross-links.ts: links to a heading of another article, checked once the pack is
 * whole. Chapters are made here by hand: a tree with links written as `#<slug>--<fragment>`, the
 * ids each chapter defines and the other names (anchors) its headings answer to.
 */
import type { ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { resolveCrossLinks } from '../../src/compose/cross-links.js';
import { Diagnostics } from '../../src/diagnostics.js';
import type { Chapter } from '../../src/model.js';

interface Link {
  target: string;
  fragment: string;
}

function chapter(slug: string, ids: string[], anchors: Record<string, string> = {}, links: Link[] = []): Chapter {
  const tree: Root = {
    type: 'root',
    children: [
      h('h1', { id: slug }, slug),
      ...ids.map((id) => h('h2', { id }, id)),
      h(
        'p',
        links.map((l) => h('a', { href: `#${l.target}--${l.fragment}` }, [`to ${l.fragment}`])),
      ),
    ] as ElementContent[],
  };
  return {
    article: { file: `articles/${slug}.md`, slug },
    key: `key-${slug}`,
    tree,
    toc: { id: slug, title: slug, level: 1, children: [] },
    images: [],
    ids: { defined: [slug, ...ids], linked: [] },
    chars: 'abc',
    codeChars: '',
    positions: [1, 1],
    anchors,
    withheldNames: [],
    sources: { headings: [], images: [], tables: [] },
    crossLinks: links.map((l, i) => ({ ...l, written: `${l.target}.md#${l.fragment}`, file: `articles/${slug}.md`, position: { line: i + 3, column: 5 } })),
  } as unknown as Chapter;
}

function resolve(chapters: Chapter[]) {
  const diagnostics = new Diagnostics();
  const out = resolveCrossLinks(chapters, diagnostics);
  return { out, warnings: diagnostics.list.map((d) => `${d.file}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.rule} ${d.message}`) };
}

const links = (c: Chapter) => toHtml(c.tree).match(/<p>.*<\/p>/)![0];

describe('links to a heading of another article', () => {
  it('written as the heading’s id reads leave the chapter as it is', () => {
    const a = chapter('a', [], {}, [{ target: 'b', fragment: 'background' }]);
    const b = chapter('b', ['b--background']);
    const { out, warnings } = resolve([a, b]);
    expect(out[0]).toBe(a);
    expect(out[1]).toBe(b);
    expect(warnings).toEqual([]);
  });

  it('by another of the heading’s names point at its id', () => {
    const a = chapter('a', [], {}, [
      { target: 'b', fragment: 'the-background' },
      { target: 'b', fragment: 'raw-id' },
      { target: 'b', fragment: 'BACKGROUND' },
      { target: 'b', fragment: 'Raw-Id' },
      { target: 'b', fragment: 'The-Background' },
    ]);
    const b = chapter('b', ['b--background', 'raw-id'], { 'the-background': 'b--background' });
    const { out, warnings } = resolve([a, b]);
    expect(warnings).toEqual([]);
    expect(links(out[0]!)).toBe(
      '<p><a href="#b--background">to the-background</a><a href="#raw-id">to raw-id</a><a href="#b--background">to BACKGROUND</a><a href="#raw-id">to Raw-Id</a><a href="#b--background">to The-Background</a></p>',
    );
    expect(out[1]).toBe(b);
  });

  it('take the id in another case when the slug is written in another case too', () => {
    const a = chapter('a', [], {}, [{ target: 'b', fragment: 'Background' }]);
    const b = chapter('b', ['B--Background']);
    expect(links(resolve([a, b]).out[0]!)).toBe('<p><a href="#B--Background">to Background</a></p>');
  });

  it('to no heading of that article are printed as their text, each with a warning at its place', () => {
    const a = chapter('a', [], {}, [
      { target: 'b', fragment: 'nowhere' },
      { target: 'gone', fragment: 'x' },
      { target: 'b', fragment: 'background' },
    ]);
    const b = chapter('b', ['b--background']);
    const { out, warnings } = resolve([a, b]);
    expect(links(out[0]!)).toBe('<p>to nowhereto x<a href="#b--background">to background</a></p>');
    expect(warnings).toEqual([
      'articles/a.md:3:5 warning markdown/link link to b.md#nowhere: no heading or id of that name in that article; printed as plain text',
      'articles/a.md:4:5 warning markdown/link link to gone.md#x: no heading or id of that name in that article; printed as plain text',
    ]);
  });

  it('make a new chapter: a tree of its own, a new key, its ids found again, the rest kept', () => {
    const a = chapter('a', ['a--intro'], {}, [{ target: 'b', fragment: 'nowhere' }, { target: 'b', fragment: 'Background' }]);
    const b = chapter('b', ['b--background']);
    const before = toHtml(a.tree);
    const { out } = resolve([a, b]);
    const made = out[0]!;
    expect(made).not.toBe(a);
    expect(toHtml(a.tree)).toBe(before);
    expect(made.key).not.toBe(a.key);
    expect(made.key).toMatch(/^[0-9a-f]{16,}$/);
    expect(made.ids).toEqual({ defined: ['a', 'a--intro'], linked: ['b--background'] });
    for (const kept of ['article', 'toc', 'images', 'chars', 'codeChars', 'positions', 'anchors', 'sources', 'crossLinks'] as const) expect(made[kept]).toBe(a[kept]);
    // The same fixes give the same key; others another.
    expect(resolve([a, b]).out[0]!.key).toBe(made.key);
    const other = chapter('a', ['a--intro'], {}, [{ target: 'b', fragment: 'nowhere' }]);
    expect(resolve([other, b]).out[0]!.key).not.toBe(made.key);
  });

  it('are looked up in the article linked to, not in another one', () => {
    const a = chapter('a', [], {}, [{ target: 'b', fragment: 'outlook' }]);
    const b = chapter('b', ['b--background']);
    const c = chapter('c', ['c--outlook', 'outlook'], { outlook: 'c--outlook' });
    expect(resolve([a, b, c]).warnings).toHaveLength(1);
    // Each article's ids are gathered once, however many links go to it.
    const d = chapter('d', [], {}, [{ target: 'c', fragment: 'Outlook' }]);
    const e = chapter('e', [], {}, [{ target: 'c', fragment: 'OUTLOOK' }]);
    const { out } = resolve([d, e, c]);
    expect(links(out[0]!)).toBe('<p><a href="#c--outlook">to Outlook</a></p>');
    expect(links(out[1]!)).toBe('<p><a href="#c--outlook">to OUTLOOK</a></p>');
  });
});

describe('links to what an edition leaves out', () => {
  it('to a withheld heading or article are printed as their text, with a warning that names neither', () => {
    const a = chapter('a', [], {}, [
      { target: 'b', fragment: 'secret-plans' },
      { target: 'gone', fragment: 'anything' },
    ]);
    const b = { ...chapter('b', ['b--background']), withheldNames: ['secret-plans'] } as Chapter;
    const diagnostics = new Diagnostics();
    const out = resolveCrossLinks([a, b], diagnostics, { edition: 'public', withheldSlugs: new Set(['gone']) });
    expect(links(out[0]!)).toBe('<p>to secret-plansto anything</p>');
    expect(diagnostics.list.map((d) => [d.rule, d.position?.line])).toEqual([
      ['edition/withheld', 3],
      ['edition/withheld', 4],
    ]);
    for (const d of diagnostics.list) expect(d.message).not.toMatch(/secret|gone/i);
  });
});
