#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (compiled by `npm run compile`, which scripts/setup.sh runs).
import('../dist/cli.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exitCode = 3;
  },
);
