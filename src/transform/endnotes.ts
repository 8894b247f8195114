/**
 * rehype plugin: GFM footnotes become the article's numbered "Notes", linked both ways, with
 * the roles and classes that print and EPUB style (EPUB adds epub:type in its own renderer).
 */
import type { Element, Root } from 'hast';
import { walkElements } from '../tree-walk.js';

export function rehypeEndnotes() {
  return (tree: Root) => {
    walkElements(tree, (node: Element) => {
      if (node.tagName === 'section' && node.properties.dataFootnotes !== undefined) {
        node.properties.className = ['endnotes'];
        node.properties.role = 'doc-endnotes';
        for (const child of node.children) {
          if (child.type === 'element' && child.tagName === 'h2') {
            child.tagName = 'p';
            child.properties = { id: child.properties.id, className: ['endnotes-title'] };
            child.children = [{ type: 'text', value: 'Notes' }];
          }
        }
      }
      if (node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined) node.properties.role = 'doc-noteref';
      if (node.tagName === 'a' && node.properties.dataFootnoteBackref !== undefined) node.properties.role = 'doc-backlink';
    });
  };
}
