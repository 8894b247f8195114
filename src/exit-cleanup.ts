/**
 * What a briefpack process leaves on disk only while it runs (temporary folders, the output
 * folder's lock, files staged for a rename) is removed when the process ends, on Ctrl-C too: the
 * CLI turns SIGINT and SIGTERM into an orderly exit (see cli.ts), and this removes what is listed
 * on the way out. A temporary print document holds the whole pack's text.
 */
import { rmSync } from 'node:fs';

const listed = new Set<string>();
let installed = false;

/** Remove `file` (a file or a folder) when the process exits; the returned function takes it off the list. */
export function removeOnExit(file: string): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', removeListed);
  }
  listed.add(file);
  return () => listed.delete(file);
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
