/**
 * Cross-file checks of sidebar placements: every placement names a known sidebar (and, with
 * `section`, a real `##` heading of that article), checked as each article is read; once all
 * are, a sidebar placed nowhere is a warning.
 */
import type { Diagnostics } from '../diagnostics.js';
import type { Article, Sidebar } from '../model.js';

export class PlacementCheck {
  private readonly placed = new Set<string>();
  private readonly known: string[];

  /** `failedIds`: sidebars whose files had errors of their own, reported already. */
  constructor(
    private readonly sidebars: ReadonlyMap<string, Sidebar>,
    private readonly diagnostics: Diagnostics,
    private readonly failedIds: ReadonlySet<string> = new Set(),
  ) {
    this.known = [...sidebars.keys()].sort();
  }

  /** The placements of one article. */
  article(article: Article): void {
    const { sections } = article;
    for (const placement of article.placements) {
      if (!this.sidebars.has(placement.id)) {
        if (this.failedIds.has(placement.id)) continue;
        const near = this.known.filter((id) => id.includes(placement.id) || placement.id.includes(id));
        this.diagnostics.error('sidebar/unknown-id', `no sidebar with id "${placement.id}"`, {
          file: placement.file,
          position: placement.position,
          hint: near.length ? `Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : `Known ids: ${this.known.join(', ') || '(none)'}.`,
        });
        continue;
      }
      this.placed.add(placement.id);
      if (placement.section !== undefined && !sections.includes(placement.section.trim())) {
        this.diagnostics.error('sidebar/section', `"${placement.section}" is not a ## section of this article`, {
          file: placement.file,
          position: placement.position,
          hint: sections.length ? `Sections: ${sections.map((s) => `"${s}"`).join(', ')}.` : 'This article has no ## sections.',
        });
      }
    }
  }

  /** After every article: `complete` is false when some article failed to load, and then "placed nowhere" cannot be known. */
  finish(complete: boolean): void {
    if (!complete || this.failedIds.size > 0) return;
    for (const sidebar of this.sidebars.values()) {
      if (!this.placed.has(sidebar.id)) {
        this.diagnostics.warn('sidebar/unplaced', `sidebar "${sidebar.id}" is not placed in any article`, {
          file: sidebar.file,
          position: sidebar.position,
        });
      }
    }
  }
}
