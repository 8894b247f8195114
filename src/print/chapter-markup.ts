/**
 * A chapter's print markup, made once: a parted print puts each chapter in more than one
 * document (printed early, then compared with the whole pack's), and a rebuild needs every
 * part's document to find the unchanged ones in the cache. The markup of a chapter is kept in
 * memory for the build and, by the chapter's key, in the build cache for the next one.
 */
import { toHtml } from 'hast-util-to-html';
import { contentKey, type BuildCache } from '../cache.js';
import type { Chapter } from '../model.js';

/** How print documents are serialized: every character as itself or a numeric reference. */
export const PRINT_HTML_OPTIONS = { allowDangerousCharacters: false, characterReferences: { useNamedReferences: false } } as const;

// By chapter, not by tree: a chapter from the cache parses its tree only when it is asked for.
const made = new WeakMap<Chapter, string>();
/** Chapters whose markup the build cache has been given (or has given). */
const cached = new WeakSet<Chapter>();

export function chapterMarkup(chapter: Chapter, cache?: BuildCache): string {
  let markup = made.get(chapter);
  if (cache && !cached.has(chapter)) {
    // The images as one part of the key: a chapter's list is not spread into a call.
    const name = `print-chapter-${contentKey(chapter.key, chapter.images.join('\0'))}.html`;
    // Made before the cache was at hand (a part printed while the pack was read): keep it now.
    if (markup !== undefined) cache.write(name, markup);
    else markup = cache.text(name, () => toHtml(chapter.tree, PRINT_HTML_OPTIONS));
    cached.add(chapter);
  }
  markup ??= toHtml(chapter.tree, PRINT_HTML_OPTIONS);
  made.set(chapter, markup);
  return markup;
}
