/**
 * src/transform/place-sidebars.ts: where each sidebar lands in its article (in memory, through
 * load, check and transform; promises.test.ts checks the same through the CLI).
 */
import { describe, expect, it } from 'vitest';
import type { Element } from 'hast';
import { toString } from 'hast-util-to-string';
import { checkArticles, elementsOf } from '../helpers/chapter.js';

const QUOTE = (text: string) => `title: Q\nkind: quote\ntext: ${text}\nspeaker: S\n`;
const sidebars = { 'sidebars/q.yaml': QUOTE('q'), 'sidebars/r.yaml': QUOTE('r'), 'sidebars/s.yaml': QUOTE('s') };

/** The blocks around the article's sidebars: each as its tag and its text, asides by their id. */
async function placed(frontMatter: string, body: string): Promise<string[]> {
  const { pack } = await checkArticles({ a: body }, { ...sidebars, 'articles/a.md': `---\ntitle: a\n${frontMatter}---\n\n${body}\n` });
  const found = elementsOf(pack.chapters[0]!.tree).find(({ node }) => node.tagName === 'aside');
  if (!found) return [];
  const children: Array<Element | { type: string }> = found.parent.children;
  return children
    .filter((c): c is Element => c.type === 'element' && ['p', 'h2', 'aside', 'section'].includes((c as Element).tagName))
    .map((c) => (c.tagName === 'aside' ? `aside#${String(c.properties.id)}` : c.tagName === 'section' ? 'section' : `${c.tagName}:${toString(c)}`));
}

describe('a sidebar placed', () => {
  it('with a section goes after the first paragraph of that section', async () => {
    expect(await placed('sidebars:\n  - {id: q, section: Later}\n', 'Intro.\n\n## Early\n\nEarly text.\n\n## Later\n\nFirst later.\n\nSecond later.\n')).toEqual([
      'p:Intro.',
      'h2:Early',
      'p:Early text.',
      'h2:Later',
      'p:First later.',
      'aside#sidebar-q',
      'p:Second later.',
    ]);
  });

  it('with a section whose first block is not a paragraph goes after its first paragraph, or before the next section, or at its end', async () => {
    expect(await placed('sidebars:\n  - {id: q, section: " Later "}\n', '## Later\n\n- a list\n\nThe paragraph.\n\n## Next\n')).toEqual(['h2:Later', 'p:The paragraph.', 'aside#sidebar-q', 'h2:Next']);
    expect(await placed('sidebars:\n  - {id: q, section: Later}\n', 'Intro.\n\n## Later\n\n## Next\n\nText.\n')).toEqual(['p:Intro.', 'h2:Later', 'aside#sidebar-q', 'h2:Next', 'p:Text.']);
    expect(await placed('sidebars:\n  - {id: q, section: Later}\n', 'Intro.\n\n## Later\n\n- only a list\n')).toEqual(['p:Intro.', 'h2:Later', 'aside#sidebar-q']);
  });

  it('without a section goes after the text, before the notes, in the order listed', async () => {
    expect(await placed('sidebars:\n  - r\n  - q\n', 'Text.[^1]\n\n## Later\n\nMore.\n\n[^1]: A note.\n')).toEqual(['p:Text.1', 'h2:Later', 'p:More.', 'aside#sidebar-r', 'aside#sidebar-q', 'section']);
  });

  it('at a ::sidebar point goes exactly there; placed twice, its second copy gets an id of its own', async () => {
    expect(await placed('sidebars:\n  - q\n', 'One.\n\n::sidebar{#q}\n\nTwo.\n\n::sidebar{#s}\n')).toEqual(['p:One.', 'aside#sidebar-q', 'p:Two.', 'aside#sidebar-s', 'aside#sidebar-q-2']);
  });
});
