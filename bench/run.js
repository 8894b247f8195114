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
// `node bench/run.js pack-1000 rebuild-1000` runs those cases only and updates their rows of
// results.json; the others keep what an earlier run measured.
const ALL_CASES = ['example', 'pack-10', 'pack-50', 'pack-200', 'pack-1000', 'rebuild-200', 'rebuild-1000', 'epub-200', 'epub-200-cached', 'example-full-browser', 'pack-50-full-browser'];
const chosen = process.argv.slice(2);
for (const name of chosen) if (!ALL_CASES.includes(name)) throw new Error(`bench: no case ${name}; the cases are ${ALL_CASES.join(', ')}`);
const wanted = (name) => chosen.length === 0 || chosen.includes(name);
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
    let stdout = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdout.on('data', (c) => (stdout += c));
    const timer = setInterval(() => (peak = Math.max(peak, treeMemoryMb(child.pid))), 200);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${stderr.slice(-2000)}`));
      else resolve({ seconds: (performance.now() - started) / 1000, peakMb: peak, timings: timingsOf(stdout) });
    });
  });
}

/** A build's --json report's `timings` (src/timings.ts), if its output is one. */
function timingsOf(stdout) {
  try {
    return JSON.parse(stdout).timings;
  } catch {
    return undefined;
  }
}

// A bench measures how long a build takes, however long: the 120 s default would end pack-1000 on a busy machine.
// --json: quiet, and the report says where the time went.
const buildArgs = (pack, out, extra = []) => [BIN, 'build', pack, '--out', out, '--json', '--timeout', '3600', ...extra];
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
  // The tagged print of pack-1000's single document takes Chromium most of an hour; its bytes
  // depend only on the HTML (and the browser), so they are remembered by both.
  const memo = path.join(ROOT, 'bench', '.floor-bytes.json');
  const known = existsSync(memo) ? JSON.parse(readFileSync(memo, 'utf8')) : {};
  const key = `${createHash('sha256').update(readFileSync(html)).digest('hex')} ${chromium}`;
  if (known[key]) return known[key];
  // No limit on a call: the print of a thousand articles in one document takes longer than any default.
  const browser = await launchBrowser(undefined, 0);
  try {
    const page = await browser.newPage();
    await page.goto(`file://${html}`, { waitUntil: 'load', timeout: 0 });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, timeout: 0, waitForFonts: true });
    writeFileSync(memo, `${JSON.stringify({ ...known, [key]: pdf.length }, null, 2)}\n`);
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
  return { builds, html, floor: { seconds: median(floors.map((r) => r.seconds)), pages: pagesOf(path.join(work, `${label}-floor-0.pdf`)) } };
}

const packs = { example: path.join(ROOT, 'content') };
for (const n of [10, 50, 200, 1000]) {
  const dir = path.join(ROOT, 'bench', 'packs', `pack-${n}`);
  // Made afresh each run: a pack left by an older generator would measure different content.
  rmSync(dir, { recursive: true, force: true });
  generatePack(dir, n);
  packs[`pack-${n}`] = dir;
}

const cases = [];
const resultsFile = path.join(ROOT, 'bench', 'results.json');
/** The rows of the last run, kept where this run does not measure them again. */
const earlier = chosen.length && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')).cases : [];
process.stderr.write(`bench: printing with ${chromium}\n`);
/**
 * Where a case's time went: for each span the builds report (src/timings.ts: Node's start, Chromium's
 * start, each print, the EPUB cover, ...), the median over its runs of the span's total ms and of
 * when it first began. Spans overlap: Chromium starts while the pack loads, the EPUB is made while
 * the PDF prints.
 */
function breakdownOf(runs) {
  const byName = new Map();
  for (const run of runs) {
    const totals = new Map();
    for (const t of run.timings ?? []) {
      const seen = totals.get(t.name) ?? { ms: 0, startMs: t.startMs };
      totals.set(t.name, { ms: seen.ms + t.ms, startMs: Math.min(seen.startMs, t.startMs) });
    }
    for (const [name, t] of totals) byName.set(name, [...(byName.get(name) ?? []), t]);
  }
  return Object.fromEntries([...byName].map(([name, ts]) => [name, { start_ms: median(ts.map((t) => t.startMs)), ms: median(ts.map((t) => t.ms)) }]).sort((a, b) => a[1].start_ms - b[1].start_ms));
}

const summary = (label, runs) => ({ s: median(runs.map((r) => r.seconds)), peak: runs.reduce((m, r) => Math.max(m, r.peakMb), 0) });

/** Cases whose floor PDF bytes are still to be measured, with their print HTML: done last, being the slowest part of pack-1000. */
const floorBytesOf = [];
for (const label of ['example', 'pack-10', 'pack-50', 'pack-200', 'pack-1000'].filter(wanted)) {
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
    qpdf_check: facts.qpdf_check,
    bookmarks: facts.bookmarks,
    contents_entries: facts.contents_entries,
    breakdown: breakdownOf(builds),
  });
  floorBytesOf.push([cases.at(-1), html]);
}

/** A rebuild after one article changed, with the cache of a previous build, against a clean build of the same edited pack made right after it. */
async function rebuild(label, packLabel, articleName) {
  process.stderr.write(`bench: ${label}\n`);
  const pack = packs[packLabel];
  const out = path.join(work, label);
  rmSync(out, { recursive: true, force: true });
  // A second build of the pack as the clean build had it: the same bytes, with the cache filled this time.
  await build(pack, out);
  if (!existsSync(path.join(work, `${packLabel}-0`))) throw new Error(`bench: ${label} compares with ${packLabel}'s clean build: run both`);
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
  const packCase = cases.find((c) => c.case === packLabel) ?? earlier.find((c) => c.case === packLabel);
  cases.push({ case: label, briefpack_s: round(s), clean_s: clean, ratio: round(s / clean), peak_rss_mb: Math.round(peak), pages: packCase?.pages });
  if (packCase) packCase.identical_builds = identical;
}

