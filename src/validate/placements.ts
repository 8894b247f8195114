/**
 * Cross-file checks once everything is loaded: every placement names a known sidebar (and, with
 * `section`, a real `##` heading of that article); a sidebar placed nowhere is a warning.
 */
import type { Diagnostics } from '../diagnostics.js';
import type { Article, Sidebar } from '../model.js';

/** `complete` is false when some article failed to load: then "placed nowhere" cannot be known. */
export function validatePlacements(
  articles: readonly Article[],
  sidebars: ReadonlyMap<string, Sidebar>,
  diagnostics: Diagnostics,
  complete = true,
  failedIds: ReadonlySet<string> = new Set(),
): void {
  const placed = new Set<string>();
  const known = [...sidebars.keys()].sort();
  for (const article of articles) {
    const { sections } = article;
    for (const placement of article.placements) {
      if (!sidebars.has(placement.id)) {
        if (failedIds.has(placement.id)) continue; // its file's own errors were reported
        const near = known.filter((id) => id.includes(placement.id) || placement.id.includes(id));
        diagnostics.error('sidebar/unknown-id', `no sidebar with id "${placement.id}"`, {
          file: placement.file,
          position: placement.position,
          hint: near.length ? `Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : `Known ids: ${known.join(', ') || '(none)'}.`,
        });
        continue;
      }
      placed.add(placement.id);
      if (placement.section !== undefined && !sections.includes(placement.section.trim())) {
        diagnostics.error('sidebar/section', `"${placement.section}" is not a ## section of this article`, {
          file: placement.file,
          position: placement.position,
          hint: sections.length ? `Sections: ${sections.map((s) => `"${s}"`).join(', ')}.` : 'This article has no ## sections.',
        });
      }
    }
  }
  if (!complete) return;
  for (const sidebar of sidebars.values()) {
    if (!placed.has(sidebar.id)) {
      diagnostics.warn('sidebar/unplaced', `sidebar "${sidebar.id}" is not placed in any article`, {
        file: sidebar.file,
        position: sidebar.position,
      });
    }
  }
}
