/**
 * Custom sidebar kinds declared by a pack, without touching briefpack's code:
 *   kinds/<name>/schema.json    JSON Schema for the sidebar's own fields
 *   kinds/<name>/template.html  the fragment that renders them (see compose/fragment.ts)
 * A kind is the pack's code, run by the build: its files are read like every other pack file,
 * its regular expressions run on a linear-time engine, and nothing in it may make validation
 * asynchronous.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { Root } from 'hast';
import type { Diagnostics } from '../diagnostics.js';
import type { Deadline } from '../deadline.js';
import { parseFragment } from '../compose/fragment.js';
import { displayPath } from '../io.js';
import { sidebarKinds } from '../schema/sidebars.js';
import { packFolder, SIZE_LIMITS } from './pack-file.js';
import { linearRegExp, UnsafePattern } from './linear-regexp.js';
import { readSourceText, type SourceText } from './text.js';
import { parseYaml, type PathSegment, type YamlSource } from './yaml.js';

export interface CustomKind {
  name: string;
  validate: ValidateFunction;
  template: Root;
}

/** A kind the pack declares but that did not load (its problems are reported): its sidebars say nothing more. */
export const FAILED_KIND = Symbol('failed kind');

export const KINDS_DIR = 'kinds';

export async function loadCustomKinds(
  root: string,
  diagnostics: Diagnostics,
  options: { deadline?: Deadline; sources?: SourceText[] } = {},
): Promise<Map<string, CustomKind | typeof FAILED_KIND>> {
  const kinds = new Map<string, CustomKind | typeof FAILED_KIND>();
  const folder = packFolder(root, KINDS_DIR);
  if (!folder) return kinds;
  if ('outside' in folder) {
    diagnostics.error('file/outside-pack', `${KINDS_DIR} is a link to a folder outside the pack folder`, { file: displayPath(path.join(root, KINDS_DIR)) });
    return kinds;
  }
  let names: string[];
  try {
    names = readdirSync(folder.real, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return kinds;
  }
  // Loaded only for a pack with kinds of its own (it took 10 ms of every build's start-up), from
  // node_modules as it is: the bundler's interop lost the class once the bundle was split.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: linearRegExp } });
  const run = <T>(doing: string, work: () => T, file?: string): T => (options.deadline ? options.deadline.run(doing, work, file) : work());
  for (const name of names) {
    const kindDir = path.join(root, KINDS_DIR, name);
    const kindFolder = packFolder(root, kindDir);
    if (kindFolder && 'outside' in kindFolder) {
      diagnostics.error('file/outside-pack', `${path.join(KINDS_DIR, name)} is a link to a folder outside the pack folder`, { file: displayPath(kindDir) });
      continue;
    }
    if (!kindFolder) continue;
    if ((sidebarKinds as readonly string[]).includes(name)) {
      diagnostics.error('sidebar/unknown-kind', `a custom kind may not reuse the built-in name "${name}"`, { file: path.join(KINDS_DIR, name) });
      continue;
    }
    const schemaSource = readSourceText(root, path.join(kindDir, 'schema.json'), diagnostics, SIZE_LIMITS.kindSchema);
    const templateSource = readSourceText(root, path.join(kindDir, 'template.html'), diagnostics, SIZE_LIMITS.kindTemplate);
    if (!schemaSource || !templateSource) {
      kinds.set(name, FAILED_KIND);
      continue;
    }
    options.sources?.push(schemaSource, templateSource);
    const kind = run(
      `reading the custom kind ${name}`,
      () => compileKind(name, schemaSource, templateSource, ajv, diagnostics),
      schemaSource.display,
    );
    kinds.set(name, kind ?? FAILED_KIND);
  }
  return kinds;
}

function compileKind(
  name: string,
  schemaSource: SourceText,
  templateSource: SourceText,
  ajv: import('ajv').default,
  diagnostics: Diagnostics,
): CustomKind | undefined {
  const schemaYaml = parseYaml(schemaSource.text, schemaSource.display, diagnostics);
  if (!schemaYaml) return undefined;
  const at = (p: PathSegment[], which: 'value' | 'key' = 'value') => ({ file: schemaSource.display, position: schemaYaml.positionOf(p, which) });
  const asyncAt = findAsync(schemaYaml);
  if (asyncAt) {
    // An asynchronous schema validates nothing when called as briefpack calls it (it returns a
    // promise), and a rejected promise ended the process.
    diagnostics.error('sidebar/schema', 'a custom kind\'s schema may not be asynchronous ("$async": true)', {
      ...at(asyncAt, 'key'),
      hint: 'Remove "$async": sidebars are checked as they are read, without waiting for anything.',
    });
    return undefined;
  }
  const template = parseFragment(templateSource.text, templateSource.display, diagnostics);
  if (!template) return undefined;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schemaYaml.value as object);
  } catch (error) {
    if (error instanceof UnsafePattern) {
      diagnostics.error('sidebar/schema', error.message, {
        ...at(findPattern(schemaYaml, error.pattern) ?? []),
        hint: 'Patterns run on a linear-time engine (RE2): lookarounds and backreferences are not available; see SECURITY.md.',
      });
      return undefined;
    }
    diagnostics.error('sidebar/schema', `not a usable JSON Schema: ${(error as Error).message}`, { file: schemaSource.display, position: { line: 1, column: 1 } });
    return undefined;
  }
  if ((validate as { $async?: unknown }).$async) {
    diagnostics.error('sidebar/schema', 'a custom kind\'s schema may not be asynchronous ("$async": true)', { file: schemaSource.display, position: { line: 1, column: 1 } });
    return undefined;
  }
  return { name, validate, template };
}

/** Where the schema says "$async": true, at any depth. */
function findAsync(schema: YamlSource): PathSegment[] | undefined {
  return findInSchema(schema.value, (key, value) => key === '$async' && value !== false);
}

/** Where the schema has a "pattern" (or a patternProperties key) equal to `pattern`. */
function findPattern(schema: YamlSource, pattern: string): PathSegment[] | undefined {
  return findInSchema(schema.value, (key, value, parentKey) => (key === 'pattern' && value === pattern) || (parentKey === 'patternProperties' && key === pattern));
}

function findInSchema(value: unknown, match: (key: string, value: unknown, parentKey: string | undefined) => boolean): PathSegment[] | undefined {
  // Without recursion: the YAML reader has bounded the depth, but not the breadth.
  const stack: Array<{ value: unknown; path: PathSegment[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: node, path: at } = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ value: child, path: [...at, i] }));
    } else if (node !== null && typeof node === 'object') {
      const parentKey = at.at(-1);
      for (const [key, child] of Object.entries(node)) {
        if (match(key, child, typeof parentKey === 'string' ? parentKey : undefined)) return [...at, key];
        stack.push({ value: child, path: [...at, key] });
      }
    }
  }
  return undefined;
}
