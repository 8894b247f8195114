#!/usr/bin/env node
// Thin launcher. The CLI is compiled to dist/ and bundled into dist/briefpack.mjs and its chunks
// (both by `npm run compile`, which scripts/setup.sh runs); the bundle starts twice as fast. A
// bundle older than any compiled module is stale (src/ changed since), so the modules are used
// instead.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const bundle = `${dist}briefpack.mjs`;

function newestModule(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestModule(file));
    else if (entry.name.endsWith('.js')) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= newestModule(dist);
import(fresh ? new URL('../dist/briefpack.mjs', import.meta.url).href : new URL('../dist/cli.js', import.meta.url).href)
  .then((m) => m.main(process.argv.slice(2)))
  .then(
    (code) => exitWhenFlushed(code),
    (error) => {
      console.error(error && error.stack ? error.stack : String(error));
      exitWhenFlushed(3);
    },
  );

// The command is done: leave without waiting for timers that libraries leave behind (Puppeteer
// keeps one for 100 ms after a page closes, in case its frame is swapped), once everything
// written to stdout and stderr has gone out.
function exitWhenFlushed(code) {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
