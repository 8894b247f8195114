/**
 * Artifacts of an earlier build that a build of editions leaves behind: the folder is what a
 * release publishes, and a restricted edition's PDF beside a public one (or the whole pack's,
 * built before) is the leak editions exist to prevent. What the last manifest.json listed and
 * this build does not write is removed with the write, all or nothing (write/output.ts), when
 * either build made editions; builds without editions keep what they always did.
 */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** An artifact's name as briefpack writes it: a plain file name, never a path. */
const ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(pdf|epub|html)$/;

export function staleArtifacts(outDir: string, written: readonly string[], editions: boolean): string[] {
  let listed: { editions?: unknown; artifacts?: Array<{ path?: unknown }> };
  try {
    listed = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as typeof listed;
  } catch {
    return [];
  }
  if (!editions && !Array.isArray(listed.editions)) return [];
  const keep = new Set(written);
  const names = Array.isArray(listed.artifacts) ? listed.artifacts.map((a) => a?.path) : [];
  return names.filter((name): name is string => {
    if (typeof name !== 'string' || !ARTIFACT_NAME.test(name) || keep.has(name)) return false;
    try {
      return lstatSync(path.join(outDir, name)).isFile();
    } catch {
      return false;
    }
  });
}