/**
 * The full browser (Chrome or Chromium, not its headless shell), which users and CI runners often
 * have: clean builds with it and with the headless shell, one after the other in turn.
 */
const FULL_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/opt/google/chrome/chrome'];
async function fullBrowserCase(label, packLabel) {
  process.stderr.write(`bench: ${label}\n`);
  const full = FULL_BROWSERS.find((p) => existsSync(p));
  if (!full) {
    process.stderr.write(`bench: ${label}: no full browser here (apt-get install chromium); left out\n`);
    return;
  }
  const fulls = [];
  const shells = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [runs, extra] of [[shells, []], [fulls, ['--browser', full]]]) {
      const out = path.join(work, `${label}-${runs === fulls ? 'full' : 'shell'}-${i}`);
      rmSync(out, { recursive: true, force: true });
      runs.push(await build(packs[packLabel], out, [...extra, '--no-cache']));
    }
  }
  const s = median(fulls.map((r) => r.seconds));
  const headless = median(shells.map((r) => r.seconds));
  cases.push({ case: label, briefpack_s: round(s), headless_s: round(headless), ratio: round(s / headless), peak_rss_mb: Math.round(summary(label, fulls).peak), browser: full, breakdown: breakdownOf(fulls) });
}

if (wanted('rebuild-200')) await rebuild('rebuild-200', 'pack-200', 'article-100');
if (wanted('rebuild-1000')) await rebuild('rebuild-1000', 'pack-1000', 'article-500');

// The EPUB alone for 200 articles (process start included).
if (wanted('epub-200')) {
  process.stderr.write('bench: epub-200\n');
  const runs = await cleanBuilds(packs['pack-200'], 'epub-200', ['--format', 'epub']);
  const { s, peak } = summary('epub-200', runs);
  cases.push({ case: 'epub-200', briefpack_s: round(s), peak_rss_mb: Math.round(peak) });
}

// The EPUB alone again, with the cache of an earlier build of the same pack (what a distributor
// re-running a release, or watch mode, sees): articles, chapters and the cover come from it.
if (wanted('epub-200-cached')) {
  process.stderr.write('bench: epub-200-cached\n');
  const out = path.join(work, 'epub-200-cached');
  rmSync(out, { recursive: true, force: true });
  await build(packs['pack-200'], out, ['--format', 'epub']);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await build(packs['pack-200'], out, ['--format', 'epub']));
  const { s, peak } = summary('epub-200-cached', runs);
  cases.push({ case: 'epub-200-cached', briefpack_s: round(s), peak_rss_mb: Math.round(peak) });
}

if (wanted('example-full-browser')) await fullBrowserCase('example-full-browser', 'example');
if (wanted('pack-50-full-browser')) await fullBrowserCase('pack-50-full-browser', 'pack-50');

for (const [row, html] of floorBytesOf) {
  process.stderr.write(`bench: ${row.case}: Chromium's own tagged print, for its bytes\n`);
  row.floor_pdf_bytes = await taggedPrintBytes(html);
  row.bytes_ratio = round(row.pdf_bytes / row.floor_pdf_bytes, 3);
}

const browserVersion = spawnSync(chromium, ['--version'], { encoding: 'utf8' }).stdout.trim();
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, browser: `${chromium} (${browserVersion})`, runs: RUNS };
// A run of some cases keeps the other rows of the last results, in the bench's order.
const merged = ALL_CASES.flatMap((name) => cases.filter((c) => c.case === name).concat(cases.some((c) => c.case === name) ? [] : earlier.filter((c) => c.case === name)));
writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify({ machine, cases: merged }, null, 2)}\n`);
const mb = (bytes) => (bytes === undefined ? '' : (bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1));
const rows = merged.map(
  (c) =>
    `| ${c.case} | ${c.briefpack_s} | ${c.floor_s ?? (c.clean_s !== undefined ? `clean ${c.clean_s}` : c.headless_s !== undefined ? `headless shell ${c.headless_s}` : '')} | ${c.ratio ?? ''} | ${c.peak_rss_mb} | ${c.pages ?? ''} | ${c.pages_per_s ?? ''} | ${mb(c.pdf_bytes)} | ${mb(c.floor_pdf_bytes)} | ${c.bytes_ratio ?? ''} | ${c.qpdf_check ?? ''} | ${c.bookmarks === undefined ? '' : `${c.bookmarks} / ${c.contents_entries}`} | ${c.identical_builds === undefined ? '' : c.identical_builds ? 'yes' : 'NO'} |`,
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
  '## Where the time went',
  '',
  "Per case, the median over its clean builds of each span the build reports (`--json`'s `timings`, src/timings.ts): when it began, in ms from the start of the process, and how long it took (summed where there are several, as prints). Spans overlap: Chromium starts while the pack loads, the EPUB and HTML are made while the PDF prints.",
  '',
  ...merged.filter((c) => c.breakdown).flatMap((c) => [`**${c.case}** (${c.briefpack_s} s): ${Object.entries(c.breakdown).map(([name, t]) => `${name} ${t.start_ms}+${t.ms}`).join(' · ')}`, '']),
].join('\n');
writeFileSync(path.join(ROOT, 'bench', 'results.md'), md);
process.stdout.write(md);
rmSync(work, { recursive: true, force: true });
