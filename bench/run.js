// npm run bench: how long briefpack takes against Chromium's own print of the same document.
// Not a test: it measures and reports (bench/results.json, bench/results.md); nothing asserts.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePack } from '../scripts/generate-pack.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'briefpack.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// Every build is dated the same: two builds of one pack must give the same bytes, and the bench says whether they did.
const EPOCH = { SOURCE_DATE_EPOCH: '1780000000' };
const work = path.join(os.tmpdir(), `briefpack-bench-${process.pid}`);
mkdirSync(work, { recursive: true });

const { findBrowser, hermeticFontconfig, launchBrowser, closeBrowser } = await import(path.join(ROOT, 'dist', 'chromium', 'browser.js'));
const chromium = findBrowser().path;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Memory of a process and all its descendants, in MB, from /proc: the proportional set size
 * (PSS), which counts pages shared between Chromium's processes once; plain RSS summed over a
 * process tree counts the shared libraries of every renderer again and overstates it.
 */
function treeMemoryMb(rootPid) {
  const parents = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const inTree = (pid) => {
    for (let p = pid; p > 1; p = parents.get(p) ?? 0) if (p === rootPid) return true;
    return false;
  };
  // smaps_rollup makes the kernel walk a process's page tables: read it only for the build's
  // own processes, or the sampling itself slows the build it measures.
  let kb = 0;
  for (const pid of parents.keys()) {
    if (!inTree(pid)) continue;
    try {
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return kb / 1024;
}

/** Run a command, timing it and sampling the memory of its process tree every 200 ms. */
function measure(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdout.on('data', () => undefined);
    const timer = setInterval(() => (peak = Math.max(peak, treeMemoryMb(child.pid))), 200);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${stderr.slice(-2000)}`));
      else resolve({ seconds: (performance.now() - started) / 1000, peakMb: peak });
    });
  });
}

// A bench measures how long a build takes, however long: the 120 s default would end pack-1000 on a busy machine.
const buildArgs = (pack, out, extra = []) => [BIN, 'build', pack, '--out', out, '--quiet', '--timeout', '3600', ...extra];
const build = (pack, out, extra = []) => measure(process.execPath, buildArgs(pack, out, extra), EPOCH);

/** Each artifact's SHA-256, by name: what two builds of one pack are compared by. */
function artifactHashes(out) {
  const hashes = {};
  for (const name of readdirSync(out).filter((f) => /\.(pdf|epub|html)$/.test(f)).sort()) hashes[name] = createHash('sha256').update(readFileSync(path.join(out, name))).digest('hex');
  return hashes;
}
/** Packs of a thousand articles take minutes a build: one run of each is enough there. */
const runsOf = (label) => (label.endsWith('1000') ? 1 : RUNS);

function pagesOf(pdf) {
  return Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout)?.[1] ?? 0);
}

/** The pack's whole print HTML, fonts and all, as briefpack would print it in one document. */
async function printHtml(pack, label) {
  const out = path.join(work, `${label}-debug`);
  rmSync(out, { recursive: true, force: true });
  await build(pack, out, ['--format', 'pdf', '--debug-html', '--no-cache']);
  return path.join(out, readdirSync(out).find((f) => f.endsWith('.print.html')));
}

/**
 * Chromium's own tagged print of the print HTML, with the settings briefpack prints with
 * (backgrounds, the CSS page size): the bytes a compact PDF is measured against. The floor's
 * `--print-to-pdf` is tagged too, but leaves out backgrounds, so its file is smaller for less.
 */
async function taggedPrintBytes(html) {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`file://${html}`, { waitUntil: 'load', timeout: 0 });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, timeout: 0, waitForFonts: true });
    return pdf.length;
  } finally {
    await closeBrowser(browser);
  }
}

/** What a built PDF is: its bytes, pages, qpdf's verdict, bookmarks against contents entries. */
function pdfFacts(pdf, html) {
  const check = spawnSync('qpdf', ['--check', pdf], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const outlines = JSON.parse(spawnSync('qpdf', ['--json', '--json-key=outlines', pdf], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout).outlines;
  let bookmarks = 0;
  for (const stack = [...outlines]; stack.length; ) {
    const item = stack.pop();
    bookmarks++;
    for (const kid of item.kids) stack.push(kid);
  }
  return {
    pdf_bytes: statSync(pdf).size,
    qpdf_check: check.status === 0 && /No syntax or stream encoding errors/.test(check.stdout) ? 'clean' : `failed: ${(check.stdout + check.stderr).split('\n')[0]}`,
    bookmarks,
    contents_entries: html ? (readFileSync(html, 'utf8').match(/class="toc-page"[^>]*data-entry=/g) ?? []).length : undefined,
  };
}

/** Chromium's bare `--print-to-pdf` of the print HTML: the floor. */
function floorRun(html, pdf, profile) {
  return measure(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-pdf-header-footer', `--user-data-dir=${profile}`, `--print-to-pdf=${pdf}`, `file://${html}`],
    { FONTCONFIG_FILE: hermeticFontconfig() },
  );
}

/**
 * Clean builds and floor prints, one after the other in turn: this machine's speed drifts by 10%
 * or more over minutes, and a ratio of runs made at different times would measure the drift.
 */
async function cleanBuilds(pack, label, extra = []) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const out = path.join(work, `${label}-${i}`);
    rmSync(out, { recursive: true, force: true });
    runs.push(await build(pack, out, [...extra, '--no-cache']));
  }
  return runs;
}

async function cleanBuildsAndFloor(pack, label) {
  const html = await printHtml(pack, label);
  const builds = [];
  const floors = [];
  for (let i = 0; i < runsOf(label); i++) {
    const out = path.join(work, `${label}-${i}`);
    rmSync(out, { recursive: true, force: true });
    builds.push(await build(pack, out, ['--no-cache']));
    floors.push(await floorRun(html, path.join(work, `${label}-floor-${i}.pdf`), path.join(work, `profile-${label}-${i}`)));
  }
  return { builds, html, floor: { seconds: median(floors.map((r) => r.seconds)), pages: pagesOf(path.join(work, `${label}-floor-0.pdf`)), bytes: await taggedPrintBytes(html) } };
}

const packs = { example: path.join(ROOT, 'content') };
for (const n of [50, 200, 1000]) {
  const dir = path.join(ROOT, 'bench', 'packs', `pack-${n}`);
  // Made afresh each run: a pack left by an older generator would measure different content.
  rmSync(dir, { recursive: true, force: true });
  generatePack(dir, n);
  packs[`pack-${n}`] = dir;
}

const cases = [];
process.stderr.write(`bench: printing with ${chromium}\n`);
const summary = (label, runs) => ({ s: median(runs.map((r) => r.seconds)), peak: runs.reduce((m, r) => Math.max(m, r.peakMb), 0) });

for (const label of ['example', 'pack-50', 'pack-200', 'pack-1000']) {
  process.stderr.write(`bench: ${label}\n`);
  const { builds, html, floor: f } = await cleanBuildsAndFloor(packs[label], label);
  const { s, peak } = summary(label, builds);
  const pdf = path.join(work, `${label}-0`, readdirSync(path.join(work, `${label}-0`)).find((x) => x.endsWith('.pdf')));
  const pages = pagesOf(pdf);
  const facts = pdfFacts(pdf, html);
  cases.push({
    case: label,
    briefpack_s: round(s),
    floor_s: round(f.seconds),
    ratio: round(s / f.seconds),
    peak_rss_mb: Math.round(peak),
    pages,
    pages_per_s: round(pages / s, 1),
    pdf_bytes: facts.pdf_bytes,
    floor_pdf_bytes: f.bytes,
    bytes_ratio: round(facts.pdf_bytes / f.bytes, 3),
    qpdf_check: facts.qpdf_check,
    bookmarks: facts.bookmarks,
    contents_entries: facts.contents_entries,
  });
}

/** A rebuild after one article changed, with the cache of a previous build, against a clean build of the same edited pack made right after it. */
async function rebuild(label, packLabel, articleName) {
  process.stderr.write(`bench: ${label}\n`);
  const pack = packs[packLabel];
  const out = path.join(work, label);
  rmSync(out, { recursive: true, force: true });
  // A second build of the pack as the clean build had it: the same bytes, with the cache filled this time.
  await build(pack, out);
  const first = artifactHashes(path.join(work, `${packLabel}-0`));
  const identical = JSON.stringify(artifactHashes(out)) === JSON.stringify(first) && Object.keys(first).length === 3;
  const article = path.join(pack, 'articles', `${articleName}.md`);
  const original = readFileSync(article, 'utf8');
  const runs = [];
  const cleans = [];
  try {
    for (let i = 0; i < runsOf(label); i++) {
      writeFileSync(article, original.replace('## Section 2', `An edit for rebuild ${i}.\n\n## Section 2`));
      runs.push(await build(pack, out));
      const clean = path.join(work, `${label}-clean-${i}`);
      rmSync(clean, { recursive: true, force: true });
      cleans.push(await build(pack, clean, ['--no-cache']));
    }
  } finally {
    writeFileSync(article, original);
  }
  const { s, peak } = summary(label, runs);
  const clean = round(median(cleans.map((r) => r.seconds)));
  cases.push({ case: label, briefpack_s: round(s), clean_s: clean, ratio: round(s / clean), peak_rss_mb: Math.round(peak), pages: cases.find((c) => c.case === packLabel).pages });
  cases.find((c) => c.case === packLabel).identical_builds = identical;
}

await rebuild('rebuild-200', 'pack-200', 'article-100');
await rebuild('rebuild-1000', 'pack-1000', 'article-500');

// The EPUB alone for 200 articles (process start included).
process.stderr.write('bench: epub-200\n');
{
  const runs = await cleanBuilds(packs['pack-200'], 'epub-200', ['--format', 'epub']);
  const { s, peak } = summary('epub-200', runs);
  cases.push({ case: 'epub-200', briefpack_s: round(s), peak_rss_mb: Math.round(peak) });
}

// The EPUB alone again, with the cache of an earlier build of the same pack (what a distributor
// re-running a release, or watch mode, sees): articles, chapters and the cover come from it.
process.stderr.write('bench: epub-200-cached\n');
{
  const out = path.join(work, 'epub-200-cached');
  rmSync(out, { recursive: true, force: true });
  await build(packs['pack-200'], out, ['--format', 'epub']);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await build(packs['pack-200'], out, ['--format', 'epub']));
  const { s, peak } = summary('epub-200-cached', runs);
  cases.push({ case: 'epub-200-cached', briefpack_s: round(s), peak_rss_mb: Math.round(peak) });
}

