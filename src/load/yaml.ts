/**
 * YAML with positions. Schema problems are reported at the YAML node they concern (not a
 * guessed line), so this module parses with `yaml`'s document API and keeps a LineCounter.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostics, Position, RuleId } from '../diagnostics.js';

export type PathSegment = string | number;

export interface YamlSource {
  value: unknown;
  /** Position of the node at `path`; for a missing key, the position of the nearest parent. */
  positionOf(path: readonly PathSegment[], which?: 'value' | 'key'): Position;
  /** True when the document holds nothing (empty or only comments). */
  empty: boolean;
}

/**
 * Parse YAML text. `lineOffset` shifts positions for YAML embedded in another file
 * (front matter starts on line 2 of an article). Syntax errors are reported and yield undefined.
 */
export function parseYaml(
  text: string,
  file: string,
  diagnostics: Diagnostics,
  options: { lineOffset?: number; syntaxRule?: RuleId } = {},
): YamlSource | undefined {
  const lineOffset = options.lineOffset ?? 0;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      let offset = error.pos[0];
      let message = yamlMessage(error.message);
      let rule: RuleId = options.syntaxRule ?? 'yaml/syntax';
      if (error.code === 'DUPLICATE_KEY') {
        const key = /^[^:\n]*/.exec(text.slice(offset))?.[0].trim() ?? '';
        message = `the key "${key.replace(/^["']|["']$/g, '')}" appears twice in the same mapping`;
        rule = 'yaml/duplicate-key';
      } else if (error.code === 'MISSING_CHAR' && /closing (["'])?quote/.test(error.message)) {
        // yaml reports the end of the file; the useful place is the opening quote.
        const quote = error.message.includes('"quote') ? '"' : "'";
        const opening = text.lastIndexOf(quote, offset - 1);
        if (opening >= 0) offset = opening;
        message = `YAML syntax: this ${quote === '"' ? 'double' : 'single'}-quoted text is never closed`;
      }
      diagnostics.error(rule, message, { file, position: toPosition(offset) });
    }
    return undefined;
  }
  return {
    value: doc.toJS({ maxAliasCount: 100 }),
    empty: doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null),
    positionOf(path, which = 'value') {
      return toPosition(offsetOf(doc, path, which));
    },
  };
}

function yamlMessage(message: string): string {
  // The yaml package appends a code frame and position; we print our own position.
  const first = message.split('\n')[0] ?? message;
  return `YAML syntax: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}

function offsetOf(doc: Document, path: readonly PathSegment[], which: 'value' | 'key'): number {
  let node: Node | null | undefined = doc.contents as Node | null;
  let best = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return best;
      const key = pair.key as Node;
      if (last && which === 'key') return key.range?.[0] ?? best;
      node = pair.value as Node | null;
      // A key with no value (`role:`) has no value range: point at the key.
      best = node?.range?.[0] ?? key.range?.[0] ?? best;
      if (!node) return key.range?.[0] ?? best;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return best;
      node = item;
      best = item.range?.[0] ?? best;
    } else {
      return best;
    }
  }
  return best;
}
