/**
 * Where Ace by DAISY is, if it is installed. It is not one of briefpack's dependencies (81 MB,
 * and Electron in its desktop form): it is looked for in BRIEFPACK_ACE, then in briefpack's own
 * tools/ace folder (which `scripts/setup.sh --test-tools` installs), then as `ace` on the PATH.
 * Cheap to import, for `doctor`.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

export interface AceLocation {
  /** What to run: node with Ace's script, or an executable. */
  command: string;
  args: string[];
  /** The script or executable, as a person would look for it. */
  path: string;
  source: 'BRIEFPACK_ACE' | 'tools/ace' | 'PATH';
}

/** Where the set-up script installs Ace, inside briefpack's own folder. */
export const BUNDLED_ACE = path.join(PACKAGE_ROOT, 'tools', 'ace', 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js');

/** How to install Ace, for `doctor` and for messages. */
export const ACE_INSTALL_HINT =
  `npm ci --ignore-scripts --prefix ${path.join(PACKAGE_ROOT, 'tools', 'ace')} (what scripts/setup.sh --test-tools does), ` +
  'or npm install --ignore-scripts @daisy/ace-cli@1.4.6 anywhere and set BRIEFPACK_ACE to its node_modules/@daisy/ace-cli/bin/ace.js';

export type AceSearch = { found: AceLocation } | { found?: undefined; problem?: string };

/** BRIEFPACK_ACE, then tools/ace, then `ace` on the PATH; a BRIEFPACK_ACE that names nothing is a problem, not a fall-through. */
export function findAce(env: NodeJS.ProcessEnv = process.env): AceSearch {
  const explicit = env.BRIEFPACK_ACE;
  if (explicit) {
    if (!existsSync(explicit)) return { problem: `BRIEFPACK_ACE names a file that does not exist: ${explicit}` };
    return { found: locationOf(explicit, 'BRIEFPACK_ACE') };
  }
  if (existsSync(BUNDLED_ACE)) return { found: locationOf(BUNDLED_ACE, 'tools/ace') };
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'ace');
    try {
      accessSync(candidate, constants.X_OK);
      return { found: locationOf(candidate, 'PATH') };
    } catch {
      // Not in this folder of the PATH.
    }
  }
  return {};
}

function locationOf(file: string, source: AceLocation['source']): AceLocation {
  // Ace's CLI is a Node script; run it with this Node, which is known to be new enough.
  return /\.[cm]?js$/.test(file) ? { command: process.execPath, args: [file], path: file, source } : { command: file, args: [], path: file, source };
}