const browserVersion = spawnSync(chromium, ['--version'], { encoding: 'utf8' }).stdout.trim();
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, browser: `${chromium} (${browserVersion})`, runs: RUNS };
writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify({ machine, cases }, null, 2)}\n`);
const mb = (bytes) => (bytes === undefined ? '' : (bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1));
const rows = cases.map(
  (c) =>
    `| ${c.case} | ${c.briefpack_s} | ${c.floor_s ?? (c.clean_s !== undefined ? `clean ${c.clean_s}` : '')} | ${c.ratio ?? ''} | ${c.peak_rss_mb} | ${c.pages ?? ''} | ${c.pages_per_s ?? ''} | ${mb(c.pdf_bytes)} | ${mb(c.floor_pdf_bytes)} | ${c.bytes_ratio ?? ''} | ${c.qpdf_check ?? ''} | ${c.bookmarks === undefined ? '' : `${c.bookmarks} / ${c.contents_entries}`} | ${c.identical_builds === undefined ? '' : c.identical_builds ? 'yes' : 'NO'} |`,
);
const md = [
  '# briefpack benchmark',
  '',
  `Medians of ${RUNS} runs on ${machine.cpus} cores (${machine.model}), Node ${machine.node}. Times in seconds, process start included.`,
  `The floor is \`--headless --print-to-pdf\` of the same print HTML (written with \`--debug-html\`) by the browser briefpack prints with: ${machine.browser}.`,
  'Each clean build is followed by a floor print, and each rebuild by a clean build of the same edited pack, so that both sides of a ratio are measured at the same time. The 1000-article cases run once.',
  "PDF MB is briefpack's PDF; floor PDF MB is Chromium's own tagged print of the same print HTML with briefpack's print settings (backgrounds, CSS page size). qpdf's verdict on each PDF, its bookmarks and its contents entries are in results.json.",
  `Every build has SOURCE_DATE_EPOCH=${EPOCH.SOURCE_DATE_EPOCH}. Same bytes: whether a second build of pack-200 and pack-1000 (made before the rebuild's edit, its cache empty) gave the clean build's PDF, EPUB and HTML byte for byte.`,
  '',
  '| case | briefpack s | floor s (or clean build) | ratio | peak memory MB (PSS, Node + Chromium) | PDF pages | pages/s | PDF MB | floor PDF MB | bytes ratio | qpdf --check | bookmarks / contents entries | same bytes |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
].join('\n');
writeFileSync(path.join(ROOT, 'bench', 'results.md'), md);
process.stdout.write(md);
rmSync(work, { recursive: true, force: true });
