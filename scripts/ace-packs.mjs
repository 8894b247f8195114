#!/usr/bin/env node
/**
 * Ace by DAISY on the EPUBs of the packs briefpack is measured on: the example, generated packs
 * of 50 and 200 articles, and the real-world corpus of 120 README files. Prints Ace's violations
 * per pack, by impact and rule, and how long Ace took; exits 1 if any pack has a violation.
 *
 *   node scripts/ace-packs.mjs [example] [50] [200] [corpus]     (default: all four)
 *
 * `npm test` runs Ace on the example, pack-50 and the corpus's first 40 READMEs; Ace on pack-200
 * and on all 120 READMEs takes minutes (about 1.6 CPU-seconds per article), so it runs here:
 * `npm run accessibility`.
 * Needs Ace in tools/ace: `bash scripts/setup.sh --test-tools`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePack } from './generate-pack.mjs';
import { realWorldPack } from './real-world-pack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ace = path.join(root, 'tools', 'ace', 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js');
if (!existsSync(ace)) {
  console.error('Ace is not installed: run bash scripts/setup.sh --test-tools');
  process.exit(3);
}
const browser = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((p) => existsSync(p));
const chromium = process.env.PUPPETEER_EXECUTABLE_PATH ?? browser;

const work = mkdtempSync(path.join(os.tmpdir(), 'briefpack-ace-packs-'));
const packs = {
  example: () => path.join(root, 'content'),
  50: () => generatePack(path.join(work, 'pack-50'), 50),
  200: () => generatePack(path.join(work, 'pack-200'), 200),
  corpus: () => {
    realWorldPack(path.join(work, 'corpus'), { count: 120 });
    return path.join(work, 'corpus');
  },
};
const asked = process.argv.slice(2);
const names = asked.length ? asked : Object.keys(packs);

let failed = false;
try {
  for (const name of names) {
    if (!packs[name]) throw new Error(`unknown pack ${name}: example, 50, 200 or corpus`);
    const dir = packs[name]();
    const out = path.join(work, `out-${name}`);
    const built = spawnSync(process.execPath, [path.join(root, 'bin', 'briefpack.js'), 'build', dir, '--out', out, '--format', 'epub', '--quiet', '--no-cache'], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building ${name} failed:\n${built.stderr}`);
    const epub = path.join(out, readdirSync(out).find((f) => f.endsWith('.epub')));
    const report = path.join(work, `ace-${name}`);
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [ace, '--force', '--silent', '--outdir', report, epub], {
      encoding: 'utf8',
      env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: chromium },
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.status !== 0) throw new Error(`Ace failed on ${name}:\n${run.stderr}${run.stdout}`);
    const json = JSON.parse(readFileSync(path.join(report, 'report.json'), 'utf8'));
    const byRule = {};
    for (const subject of json.assertions) {
      for (const a of subject.assertions) {
        const key = `${a['earl:test']['earl:impact']} ${a['earl:test']['dct:title']}`;
        byRule[key] = (byRule[key] ?? 0) + 1;
      }
    }
    const total = Object.values(byRule).reduce((a, b) => a + b, 0);
    const documents = json.assertions.filter((s) => /\.xhtml$/.test(s['earl:testSubject'].url)).length;
    console.log(`${name}: ${total} violation${total === 1 ? '' : 's'} in ${documents} documents, Ace ${seconds.toFixed(1)} s${total ? `: ${JSON.stringify(byRule)}` : ''}`);
    if (total) failed = true;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
