/**
 * The one way to read a file the pack provides (pack.yaml, articles, sidebars, kinds, templates,
 * images). A pack may come from a pull request, so its files are input that someone else controls:
 *
 * - the path is resolved one component at a time inside the pack folder, links included, and
 *   never looked up outside it: a link that leads out of the pack is an error whether or not its
 *   target exists (so an error message tells nothing about the build machine's files);
 * - only a regular file is opened (a FIFO would block the build for ever, a device such as
 *   /dev/zero would never end), and the open does not follow a link that appeared since;
 * - the file is read once, up to a size limit per kind of file; what was checked is what is used.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, Position } from '../diagnostics.js';
import { displayPath } from '../io.js';

export interface SizeLimit {
  bytes: number;
  /** What the file is, for the message: "an article". */
  what: string;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** The largest file of each kind a pack may have. A 3.5 MB pack is a large one. */
export const SIZE_LIMITS = {
  manifest: { bytes: 1 * MiB, what: 'pack.yaml' },
  article: { bytes: 16 * MiB, what: 'an article' },
  sidebar: { bytes: 4 * MiB, what: 'a sidebar file' },
  kindSchema: { bytes: 1 * MiB, what: "a custom kind's schema.json" },
  kindTemplate: { bytes: 1 * MiB, what: "a custom kind's template.html" },
  templateHtml: { bytes: 1 * MiB, what: "a template's HTML shell" },
  templateCss: { bytes: 4 * MiB, what: "a template's style sheet" },
  templateSettings: { bytes: 64 * KiB, what: "a template's template.json" },
  image: { bytes: 50 * MiB, what: 'an image' },
} as const satisfies Record<string, SizeLimit>;

/** Where a problem with the file is reported: the place that names it (a line of pack.yaml, an image in an article). */
export interface Where {
  file?: string;
  position?: Position;
}

export interface PackFile {
  /** The file's bytes, read once. */
  bytes: Buffer;
  /** Absolute path as the pack names it (links not resolved). */
  path: string;
  /** Absolute real path (inside the pack folder's real path). */
  real: string;
  /** The path as messages show it. */
  display: string;
}

export interface PackFileProblem {
  problem: Diagnostic;
  /** Not there at all (as opposed to there but not usable). */
  missing: boolean;
}

/** A path inside the pack resolved to its real path, or the reason it cannot be used. */
export type Resolved = { real: string; realRoot: string; stats: Stats } | { reason: 'missing' | 'outside' | 'loop'; code?: string };

const MAX_LINKS = 40;

function inside(rel: string): boolean {
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * Resolve `file` (absolute, or relative to `root`) inside `root` the way the kernel would, one
 * component at a time, but refusing to leave `root`: nothing outside it is ever looked at.
 */
export function resolveInPack(root: string, file: string): Resolved {
  const given = path.resolve(root);
  let realRoot: string;
  try {
    realRoot = realpathSync(given);
  } catch (error) {
    return { reason: 'missing', code: (error as NodeJS.ErrnoException).code };
  }
  const relative = path.relative(given, path.resolve(given, file));
  if (!inside(relative)) return { reason: 'outside' };
  const parts = relative.split(path.sep).filter((p) => p !== '' && p !== '.');
  let current = realRoot;
  let stats: Stats | undefined;
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift()!;
    if (part === '..') {
      if (current === realRoot) return { reason: 'outside' };
      current = path.dirname(current);
      stats = undefined;
      continue;
    }
    const next = path.join(current, part);
    let found: Stats;
    try {
      found = lstatSync(next);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { reason: 'missing', code };
    }
    if (found.isSymbolicLink()) {
      if (++links > MAX_LINKS) return { reason: 'loop' };
      const target = readlinkSync(next);
      let rest: string;
      if (path.isAbsolute(target)) {
        // Written against the pack folder's real path or the path it was given as: both lead inside.
        const fromReal = path.relative(realRoot, path.normalize(target));
        const fromGiven = path.relative(given, path.normalize(target));
        if (inside(fromReal)) rest = fromReal;
        else if (inside(fromGiven)) rest = fromGiven;
        else return { reason: 'outside' };
        current = realRoot;
      } else {
        rest = target;
      }
      parts.unshift(...rest.split(/[\\/]/).filter((p) => p !== '' && p !== '.'));
      stats = undefined;
      continue;
    }
    if (parts.length > 0 && !found.isDirectory()) return { reason: 'missing', code: 'ENOTDIR' };
    current = next;
    stats = found;
  }
  return { real: current, realRoot, stats: stats ?? lstatSync(current) };
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a link';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'something else';
}

