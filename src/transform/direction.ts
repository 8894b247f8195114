/**
 * rehype plugin: text marked as a right-to-left language (`lang="ar"`, `fa`, `he`, `ur`, ...)
 * gets `dir="rtl"` unless the author set a direction, so browsers and e-readers lay it out and
 * shape it right-to-left.
 */
import type { Element, Root } from 'hast';
import { walkElements } from '../tree-walk.js';

const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ks', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

export function isRightToLeft(lang: string | undefined): boolean {
  if (!lang) return false;
  const primary = lang.toLowerCase().split('-')[0]!;
  return RTL.has(primary) && !/-latn\b/i.test(lang);
}

export function rehypeDirection() {
  return (tree: Root) => {
    walkElements(tree, (node: Element) => {
      const lang = node.properties.lang;
      if (typeof lang === 'string' && node.properties.dir === undefined && isRightToLeft(lang)) node.properties.dir = 'rtl';
    });
  };
}
