/** `manifest.json`: what a release needs to be checked: every artifact's hash and what built it. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Artifact, Pack } from '../model.js';
import { VERSION } from '../version.js';

/** A hash over every input file (path and bytes), in a stable order. */
export function inputsHash(pack: Pack): string {
  const root = pack.manifest.root;
  const files = [
    path.join(root, 'pack.yaml'),
    ...pack.chapters.map((c) => c.article.path),
    ...[...pack.sidebars.values()].map((s) => path.resolve(s.file)),
    ...pack.chapters.flatMap((c) => c.images.map((i) => path.join(root, i))),
  ];
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    hash.update(path.relative(root, file).split(path.sep).join('/')).update('\0').update(readFileSync(file)).update('\0');
  }
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
