/**
 * Settling the print layout over passes: where headings landed decides the contents numbers and,
 * double-sided, which articles need a blank left page before them; a pass whose layout is the one
 * it assumed is the last.
 */
import { BuildFailure, ExitCode } from '../diagnostics.js';
import type { Pack } from '../model.js';
import type { PrintLayout } from './document.js';
import type { SettledLayout } from './request.js';
import { hasAnySlot, type Template } from '../compose/template.js';

export const MAX_PASSES = 5;

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

/** The pass printed what it assumed: the same page for every heading and the same blank pages. */
export function layoutHolds(assumed: PrintLayout, headingPages: ReadonlyMap<string, number>, blankBefore: ReadonlySet<string>): boolean {
  const before = assumed.blankBefore ?? new Set<string>();
  return (
    assumed.pages !== undefined &&
    [...headingPages].every(([id, page]) => assumed.pages!.get(id) === page) &&
    blankBefore.size === before.size &&
    [...blankBefore].every((slug) => before.has(slug))
  );
}

/**
 * The layout of a pack whose contents list one entry (one article, no sections), known before
 * any print: the article starts on the page after the template's cover and contents, a page each.
 * The first print is then tagged and final when the guess holds, where a pass that only measured
 * would print the document twice (for an article with 10,000 footnotes, the measuring print took
 * a quarter of the PDF's time). A template whose front takes more pages costs a second pass, as
 * without the guess; one whose articles run on after the contents (memo) is measured first, as is
 * a double-sided print (an even page would need a blank before it).
 */
export function onlyEntryLayout(pack: Pack, template: Template, duplex: boolean): SettledLayout | undefined {
  const only = pack.toc.length === 1 ? pack.toc[0]! : undefined;
  if (duplex || !only || only.children.length > 0 || !template.settings.articlesStartOnNewPage) return undefined;
  const shell = template.shell('print');
  const front = (hasAnySlot(shell, ['cover']) ? 1 : 0) + (hasAnySlot(shell, ['contents']) ? 1 : 0);
  return { pages: { [only.id]: front + 1 }, blankBefore: [] };
}

export function unsettledLayout(): BuildFailure {
  return new BuildFailure(
    [{ severity: 'error', rule: 'render/failed', message: `contents page numbers did not settle after ${MAX_PASSES} passes` }],
    ExitCode.RenderError,
  );
}
