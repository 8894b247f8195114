// The CLI as one file (dist/briefpack.mjs): Node loads one module instead of some seven hundred,
// which halves briefpack's start-up. The library API (dist/index.js) stays unbundled.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/briefpack.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies call require(); give the bundle one.
  banner: { js: "import { createRequire as __briefpackRequire } from 'node:module'; const require = __briefpackRequire(import.meta.url);" },
  logLevel: 'warning',
});
