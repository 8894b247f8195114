/**
 * Links to a heading of another article, checked once the pack is whole. A chapter is made
 * before the articles after it are read (a large pack prints its first parts meanwhile), so its
 * links to another article's heading are written as that heading's id would read if the
 * fragment is its GitHub anchor or its raw id, which it is as a rule: then there is nothing to
 * do. A link by another of the heading's names (briefpack's own id, another case) is pointed at
 * the id; one to no heading at all is printed as plain text, with a warning at its position.
 * Only chapters with such links are made again (and, if printed early, printed again).
 */
import type { Root } from 'hast';
import type { ElementContent } from 'hast';
import { contentKey } from '../cache.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Chapter } from '../model.js';
import { findChapterIds } from '../transform/chapter-ids.js';
import { withheldLink } from '../transform/links.js';
import { spliceChildren, walkElements } from '../tree-walk.js';

/**
 * `edition`: the name of the edition the chapters are of, for messages; `withheldSlugs`: the
 * articles it leaves out (lower case), a link to which names nothing of them in its warning.
 */
export function resolveCrossLinks(
  chapters: readonly Chapter[],
  diagnostics: Diagnostics,
  { edition, withheldSlugs }: { edition?: string; withheldSlugs?: ReadonlySet<string> } = {},
): Chapter[] {
  const bySlug = new Map(chapters.map((c) => [c.article.slug, c]));
  const defined = new Map<string, Set<string>>();
  const idsOf = (chapter: Chapter) => {
    let ids = defined.get(chapter.article.slug);
    if (!ids) defined.set(chapter.article.slug, (ids = new Set(chapter.ids.defined)));
    return ids;
  };
  return chapters.map((chapter) => {
    if (chapter.crossLinks.length === 0) return chapter;
    const fixes = new Map<string, string | null>();
    for (const link of chapter.crossLinks) {
      const written = `#${link.target}--${link.fragment}`;
      const target = bySlug.get(link.target);
      const found = target ? idFor(link.fragment, target, idsOf(target)) : undefined;
      if (found === `${link.target}--${link.fragment}`) continue;
      const withheld = target ? target.withheldNames.includes(link.fragment.toLowerCase()) : withheldSlugs?.has(link.target.toLowerCase());
      if (found === undefined && withheld) {
        diagnostics.warn('edition/withheld', withheldLink(edition), { file: link.file, position: link.position });
      } else if (found === undefined) {
        diagnostics.warn('markdown/link', `link to ${link.written}: no heading or id of that name in that article; printed as plain text`, {
          file: link.file,
          position: link.position,
        });
      }
      fixes.set(written, found === undefined ? null : `#${found}`);
    }
    return fixes.size === 0 ? chapter : relinked(chapter, fixes);
  });
}

/** The id of `target` that `fragment` names: its GitHub anchor or raw id, another of its names, the id itself, or a name in another case. */
function idFor(fragment: string, target: Chapter, ids: ReadonlySet<string>): string | undefined {
  const slug = target.article.slug;
  if (ids.has(`${slug}--${fragment}`)) return `${slug}--${fragment}`;
  const named = target.anchors[fragment];
  if (named !== undefined) return named;
  if (ids.has(fragment)) return fragment;
  const lower = fragment.toLowerCase();
  for (const id of ids) if (id.toLowerCase() === `${slug}--${lower}`.toLowerCase() || id.toLowerCase() === lower) return id;
  for (const [name, id] of Object.entries(target.anchors)) if (name.toLowerCase() === lower) return id;
  return undefined;
}

/** The chapter with its links changed as `fixes` say (null: the link printed as its text). */
function relinked(chapter: Chapter, fixes: ReadonlyMap<string, string | null>): Chapter {
  const tree = structuredClone(chapter.tree) as Root;
  walkElements(tree, (node, index, parent) => {
    if (node.tagName !== 'a' || typeof node.properties.href !== 'string' || !fixes.has(node.properties.href)) return undefined;
    const to = fixes.get(node.properties.href)!;
    if (to !== null) {
      node.properties.href = to;
      return undefined;
    }
    spliceChildren(parent.children as ElementContent[], index, 1, node.children);
    return index;
  });
  return {
    article: chapter.article,
    key: contentKey(chapter.key, 'links', JSON.stringify([...fixes])),
    tree,
    toc: chapter.toc,
    images: chapter.images,
    ids: findChapterIds(tree),
    chars: chapter.chars,
    codeChars: chapter.codeChars,
    // An unwrapped link is no positioned element: the others keep their order.
    positions: chapter.positions,
    anchors: chapter.anchors,
    sources: chapter.sources,
    crossLinks: chapter.crossLinks,
    withheldNames: chapter.withheldNames,
  };
}
