/**
 * Walking a syntax tree (mdast or hast) in document order, as unist-util-visit does. That one
 * gives every node a named function for its debugging aids, which makes a walk some fifteen times
 * slower: one walk over the trees of a 200-article pack took 40 ms instead of 3, and a chapter is
 * walked about ten times while it is made.
 */
import type { Element, Root as HastRoot } from 'hast';
import type { Node, Parent } from 'unist';

/** Do not walk into this node's children. */
export const SKIP = 'skip';
/** Stop the walk. */
export const EXIT = false;

/**
 * What a visitor returns: nothing to go on; SKIP; EXIT; or, when it changed its parent's
 * children, the index of the child to go on from (its own index to visit what replaced it).
 */
export type Step = void | undefined | typeof SKIP | typeof EXIT | number;

/** Visit every node below `tree` (not `tree` itself), parents before their children. */
export function walkNodes<N extends Node = Node>(tree: Parent, visit: (node: N, index: number, parent: Parent) => Step): void {
  walkChildren(tree, visit as (node: Node, index: number, parent: Parent) => Step);
}

/** Visit every element below `tree`, parents before their children. */
export function walkElements(tree: HastRoot | Element, visit: (node: Element, index: number, parent: HastRoot | Element) => Step): void {
  walkChildren(tree, (node, index, parent) => (node.type === 'element' ? visit(node as Element, index, parent as HastRoot | Element) : undefined));
}

/**
 * With a stack of its own rather than by recursion: a tree as deep as hostile HTML makes it
 * (thousands of nested elements) would otherwise overflow the call stack.
 */
function walkChildren(root: Parent, visit: (node: Node, index: number, parent: Parent) => Step): void {
  const stack: Array<{ parent: Parent; index: number }> = [{ parent: root, index: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    // The length is read on every turn: a visitor may add or remove its siblings.
    if (frame.index >= frame.parent.children.length) {
      stack.pop();
      continue;
    }
    const node = frame.parent.children[frame.index]!;
    const step = visit(node, frame.index, frame.parent);
    if (step === EXIT) return;
    frame.index = typeof step === 'number' ? step : frame.index + 1;
    // The node visited is walked into even when the visitor replaced it, as before the index moves on.
    if (step !== SKIP && isParent(node)) stack.push({ parent: node, index: 0 });
  }
}

function isParent(node: Node): node is Parent {
  return Array.isArray((node as Partial<Parent>).children);
}

/**
 * `children.splice(start, deleteCount, ...items)` without spreading `items` into a call's
 * arguments, which throws past some hundred thousand of them (a link or a formatting element
 * around a whole long document is unwrapped this way).
 */
export function spliceChildren<T>(children: T[], start: number, deleteCount: number, items: readonly T[]): void {
  const tail = children.splice(start);
  for (const item of items) children.push(item);
  for (let i = deleteCount; i < tail.length; i++) children.push(tail[i]!);
}
