// Generates synthetic briefing packs for tests and benchmarks: N articles of different,
// deterministic text (a seeded generator, no clock or randomness), with sections, sidebars of
// several kinds, footnotes, a wide table, an image, an Arabic passage and a French article.
// Usage: node scripts/generate-pack.mjs DIR ARTICLES
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const WORDS = (
  'ministry delegation summit agreement framework security partners negotiation ceasefire envoy ' +
  'capital region border talks cooperation reconstruction sanctions energy pipeline corridor port ' +
  'coalition parliament election reform budget commission inquiry treaty protocol guarantees ' +
  'observers monitoring mission mandate assistance humanitarian supply logistics route convoy ' +
  'analysts officials spokesman statement briefing sources timeline deadline proposal draft ' +
  'compromise concession leverage deterrence escalation restraint dialogue mediation channel ' +
  'frontier garrison airbase naval exercise inspection verification compliance violation report ' +
  'investment contract tender consortium financing loan debt currency inflation exports imports ' +
  'harvest drought water infrastructure grid outage shortage tariff subsidy market ' +
  'governor council tribal leaders militia disarmament integration amnesty detainees exchange'
).split(' ');

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(rand, min = 10, max = 22) {
  const n = min + Math.floor(rand() * (max - min));
  const words = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]);
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return `${words.join(' ')}.`;
}

function paragraph(rand, sentences = 5) {
  return Array.from({ length: sentences }, () => sentence(rand)).join(' ');
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
}
/** A small RGB PNG: a gradient chart-like picture, deterministic. */
export function makePng(width = 320, height = 180) {
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const bar = Math.floor(x / (width / 8));
      const barTop = height - ((bar * 37) % height) * 0.8 - 20;
      const inBar = y > barTop && x % (width / 8) > 6;
      row[1 + x * 3] = inBar ? 31 : 238;
      row[2 + x * 3] = inBar ? 58 : 242;
      row[3 + x * 3] = inBar ? 95 : 247;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function wideTable(rand) {
  const head = ['Region', 'Q1', 'Q2', 'Q3', 'Q4', 'Change', 'Trend', 'Source'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (let r = 0; r < 40; r++) {
    const cells = [
      `Province ${r + 1}`,
      ...Array.from({ length: 4 }, () => String(Math.floor(rand() * 900) + 100)),
      `${Math.floor(rand() * 40) - 20}%`,
      rand() > 0.5 ? 'rising' : 'falling',
      'Field reports',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * Write a pack of `count` articles into `dir`. Options: `sectionsPerArticle`, `paragraphsPerSection`.
 * Returns the pack folder.
 */
export function generatePack(dir, count, options = {}) {
  const sections = options.sectionsPerArticle ?? 3;
  const paragraphs = options.paragraphsPerSection ?? 4;
  const write = (rel, content) => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  write('images/chart.png', makePng());
  const slugs = [];
  for (let i = 1; i <= count; i++) {
    const rand = prng(i * 7919);
    const slug = `article-${String(i).padStart(3, '0')}`;
    slugs.push(slug);
    const french = i === 5;
    const title = french ? `Article ${i} : la délégation et le sommet` : `Article ${i}: ${sentence(rand, 4, 7).slice(0, -1)}`;
    const sidebarIds = [`people-${i}`, `timeline-${i}`, `facts-${i}`];
    const body = [];
    body.push(paragraph(rand, 4));
    if (i % 4 === 2) body.push('![A bar chart of monthly figures by province](../images/chart.png "Figure 1: monthly figures by province")');
    for (let s = 1; s <= sections; s++) {
      body.push(`## ${french ? 'Section' : 'Section'} ${s}: ${sentence(rand, 2, 4).slice(0, -1)}`);
      for (let p = 0; p < paragraphs; p++) {
        let text = paragraph(rand, 5);
        if (p === 0 && s === 1) text += `[^n${i}a]`;
        if (p === 1 && s === 2) text += `[^n${i}b]`;
        // Links between articles: the first to the last, every other to the one before it. A
        // pack printed in parts has links that cross from one part to another.
        if (p === 0 && s === 3) text += ` See also [article ${i === 1 ? count : i - 1}](#article-${String(i === 1 ? count : i - 1).padStart(3, '0')}).`;
        body.push(text);
      }
      if (s === 2 && i % 4 === 3) body.push(wideTable(rand));
      if (s === 1 && i % 4 === 0) body.push('<p lang="ar">هذا نص تجريبي باللغة العربية لاختبار الاتجاه من اليمين إلى اليسار.</p>');
      if (s === 2) body.push(`::sidebar{#facts-${i}}`);
    }
    body.push(`[^n${i}a]: ${sentence(rand)}`);
    body.push(`[^n${i}b]: ${sentence(rand)}`);
    const front = [
      '---',
      `title: ${JSON.stringify(title)}`,
      `standfirst: ${JSON.stringify(sentence(rand, 14, 24))}`,
      `date: 2026-${String(((i - 1) % 12) + 1).padStart(2, '0')}-15`,
      `tags: [Region ${(i % 5) + 1}, Security]`,
      french ? 'lang: fr' : '',
      'bottom_line:',
      `  - ${JSON.stringify(sentence(rand))}`,
      `  - ${JSON.stringify(sentence(rand))}`,
      'sidebars:',
      `  - id: people-${i}`,
      `    section: ${JSON.stringify(body.find((b) => b.startsWith('## Section 1'))?.slice(3))}`,
      `  - timeline-${i}`,
      '---',
    ].filter(Boolean);
    write(`articles/${slug}.md`, `${front.join('\n')}\n\n${body.join('\n\n')}\n`);
    write(
      `sidebars/${sidebarIds[0]}.yaml`,
      `title: Key people\nkind: people\npeople:\n${Array.from({ length: 4 }, (_, k) => `  - name: Person ${i}-${k + 1}\n    role: ${sentence(rand, 2, 4).slice(0, -1)}\n    country: Country ${k + 1}\n`).join('')}`,
    );
    write(
      `sidebars/${sidebarIds[1]}.yaml`,
      `title: Timeline\nkind: timeline\nevents:\n  - date: autumn 2026\n    event: ${JSON.stringify(sentence(rand, 5, 9))}\n  - date: 2026-03-04\n    event: ${JSON.stringify(sentence(rand, 5, 9))}\n  - date: 2026-01\n    event: ${JSON.stringify(sentence(rand, 5, 9))}\n`,
    );
    write(
      `sidebars/${sidebarIds[2]}.yaml`,
      `title: Key facts\nkind: facts\nfacts:\n${Array.from({ length: 3 }, (_, k) => `  - label: Figure ${k + 1}\n    value: ${JSON.stringify(sentence(rand, 3, 6))}\n`).join('')}`,
    );
  }
  write(
    'pack.yaml',
    [
      `title: Generated pack of ${count}`,
      'subtitle: Synthetic articles for tests and benchmarks',
      'date: 2026-11-26',
      'edition: 2',
      'organisation: Test Desk',
      'classification: OFFICIAL',
      'language: en-GB',
      'articles:',
      ...slugs.map((s) => `  - ${s}`),
      '',
    ].join('\n'),
  );
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const [dir, count] = process.argv.slice(2);
  if (!dir || !count) {
    console.error('usage: node scripts/generate-pack.mjs DIR ARTICLES');
    process.exit(2);
  }
  generatePack(path.resolve(dir), Number(count));
  console.log(`wrote a pack of ${count} articles to ${dir}`);
}
