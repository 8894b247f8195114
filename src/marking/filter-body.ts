/**
 * An article's Markdown as one edition holds it, before anything is made from it: marked blocks
 * above the edition are cut out of the tree (a short notice in their place, if the edition asks
 * for one), those it holds are unwrapped, a `::sidebar` of a withheld sidebar goes the same way,
 * a note whose text was cut out loses its mark in the text, and, when the pack prints portion
 * marks, each paragraph gets its marking before it. Contents, anchors, links, images, glyphs and
 * every writer then see only what the edition holds.
 */
import { slug as githubSlug } from 'github-slugger';
import type { Nodes, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import type { Parent } from 'unist';
import { toString } from 'mdast-util-to-string';
import type { Diagnostics } from '../diagnostics.js';
import type { MarkedBlock } from '../model.js';
import { spliceChildren, SKIP, walkNodes } from '../tree-walk.js';
import { admits, type Edition } from './edition.js';
import { portionMarkOf, type Marking, type MarkingScheme } from './scheme.js';

declare module 'mdast' {
  interface RootData {
    /** Set on an article's tree as an edition holds it: the names of headings and ids it left out (lower case), which links may still name. */
    withheldNames?: string[];
  }
}

export interface BodyFilter {
  scheme: MarkingScheme;
  edition: Edition;
  /** The article's own marking and its blocks, as read. */
  marking: Marking;
  blocks: readonly MarkedBlock[];
  /** Sidebars the pack has that the edition leaves out. */
  withheldSidebars: ReadonlySet<string>;
  file: string;
  diagnostics?: Diagnostics;
}

export const WITHHELD_PASSAGE = '[A passage is withheld from this edition.]';
export const WITHHELD_SIDEBAR = '[A sidebar is withheld from this edition.]';

/** Changes `tree` (a fresh parse of the article) in place, and returns it. */
export function filterBody(tree: Root, filter: BodyFilter): Root {
  const { edition, scheme } = filter;
  const byStart = new Map(filter.blocks.map((b) => [b.startOffset, b]));
  const withheldNames = new Set<string>();
  const withheldNotes = new Set<string>();
  // The blocks held that contain the node visited (the walk goes in document order).
  const open: MarkedBlock[] = [];
  const markingAt = (offset: number | undefined): Marking => {
    if (offset !== undefined) while (open.length > 0 && open.at(-1)!.endOffset <= offset) open.pop();
    return open.at(-1)?.marking ?? filter.marking;
  };
  walkNodes<Nodes>(tree, (node, index, parent) => {
    if (node.type === 'containerDirective' && node.name === 'marked') {
      const block = byStart.get(node.position?.start.offset ?? -1);
      const children = node.children;
      // Emptied, so that the walk, which goes into the node it visited, finds nothing in it.
      node.children = [];
      if (block && admits(edition, block.marking)) {
        markingAt(block.startOffset);
        open.push(block);
        spliceChildren(parent.children as RootContent[], index, 1, children as RootContent[]);
        return index;
      }
      collectNames({ type: 'root', children: children as RootContent[] }, withheldNames, withheldNotes);
      return replaced(parent, index, edition.withheld === 'notice' ? notice(WITHHELD_PASSAGE) : undefined);
    }
    if (node.type === 'leafDirective' && node.name === 'sidebar' && filter.withheldSidebars.has(node.attributes?.id ?? '')) {
      return replaced(parent, index, edition.withheld === 'notice' ? notice(WITHHELD_SIDEBAR) : undefined);
    }
    if (node.type === 'paragraph' && scheme.portionMarks) {
      const mark = portionMarkOf(scheme, markingAt(node.position?.start.offset));
      if (mark) node.children.unshift(portionMark(mark), { type: 'text', value: ' ' });
    }
    return undefined;
  });
  if (withheldNotes.size > 0) dropWithheldNoteReferences(tree, withheldNotes, filter);
  tree.data = { ...tree.data, withheldNames: [...withheldNames].sort() };
  return tree;
}

/** `parent.children[index]` replaced by `by`, or removed: where the walk goes on. */
function replaced(parent: Parent, index: number, by: Paragraph | undefined) {
  if (by) {
    (parent.children as RootContent[]).splice(index, 1, by);
    return SKIP;
  }
  parent.children.splice(index, 1);
  return index;
}

/** A paragraph the writers print as the notice (the class survives the sanitizer, like authors' classes). */
function notice(text: string): Paragraph {
  return { type: 'paragraph', data: { hProperties: { className: ['withheld-notice'] } }, children: [{ type: 'text', value: text }] };
}

/** `(S//NF)` as the first thing in a paragraph, in a span of its own that the stylesheets set apart. */
function portionMark(mark: string): PhrasingContent {
  return {
    type: 'portionMark',
    data: { hName: 'span', hProperties: { className: ['portion-mark'] }, hChildren: [{ type: 'text', value: mark }] },
  } as unknown as PhrasingContent;
}

/** Headings (by their GitHub anchors), ids in raw HTML and footnotes of a withheld passage, which a link or a note mark elsewhere may name. */
function collectNames(tree: Root, names: Set<string>, notes: Set<string>): void {
  walkNodes<Nodes>(tree, (node) => {
    if (node.type === 'heading') names.add(githubSlug(toString(node).trim()));
    else if (node.type === 'footnoteDefinition') notes.add(node.identifier);
    else if (node.type === 'html') for (const match of node.value.matchAll(/\b(?:id|name)\s*=\s*["']?([^"'\s>]+)/gi)) names.add(match[1]!.toLowerCase());
    return undefined;
  });
}

/** A note whose text is withheld (and not defined again where the edition holds it) loses its mark in the text, with a warning there. */
function dropWithheldNoteReferences(tree: Root, withheld: ReadonlySet<string>, filter: BodyFilter): void {
  const defined = new Set<string>();
  walkNodes<Nodes>(tree, (node) => {
    if (node.type === 'footnoteDefinition') defined.add(node.identifier);
  });
  walkNodes<Nodes>(tree, (node, index, parent) => {
    if (node.type !== 'footnoteReference' || !withheld.has(node.identifier) || defined.has(node.identifier)) return undefined;
    filter.diagnostics?.warn('edition/withheld', `a note whose text the ${filter.edition.name ?? 'whole'} edition leaves out: its mark is left out too`, {
      file: filter.file,
      position: { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 },
    });
    parent.children.splice(index, 1);
    return index;
  });
}
