/** A marking as a YAML file writes it (`level:` and `caveats:`), with the position of each name. */
import type { WrittenMarking } from '../marking/written.js';
import type { PathSegment, YamlSource } from './yaml.js';

/** Undefined when the file writes neither. `at`: where the fields sit (front matter, a sidebar file: the top). */
export function writtenMarkingOf(yaml: YamlSource, level: string | undefined, caveats: readonly string[] | undefined, at: readonly PathSegment[] = []): WrittenMarking | undefined {
  if (level === undefined && caveats === undefined) return undefined;
  const raw = valueAt(yaml.value, [...at, 'caveats']);
  return {
    ...(level !== undefined ? { level } : {}),
    caveats: [...(caveats ?? [])],
    levelAt: yaml.positionOf([...at, level !== undefined ? 'level' : 'caveats']),
    caveatsAt: (caveats ?? []).map((_, i) => yaml.positionOf(Array.isArray(raw) ? [...at, 'caveats', i] : [...at, 'caveats'])),
  };
}

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
