/**
 * Writing output/ without ever leaving it half-done: every file, manifest.json included, is made
 * before anything is written; each goes to a temporary name of its own in the same folder, and
 * they are renamed into place together, or put back as they were if one rename fails. A lock
 * file keeps two builds from writing the same folder at once. Temporary names are made afresh
 * and never written through (a link planted under a guessable name is not followed).
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { BuildFailure, ExitCode } from '../diagnostics.js';
import { removeOnExit } from '../exit-cleanup.js';

export interface PendingFile {
  name: string; // relative to the output folder
  data: Uint8Array | string;
}

export interface WrittenFile {
  path: string;
  bytes: number;
  sha256: string;
}

const LOCK = '.briefpack.lock';

function unwritable(dir: string, error: unknown): BuildFailure {
  return new BuildFailure(
    [{ severity: 'error', rule: 'output/unwritable', file: dir, message: `cannot write to the output folder: ${(error as Error).message}` }],
    ExitCode.RenderError,
  );
}

/** Hold the output folder's lock for the duration of `work`. */
export async function withOutputLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (error) {
    throw unwritable(dir, error);
  }
  const lock = path.join(dir, LOCK);
  let forget: (() => void) | undefined;
  const take = async () => {
    await fs.writeFile(lock, String(process.pid), { flag: 'wx' });
    // Ctrl-C in the middle of a build must not leave the folder locked.
    forget = removeOnExit(lock);
  };
  try {
    await take();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(dir, error);
    const holder = Number(await fs.readFile(lock, 'utf8').catch(() => ''));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new BuildFailure(
        [
          {
            severity: 'error',
            rule: 'output/unwritable',
            file: dir,
            message: `another briefpack build (process ${holder}) is writing to this folder`,
            hint: 'Wait for it to finish, or build into another --out folder.',
          },
        ],
        ExitCode.RenderError,
      );
    }
    // A lock left behind by a build that died: take it over.
    await fs.rm(lock, { force: true });
    await take().catch((e: unknown) => {
      throw unwritable(dir, e);
    });
  }
  try {
    return await work();
  } finally {
    await fs.rm(lock, { force: true });
    forget?.();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What manifest.json says of a file's bytes. */
export function describeBytes(data: Uint8Array | string): { bytes: number; sha256: string } {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Write all files under temporary names, then rename them all into place, and remove `remove`
 * (names in the folder). If a rename fails, the files renamed or removed before it are put back
 * as they were (the old file, or none), so that the folder holds either the whole new build or
 * the whole old one.
 */
export async function writeAtomically(dir: string, files: readonly PendingFile[], remove: readonly string[] = []): Promise<WrittenFile[]> {
  const tag = `${process.pid}.${randomBytes(6).toString('hex')}`;
  const staged = files.map((f, i) => ({
    temp: path.join(dir, `.${path.basename(f.name)}.${tag}.${i}.tmp`),
    backup: path.join(dir, `.${path.basename(f.name)}.${tag}.${i}.old`),
    final: path.join(dir, f.name),
    data: f.data,
  }));
  const forget = staged.flatMap((s) => [removeOnExit(s.temp), removeOnExit(s.backup)]);
  const done: Array<{ final: string; backup: string; hadOld: boolean }> = [];
  const removed: string[] = [];
  try {
    for (const s of staged) {
      await fs.mkdir(path.dirname(s.final), { recursive: true });
      // 'wx': a fresh file, never one that is there already (nor what a link there points to).
      await fs.writeFile(s.temp, s.data, { flag: 'wx' });
    }
    for (const s of staged) {
      // The old file stays reachable under a second name until every new one is in place.
      let hadOld = true;
      try {
        await fs.link(s.final, s.backup);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') hadOld = false;
        // A file system without hard links: a copy serves.
        else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EMLINK') await fs.copyFile(s.final, s.backup, fsConstants.COPYFILE_EXCL);
        else throw error;
      }
      done.push({ final: s.final, backup: s.backup, hadOld });
      await fs.rename(s.temp, s.final);
    }
    for (const [i, name] of remove.entries()) {
      const final = path.join(dir, name);
      const backup = path.join(dir, `.${path.basename(name)}.${tag}.removed${i}.old`);
      forget.push(removeOnExit(backup));
      // Kept under a second name until the end, like a replaced file: put back if anything fails.
      await fs.rename(final, backup);
      done.push({ final, backup, hadOld: true });
      removed.push(backup);
    }
  } catch (error) {
    for (const d of done.reverse()) {
      if (d.hadOld) await fs.rename(d.backup, d.final).catch(() => undefined);
      else await fs.rm(d.final, { force: true }).catch(() => undefined);
    }
    await Promise.all(staged.flatMap((s) => [fs.rm(s.temp, { force: true }), fs.rm(s.backup, { force: true })]));
    for (const f of forget) f();
    throw unwritable(dir, error);
  }
  await Promise.all([...staged.map((s) => fs.rm(s.backup, { force: true })), ...removed.map((b) => fs.rm(b, { force: true }))]);
  for (const f of forget) f();
  return staged.map((s) => ({ path: s.final, ...describeBytes(s.data) }));
}
