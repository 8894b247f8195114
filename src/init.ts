/** `briefpack init DIR`: a new pack that builds at once, with every field commented. */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BuildFailure, ExitCode } from './diagnostics.js';
import { PACKAGE_ROOT } from './package-root.js';

export const SCAFFOLD = path.join(PACKAGE_ROOT, 'scaffold');

/** Copy the scaffold into `dir`, which must be new or empty. Returns the files written. */
export function initPack(dir: string): string[] {
  const target = path.resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new BuildFailure(
      [
        {
          severity: 'error',
          rule: 'cli/usage',
          file: dir,
          message: 'the folder is not empty; init only writes into a new or empty folder',
          hint: 'Choose a new folder name, e.g. `briefpack init my-pack`.',
        },
      ],
      ExitCode.UsageError,
    );
  }
  cpSync(SCAFFOLD, target, { recursive: true, errorOnExist: true, force: false });
  return readdirSync(target, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(target, path.join(entry.parentPath, entry.name)))
    .sort();
}
