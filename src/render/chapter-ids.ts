/**
 * The ids a chapter defines and the ids its `#` links point to, found once per chapter: the
 * parted print needs them for every part (and again for parts printed early), the EPUB to turn
 * links between chapters into links between files.
 */
import type { Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { Chapter } from '../model.js';

export interface ChapterIds {
  /** In document order. */
  defined: readonly string[];
  /** Targets of `#` links, without the `#`, in document order, each once. */
  linked: ReadonlySet<string>;
}

const found = new WeakMap<Root, ChapterIds>();

export function chapterIds(chapter: Pick<Chapter, 'tree'>): ChapterIds {
  let ids = found.get(chapter.tree);
  if (!ids) {
    const defined: string[] = [];
    const linked = new Set<string>();
    visit(chapter.tree, 'element', (node) => {
      const { id, href } = node.properties;
      if (typeof id === 'string') defined.push(id);
      if (typeof href === 'string' && href.startsWith('#')) linked.add(href.slice(1));
    });
    ids = { defined, linked };
    found.set(chapter.tree, ids);
  }
  return ids;
}
