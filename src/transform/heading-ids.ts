/**
 * rehype plugin: gives every body heading an id that is unique across the pack (article slug
 * prefix) and collects the `##` sections for the contents, EPUB nav and PDF outline.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { SKIP, walkElements } from '../tree-walk.js';
import type { TocEntry } from '../model.js';
import { slugify } from '../compose/slug.js';

export interface HeadingIdOptions {
  prefix: string;
  sections: TocEntry[]; // filled in
}

export function rehypeHeadingIds(options: HeadingIdOptions) {
  return (tree: Root) => {
    const used = new Set<string>();
    walkElements(tree, (node: Element) => {
      if (node.tagName === 'section' && node.properties.dataFootnotes !== undefined) return SKIP;
      if (!/^h[1-6]$/.test(node.tagName)) return;
      const title = toString(node).trim();
      const base = `${options.prefix}--${slugify(title) || 'section'}`;
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      node.properties.id = id;
      if (node.tagName === 'h2') options.sections.push({ id, title, level: 2, children: [] });
      return undefined;
    });
  };
}
