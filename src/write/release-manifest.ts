/** `manifest.json`: what a release needs to be checked: every artifact's hash and what built it. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Artifact, Pack } from '../model.js';
import { VERSION } from '../version.js';

/**
 * A hash over every input file (path and the SHA-256 of its bytes), in a stable order: the
 * bytes as this build read them (pack.inputs: texts, template files, images), not as the files
 * hold them by the time the manifest is written. A build of several editions read the same
 * texts for all of them, and the images each carries.
 */
export function inputsHash(packs: readonly Pack[]): string {
  const root = packs[0]!.manifest.root;
  const digests = new Map<string, string>();
  for (const pack of packs) for (const [file, sha256] of pack.inputs ?? []) digests.set(file, sha256);
  const hash = createHash('sha256');
  const entries = [...digests].map(([file, sha256]) => [path.relative(root, file).split(path.sep).join('/'), sha256] as const);
  for (const [name, sha256] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(name).update('\0').update(sha256).update('\0');
  return hash.digest('hex');
}

/**
 * Every artifact with its size and SHA-256, and, for a build of editions, which edition each is
 * of and the marking it carries, with the editions listed: what a release attaches, each edition
 * with its own checksums. `editions`: each edition built, with its artifacts.
 */
export function releaseManifest(editions: ReadonlyArray<{ pack: Pack; artifacts: readonly Artifact[] }>, chromium: string | undefined): string {
  const { manifest } = editions[0]!.pack;
  const named = editions.filter((e) => e.pack.manifest.builtEdition);
  const body = {
    pack: { title: manifest.title, edition: manifest.edition ?? null, date: manifest.date },
    ...(named.length
      ? {
          editions: named.map(({ pack }) => ({
            name: pack.manifest.builtEdition!.name,
            title: pack.manifest.builtEdition!.title,
            marking: pack.manifest.classification ?? null,
          })),
        }
      : {}),
    artifacts: editions.flatMap((e) =>
      e.artifacts.map((a) => ({
        path: path.basename(a.path),
        format: a.format,
        ...(a.edition ? { edition: a.edition } : {}),
        ...(a.marking !== undefined ? { marking: a.marking } : {}),
        bytes: a.bytes,
        sha256: a.sha256,
        ...(a.pages ? { pages: a.pages } : {}),
      })),
    ),
    build: { briefpack: VERSION, chromium: chromium ?? null, inputsSha256: inputsHash(editions.map((e) => e.pack)) },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
