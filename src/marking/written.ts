/**
 * Markings as a pack's files write them (an article's or a sidebar's `level:` and `caveats:`, a
 * `:::marked{level=... caveats="..."}` block), with where each name stands, checked against the
 * pack's scheme. The check is made on every build, not kept with the file in the build cache: the
 * scheme lives in pack.yaml and may change while the file does not.
 */
import type { Diagnostics, Position } from '../diagnostics.js';
import type { Marking, MarkingScheme } from './scheme.js';

export interface WrittenMarking {
  level?: string;
  caveats: string[];
  /** Where the level and each caveat are written (a directive's names: at the directive). */
  levelAt: Position;
  caveatsAt: Position[];
}

/**
 * The marking written, as places in the scheme: its level (or `fallback`, when it names none) and
 * its caveats. Each name the scheme lacks, and a level above the pack's ceiling, is an error at
 * the name; undefined then.
 */
export function resolveMarking(written: WrittenMarking, scheme: MarkingScheme, fallback: number, file: string, diagnostics: Diagnostics): Marking | undefined {
  let ok = true;
  let level = fallback;
  const names = (list: MarkingScheme['levels']) => list.map((l) => l.name).join(', ');
  if (written.level !== undefined) {
    const found = scheme.levels.findIndex((l) => l.name === written.level);
    if (scheme.levels.length === 0) {
      diagnostics.error('marking/level', `level ${written.level}: the pack has no marking levels`, {
        file,
        position: written.levelAt,
        hint: 'Declare the levels in pack.yaml (levels: [PUBLIC, OFFICIAL, SECRET], lowest first), or a classification.',
      });
      ok = false;
    } else if (found < 0) {
      diagnostics.error('marking/level', `"${written.level}" is not a level of this pack`, { file, position: written.levelAt, hint: `Levels, lowest first: ${names(scheme.levels)}.` });
      ok = false;
    } else if (found > scheme.ceiling) {
      diagnostics.error('marking/ceiling', `${written.level} is above the pack's classification, ${scheme.levels[scheme.ceiling]!.name}, the highest marking it may hold`, {
        file,
        position: written.levelAt,
      });
      ok = false;
    } else level = found;
  }
  const caveats = new Set<number>();
  for (const [i, name] of written.caveats.entries()) {
    const found = scheme.caveats.findIndex((c) => c.name === name);
    if (found < 0) {
      diagnostics.error('marking/caveat', `"${name}" is not a caveat of this pack`, {
        file,
        position: written.caveatsAt[i] ?? written.levelAt,
        hint: scheme.caveats.length ? `Caveats: ${names(scheme.caveats)}.` : 'Declare it in pack.yaml: caveats: [NOFORN, ...].',
      });
      ok = false;
    } else caveats.add(found);
  }
  return ok ? { level, caveats: [...caveats].sort((a, b) => a - b) } : undefined;
}
