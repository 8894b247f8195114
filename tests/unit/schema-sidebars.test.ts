/** src/schema/sidebars.ts: the dates a timeline and a list of sources accept, as loadSidebar reads them. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import { loadSidebar } from '../../src/load/sidebars.js';
import { writePack } from '../helpers/pack.js';

function load(content: string) {
  const dir = writePack({ 'sidebars/x.yaml': content });
  const diagnostics = new Diagnostics();
  const sidebar = loadSidebar(dir, path.join(dir, 'sidebars', 'x.yaml'), diagnostics);
  return { sidebar, problems: diagnostics.list.map((d) => `${d.position?.line}:${d.position?.column} ${d.rule} ${d.message}`) };
}

describe('timeline dates', () => {
  it('are any date that sorts, a year written as a number among them, kept as written', () => {
    const { sidebar, problems } = load(
      'title: T\nkind: timeline\nevents:\n  - date: 2025\n    event: a\n  - date: 2026-03\n    event: b\n  - date: "autumn 2026"\n    event: c\n  - date: 2026-10-01/2026-10-03\n    event: d\n  - when: this week\n    event: e\n',
    );
    expect(problems).toEqual([]);
    expect(sidebar && 'events' in sidebar ? sidebar.events.map((e) => e.date ?? e.when) : []).toEqual(['2025', '2026-03', 'autumn 2026', '2026-10-01/2026-10-03', 'this week']);
  });

  it('are not a number that is not a whole year, nor both a date and a when', () => {
    expect(load('title: T\nkind: timeline\nevents:\n  - date: 2025.5\n    event: a\n').problems).toEqual(['4:11 sidebar/type events[0].date must be a date such as 2026, 2026-10 or "autumn 2026"']);
    expect(load('title: T\nkind: timeline\nevents:\n  - date: 2025\n    when: soon\n    event: a\n').problems).toEqual([
      '4:5 sidebar/required events[0] needs either date (a date that sorts) or when (a relative time such as "this week"), not both',
    ]);
  });

  it('of a source, when it was accessed, are dates too', () => {
    expect(load('title: T\nkind: sources\nsources:\n  - title: A\n    accessed: 2026-11-20\n').problems).toEqual([]);
    expect(load('title: T\nkind: sources\nsources:\n  - title: A\n    accessed: yesterday\n').problems).toEqual([
      '5:15 sidebar/date sources[0].accessed is not a date: write YYYY, YYYY-MM, YYYY-MM-DD, a range such as 2026-10-01/2026-10-03, or "autumn 2026"',
    ]);
  });
});
