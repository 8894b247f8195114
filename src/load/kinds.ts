/**
 * Custom sidebar kinds declared by a pack, without touching briefpack's code:
 *   kinds/<name>/schema.json    JSON Schema for the sidebar's own fields
 *   kinds/<name>/template.html  the fragment that renders them (see compose/fragment.ts)
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { Root } from 'hast';
import type { Diagnostics } from '../diagnostics.js';
import { parseFragment } from '../compose/fragment.js';
import { sidebarKinds } from '../schema/sidebars.js';
import { readSourceText } from './text.js';
import { parseYaml } from './yaml.js';

export interface CustomKind {
  name: string;
  validate: ValidateFunction;
  template: Root;
}

export const KINDS_DIR = 'kinds';

export async function loadCustomKinds(root: string, diagnostics: Diagnostics): Promise<Map<string, CustomKind>> {
  const dir = path.join(root, KINDS_DIR);
  const kinds = new Map<string, CustomKind>();
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => statSync(path.join(dir, n)).isDirectory())
      .sort();
  } catch {
    return kinds;
  }
  // Loaded only for a pack with kinds of its own (it took 10 ms of every build's start-up), from
  // node_modules as it is: the bundler's interop lost the class once the bundle was split.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const name of names) {
    const schemaFile = path.join(dir, name, 'schema.json');
    const templateFile = path.join(dir, name, 'template.html');
    if ((sidebarKinds as readonly string[]).includes(name)) {
      diagnostics.error('sidebar/unknown-kind', `a custom kind may not reuse the built-in name "${name}"`, { file: path.join(KINDS_DIR, name) });
      continue;
    }
    const schemaSource = await readSourceText(schemaFile, diagnostics);
    const templateSource = await readSourceText(templateFile, diagnostics);
    if (!schemaSource || !templateSource) continue;
    const schemaYaml = parseYaml(schemaSource.text, schemaSource.display, diagnostics);
    if (!schemaYaml) continue;
    try {
      const validate = ajv.compile(schemaYaml.value as object);
      kinds.set(name, { name, validate, template: parseFragment(templateSource.text) });
    } catch (error) {
      diagnostics.error('sidebar/type', `not a usable JSON Schema: ${(error as Error).message}`, {
        file: schemaSource.display,
        position: { line: 1, column: 1 },
      });
    }
  }
  return kinds;
}
