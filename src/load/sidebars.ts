import path from 'node:path';
import { contentKey, type BuildCache } from '../cache.js';
import { codeStamp } from '../code-stamp.js';
import { Diagnostics, type Diagnostic } from '../diagnostics.js';
import type { Deadline } from '../deadline.js';
import { displayPath, listFiles } from '../io.js';
import type { Sidebar } from '../model.js';
import { formatPath, parseWithSchema } from '../schema/report.js';
import { sidebarKinds, sidebarSchemas, type SidebarKind } from '../schema/sidebars.js';
import { z } from 'zod';
import { FAILED_KIND, loadCustomKinds, type CustomKind } from './kinds.js';
import { packFolder, SIZE_LIMITS } from './pack-file.js';
import { readSourceText, type SourceText } from './text.js';
import { parseYaml, type PathSegment, type YamlSource } from './yaml.js';
import { unmarkedOf, UNMARKED_SCHEME, type MarkingScheme } from '../marking/scheme.js';
import { resolveMarking } from '../marking/written.js';
import { writtenMarkingOf } from './written-marking.js';

export const SIDEBAR_DIR = 'sidebars';

export interface SidebarLoading {
  /** `--timeout`: validating a sidebar runs the pack's own schemas. */
  deadline?: Deadline;
  /** Receive every sidebar file, and every custom kind's file, as read (for the glyph check and manifest.json's hash of the inputs). */
  sources?: SourceText[];
  kindSources?: SourceText[];
  /** The pack's marking scheme, which each sidebar's marking is checked against. */
  scheme?: MarkingScheme;
}

/**
 * Every sidebar file in `sidebars/` (YAML or JSON), validated against its kind's schema.
 * `failed` receives the ids (file names) of sidebar files that did not load, so that placements
 * of them are not reported a second time as unknown ids.
 */
export async function loadSidebars(
  root: string,
  diagnostics: Diagnostics,
  failed: Set<string> = new Set(),
  cache?: BuildCache,
  options: SidebarLoading = {},
): Promise<Map<string, Sidebar>> {
  const folder = packFolder(root, SIDEBAR_DIR);
  if (folder && 'outside' in folder) {
    diagnostics.error('file/outside-pack', `${SIDEBAR_DIR} is a link to a folder outside the pack folder`, { file: displayPath(path.join(root, SIDEBAR_DIR)) });
    return new Map();
  }
  // Listed where the folder really is, read by the names the pack gives them.
  const files = folder ? (await listFiles(folder.real, ['.yaml', '.yml', '.json'])).map((f) => path.join(root, SIDEBAR_DIR, path.basename(f))) : [];
  const kinds = await loadCustomKinds(root, diagnostics, { deadline: options.deadline, sources: options.kindSources });
  const loaded = files.map((file) => {
    const sidebar = loadSidebar(root, file, diagnostics, kinds, cache, options);
    return sidebar && markedSidebar(sidebar, options.scheme ?? UNMARKED_SCHEME, diagnostics);
  });
  const byId = new Map<string, Sidebar>();
  for (const [i, sidebar] of loaded.entries()) {
    if (!sidebar) {
      failed.add(path.basename(files[i]!, path.extname(files[i]!)));
      continue;
    }
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

/** The sidebar with its marking checked against the scheme (each problem reported at its name); undefined if it has one. */
function markedSidebar(sidebar: Sidebar, scheme: MarkingScheme, diagnostics: Diagnostics): Sidebar | undefined {
  if (!sidebar.written) return { ...sidebar, marking: unmarkedOf(scheme) };
  const marking = resolveMarking(sidebar.written, scheme, scheme.unmarked, sidebar.file, diagnostics);
  return marking && { ...sidebar, marking };
}

/** A sidebar of a built-in kind as the build cache keeps it: YAML and schema checks cost more than reading this. */
interface SidebarRecord {
  sidebar: Sidebar;
  diagnostics: Diagnostic[];
}

/** One sidebar file of the pack in `root`. */
export function loadSidebar(
  root: string,
  file: string,
  diagnostics: Diagnostics,
  kinds: ReadonlyMap<string, CustomKind | typeof FAILED_KIND> = new Map(),
  cache?: BuildCache,
  options: SidebarLoading = {},
): Sidebar | undefined {
  const source = readSourceText(root, file, diagnostics, SIZE_LIMITS.sidebar);
  if (!source) return undefined;
  options.sources?.push(source);
  // Custom kinds are checked by code the pack supplies (kinds/): those are read afresh every time.
  const name = kinds.size === 0 ? `sidebar-${contentKey(codeStamp(), 'sidebar', file, source.display, source.text)}.json` : undefined;
  const cached = name ? cache?.readJson<SidebarRecord>(name) : undefined;
  if (cached) {
    diagnostics.addAll(cached.diagnostics);
    return cached.sidebar;
  }
  const reported = new Diagnostics();
  const check = () => sidebarFrom(source, file, reported, kinds);
  const sidebar = options.deadline ? options.deadline.run(`checking ${source.display}`, check, source.display) : check();
  diagnostics.addAll(reported.list);
  if (sidebar && name) cache?.write(name, JSON.stringify({ sidebar, diagnostics: reported.list } satisfies SidebarRecord));
  return sidebar;
}

function sidebarFrom(source: SourceText, file: string, diagnostics: Diagnostics, kinds: ReadonlyMap<string, CustomKind | typeof FAILED_KIND>): Sidebar | undefined {
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
  const custom = typeof kind === 'string' ? kinds.get(kind) : undefined;
  if (custom === FAILED_KIND) return undefined;
  if (custom) return loadCustomSidebar(file, source.display, yaml, custom, diagnostics);
  if (typeof kind !== 'string' || !(kind in sidebarSchemas)) {
    diagnostics.error('sidebar/unknown-kind', `unknown sidebar kind ${JSON.stringify(kind)}`, {
      file: source.display,
      position: yaml.positionOf(['kind']),
      hint: `Use one of: ${[...sidebarKinds, ...kinds.keys()].join(', ')}; or declare it in kinds/.`,
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
  const written = writtenMarkingOf(yaml, data.level, data.caveats);
  // Its marking is checked against the pack's scheme once it is out of the cache (markedSidebar).
  return { ...data, id, file: source.display, position, ...(written ? { written } : {}), marking: { level: 0, caveats: [] } } as Sidebar;
}

const customCommon = z.looseObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'must be lower-case letters, digits and hyphens' }).optional(),
  title: z.string().trim().min(1),
  kind: z.string(),
  note: z.string().trim().min(1).optional(),
  level: z.string().trim().min(1).optional(),
  caveats: z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)], { error: 'must be a text or a list of texts' }).optional(),
});

