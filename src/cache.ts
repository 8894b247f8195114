/**
 * The build cache, in `<out>/.briefpack-cache/`: results that are expensive to recompute and
 * cheap to check. Entries are keyed by content hashes; a stale or corrupt entry is ignored,
 * never trusted, so the output is always the same as a clean build's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CACHE_DIR = '.briefpack-cache';

export function contentKey(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 32);
}

export class BuildCache {
  private readonly dir: string;
  private readonly pending = new Map<string, Uint8Array | string>();

  constructor(outDir: string, readonly enabled = true) {
    this.dir = path.join(outDir, CACHE_DIR);
  }

  read(name: string): Buffer | undefined {
    if (!this.enabled) return undefined;
    try {
      return readFileSync(path.join(this.dir, name));
    } catch {
      return undefined;
    }
  }

  readJson<T>(name: string): T | undefined {
    const data = this.read(name);
    if (!data) return undefined;
    try {
      return JSON.parse(data.toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Kept in memory until flush(): a build that fails leaves the output folder untouched. */
  write(name: string, data: Uint8Array | string): void {
    if (this.enabled) this.pending.set(name, data);
  }

  /** Best effort: a cache that cannot be written only makes the next build slower. */
  flush(): void {
    this.prune();
    for (const [name, data] of this.pending) {
      try {
        mkdirSync(this.dir, { recursive: true });
        const file = path.join(this.dir, name);
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, data);
        renameSync(temp, file);
      } catch {
        // Ignored on purpose; see above.
      }
    }
    this.pending.clear();
  }

  /**
   * Printed parts are megabytes each: only those of the latest build stay. (Layouts and covers
   * are small and stay for every paper and duplex setting.)
   */
  private prune(): void {
    if (![...this.pending.keys()].some((name) => name.startsWith('part-'))) return;
    try {
      for (const name of readdirSync(this.dir)) {
        if (name.startsWith('part-') && !this.pending.has(name)) rmSync(path.join(this.dir, name), { force: true });
      }
    } catch {
      // No cache folder yet, or one we cannot tidy: only disk space is at stake.
    }
  }
}
