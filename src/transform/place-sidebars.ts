/**
 * rehype plugin: puts each sidebar where the article asks for it. Inline `::sidebar{#id}`
 * placeholders are replaced in place; a front-matter placement with `section` goes after the
 * first paragraph of that `##` section (near the text it belongs to), one without goes after the
 * article text. Unknown ids were reported by the validate stage and are dropped here.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toString } from 'hast-util-to-string';
import { spliceChildren, walkElements } from '../tree-walk.js';
import type { Placement, Sidebar } from '../model.js';
import { sidebarTree } from '../compose/sidebar-tree.js';
import { SIDEBAR_PLACEHOLDER } from './sanitize-schema.js';
import { h } from 'hastscript';
import { WITHHELD_SIDEBAR } from '../marking/filter-body.js';

export interface PlaceSidebarOptions {
  placements: readonly Placement[];
  sidebars: ReadonlyMap<string, Sidebar>;
  /** Shared across the pack: how often each sidebar has been placed, for unique ids. */
  instances: Map<string, number>;
  /** Filled in: each sidebar placed, by the element it became. */
  placed?: Map<Element, Sidebar>;
  /** The portion mark a sidebar's marking prints as, when the pack prints them. */
  portionMark?: (marking: Sidebar['marking']) => string | undefined;
}

export function rehypePlaceSidebars(options: PlaceSidebarOptions) {
  const render = (id: string): Element | undefined => {
    const sidebar = options.sidebars.get(id);
    if (!sidebar) return undefined;
    const n = (options.instances.get(id) ?? 0) + 1;
    options.instances.set(id, n);
    const aside = sidebarTree(sidebar, n, options.portionMark?.(sidebar.marking));
    options.placed?.set(aside, sidebar);
    return aside;
  };
  return (tree: Root) => {
    walkElements(tree, (node: Element, index, parent) => {
      if (node.tagName !== SIDEBAR_PLACEHOLDER) return;
      const aside = render(String(node.properties.dataSidebar ?? ''));
      if (aside) parent.children.splice(index, 1, aside);
      else parent.children.splice(index, 1);
      return index;
    });

    const atEnd: Element[] = [];
    for (const placement of options.placements.filter((p) => !p.inline)) {
      // A sidebar the edition leaves out: the notice it asks for, where the sidebar would have been.
      const aside = placement.withheld ? (placement.withheld === 'notice' ? h('p.withheld-notice', WITHHELD_SIDEBAR) : undefined) : render(placement.id);
      if (!aside) continue;
      const at = placement.section ? sectionInsertionPoint(tree, placement.section) : undefined;
      if (at === undefined) atEnd.push(aside);
      else tree.children.splice(at, 0, aside as RootContent);
    }
    // After the text but before the notes, which close the article.
    const notes = tree.children.findIndex((c) => c.type === 'element' && c.tagName === 'section' && c.properties.dataFootnotes !== undefined);
    spliceChildren(tree.children, notes < 0 ? tree.children.length : notes, 0, atEnd as RootContent[]);
  };
}

/** Index after the first paragraph that follows the `##` heading titled `section`. */
export function sectionInsertionPoint(tree: Root, section: string): number | undefined {
  const children = tree.children;
  const heading = children.findIndex((c) => isElement(c, 'h2') && toString(c).trim() === section.trim());
  if (heading < 0) return undefined;
  for (let i = heading + 1; i < children.length; i++) {
    const c = children[i]!;
    if (isElement(c, 'h2')) return i;
    if (isElement(c, 'p')) return i + 1;
  }
  return children.length;
}

function isElement(node: RootContent | ElementContent, tagName: string): node is Element {
  return node.type === 'element' && node.tagName === tagName;
}
