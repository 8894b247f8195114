/**
 * The folder briefpack is installed in (package.json, templates/, scaffold/), found by walking up
 * from this module: the same answer from the compiled modules in dist/ and from the CLI bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'briefpack') return dir;
      } catch {
        // Not ours (or unreadable): keep looking further up.
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`briefpack cannot find its own package folder above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
