/**
 * The build cache, in `<out>/.briefpack-cache/`: results that are expensive to recompute and
 * cheap to check. Entries are keyed by content hashes; a stale or corrupt entry is ignored,
 * never trusted, so the output is always the same as a clean build's.
 *
 * The output folder is no safer than the pack (CI restores it from shared storage), so every
 * entry carries a MAC made with a key that is kept outside it (cache-key.ts):
 *
 *   "BPC1"  key id (8 bytes)  HMAC-SHA256 over the entry's name and data (32 bytes)  data
 *
 * An entry made with another key (another machine, another user, an older briefpack) is passed
 * over without a word; one made with this key that fails its check was changed by someone else,
 * and is rebuilt with a warning.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheKey, type CacheKey } from './cache-key.js';
import type { Diagnostics } from './diagnostics.js';
import { displayPath } from './io.js';

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

const MAGIC = Buffer.from('BPC1');
/** Bytes before an entry's data: the magic, the key's id and the HMAC of name and data. */
export const ENTRY_HEADER_BYTES = MAGIC.length + 8 + 32;
const HEADER = ENTRY_HEADER_BYTES;

export class BuildCache {
  private readonly dir: string;
  private readonly pending = new Map<string, Uint8Array | string>();
  /** Entries this build read successfully: they stay when the cache is pruned. */
  private readonly used = new Set<string>();
  private signing: CacheKey | null | undefined;
  private folderRefused = false;

  /** `diagnostics` is told of entries that fail their check, and of a cache that cannot be used. */
  constructor(
    private readonly outDir: string,
    readonly enabled = true,
    private readonly diagnostics?: Diagnostics,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.dir = path.join(outDir, CACHE_DIR);
  }

  /** The key, found on first use; null (after a warning) when there is none to be had. */
  private key(): CacheKey | null {
    if (this.signing !== undefined) return this.signing;
    const found = cacheKey(this.outDir, this.env);
    if (typeof found === 'string') {
      this.diagnostics?.warn('cache/key', `the build cache is not used: there is no safe place for its key (${found})`);
      this.signing = null;
    } else this.signing = found;
    return this.signing;
  }

  /** The cache folder, if it is one (not a link to somewhere else, not a file). */
  private folderUsable(): boolean {
    if (this.folderRefused) return false;
    try {
      const stats = lstatSync(this.dir);
      if (stats.isDirectory()) return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
    this.folderRefused = true;
    this.diagnostics?.warn('cache/rejected', `the build cache ${displayPath(this.dir)} is not a folder (a link or a file): it is not used`, {
      file: displayPath(this.dir),
      hint: 'Remove it; the next build makes a new one.',
    });
    return false;
  }

  /** An entry's data, if it is there and passes its check. */
  private verified(name: string): Buffer | undefined {
    if (!this.enabled || !this.folderUsable()) return undefined;
    const file = path.join(this.dir, name);
    let bytes: Buffer;
    let fd: number;
    try {
      // Not a link, not a FIFO: an entry is a file of the cache folder.
      fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    } catch {
      return undefined;
    }
    try {
      if (!fstatSync(fd).isFile()) return undefined;
      bytes = readFileSync(fd);
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
    if (bytes.length < HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const key = this.key();
    if (!key || !bytes.subarray(MAGIC.length, MAGIC.length + 8).equals(key.id)) return undefined;
    const data = bytes.subarray(HEADER);
    const mac = bytes.subarray(MAGIC.length + 8, HEADER);
    if (!timingSafeEqual(mac, this.mac(key, name, data))) {
      this.diagnostics?.warn('cache/rejected', `cache entry ${name} failed its integrity check (it was changed outside briefpack); it was made again`, {
        file: displayPath(file),
        hint: 'Someone or something wrote into the build cache. The output was made without it; check who can write to the output folder.',
      });
      return undefined;
    }
    return data;
  }

  private mac(key: CacheKey, name: string, data: Uint8Array | string): Buffer {
    return createHmac('sha256', key.key).update(name).update('\0').update(data).digest();
  }

  read(name: string): Buffer | undefined {
    const data = this.verified(name);
    if (data) this.used.add(name);
    return data;
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

  /** Whether a good entry is there, without keeping it from the pruning (checked now, and again when read). */
  has(name: string): boolean {
    return this.verified(name) !== undefined;
  }

  /** Whether a good entry is there, keeping it from the pruning: this build may read it later, or not at all. */
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
    if (!this.enabled || this.pending.size === 0) return;
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch {
      return;
    }
    const key = this.key();
    if (!key || !this.folderUsable()) return;
    this.prune();
    for (const [name, data] of this.pending) {
      const file = path.join(this.dir, name);
      // A name of its own, created afresh: nothing planted under a guessable name is written through.
      const temp = path.join(this.dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        const header = Buffer.concat([MAGIC, key.id, this.mac(key, name, data)]);
        writeFileSync(temp, Buffer.concat([header, typeof data === 'string' ? Buffer.from(data) : data]), { flag: 'wx' });
        renameSync(temp, file);
      } catch {
        rmSync(temp, { force: true });
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
