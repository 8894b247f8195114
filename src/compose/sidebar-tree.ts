/**
 * One hast renderer per sidebar kind. The same tree serves print, EPUB and web; each medium's
 * CSS decides how it looks. Sidebars are `<aside>` so assistive technology and e-readers treat
 * them as complementary content.
 */
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import type { Sidebar } from '../model.js';
import { parseLooseDate } from '../schema/dates.js';
import { fillFragment } from './fragment.js';

type BuiltIn = Exclude<Sidebar, { custom: unknown }>;
type Of<K extends BuiltIn['kind']> = Extract<BuiltIn, { kind: K }>;

const bodies: { [K in BuiltIn['kind']]: (s: Of<K>) => ElementContent[] } = {
  people: (s) => [
    // HTML allows a div around each dt/dd group, which lets print lay people out in columns.
    h(
      'dl.people',
      s.people.map((p) =>
        h('div.person', [
          h('dt', p.name),
          h('dd', [
            h('span.role', p.role),
            ...(p.organisation || p.country ? [h('span.affiliation', [p.organisation, p.country].filter(Boolean).join(', '))] : []),
            ...(p.note ? [h('span.person-note', p.note)] : []),
          ]),
        ]),
      ),
    ),
  ],
  timeline: (s) => [h('ol.timeline', sortedEvents(s.events).map((e) => h('li', [h('span.when', e.date ?? e.when ?? ''), ' ', h('span.event', e.event)])))],
  facts: (s) => [
    h(
      'dl.facts',
      s.facts.map((f) => h('div.fact', [h('dt', f.label), h('dd', [f.value, ...(f.source ? [' ', h('span.fact-source', `(${f.source})`)] : [])])])),
    ),
  ],
  glossary: (s) => [h('dl.glossary', s.terms.flatMap((t) => [h('dt', { lang: undefined }, t.term), h('dd', t.definition)]))],
  sources: (s) => [
    h(
      'ol.sources',
      s.sources.map((src) =>
        h('li', [
          h('cite', src.url ? h('a', { href: src.url }, src.title) : src.title),
          ...(src.outlet ? [', ', h('span.outlet', src.outlet)] : []),
          ...(src.accessed ? [` (accessed ${src.accessed})`] : []),
          ...(src.note ? ['. ', h('span.source-note', src.note)] : []),
        ]),
      ),
    ),
  ],
  quote: (s) => [
    h('figure.quote', [
      h('blockquote', h('p', s.text)),
      h('figcaption', [h('span.speaker', s.speaker), ...(s.context ? [h('span.context', `, ${s.context}`)] : [])]),
    ]),
  ],
  positions: (s) => [
    h(
      'div.positions',
      s.positions.map((p) =>
        h('section.position', [
          h('p.actor', p.actor),
          h('dl', [
            ...(p.wants ? [h('dt', 'Wants'), ...p.wants.map((w) => h('dd', w))] : []),
            ...(p.concerns ? [h('dt', 'Concerns'), ...p.concerns.map((c) => h('dd', c))] : []),
            ...(p.red_lines ? [h('dt', 'Red lines'), ...p.red_lines.map((c) => h('dd', c))] : []),
          ]),
        ]),
      ),
    ),
  ],
  summary: (s) => [
    h(
      'ol.judgments',
      s.points.map((p) => h('li', [p.text, ...(p.confidence ? [' ', h(`span.confidence.confidence-${p.confidence}`, `${p.confidence} confidence`)] : [])])),
    ),
  ],
};

/** Events with a `date` sort chronologically (stable); a timeline written with `when` keeps its order. */
function sortedEvents(events: Of<'timeline'>['events']) {
  if (events.some((e) => e.date === undefined)) return events;
  return events
    .map((e, i) => ({ e, i, span: parseLooseDate(e.date!)! }))
    .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.i - b.i)
    .map(({ e }) => e);
}

/**
 * `instance` > 1 when the same sidebar is placed again, so that element ids stay unique;
 * `portionMark`, when the pack prints them, goes before its title.
 */
export function sidebarTree(sidebar: Sidebar, instance = 1, portionMark?: string): Element {
  const body =
    'custom' in sidebar
      ? fillFragment(sidebar.custom.template, sidebar.data)
      : (bodies[sidebar.kind] as (s: Sidebar) => ElementContent[])(sidebar);
  const id = instance > 1 ? `sidebar-${sidebar.id}-${instance}` : `sidebar-${sidebar.id}`;
  const titleId = `${id}-title`;
  return h(`aside.sidebar.sidebar-${sidebar.kind}`, { id, ariaLabelledBy: titleId, dataKind: sidebar.kind }, [
    h('p.sidebar-title', { id: titleId }, portionMark ? [h('span.portion-mark', portionMark), ' ', sidebar.title] : [sidebar.title]),
    ...body,
    ...(sidebar.note ? [h('p.sidebar-note', sidebar.note)] : []),
  ]);
}
