/**
 * Temporary folders: made afresh (mkdtemp), checked to be the process's own and closed to others,
 * never found again by name, and removed when the process exits. The shared temporary folder is
 * anyone's to write in: a folder reused by a predictable name (as the fontconfig folder and the
 * glyph-coverage file once were) is one that someone else may have made first, with links or a
 * configuration of their own in it.
 */
import { lstatSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeOnExit } from './exit-cleanup.js';

export function privateTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const stats = lstatSync(dir);
  const uid = process.getuid?.();
  if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid) || (stats.mode & 0o077) !== 0) {
    throw new Error(`the temporary folder ${dir} is not this process's own (mode ${(stats.mode & 0o777).toString(8)}, uid ${stats.uid})`);
  }
  removeOnExit(dir);
  return dir;
}
