// The CLI bundled (dist/briefpack.mjs and the chunks it loads, dist/chunks/): Node loads a few
// modules instead of some seven hundred, which halves briefpack's start-up. The library API
// (dist/index.js) stays unbundled.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunks are named by content: those of an earlier bundle would pile up.
rmSync('dist/chunks', { recursive: true, force: true });

await build({
  entryPoints: ['dist/cli.js'],
  outdir: 'dist',
  entryNames: 'briefpack',
  // What the CLI loads only on demand (watch, init, doctor, --validate, a pack's own kinds) is
  // split off, so that a build does not parse it.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies call require(); give the bundle one.
  banner: { js: "import { createRequire as __briefpackRequire } from 'node:module'; const require = __briefpackRequire(import.meta.url);" },
  logLevel: 'warning',
});
