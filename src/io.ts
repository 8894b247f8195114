/**
 * The effects boundary: the clock and file reads/writes that the pipeline depends on.
 * Keeping them here is what makes builds reproducible (SOURCE_DATE_EPOCH) and testable.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** The build's notion of "now": SOURCE_DATE_EPOCH when set, so a rebuild stamps the same dates. */
export function buildTime(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    const seconds = Number(epoch);
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new Error(`SOURCE_DATE_EPOCH must be a whole number of seconds, got "${epoch}"`);
    }
    return new Date(seconds * 1000);
  }
  return new Date();
}

/** Files in a folder, sorted by name so that every machine sees the same order. */
export async function listFiles(dir: string, extensions: readonly string[]): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((name) => extensions.includes(path.extname(name).toLowerCase()))
    .sort()
    .map((name) => path.join(dir, name));
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** A path as the user should read it in messages: relative to the working directory. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
