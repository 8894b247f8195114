/**
 * pack.yaml's marking scheme and editions, checked against each other, each problem at its YAML
 * node. A pack without `levels` keeps the one marking it has always had: its `classification`
 * is its only level (or it is not marked at all).
 */
import type { Diagnostics } from '../diagnostics.js';
import { defaultEditionTitle, type Edition } from '../marking/edition.js';
import { defaultShort, UNMARKED_SCHEME, type MarkName, type MarkingScheme } from '../marking/scheme.js';
import type { ManifestData } from '../schema/manifest.js';
import type { PathSegment, YamlSource } from './yaml.js';

/** Lower-case letters, digits and hyphens: an edition's name goes into file names. */
const EDITION_NAME = /^[a-z0-9][a-z0-9-]*$/;

export function markingSchemeOf(
  data: ManifestData,
  yaml: YamlSource,
  file: string,
  diagnostics: Diagnostics,
): { scheme: MarkingScheme; editions: Edition[] } | undefined {
  let ok = true;
  const error = (rule: 'manifest/invalid', message: string, at: readonly PathSegment[], hint?: string, which: 'key' | 'value' = 'value') => {
    diagnostics.error(rule, message, { file, position: yaml.positionOf(at, which), ...(hint ? { hint } : {}) });
    ok = false;
  };
  const named = (list: ReadonlyArray<{ name: string; short?: string | undefined }>, key: 'levels' | 'caveats', short: (name: string) => string): MarkName[] => {
    const out: MarkName[] = [];
    for (const [i, entry] of list.entries()) {
      const mark = { name: entry.name, short: entry.short ?? short(entry.name) };
      if (out.some((m) => m.name === mark.name)) error('manifest/invalid', `${key}[${i}]: ${mark.name} is named twice`, [key, i]);
      else if (data.portion_marks && out.some((m) => m.short === mark.short)) {
        error('manifest/invalid', `${key}[${i}]: ${mark.name} prints the same portion mark as another, (${mark.short})`, [key, i], 'Give it a short form of its own: {name: ..., short: ...}.');
      }
      out.push(mark);
    }
    return out;
  };

  const levels = data.levels
    ? named(data.levels, 'levels', defaultShort)
    : data.classification
      ? [{ name: data.classification, short: defaultShort(data.classification) }]
      : [];
  const caveats = named(data.caveats ?? [], 'caveats', (name) => name);
  if (levels.length === 0) {
    for (const key of ['caveats', 'unmarked', 'editions'] as const) {
      if (data[key] !== undefined) error('manifest/invalid', `${key} needs marking levels`, [key], 'Declare levels: [PUBLIC, OFFICIAL, ...] (lowest first), or a classification.', 'key');
    }
    if (data.portion_marks) error('manifest/invalid', 'portion_marks needs marking levels', ['portion_marks'], 'Declare levels: [PUBLIC, OFFICIAL, ...] (lowest first), or a classification.', 'key');
    return ok ? { scheme: UNMARKED_SCHEME, editions: [] } : undefined;
  }
  const levelIndex = (name: string, at: readonly PathSegment[]): number | undefined => {
    const found = levels.findIndex((l) => l.name === name);
    if (found < 0) error('manifest/invalid', `${at.join('.')}: "${name}" is not one of the levels`, at, `Levels, lowest first: ${levels.map((l) => l.name).join(', ')}.`);
    return found < 0 ? undefined : found;
  };
  const ceiling = data.levels && data.classification !== undefined ? levelIndex(data.classification, ['classification']) : levels.length - 1;
  const unmarked = data.unmarked !== undefined ? levelIndex(data.unmarked, ['unmarked']) : 0;
  if (ceiling !== undefined && unmarked !== undefined && unmarked > ceiling) {
    error('manifest/invalid', `unmarked: ${data.unmarked} is above the classification, ${levels[ceiling]!.name}`, ['unmarked']);
  }
  const scheme: MarkingScheme = {
    levels,
    caveats,
    unmarked: unmarked ?? 0,
    ceiling: ceiling ?? levels.length - 1,
    portionMarks: data.portion_marks,
    withheld: data.withheld,
  };

  const editions: Edition[] = [];
  for (const [name, entry] of Object.entries(data.editions ?? {})) {
    const at = ['editions', name];
    if (!EDITION_NAME.test(name) || name === 'all') {
      error(
        'manifest/invalid',
        name === 'all' ? 'editions: "all" cannot name an edition: --edition all builds every edition' : `editions: "${name}" is not a name for an edition`,
        at,
        'An edition is named in lower-case letters, digits and hyphens (its name goes into file names), e.g. public or partners.',
        'key',
      );
      continue;
    }
    const max = entry.max === undefined ? scheme.ceiling : levelIndex(entry.max, [...at, 'max']);
    const exclude: number[] = [];
    for (const [i, caveat] of (entry.exclude ?? []).entries()) {
      const found = caveats.findIndex((c) => c.name === caveat);
      if (found < 0) {
        error('manifest/invalid', `editions.${name}.exclude: "${caveat}" is not one of the caveats`, [...at, 'exclude', ...(Array.isArray(writtenExclude(yaml, name)) ? [i] : [])], caveats.length ? `Caveats: ${caveats.map((c) => c.name).join(', ')}.` : 'Declare it in caveats: first.');
      } else exclude.push(found);
    }
    if (max === undefined) continue;
    editions.push({
      name,
      title: entry.title ?? defaultEditionTitle(name),
      max,
      exclude: exclude.sort((a, b) => a - b),
      withheld: entry.withheld ?? scheme.withheld,
      position: yaml.positionOf(at, 'key'),
    });
  }
  return ok ? { scheme, editions } : undefined;
}

/** `exclude:` as pack.yaml writes it: one caveat, or a list. */
function writtenExclude(yaml: YamlSource, name: string): unknown {
  const editions = (yaml.value as { editions?: Record<string, { exclude?: unknown } | null> }).editions;
  return editions?.[name]?.exclude;
}
