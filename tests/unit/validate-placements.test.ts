/** src/validate/placements.ts: every placement names a sidebar that exists, and a section that does. */
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import type { Article, Placement, Sidebar } from '../../src/model.js';
import { PlacementCheck } from '../../src/validate/placements.js';

const sidebar = (id: string): Sidebar => ({ id, file: `sidebars/${id}.yaml`, position: { line: 1, column: 1 }, kind: 'quote', title: 'T', text: 'x', speaker: 'y' }) as Sidebar;
const place = (id: string, line: number, section?: string): Placement => ({ id, section, inline: section === undefined, file: 'articles/a.md', position: { line, column: 3 } });
const article = (placements: Placement[], sections: string[] = ['Background', 'Outlook']): Article => ({ placements, sections }) as unknown as Article;

function run(ids: string[], articles: Article[], options: { failed?: string[]; complete?: boolean } = {}) {
  const diagnostics = new Diagnostics();
  const check = new PlacementCheck(new Map(ids.map((id) => [id, sidebar(id)])), diagnostics, new Set(options.failed ?? []));
  for (const a of articles) check.article(a);
  check.finish(options.complete ?? true);
  return diagnostics.list.map((d) => `${d.file}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.rule} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);
}

describe('sidebar placements', () => {
  it('that name known sidebars and sections pass, the section written with blanks around it too', () => {
    expect(run(['key-people', 'timeline'], [article([place('key-people', 4), place('timeline', 9, ' Outlook ')])])).toEqual([]);
  });

  it('of an unknown id are errors at the placement, suggesting ids that contain it or that it contains', () => {
    expect(run(['key-people', 'people-abroad', 'timeline'], [article([place('people', 4), place('key-people-2', 6), place('x', 8)])], { complete: false })).toEqual([
      'articles/a.md:4:3 error sidebar/unknown-id no sidebar with id "people" | Did you mean "key-people" or "people-abroad"?',
      'articles/a.md:6:3 error sidebar/unknown-id no sidebar with id "key-people-2" | Did you mean "key-people"?',
      'articles/a.md:8:3 error sidebar/unknown-id no sidebar with id "x" | Known ids: key-people, people-abroad, timeline.',
    ]);
    // Listed in order, however the pack lists them.
    expect(run(['timeline', 'key-people', 'map'], [article([place('x', 8)])], { complete: false })).toEqual([
      'articles/a.md:8:3 error sidebar/unknown-id no sidebar with id "x" | Known ids: key-people, map, timeline.',
    ]);
    expect(run([], [article([place('x', 2)])])).toEqual(['articles/a.md:2:3 error sidebar/unknown-id no sidebar with id "x" | Known ids: (none).']);
  });

  it('of a sidebar whose own file failed are not reported again, and then nothing is said to be unplaced', () => {
    expect(run(['quote', 'broken-neighbour'], [article([place('broken', 2)])], { failed: ['broken'] })).toEqual([]);
  });

  it('in a section the article lacks are errors listing its sections', () => {
    expect(run(['quote'], [article([place('quote', 5, 'Outlok')]), article([place('quote', 7, 'Anything')], [])])).toEqual([
      'articles/a.md:5:3 error sidebar/section "Outlok" is not a ## section of this article | Sections: "Background", "Outlook".',
      'articles/a.md:7:3 error sidebar/section "Anything" is not a ## section of this article | This article has no ## sections.',
    ]);
  });

  it('that leave a sidebar out are a warning at its file, once every article is read', () => {
    expect(run(['a', 'b', 'c'], [article([place('b', 2)]), article([place('b', 3)])])).toEqual([
      'sidebars/a.yaml:1:1 warning sidebar/unplaced sidebar "a" is not placed in any article',
      'sidebars/c.yaml:1:1 warning sidebar/unplaced sidebar "c" is not placed in any article',
    ]);
    // A sidebar named by a placement in a missing section is still placed.
    expect(run(['a'], [article([place('a', 2, 'Nowhere')])]).filter((l) => l.includes('unplaced'))).toEqual([]);
    // Not when an article failed to load: it may have placed them.
    expect(run(['a', 'b'], [article([place('b', 2)])], { complete: false })).toEqual([]);
  });
});
