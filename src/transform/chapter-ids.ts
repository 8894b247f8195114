/**
 * The ids a chapter defines and the ids its `#` links point to: the parted print needs them for
 * every part, the EPUB to turn links between chapters into links between files. Found once,
 * when the chapter is made, and kept with it in the build cache, so that a rebuild does not
 * walk every tree again.
 */
import type { Root } from 'hast';
import { walkElements } from '../tree-walk.js';

export interface ChapterIds {
  /** In document order. */
  defined: string[];
  /** Targets of `#` links, without the `#`, in document order, each once. */
  linked: string[];
}

export function findChapterIds(tree: Root): ChapterIds {
  const defined: string[] = [];
  const linked = new Set<string>();
  walkElements(tree, (node) => {
    const { id, href } = node.properties;
    if (typeof id === 'string') defined.push(id);
    if (typeof href === 'string' && href.startsWith('#')) linked.add(href.slice(1));
  });
  return { defined, linked: [...linked] };
}
