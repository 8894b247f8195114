/** `manifest.json`: what a release needs to be checked: every artifact's hash and what built it. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Artifact, Pack } from '../model.js';
import { VERSION } from '../version.js';

/**
 * A hash over every input file (path and the SHA-256 of its bytes), in a stable order: the
 * bytes as this build read them (pack.inputs: texts, template files, images), not as the files
 * hold them by the time the manifest is written.
 */
export function inputsHash(pack: Pack): string {
  const root = pack.manifest.root;
  const digests = pack.inputs ?? new Map<string, string>();
  const hash = createHash('sha256');
  const entries = [...digests].map(([file, sha256]) => [path.relative(root, file).split(path.sep).join('/'), sha256] as const);
  for (const [name, sha256] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(name).update('\0').update(sha256).update('\0');
  return hash.digest('hex');
}

export function releaseManifest(pack: Pack, artifacts: readonly Artifact[], chromium: string | undefined): string {
  const body = {
    pack: { title: pack.manifest.title, edition: pack.manifest.edition ?? null, date: pack.manifest.date },
    artifacts: artifacts.map((a) => ({
      path: path.basename(a.path),
      format: a.format,
      bytes: a.bytes,
      sha256: a.sha256,
      ...(a.pages ? { pages: a.pages } : {}),
    })),
    build: { briefpack: VERSION, chromium: chromium ?? null, inputsSha256: inputsHash(pack) },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