function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / KiB)} kB`;
}

/**
 * Read a file of the pack: `root` is the pack folder, `file` a path inside it (absolute or
 * relative to `root`), `limit` the most it may hold. Problems come back positioned at `where`
 * (what names the file; by default the file itself), never thrown. Synchronous: the transform's
 * plugins, which run synchronously, read images with it too.
 */
export function readPackFile(root: string, file: string, limit: SizeLimit, where?: Where): PackFile | PackFileProblem {
  const absolute = path.resolve(root, file);
  const display = displayPath(absolute);
  const at = where ?? { file: display };
  const shown = where ? `${display} ` : 'this file ';
  const fail = (rule: Diagnostic['rule'], message: string, hint?: string): PackFileProblem => {
    const missing = message === 'not found';
    const text = missing && !where ? 'file not found' : `${shown}${message}`;
    return { problem: { ...at, severity: 'error', rule, message: text, ...(hint ? { hint } : {}) }, missing };
  };
  const resolved = resolveInPack(root, absolute);
  if ('reason' in resolved) {
    if (resolved.reason === 'outside') {
      const linked = path.relative(path.resolve(root), absolute);
      return fail(
        'file/outside-pack',
        inside(linked) ? 'is a link to a file outside the pack folder' : 'is outside the pack folder',
        'A pack may use only its own files: copy the file into the pack folder (links are fine while they stay inside it).',
      );
    }
    if (resolved.reason === 'loop') return fail('file/missing', 'cannot be read: too many levels of links');
    return fail('file/missing', resolved.code === 'ENOENT' || resolved.code === 'ENOTDIR' ? 'not found' : `cannot be read (${resolved.code ?? 'unknown error'})`);
  }
  // Decided before opening: opening a device or a FIFO can block, or do something of its own.
  if (!resolved.stats.isFile()) return fail('file/not-regular', `is ${kindOf(resolved.stats)}, not a regular file`);
  if (resolved.stats.size > limit.bytes) return tooLarge(fail, resolved.stats.size, limit);
  let fd: number;
  try {
    // No link may have taken the file's place since; a FIFO put there does not block the open.
    fd = openSync(resolved.real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return fail('file/outside-pack', 'changed into a link while it was being read');
    return fail('file/missing', code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? String(error)})`);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return fail('file/not-regular', `is ${kindOf(opened)}, not a regular file`);
    if (!openedInside(fd, resolved.realRoot)) return fail('file/outside-pack', 'changed into a link to a file outside the pack folder while it was being read');
    const chunks: Buffer[] = [];
    let total = 0;
    // Read to the end, but never past the limit: the file may grow while it is read.
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(opened.size - total, 64 * KiB), limit.bytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > limit.bytes) return tooLarge(fail, total, limit);
    }
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), path: absolute, real: resolved.real, display };
  } catch (error) {
    return fail('file/missing', `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(fail: (rule: Diagnostic['rule'], message: string, hint?: string) => PackFileProblem, size: number, limit: SizeLimit): PackFileProblem {
  return fail(
    'file/too-large',
    `is ${size > limit.bytes * 10 ? `more than ${formatBytes(limit.bytes)}` : formatBytes(size)}; ${limit.what} may be at most ${formatBytes(limit.bytes)}`,
    'Split the file, or make it smaller.',
  );
}

/**
 * Where the kernel says the open file is (Linux): a directory on the way that was swapped for a
 * link after it was checked would show here. Elsewhere the check before opening stands alone.
 */
function openedInside(fd: number, realRoot: string): boolean {
  let actual: string;
  try {
    actual = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return true;
  }
  return inside(path.relative(realRoot, actual));
}

/** Whether readPackFile gave a problem rather than the file. */
export function isProblem(result: PackFile | PackFileProblem): result is PackFileProblem {
  return 'problem' in result;
}

/** A folder of the pack (sidebars/, kinds/<name>/, templates/<name>/) by its real path, if it is one inside the pack. */
export function packFolder(root: string, folder: string): { real: string } | { outside: true } | undefined {
  const resolved = resolveInPack(root, folder);
  if ('reason' in resolved) return resolved.reason === 'outside' || resolved.reason === 'loop' ? { outside: true } : undefined;
  return resolved.stats.isDirectory() ? { real: resolved.real } : undefined;
}
