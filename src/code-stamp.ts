/**
 * A fingerprint of the code that is running, for cache keys of results that depend on it (parsed
 * articles, transformed chapters): a changed briefpack, even without a new version number, must
 * not be served results an older one computed. It covers briefpack's own modules (or the one
 * bundle) and the lock file that pins its dependencies.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentKey } from './cache.js';
import { PACKAGE_ROOT } from './package-root.js';
import { VERSION } from './version.js';

let stamp: string | undefined;

export function codeStamp(): string {
  stamp ??= computeStamp();
  return stamp;
}

function computeStamp(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const files = [...codeFiles(here), path.join(PACKAGE_ROOT, 'package-lock.json')];
  // Sizes and modification times, not contents: reading a few megabytes of code on every build
  // would cost more than the cache saves on a small pack.
  const stats = files.map((file) => {
    try {
      const s = statSync(file);
      return `${path.relative(PACKAGE_ROOT, file)} ${s.size} ${s.mtimeMs}`;
    } catch {
      return `${file} -`;
    }
  });
  return contentKey(VERSION, ...stats);
}

function codeFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const f of codeFiles(full)) found.push(f);
    else if (/\.(m?js|ts)$/.test(entry.name)) found.push(full);
  }
  return found;
}
