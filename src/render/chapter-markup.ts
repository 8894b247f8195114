/**
 * A chapter's print markup, made once: a parted print puts each chapter in more than one
 * document (printed early, then compared with the whole pack's), and a rebuild needs every
 * part's document to find the unchanged ones in the cache. The markup of a chapter is kept in
 * memory for the build and, by the chapter's key, in the build cache for the next one.
 */
import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { contentKey, type BuildCache } from '../cache.js';
import type { Chapter } from '../model.js';

/** How print documents are serialized: every character as itself or a numeric reference. */
export const PRINT_HTML_OPTIONS = { allowDangerousCharacters: false, characterReferences: { useNamedReferences: false } } as const;

const made = new WeakMap<Root, string>();
/** Trees whose markup the build cache has been given (or has given). */
const cached = new WeakSet<Root>();

export function chapterMarkup(chapter: Chapter, cache?: BuildCache): string {
  const { tree } = chapter;
  let markup = made.get(tree);
  if (cache && !cached.has(tree)) {
    const name = `print-chapter-${contentKey(chapter.key, ...chapter.images)}.html`;
    // Made before the cache was at hand (a part printed while the pack was read): keep it now.
    if (markup !== undefined) cache.write(name, markup);
    else markup = cache.text(name, () => toHtml(tree, PRINT_HTML_OPTIONS));
    cached.add(tree);
  }
  markup ??= toHtml(tree, PRINT_HTML_OPTIONS);
  made.set(tree, markup);
  return markup;
}
