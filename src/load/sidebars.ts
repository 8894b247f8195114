import path from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import { listFiles } from '../io.js';
import type { Sidebar } from '../model.js';
import { parseWithSchema } from '../schema/report.js';
import { sidebarKinds, sidebarSchemas, type SidebarKind } from '../schema/sidebars.js';
import { readSourceText } from './text.js';
import { parseYaml } from './yaml.js';

export const SIDEBAR_DIR = 'sidebars';

/** Every sidebar file in `sidebars/` (YAML or JSON), validated against its kind's schema. */
export async function loadSidebars(root: string, diagnostics: Diagnostics): Promise<Map<string, Sidebar>> {
  const files = await listFiles(path.join(root, SIDEBAR_DIR), ['.yaml', '.yml', '.json']);
  const loaded = await Promise.all(files.map((file) => loadSidebar(file, diagnostics)));
  const byId = new Map<string, Sidebar>();
  for (const sidebar of loaded) {
    if (!sidebar) continue;
    const first = byId.get(sidebar.id);
    if (first) {
      diagnostics.error('sidebar/duplicate-id', `sidebar id "${sidebar.id}" is already used by ${first.file}`, {
        file: sidebar.file,
        position: sidebar.position,
      });
      continue;
    }
    byId.set(sidebar.id, sidebar);
  }
  return byId;
}

export async function loadSidebar(file: string, diagnostics: Diagnostics): Promise<Sidebar | undefined> {
  const source = await readSourceText(file, diagnostics);
  if (!source) return undefined;
  const yaml = parseYaml(source.text, source.display, diagnostics);
  if (!yaml) return undefined;
  const at = { file: source.display, position: { line: 1, column: 1 } };
  if (yaml.empty) {
    diagnostics.error('file/empty', 'the sidebar file is empty; it needs at least title, kind and its items', at);
    return undefined;
  }
  const value = yaml.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    diagnostics.error('sidebar/type', 'a sidebar file must be a mapping of fields (title, kind, ...)', at);
    return undefined;
  }
  const kind = (value as { kind?: unknown }).kind;
  if (kind === undefined) {
    diagnostics.error('sidebar/required', 'kind is required', { ...at, hint: `One of: ${sidebarKinds.join(', ')}.` });
    return undefined;
  }
  if (typeof kind !== 'string' || !(kind in sidebarSchemas)) {
    diagnostics.error('sidebar/unknown-kind', `unknown sidebar kind ${JSON.stringify(kind)}`, {
      file: source.display,
      position: yaml.positionOf(['kind']),
      hint: `Use one of: ${sidebarKinds.join(', ')}.`,
    });
    return undefined;
  }
  const data = parseWithSchema(sidebarSchemas[kind as SidebarKind], yaml, source.display, diagnostics, {
    required: 'sidebar/required',
    type: 'sidebar/type',
    unknown: 'sidebar/unknown-field',
  });
  if (!data) return undefined;
  const id = data.id ?? path.basename(file, path.extname(file));
  const position = yaml.positionOf(data.id ? ['id'] : ['kind']);
  return { ...data, id, file: source.display, position } as Sidebar;
}
