/**
 * What a briefpack process leaves on disk only while it runs (temporary folders, the output
 * folder's lock, files staged for a rename) is removed when the process ends, on Ctrl-C too: the
 * CLI turns SIGINT and SIGTERM into an orderly exit (see cli.ts), and this removes what is listed
 * on the way out. A temporary print document holds the whole pack's text.
 */
import { rmSync } from 'node:fs';

const listed = new Set<string>();
const stoppers: Array<() => void> = [];
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanUp);
}

/** Remove `file` (a file or a folder) when the process exits; the returned function takes it off the list. */
export function removeOnExit(file: string): () => void {
  install();
  listed.add(file);
  return () => listed.delete(file);
}

/**
 * Run `stop` when the process exits, before anything listed is removed: a browser still running
 * keeps making files in the temporary folder while it is being removed (on a busy machine the
 * removal gave up, and an empty folder was left behind after Ctrl-C).
 */
export function stopOnExit(stop: () => void): void {
  install();
  stoppers.push(stop);
}

function cleanUp(): void {
  for (const stop of stoppers) {
    try {
      stop();
    } catch {
      // Removing what is listed matters more than a failed stop.
    }
  }
  removeListed();
}

function removeListed(): void {
  for (const file of listed) {
    try {
      // Chromium, killed a moment ago, may still be writing its last files here: a few tries.
      rmSync(file, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    } catch {
      // Exiting anyway; a leftover is all that is at stake.
    }
  }
  listed.clear();
}
