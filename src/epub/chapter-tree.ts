/**
 * Chapter trees as EPUB content documents want them: footnotes as `epub:type` asides that
 * readers show as pop-ups, sidebars marked as sidebars, images pointing into the package.
 */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { SKIP, walkElements } from '../tree-walk.js';
import type { Chapter } from '../model.js';

/**
 * `elsewhere`: for each `#id` this chapter links to that another chapter defines, the link as
 * it must read from this chapter's file (`other.xhtml#id`).
 */
export function epubChapterTree(tree: Root, imageHref: (packPath: string) => string, elsewhere: ReadonlyMap<string, string> = new Map()): Root {
  const copy = structuredClone(tree);
  walkElements(copy, (node: Element, index, parent) => {
    if (node.tagName === 'a' && typeof node.properties.href === 'string') node.properties.href = elsewhere.get(node.properties.href) ?? node.properties.href;
    if (node.tagName === 'aside' && hasClass(node, 'sidebar')) node.properties['epub:type'] = 'sidebar';
    if (node.tagName === 'aside' && hasClass(node, 'bottom-line')) {
      // An abstract, with the ARIA role that says so (Ace asks for one beside every epub:type);
      // ARIA does not allow that role on <aside>.
      node.tagName = 'section';
      node.properties['epub:type'] = 'abstract';
      node.properties.role = 'doc-abstract';
    }
    if (node.tagName === 'img' && typeof node.properties.src === 'string') node.properties.src = imageHref(node.properties.src);
    if (node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined) node.properties['epub:type'] = 'noteref';
    if (typeof node.properties.lang === 'string') node.properties['xml:lang'] = node.properties.lang;
    if (node.tagName === 'section' && hasClass(node, 'endnotes')) {
      parent.children[index] = endnotesAsAsides(node);
      return SKIP;
    }
    return undefined;
  });
  return copy;
}

function endnotesAsAsides(section: Element): Element {
  const title = section.children.find((c): c is Element => c.type === 'element' && c.tagName === 'p');
  const list = section.children.find((c): c is Element => c.type === 'element' && c.tagName === 'ol');
  const notes: ElementContent[] = (list?.children ?? [])
    .filter((c): c is Element => c.type === 'element' && c.tagName === 'li')
    .map((li, i) =>
      h('aside.footnote', { id: li.properties.id, 'epub:type': 'footnote', role: 'doc-footnote' }, [
        ...(li.children.filter((c) => c.type === 'element') as Element[]).map((child, k) =>
          k === 0 && child.tagName === 'p' ? { ...child, children: [{ type: 'text' as const, value: `${i + 1}. ` }, ...child.children] } : child,
        ),
      ]),
    );
  return h('section.endnotes', { role: 'doc-endnotes' }, [...(title ? [title] : []), ...notes]);
}

function hasClass(node: Element, name: string): boolean {
  const c = node.properties.className;
  return Array.isArray(c) && c.includes(name);
}

/**
 * Links between chapters: in the print and the web page every chapter is in one document, but
 * an EPUB has a file per chapter. For each chapter, its `#id` links to ids another chapter
 * defines, and what they must read.
 */
export function linksBetweenChapters(chapters: readonly Chapter[], files: readonly string[]): Array<Map<string, string>> {
  const fileOf = new Map<string, string>();
  chapters.forEach((chapter, i) => {
    for (const id of chapter.ids.defined) if (!fileOf.has(id)) fileOf.set(id, files[i]!);
  });
  return chapters.map((chapter, i) => {
    const links = new Map<string, string>();
    for (const id of chapter.ids.linked) {
      const file = fileOf.get(id);
      if (file !== undefined && file !== files[i]) links.set(`#${id}`, `${file}#${id}`);
    }
    return links;
  });
}
