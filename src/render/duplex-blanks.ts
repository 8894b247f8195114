/** Double-sided printing: which articles need a blank left page before them so that they start on a right-hand page. */
import type { Pack } from '../model.js';

/**
 * From where headings landed with the `current` blanks: an article on an even (left) page
 * gets a blank page before it, or loses the one it has. Each change moves every later
 * article by one page, which `shift` carries forward.
 */
export function duplexBlanks(pack: Pack, headingPages: ReadonlyMap<string, number>, current: ReadonlySet<string> | undefined): Set<string> {
  const blankBefore = new Set(current ?? []);
  let shift = 0;
  for (const chapter of pack.chapters) {
    const at = (headingPages.get(chapter.toc.id) ?? 0) + shift;
    if (at % 2 === 0) {
      if (blankBefore.delete(chapter.article.slug)) shift--;
      else {
        blankBefore.add(chapter.article.slug);
        shift++;
      }
    }
  }
  return blankBefore;
}
