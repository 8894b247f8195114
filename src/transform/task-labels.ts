/**
 * rehype plugin: a name for each task list checkbox (`- [ ] item`). GFM makes it a bare
 * `<input type="checkbox">`, which a screen reader announces as an unnamed control, and Ace
 * (axe's label rule) rejects. Its name is the item's own text: what the box is ticked for.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { walkElements } from '../tree-walk.js';

export function rehypeTaskLabels() {
  return (tree: Root) => {
    walkElements(tree, (node: Element) => {
      if (node.tagName !== 'li' || !classNames(node).includes('task-list-item')) return;
      const first = node.children.find((c): c is Element => c.type === 'element');
      const holder = first?.tagName === 'p' ? first : node;
      const box = holder.children.find((c): c is Element => c.type === 'element');
      if (box?.tagName !== 'input' || box.properties.type !== 'checkbox') return;
      box.properties.ariaLabel = itemText(node) || (box.properties.checked ? 'done' : 'to do');
    });
  };
}

/** The item's text, without the lists nested in it. */
function itemText(item: Element): string {
  const own: ElementContent[] = item.children.filter((c) => !(c.type === 'element' && (c.tagName === 'ul' || c.tagName === 'ol')));
  const text = toString({ ...item, children: own }).replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function classNames(node: Element): string[] {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : [];
}
