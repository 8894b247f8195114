/**
 * The build cache, in `<out>/.briefpack-cache/`: results that are expensive to recompute and
 * cheap to check. Entries are keyed by content hashes; a stale or corrupt entry is ignored,
 * never trusted, so the output is always the same as a clean build's.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CACHE_DIR = '.briefpack-cache';

export function contentKey(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 32);
}

/**
 * Entries named with these prefixes are kept for the latest build only: printed parts are
 * megabytes each, and articles, chapters and sidebars are one per file, so they would pile up with
 * every edit. (Layouts and covers are small and stay for every paper and duplex setting.)
 */
const LATEST_ONLY = ['part-', 'folios-', 'article-', 'chapter-', 'sidebar-', 'epub-chapter-', 'web-chapter-', 'print-chapter-', 'overflow-'];

export class BuildCache {
  private readonly dir: string;
  private readonly pending = new Map<string, Uint8Array | string>();
  /** Entries this build read successfully: they stay when the cache is pruned. */
  private readonly used = new Set<string>();

  constructor(outDir: string, readonly enabled = true) {
    this.dir = path.join(outDir, CACHE_DIR);
  }

  read(name: string): Buffer | undefined {
    if (!this.enabled) return undefined;
    try {
      const data = readFileSync(path.join(this.dir, name));
      this.used.add(name);
      return data;
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

  /** A text entry, or, when the cache lacks it, what `make` gives, kept for the next build. */
  text(name: string, make: () => string): string {
    const kept = this.read(name);
    if (kept) return kept.toString('utf8');
    const made = make();
    this.write(name, made);
    return made;
  }

  /** Whether an entry is there, without reading it (nor keeping it from the pruning). */
  has(name: string): boolean {
    return this.enabled && existsSync(path.join(this.dir, name));
  }

  /** Whether an entry is there, keeping it from the pruning: this build may read it later, or not at all. */
  keep(name: string): boolean {
    if (!this.has(name)) return false;
    this.used.add(name);
    return true;
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
   * Entries of a latest-only family that this build neither read nor wrote are dropped, but only
   * for the families it used: an EPUB-only build keeps the printed parts of the last PDF build.
   */
  private prune(): void {
    const kept = new Set([...this.pending.keys(), ...this.used]);
    const families = LATEST_ONLY.filter((prefix) => [...kept].some((name) => name.startsWith(prefix)));
    if (families.length === 0) return;
    try {
      for (const name of readdirSync(this.dir)) {
        if (families.some((prefix) => name.startsWith(prefix)) && !kept.has(name)) rmSync(path.join(this.dir, name), { force: true });
      }
    } catch {
      // No cache folder yet, or one we cannot tidy: only disk space is at stake.
    }
  }
}