/** A sidebar of a pack-declared kind: common fields by zod, its own fields by the kind's JSON Schema. */
function loadCustomSidebar(file: string, display: string, yaml: YamlSource, kind: CustomKind, diagnostics: Diagnostics): Sidebar | undefined {
  const rules = { required: 'sidebar/required', type: 'sidebar/type', unknown: 'sidebar/unknown-field' } as const;
  const common = parseWithSchema(customCommon, yaml, display, diagnostics, rules);
  const { id: _id, title: _title, kind: _kind, note: _note, level: _level, caveats: _caveats, ...data } = yaml.value as Record<string, unknown>;
  const valid = kind.validate(data);
  for (const error of valid ? [] : (kind.validate.errors ?? [])) {
    const fieldPath: PathSegment[] = error.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const shown = formatPath(fieldPath);
    const at = (p: PathSegment[], which: 'value' | 'key' = 'value') => ({ file: display, position: yaml.positionOf(p, which) });
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required') {
      diagnostics.error(rules.required, `${formatPath([...fieldPath, String(params.missingProperty)])} is required`, at(fieldPath));
    } else if (error.keyword === 'additionalProperties') {
      const key = String(params.additionalProperty);
      diagnostics.error(rules.unknown, `${formatPath([...fieldPath, key])} is not a known field`, at([...fieldPath, key], 'key'));
    } else if (error.keyword === 'type') {
      diagnostics.error(rules.type, `${shown} must be ${String(params.type)}`, at(fieldPath));
    } else if (error.keyword === 'enum') {
      diagnostics.error(rules.type, `${shown} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, at(fieldPath));
    } else {
      diagnostics.error(rules.type, `${shown} ${error.message ?? 'is not valid'}`, at(fieldPath));
    }
  }
  if (!common || !valid) return undefined;
  const id = common.id ?? path.basename(file, path.extname(file));
  const written = writtenMarkingOf(yaml, common.level, common.caveats === undefined ? undefined : [common.caveats].flat());
  return {
    ...(written ? { written } : {}),
    marking: { level: 0, caveats: [] },
    kind: kind.name,
    title: common.title,
    note: common.note,
    custom: kind,
    data,
    id,
    file: display,
    position: yaml.positionOf(common.id ? ['id'] : ['kind']),
  };
}
