/**
 * An edition: the parts of a pack released to one audience. It holds everything up to its
 * highest level and without the caveats it excludes; the rest is left out entirely.
 */
import type { Position } from '../diagnostics.js';
import type { Marking, MarkingScheme, WithheldMode } from './scheme.js';

export interface Edition {
  /** As in pack.yaml and in file names; undefined for the whole pack, built without --edition. */
  name: string | undefined;
  /** As printed on the cover and in metadata ("Public edition"). */
  title: string | undefined;
  /** The highest level it holds. */
  max: number;
  /** Caveats whose parts it leaves out. */
  exclude: readonly number[];
  withheld: WithheldMode;
  /** Where pack.yaml names it. */
  position?: Position;
}

/** The whole pack, as a build without --edition makes it: nothing is above it (the ceiling is checked when the pack is read). */
export function wholePack(scheme: MarkingScheme): Edition {
  return { name: undefined, title: undefined, max: Math.max(scheme.ceiling, scheme.levels.length - 1, 0), exclude: [], withheld: scheme.withheld };
}

export function admits(edition: Edition, marking: Marking): boolean {
  return marking.level <= edition.max && !marking.caveats.some((c) => edition.exclude.includes(c));
}

/** "Public edition" from `public`, unless pack.yaml gives a title. */
export function defaultEditionTitle(name: string): string {
  const words = name.replace(/-/g, ' ');
  return `${words[0]!.toUpperCase()}${words.slice(1)} edition`;
}
