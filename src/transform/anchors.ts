/**
 * rehype plugin: every id in a chapter, unique across the pack, and the names a link may call
 * each one by. Headings get the anchor that GitHub, GitLab and editors' previews give them (the
 * github-slugger algorithm: `## Sanctions (2026): what's next?` is `#sanctions-2026-whats-next`,
 * a repeat `-1`, `-2`), ids written in raw HTML keep theirs, and footnotes theirs; each is
 * prefixed with the article's slug and two hyphens (`budget--spending-plans`), so that ids from
 * different articles never meet in the one print document or web page. The `##` sections are
 * collected for the contents, the EPUB navigation and the PDF outline.
 *
 * Headings that show nothing (no text and no image with alt text) are left out, with a warning:
 * they would be empty entries in every contents list.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { slug as githubSlug } from 'github-slugger';
import { SKIP, walkElements } from '../tree-walk.js';
import type { Diagnostics } from '../diagnostics.js';
import type { TocEntry } from '../model.js';
import { slugify } from '../compose/slug.js';

export interface AnchorOptions {
  /** The article's slug: every id starts with it and "--". */
  prefix: string;
  /** Filled in: the `##` sections. */
  sections: TocEntry[];
  /** Filled in: every name a link may use for an id of this chapter (without `#`), and the id. */
  anchors: Map<string, string>;
  file: string;
  diagnostics: Diagnostics;
}

/** Attributes that name other ids of the same document. */
const ID_REFERENCES = ['ariaDescribedBy', 'ariaLabelledBy', 'headers'] as const;

const HEADING = /^h[1-6]$/;

export function rehypeAnchors(options: AnchorOptions) {
  return (tree: Root) => {
    const { prefix, anchors } = options;
    const used = new Set<string>();
    const unique = (base: string) => {
      let id = base;
      for (let n = 1; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      return id;
    };
    const name = (spelling: string, id: string) => {
      if (spelling && !anchors.has(spelling)) anchors.set(spelling, id);
    };

    const footnotes: Element[] = [];
    const headings: Element[] = [];
    const others: Element[] = [];
    walkElements(tree, (node, index, parent) => {
      if (isFootnoteElement(node)) {
        // Footnotes take their names first: a raw id of the same spelling cannot take their links.
        collect(node, footnotes);
        return SKIP;
      }
      if (HEADING.test(node.tagName)) {
        if (headingTitle(node) === '') {
          options.diagnostics.warn('markdown/heading', 'left out a heading with no text', {
            file: options.file,
            position: node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined,
          });
          parent.children.splice(index, 1);
          return index;
        }
        headings.push(node);
      } else if (node.properties.id !== undefined) others.push(node);
      return undefined;
    });

    const renamed = new Map<string, string>();
    for (const node of footnotes) {
      const raw = validId(node.properties.id);
      if (raw === undefined) continue;
      const id = unique(`${prefix}--${raw}`);
      node.properties.id = id;
      name(raw, id);
      renamed.set(raw, id);
    }

    // GitHub counts repeats among headings only; the names we gave before count on their own.
    const github = new Map<string, number>();
    const ours = new Map<string, number>();
    const repeat = (seen: Map<string, number>, base: string, separator: (n: number) => string) => {
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return n === 0 ? base : `${base}${separator(n)}`;
    };
    for (const node of headings) {
      const text = toString(node).trim();
      const explicit = validId(node.properties.id);
      const gh = repeat(github, githubSlug(text), (n) => `-${n}`);
      const own = repeat(ours, slugify(text) || 'section', (n) => `-${n + 1}`);
      const id = unique(`${prefix}--${explicit ?? (gh || 'section')}`);
      node.properties.id = id;
      if (explicit !== undefined) {
        name(explicit, id);
        renamed.set(explicit, id);
      }
      name(gh, id);
      name(own, id);
      name(`${prefix}--${own}`, id);
      if (node.tagName === 'h2') options.sections.push({ id, title: headingTitle(node), level: 2, children: [] });
    }

    for (const node of others) {
      const raw = validId(node.properties.id);
      if (raw === undefined) {
        delete node.properties.id;
        continue;
      }
      const id = unique(`${prefix}--${raw}`);
      node.properties.id = id;
      name(raw, id);
      if (!renamed.has(raw)) renamed.set(raw, id);
    }
    for (const id of used) name(id, id);

    // References between ids follow them; one to an id that is not there would be an error.
    walkElements(tree, (node) => {
      for (const key of ID_REFERENCES) {
        const value = node.properties[key];
        if (value === undefined) continue;
        const refs = (Array.isArray(value) ? value.map(String) : String(value).split(/\s+/)).map((r) => renamed.get(r)).filter((r): r is string => r !== undefined);
        if (refs.length) node.properties[key] = refs;
        else delete node.properties[key];
      }
    });
  };
}

/** The elements of GFM's footnotes: the references in the text and the notes section. */
function isFootnoteElement(node: Element): boolean {
  return (node.tagName === 'section' && node.properties.dataFootnotes !== undefined) || (node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined);
}

function collect(root: Element, into: Element[]): void {
  if (root.properties.id !== undefined) into.push(root);
  walkElements(root, (node) => {
    if (node.properties.id !== undefined) into.push(node);
  });
}

/** An id as HTML allows it: not empty, no white space (turned into hyphens). */
function validId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const id = String(value).trim().replace(/\s+/g, '-');
  return id === '' ? undefined : id;
}

/**
 * What a heading shows, for contents lists and navigation: its text, with the alt text of its
 * images (a heading that is only a logo is named by it).
 */
export function headingTitle(node: Element): string {
  let text = '';
  // Text and alt text in document order, with a stack: headings can be nested deep in raw HTML.
  const stack: Array<Element | { type: 'text'; value: string }> = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'text') {
      text += current.value;
      continue;
    }
    if (current.tagName === 'img') {
      if (typeof current.properties.alt === 'string') text += ` ${current.properties.alt} `;
      continue;
    }
    for (let i = current.children.length - 1; i >= 0; i--) {
      const child = current.children[i]!;
      if (child.type === 'text' || child.type === 'element') stack.push(child);
    }
  }
  return text.replace(/\s+/g, ' ').trim();
}
