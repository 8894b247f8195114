/**
 * Writing output/ without ever leaving it half-done: each file goes to a temporary name in the
 * same folder and is renamed into place only after every artifact rendered; a lock file keeps
 * two builds from writing the same folder at once.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BuildFailure, ExitCode } from '../diagnostics.js';

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
  const take = () => fs.writeFile(lock, String(process.pid), { flag: 'wx' });
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

/** Write all files under temporary names, then rename them all into place. */
export async function writeAtomically(dir: string, files: readonly PendingFile[]): Promise<WrittenFile[]> {
  const staged: Array<{ temp: string; final: string; data: Uint8Array | string }> = files.map((f, i) => ({
    temp: path.join(dir, `.${path.basename(f.name)}.${process.pid}.${i}.tmp`),
    final: path.join(dir, f.name),
    data: f.data,
  }));
  try {
    for (const s of staged) {
      await fs.mkdir(path.dirname(s.final), { recursive: true });
      await fs.writeFile(s.temp, s.data);
    }
    for (const s of staged) await fs.rename(s.temp, s.final);
  } catch (error) {
    await Promise.all(staged.map((s) => fs.rm(s.temp, { force: true })));
    throw unwritable(dir, error);
  }
  return staged.map((s) => {
    const data = typeof s.data === 'string' ? Buffer.from(s.data) : s.data;
    return { path: s.final, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  });
}
