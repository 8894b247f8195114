/** The pack's front matter as trees: cover block and contents list, shared by print and web. */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import type { Manifest, TocEntry } from '../model.js';
import { formatDate } from './dates.js';

export function coverContent(manifest: Manifest): ElementContent[] {
  const marking = manifest.classification;
  return [
    ...(marking ? [h('p.marking', marking)] : []),
    h('p.organisation', manifest.organisation),
    h('p.pack-kind', 'Briefing pack'),
    h('h1.pack-title', manifest.title),
    ...(manifest.subtitle ? [h('p.pack-subtitle', manifest.subtitle)] : []),
    h('p.pack-issue', [
      h('span.pack-edition', manifest.edition ? `Edition ${manifest.edition}` : ''),
      h('time.pack-date', { dateTime: manifest.date }, formatDate(manifest.date, manifest.language)),
    ]),
    ...(manifest.builtEdition ? [h('p.pack-release', manifest.builtEdition.title)] : []),
    ...(marking ? [h('p.marking.marking-bottom', marking)] : []),
  ];
}

/** `pages` maps entry ids to printed page numbers; without it the page column is left out. */
export function contentsContent(toc: readonly TocEntry[], pages?: ReadonlyMap<string, number | string>): ElementContent[] {
  const entry = (e: TocEntry, className: string): ElementContent =>
    h(`li.${className}`, [
      h('a', { href: `#${e.id}` }, [
        // With page numbers, the title's text sits in a span of its own that masks the dotted
        // leader drawn under the title's last line (print CSS), so that a wrapped title keeps
        // leader and number on its last line.
        pages ? h('span.toc-title', [h('span.toc-text', e.title)]) : h('span.toc-title', e.title),
        ...(pages ? [h('span.toc-leader', { ariaHidden: 'true' }), h('span.toc-page', { dataEntry: e.id }, String(pages.get(e.id) ?? ''))] : []),
      ]),
      ...(e.children.length ? [h('ol', e.children.map((c) => entry(c, 'toc-section')))] : []),
    ]);
  return [h('h2.contents-title', 'Contents'), h('ol', toc.map((e) => entry(e, 'toc-article')))];
}
