/**
 * Turns zod issues into positioned diagnostics: each issue points at the YAML node it is about
 * (the key for an unknown field, the parent item for a missing one, the value otherwise).
 */
import type { z } from 'zod';
import type { Diagnostics, RuleId } from '../diagnostics.js';
import type { PathSegment, YamlSource } from '../load/yaml.js';

export interface SchemaRules {
  required: RuleId;
  type: RuleId;
  unknown: RuleId;
}

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out ? `.${segment}` : segment;
  }
  return out || 'the document';
}

export function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

const expectedNames: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of fields',
};

type Issue = z.core.$ZodIssue;

export function parseWithSchema<T extends z.ZodType>(
  schema: T,
  source: YamlSource,
  file: string,
  diagnostics: Diagnostics,
  rules: SchemaRules,
): z.infer<T> | undefined {
  const result = schema.safeParse(source.value, { reportInput: true });
  if (result.success) return result.data;
  reportIssues(result.error.issues, [], { source, file, diagnostics, rules });
  return undefined;
}

interface ReportContext {
  source: YamlSource;
  file: string;
  diagnostics: Diagnostics;
  rules: SchemaRules;
}

function reportIssues(issues: readonly Issue[], base: readonly PathSegment[], context: ReportContext): void {
  const { source, file, diagnostics, rules } = context;
  for (const issue of issues) {
    const path = [...base, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    const shown = formatPath(path);
    const at = (p: readonly PathSegment[], which: 'value' | 'key' = 'value') => ({ file, position: source.positionOf(p, which) });
    switch (issue.code) {
      case 'invalid_type': {
        if (issue.input === undefined) {
          diagnostics.error(rules.required, `${shown} is required`, at(path));
        } else {
          const expected = expectedNames[issue.expected] ?? issue.expected;
          diagnostics.error(rules.type, `${shown} must be ${expected}, not ${describeValue(issue.input)}`, at(path));
        }
        break;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          diagnostics.error(rules.unknown, `${formatPath([...path, key])} is not a known field`, at([...path, key], 'key'));
        }
        break;
      case 'invalid_value':
        diagnostics.error(
          rules.type,
          `${shown} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${describeValue(issue.input)}`,
          at(path),
        );
        break;
      case 'too_small':
        diagnostics.error(
          rules.type,
          issue.origin === 'array'
            ? `${shown} needs at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`
            : issue.origin === 'string'
              ? `${shown} must not be empty`
              : `${shown} must be at least ${String(issue.minimum)}`,
          at(path),
        );
        break;
      case 'too_big':
        diagnostics.error(
          rules.type,
          issue.origin === 'array' ? `${shown} may have at most ${String(issue.maximum)} items` : `${shown} is too large`,
          at(path),
        );
        break;
      case 'invalid_union': {
        // When the value has the shape of exactly one alternative (e.g. a mapping), that
        // alternative's problems are the useful ones; otherwise say what shapes are accepted.
        const matching = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
        if (issue.input !== undefined && matching.length === 1) reportIssues(matching[0]!, path, context);
        else if (issue.input === undefined) diagnostics.error(rules.required, `${shown} is required`, at(path));
        else diagnostics.error(rules.type, `${shown} ${issue.message}`, at(path));
        break;
      }
      default: {
        const params = (issue as { params?: { rule?: RuleId } }).params;
        const message = issue.message.startsWith('Invalid') ? `${shown} is not valid` : `${shown} ${issue.message}`;
        diagnostics.error(params?.rule ?? rules.type, message, at(path));
      }
    }
  }
}
