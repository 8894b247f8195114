/**
 * YAML with positions. Schema problems are reported at the YAML node they concern (not a
 * guessed line), so this module parses with `yaml`'s document API and keeps a LineCounter.
 */
import { Composer, isMap, isPair, isScalar, isSeq, LineCounter, Parser, visit, type CST, type Document, type Node } from 'yaml';
import type { Diagnostics, Position, RuleId } from '../diagnostics.js';
import { MAX_DATA_DEPTH } from './nesting.js';

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
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };
  // The syntax tree is made without recursion; composing it recurses as deep as it nests, and a
  // few thousand levels overflowed the stack or ran V8's regular expression compiler out of memory.
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const deep = deepToken(tokens);
  if (deep !== undefined) {
    diagnostics.error('yaml/nesting', `YAML nested more than ${MAX_DATA_DEPTH} levels deep`, {
      file,
      position: toPosition(deep),
      hint: 'Nothing a pack needs nests this deep: flatten the data.',
    });
    return undefined;
  }
  let doc: Document.Parsed | undefined;
  for (const composed of new Composer({ prettyErrors: false, uniqueKeys: true, strict: true }).compose(tokens, true, text.length)) {
    if (!doc) doc = composed;
    else {
      diagnostics.error(options.syntaxRule ?? 'yaml/syntax', 'YAML syntax: the file holds more than one document (a second ---)', {
        file,
        position: toPosition(composed.range[0]),
      });
      return undefined;
    }
  }
  if (!doc) return undefined;
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
  const value = expandedValue(doc, text.length);
  if ('alias' in value) {
    diagnostics.error('yaml/alias', `YAML aliases (*name) repeat their anchors too often: ${value.why}`, {
      file,
      position: toPosition(value.alias),
      hint: 'Write the data out, or repeat it less: aliases may not make a file many times larger than it is.',
    });
    return undefined;
  }
  const parsed = doc;
  return {
    value: value.value,
    empty: parsed.contents === null || (isScalar(parsed.contents) && parsed.contents.value === null),
    positionOf(path, which = 'value') {
      return toPosition(offsetOf(parsed, path, which));
    },
  };
}

/** The offset of the first syntax node deeper than MAX_DATA_DEPTH, if any, found without recursion. */
function deepToken(tokens: readonly CST.Token[]): number | undefined {
  const stack: Array<[CST.Token, number]> = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (depth > MAX_DATA_DEPTH) return token.offset;
    const children: CST.Token[] = [];
    if (token.type === 'document' && token.value) children.push(token.value);
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of token.items as Array<{ key?: CST.Token | null; value?: CST.Token }>) {
        if (item.key) children.push(item.key);
        if (item.value) children.push(item.value);
      }
    }
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}

/**
 * The document's value, with aliases expanded, unless the aliases make it much larger than the
 * file: a few lines of anchors can stand for gigabytes ("billion laughs"), and 200 kB of them
 * made a 20 MB web page.
 */
function expandedValue(doc: Document.Parsed, textLength: number): { value: unknown } | { alias: number; why: string } {
  let firstAlias: number | undefined;
  visit(doc, {
    Alias(_, node) {
      firstAlias = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  if (firstAlias === undefined) return { value: doc.toJS() };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) return { alias: firstAlias, why: error.message };
    throw error;
  }
  // Shared objects count once per use: that is what every later stage walks and prints.
  const budget = 64 * 1024 + 4 * textLength;
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    size += typeof item === 'string' ? item.length + 1 : 1;
    if (size > budget) return { alias: firstAlias, why: `the file would stand for more than ${budget.toLocaleString('en')} characters of data` };
    if (Array.isArray(item)) for (const child of item) stack.push(child);
    else if (item !== null && typeof item === 'object' && !(item instanceof Date)) for (const child of Object.values(item)) stack.push(child);
  }
  return { value };
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
