// Builds a pack from Markdown that nobody here wrote: the README files of the packages installed
// in node_modules (on every machine that has run `npm ci`, the same files for the same lock file).
// Packages are chosen deterministically (sorted by a hash of their name, so that the pick spreads
// over the alphabet and over authors), their READMEs kept as written but for images: remote
// badges would be refused by design, so each image becomes its alt text. Nothing is committed
// but this generator.
// Usage: node scripts/real-world-pack.mjs DIR [COUNT]
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every top-level package's README (name, absolute path), sorted by name. */
export function installedReadmes(nodeModules = path.join(ROOT, 'node_modules')) {
  const found = [];
  const consider = (name, dir) => {
    let entries;
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    const readme = entries.filter((e) => /^readme\.md$/i.test(e)).sort()[0];
    if (readme && statSync(path.join(dir, readme)).isFile()) found.push({ name, file: path.join(dir, readme) });
  };
  for (const entry of readdirSync(nodeModules).sort()) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(path.join(nodeModules, entry)).sort()) consider(`${entry}/${sub}`, path.join(nodeModules, entry, sub));
    } else consider(entry, path.join(nodeModules, entry));
  }
  return found;
}

/**
 * The README's text with every image (inline, reference or raw HTML `<img>`) replaced by its alt
 * text, found by parsing rather than by pattern, so that code samples stay as written.
 */
export function withoutImages(text) {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(text);
  const cuts = [];
  const stack = [tree];
  while (stack.length) {
    const node = stack.pop();
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if ((node.type === 'image' || node.type === 'imageReference') && start !== undefined && end !== undefined) {
      cuts.push({ start, end, text: escapeText(node.alt ?? '') });
      continue;
    }
    if (node.type === 'html' && start !== undefined && /<img\b/i.test(node.value)) {
      for (const m of node.value.matchAll(/<img\b[^>]*>/gi)) {
        const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(m[0]);
        cuts.push({ start: start + m.index, end: start + m.index + m[0].length, text: alt ? (alt[1] ?? alt[2] ?? '') : '' });
      }
    }
    if (node.children) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  cuts.sort((a, b) => b.start - a.start);
  let out = text;
  for (const cut of cuts) out = out.slice(0, cut.start) + cut.text + out.slice(cut.end);
  return out;
}

function escapeText(alt) {
  return alt.replace(/[[\]\\*_`<>]/g, (c) => `\\${c}`);
}

function slugOf(name) {
  return name.replace(/^@/, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}

/**
 * Writes the pack to `dir`: `count` READMEs of at most `maxBytes` each. Returns the chosen
 * packages' names, in the pack's order.
 */
export function realWorldPack(dir, { count = 120, maxBytes = 40_000, nodeModules } = {}) {
  const all = installedReadmes(nodeModules)
    .map((r) => ({ ...r, size: statSync(r.file).size, rank: createHash('sha256').update(r.name).digest('hex') }))
    .filter((r) => r.size > 200 && r.size <= maxBytes)
    .sort((a, b) => (a.rank < b.rank ? -1 : 1));
  if (all.length < count) throw new Error(`only ${all.length} READMEs under node_modules; run npm ci first`);
  const chosen = all.slice(0, count);
  mkdirSync(path.join(dir, 'articles'), { recursive: true });
  const slugs = [];
  for (const r of chosen) {
    const slug = slugOf(r.name);
    slugs.push(slug);
    const body = withoutImages(readFileSync(r.file, 'utf8').replace(/^\uFEFF/, ''));
    const front = ['---', `title: ${JSON.stringify(`The ${r.name} package`)}`, `short_title: ${JSON.stringify(r.name)}`, `source: ${JSON.stringify(`${r.name} README`)}`, '---', ''].join('\n');
    writeFileSync(path.join(dir, 'articles', `${slug}.md`), `${front}\n${body}`);
  }
  const manifest = [
    'title: Packages we build on',
    'subtitle: The README files of the npm packages installed with briefpack, as their authors wrote them',
    'date: 2026-01-15',
    'organisation: briefpack tests',
    'language: en',
    'articles:',
    ...slugs.map((s) => `  - ${s}`),
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'pack.yaml'), manifest);
  return chosen.map((r) => r.name);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node scripts/real-world-pack.mjs DIR [COUNT]');
    process.exit(2);
  }
  const names = realWorldPack(dir, count ? { count: Number(count) } : {});
  console.log(`wrote ${names.length} articles to ${dir}`);
}
