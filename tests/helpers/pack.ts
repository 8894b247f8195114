/** Small packs written to a temporary folder from an in-memory description. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './cli.js';

export const MINIMAL_MANIFEST = `title: Test Pack
date: 2026-01-15
organisation: Test Unit
articles:
  - one
`;

export const MINIMAL_ARTICLE = `---
title: Article One
---

Some text.

## First section

More text.
`;

export function writePack(files: Record<string, string | Buffer>, dir = tempDir('briefpack-pack-')): string {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

export function minimalPack(extra: Record<string, string | Buffer> = {}): string {
  return writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': MINIMAL_ARTICLE, ...extra });
}
