import path from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import type { Manifest } from '../model.js';
import { manifestSchema } from '../schema/manifest.js';
import { parseWithSchema } from '../schema/report.js';
import { slugify } from '../compose/slug.js';
import { SIZE_LIMITS } from './pack-file.js';
import { readSourceText, type SourceText } from './text.js';
import { parseYaml } from './yaml.js';
import { markingSchemeOf } from './marking-scheme.js';

export const MANIFEST_FILE = 'pack.yaml';

/** Read and validate `pack.yaml` from a pack folder. */
/** `sources` receives the file as read. */
export async function loadManifest(root: string, diagnostics: Diagnostics, sources?: SourceText[]): Promise<Manifest | undefined> {
  const file = path.join(root, MANIFEST_FILE);
  const source = readSourceText(root, file, diagnostics, SIZE_LIMITS.manifest, undefined, (problem) => ({
    ...problem,
    rule: 'manifest/missing',
    message: `no ${MANIFEST_FILE} in the pack folder`,
  }));
  if (!source) return undefined;
  sources?.push(source);
  const yaml = parseYaml(source.text, source.display, diagnostics);
  if (!yaml) return undefined;
  if (yaml.empty) {
    diagnostics.error('file/empty', `${MANIFEST_FILE} is empty`, { file: source.display, position: { line: 1, column: 1 } });
    return undefined;
  }
  const data = parseWithSchema(manifestSchema, yaml, source.display, diagnostics, {
    required: 'manifest/invalid',
    type: 'manifest/invalid',
    unknown: 'manifest/invalid',
  });
  if (!data) return undefined;
  const marked = markingSchemeOf(data, yaml, source.display, diagnostics);
  if (!marked) return undefined;
  return {
    ...data,
    slug: slugify(data.title) || 'pack',
    root,
    file: source.display,
    articlePositions: data.articles.map((_, i) => yaml.positionOf(['articles', i])),
    markings: marked.scheme,
    editions: marked.editions,
  };
}
