/**
 * The secret that signs the build cache: a per-output-folder key, derived from one random secret
 * per user, kept outside the output folder (CI restores an output folder and its cache from
 * storage that a pull request can write to; it does not restore the user's state folder).
 *
 *   $BRIEFPACK_STATE_DIR, else $XDG_STATE_HOME/briefpack, else ~/.local/state/briefpack
 *     cache-secret    32 random bytes, mode 0600, in a folder of mode 0700 owned by the user
 */
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SECRET_FILE = 'cache-secret';
const SECRET_BYTES = 32;

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BRIEFPACK_STATE_DIR) return path.resolve(env.BRIEFPACK_STATE_DIR);
  if (env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)) return path.join(env.XDG_STATE_HOME, 'briefpack');
  return path.join(os.homedir(), '.local', 'state', 'briefpack');
}

/** Whether a folder or file is the user's own and nobody else may change it (`private` also: nobody else may read it). */
function ownedBySelf(stats: { uid: number; mode: number }, closed: number): string | undefined {
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) return `it belongs to another user (uid ${stats.uid})`;
  if ((stats.mode & closed) !== 0) return `others may ${closed & 0o044 ? 'read or ' : ''}change it (mode ${(stats.mode & 0o777).toString(8)})`;
  return undefined;
}

function readSecret(file: string): Buffer | string {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return `${file} is not a file`;
    const unsafe = ownedBySelf(stats, 0o077);
    if (unsafe) return `${file}: ${unsafe}`;
    if (stats.size !== SECRET_BYTES) return `${file} does not hold a secret of ${SECRET_BYTES} bytes`;
    const secret = Buffer.alloc(SECRET_BYTES);
    if (readSync(fd, secret, 0, SECRET_BYTES, 0) !== SECRET_BYTES) return `${file} could not be read whole`;
    return secret;
  } finally {
    closeSync(fd);
  }
}

/** The user's secret, made on first use; a string says why there is none to be had. */
function userSecret(env: NodeJS.ProcessEnv): Buffer | string {
  const dir = stateDir(env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stats = lstatSync(dir);
    if (!stats.isDirectory()) return `${dir} is not a folder`;
    const unsafe = ownedBySelf(stats, 0o022);
    if (unsafe) return `${dir}: ${unsafe}`;
    const file = path.join(dir, SECRET_FILE);
    try {
      return readSecret(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // Made whole under a name of its own, then linked into place: a build that reads it at the
    // same time sees all of it or none, and of two builds making it, both use the first.
    const temp = path.join(dir, `.${SECRET_FILE}.${process.pid}.${randomBytes(6).toString('hex')}`);
    writeFileSync(temp, randomBytes(SECRET_BYTES), { flag: 'wx', mode: 0o600 });
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
    return readSecret(file);
  } catch (error) {
    return `${dir}: ${(error as Error).message}`;
  }
}

export interface CacheKey {
  /** Signs and checks entries. */
  key: Buffer;
  /** Names the key in each entry, so that a cache made with another key is passed over without a word. */
  id: Buffer;
}

/** The key for the cache of the output folder `outDir` (which exists by the time this is asked). */
export function cacheKey(outDir: string, env: NodeJS.ProcessEnv = process.env): CacheKey | string {
  const secret = userSecret(env);
  if (typeof secret === 'string') return secret;
  let folder: string;
  try {
    folder = realpathSync(outDir);
  } catch {
    folder = path.resolve(outDir);
  }
  const key = createHmac('sha256', secret).update('briefpack build cache\0').update(folder).digest();
  return { key, id: createHmac('sha256', key).update('key id').digest().subarray(0, 8) };
}
