/**
 * A pack's marking scheme: its levels in order, lowest first, and its caveats (handling labels
 * such as NOFORN); what a marking (one level, any caveats) prints as: the banner at the top and
 * bottom of every page (`SECRET//NOFORN`) and the portion mark before a paragraph (`(S//NF)`).
 *
 * A marking names levels and caveats by their place in the scheme, so that comparing two is
 * comparing numbers and a marking written in a file is checked against the scheme once.
 */

export interface MarkName {
  name: string;
  /** What a portion mark prints. */
  short: string;
}

export type WithheldMode = 'notice' | 'silent';

export interface MarkingScheme {
  /** Lowest first; empty when the pack is not marked at all. */
  levels: readonly MarkName[];
  caveats: readonly MarkName[];
  /** The level of what carries no marking of its own. */
  unmarked: number;
  /** The highest level anything in the pack may carry (the manifest's `classification`). */
  ceiling: number;
  /** Print each paragraph's and sidebar's marking, short, before it. */
  portionMarks: boolean;
  /** What an edition prints where it leaves a part out, unless the edition says otherwise. */
  withheld: WithheldMode;
}

export interface Marking {
  level: number;
  /** Places in the scheme's caveats, ascending, each once. */
  caveats: readonly number[];
}

/** A scheme that marks nothing: a pack without `classification` or `levels`. */
export const UNMARKED_SCHEME: MarkingScheme = Object.freeze({ levels: [], caveats: [], unmarked: 0, ceiling: 0, portionMarks: false, withheld: 'silent' });

/** What a portion mark says by default: the initials of the words (`OFFICIAL-SENSITIVE`: OS, `TOP SECRET`: TS). */
export function defaultShort(name: string): string {
  const words = name.split(/[\s\-/]+/).filter(Boolean);
  return words.length > 1 ? words.map((w) => w[0]!.toUpperCase()).join('') : (name[0]?.toUpperCase() ?? name);
}

/** Whether any part of a pack with this scheme can be above another part: else every edition holds everything. */
export function canWithhold(scheme: MarkingScheme): boolean {
  return scheme.levels.length > 1 || scheme.caveats.length > 0;
}

export function unmarkedOf(scheme: MarkingScheme): Marking {
  return { level: scheme.unmarked, caveats: [] };
}

/** The marking of something that is both: the higher level and every caveat of either. */
export function combine(a: Marking, b: Marking): Marking {
  if (b.caveats.length === 0 && a.level >= b.level) return a;
  if (a.caveats.length === 0 && b.level >= a.level) return b;
  const caveats = [...new Set([...a.caveats, ...b.caveats])].sort((x, y) => x - y);
  return { level: Math.max(a.level, b.level), caveats };
}

/** `SECRET//NOFORN/PARTNERS ONLY`; undefined when the pack is not marked. */
export function bannerOf(scheme: MarkingScheme, marking: Marking): string | undefined {
  const level = scheme.levels[marking.level]?.name;
  if (level === undefined) return undefined;
  const caveats = marking.caveats.map((c) => scheme.caveats[c]!.name);
  return caveats.length ? `${level}//${caveats.join('/')}` : level;
}

/** `(S//NF)`; undefined when the pack is not marked. */
export function portionMarkOf(scheme: MarkingScheme, marking: Marking): string | undefined {
  const level = scheme.levels[marking.level]?.short;
  if (level === undefined) return undefined;
  const caveats = marking.caveats.map((c) => scheme.caveats[c]!.short);
  return `(${caveats.length ? `${level}//${caveats.join('/')}` : level})`;
}
