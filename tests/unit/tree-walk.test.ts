/** The tree walk every transform step uses: order, skipping, stopping, and changing the tree under it. */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { EXIT, SKIP, walkElements, walkNodes } from '../../src/tree-walk.js';

const sample = (): Root => ({
  type: 'root',
  children: [h('section#a', [h('h2#b', 'Title'), h('p#c', ['text ', h('em#d', 'stress')])]), h('aside#e', [h('p#f', 'note')])],
});

const ids = (tree: Root, visit: (node: Element, index: number, parent: Root | Element) => ReturnType<Parameters<typeof walkElements>[1]>) => {
  const seen: string[] = [];
  walkElements(tree, (node, index, parent) => {
    seen.push(String(node.properties.id));
    return visit(node, index, parent);
  });
  return seen;
};

describe('tree walk', () => {
  it('visits elements in document order, parents first, and not the root', () => {
    expect(ids(sample(), () => undefined)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('visits every kind of node with walkNodes, with its index and parent', () => {
    const tree = sample();
    const seen: string[] = [];
    walkNodes<Element | { type: 'text'; value: string }>(tree, (node, index, parent) => {
      expect((parent.children as unknown[])[index]).toBe(node);
      seen.push(node.type === 'text' ? `"${node.value}"` : String(node.properties.id));
    });
    expect(seen).toEqual(['a', 'b', '"Title"', 'c', '"text "', 'd', '"stress"', 'e', 'f', '"note"']);
  });

  it('does not enter a node whose visitor says SKIP, and stops at EXIT', () => {
    expect(ids(sample(), (node) => (node.properties.id === 'a' ? SKIP : undefined))).toEqual(['a', 'e', 'f']);
    expect(ids(sample(), (node) => (node.properties.id === 'c' ? EXIT : undefined))).toEqual(['a', 'b', 'c']);
  });

  it('goes on from the index a visitor returns after replacing or removing a node', () => {
    const tree = sample();
    const seen = ids(tree, (node, index, parent) => {
      if (node.properties.id === 'b') {
        // Replaced: the replacement is visited, children and all.
        parent.children.splice(index, 1, h('div#r', [h('span#s')]) as ElementContent);
        return index;
      }
      if (node.properties.id === 'd') {
        parent.children.splice(index, 1);
        return index;
      }
      return undefined;
    });
    expect(seen).toEqual(['a', 'b', 'r', 's', 'c', 'd', 'e', 'f']);
    expect(JSON.stringify(tree)).not.toContain('"d"');
  });

  it('sees siblings a visitor adds and children it replaces', () => {
    const tree = sample();
    const seen = ids(tree, (node, index, parent) => {
      if (node.properties.id === 'e') parent.children.push(h('footer#g') as ElementContent);
      if (node.properties.id === 'c') node.children = [h('strong#t')];
      return undefined;
    });
    expect(seen).toEqual(['a', 'b', 'c', 't', 'e', 'f', 'g']);
  });
});
