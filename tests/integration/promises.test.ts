/**
 * What README.md promises, each held by a test that fails when the promise breaks: options
 * (--debug-html, --quiet, --version, --no-cache, --validate), the manifest's defaults, front matter
 * fields, sidebar placement, the timeline's order, custom kinds' data-if and data-href, a pack's
 * own template, footnotes, the release manifest and the dates SOURCE_DATE_EPOCH pins.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { briefpack, ROOT, snapshotDir, tempDir } from '../helpers/cli.js';
import { writePack } from '../helpers/pack.js';
// @ts-expect-error: a plain JS module shared with the benchmark
import { makePng } from '../../scripts/generate-pack.mjs';
import { allText, pageCount, pageText, pdfFonts, pdfInfo, pdfLinks, run, unzipRead } from '../helpers/tools.js';

const EPOCH = '1768435200'; // 2026-01-15 00:00:00 UTC

const RISK_SCHEMA = JSON.stringify({
  type: 'object',
  required: ['risks'],
  additionalProperties: false,
  properties: {
    risks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['risk'],
        additionalProperties: false,
        properties: { risk: { type: 'string' }, owner: { type: 'string' }, link: { type: 'string' } },
      },
    },
  },
});

const RISK_TEMPLATE = `<ul class="risks"><li data-each="risks"><span data-text="risk"></span><em data-if="owner"> owned by <span data-text="owner"></span></em> <a data-href="link">source</a></li></ul>`;

const FIRST = `---
title: The first article of the features pack
short_title: Short running head
standfirst: A standfirst under the title.
author: Desk officer
date: 2026-01-10
source:
  name: The Daily Source
  url: https://example.com/daily-source
photo_credit: Press pool
bottom_line:
  - The first point of the bottom line.
  - The second point of the bottom line.
sidebars:
  - id: timeline
    section: Second section
  - risks
---

Opening paragraph.

## First section

Para one of the first section.

Para two of the first section.

## Second section

First para of the second section.

Second para of the second section.

::sidebar{#facts}

After the facts, a note[^b] and another[^a].

![A small chart](../images/chart.png)

[^a]: Note called second.
[^b]: Note called first.
`;

const SECOND = `---
title: مقال بالعربية
lang: ar
---

هذا نص عربي قصير.
`;

const TIMELINE = `title: Timeline
kind: timeline
events:
  - date: 2026-10
    event: Event dated October 2026.
  - date: 2025
    event: Event dated 2025.
  - date: early March 2026
    event: Event dated early March 2026.
  - date: 2026-03-20
    event: Event dated 20 March 2026.
  - date: 2024-12-31
    event: Event dated the last day of 2024.
`;

const FACTS = `title: Facts
kind: facts
facts:
  - label: A fact
    value: Its value
`;

const RISKS = `title: Risks
kind: risk
risks:
  - risk: A risk with an owner
    owner: The desk
    link: https://example.com/risk
  - risk: A risk without an owner
    link: javascript:alert(1)
`;

/** A pack that exercises most of what an article and its sidebars can say. */
function featuresPack(manifestExtra = '', articles = ['first', 'second']): string {
  return writePack({
    'pack.yaml': `title: Features\ndate: 2026-01-15\norganisation: Test Unit\nlanguage: en-GB\n${manifestExtra}articles:\n${articles.map((a) => `  - ${a}\n`).join('')}`,
    'articles/first.md': FIRST,
    'articles/second.md': SECOND,
    'sidebars/timeline.yaml': TIMELINE,
    'sidebars/facts.yaml': FACTS,
    'sidebars/risks.yaml': RISKS,
    'images/chart.png': makePng(120, 60),
    'kinds/risk/schema.json': RISK_SCHEMA,
    'kinds/risk/template.html': RISK_TEMPLATE,
    // A pack's own files of a built-in template win over briefpack's.
    'templates/default/print.css': `${readFileSync(path.join(ROOT, 'templates/default/print.css'), 'utf8')}\n.chapter-title::after { content: " (pack template)"; }\n`,
    'templates/default/web.css': `${readFileSync(path.join(ROOT, 'templates/default/web.css'), 'utf8')}\n.chapter-title { letter-spacing: 0.0123em; }\n`,
  });
}

const order = (text: string, parts: readonly string[]) => parts.map((p) => text.indexOf(p));
const increasing = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!));

describe('a pack that uses every article and sidebar feature', () => {
  let out: string;
  let pdf: string;
  let html: string;
  let buildStdout: string;

  beforeAll(() => {
    out = tempDir('briefpack-features-');
    const r = briefpack(['build', featuresPack('paper: letter\n'), '--out', out, '--debug-html'], { env: { SOURCE_DATE_EPOCH: EPOCH } });
    if (r.code !== 0) throw new Error(r.stderr);
    buildStdout = r.stdout;
    pdf = path.join(out, 'features.pdf');
    html = readFileSync(path.join(out, 'features.html'), 'utf8');
  });

  it('sorts the timeline by date, whatever the order it was written in', () => {
    const events = ['Event dated the last day of 2024.', 'Event dated 2025.', 'Event dated early March 2026.', 'Event dated 20 March 2026.', 'Event dated October 2026.'];
    expect(increasing(order(html, events)), 'HTML').toBe(true);
    expect(increasing(order(allText(pdf).replace(/\s+/g, ' '), events)), 'PDF').toBe(true);
  });

  it('places a sidebar after the first paragraph of its section, at the ::sidebar point, and after the text', () => {
    const sequence = [
      'First para of the second section.',
      '<aside class="sidebar sidebar-timeline"',
      'Second para of the second section.',
      '<aside class="sidebar sidebar-facts"',
      'After the facts',
      '<aside class="sidebar sidebar-risk"',
      'class="endnotes"',
    ];
    expect(order(html, sequence)).toEqual([...order(html, sequence)].sort((a, b) => a - b));
    expect(increasing(order(html, sequence))).toBe(true);
  });

  it('fills a custom kind: data-if only where the value is, data-href only for web addresses', () => {
    const risks = html.slice(html.indexOf('<aside class="sidebar sidebar-risk"'), html.indexOf('</aside>', html.indexOf('<aside class="sidebar sidebar-risk"')));
    expect(risks).toContain('<ul class="risks"><li><span>A risk with an owner</span><em> owned by <span>The desk</span></em> <a href="https://example.com/risk">source</a></li>');
    expect(risks).toContain('<li><span>A risk without an owner</span> <a>source</a></li>');
    expect(risks).not.toContain('javascript:');
  });

  it('prints the front matter: short title as running head, standfirst, bottom line, source link, photo credit', () => {
    const pages = Array.from({ length: pageCount(pdf) }, (_, i) => pageText(pdf, i + 1));
    const articlePages = pages.filter((t) => t.includes('Para one of the first section') || t.includes('Second para of the second section'));
    expect(articlePages.length).toBeGreaterThan(0);
    for (const page of articlePages) expect(page.split('\n').slice(0, 3).join(' ')).toContain('Short running head');
    const text = allText(pdf).replace(/\s+/g, ' ');
    for (const shown of ['A standfirst under the title.', 'BOTTOM LINE', 'The first point of the bottom line.', 'Source: The Daily Source', 'Photo: Press pool', 'Desk officer']) expect(text).toContain(shown);
    expect(html).toContain('<a href="https://example.com/daily-source">The Daily Source</a>');
    expect(run('qpdf', ['--json=2', pdf])).toContain('https://example.com/daily-source');
  });

  it('sets an article in its own language: right to left, in the Arabic face', () => {
    expect(html).toMatch(/<article class="chapter" id="article-second" lang="ar" dir="rtl"/);
    expect(pdfFonts(pdf).some((f) => /NotoNaskhArabic/.test(f.name))).toBe(true);
    expect(allText(pdf)).toContain('عربي');
  });

  it('numbers footnotes in the order they are called and links them both ways', () => {
    const notes = html.slice(html.indexOf('class="endnotes"'));
    expect(increasing(order(notes, ['Note called first.', 'Note called second.']))).toBe(true);
    const refs = [...html.matchAll(/<a href="#(first--fn-[^"]+)"[^>]*data-footnote-ref[^>]*>(\d+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(refs).toEqual([
      ['first--fn-b', '1'],
      ['first--fn-a', '2'],
    ]);
    expect(html).toMatch(/<li id="first--fn-b">/);
    expect(html).toMatch(/href="#first--fnref-b"/);
    const links = pdfLinks(pdf).map((l) => l.name);
    for (const id of ['first--fn-b', 'first--fn-a', 'first--fnref-b', 'first--fnref-a']) expect(links, id).toContain(id);
  });

  it('uses the pack\'s own files of a built-in template', () => {
    expect(allText(pdf)).toContain('The first article of the features pack (pack template)');
    expect(html).toContain('letter-spacing: 0.0123em');
  });

  it('takes the paper size from the manifest, and --paper over it', () => {
    expect(pdfInfo(pdf)['Page size']).toMatch(/^612 x 792 pts/);
    const a4 = tempDir('briefpack-features-a4-');
    expect(briefpack(['build', featuresPack('paper: letter\n'), '--out', a4, '--format', 'pdf', '--paper', 'a4']).code).toBe(0);
    expect(pdfInfo(path.join(a4, 'features.pdf'))['Page size']).toMatch(/^59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
  });

  it('writes the print HTML with --debug-html, and only then', () => {
    const debug = readFileSync(path.join(out, 'features.print.html'), 'utf8');
    expect(debug).toContain('The first article of the features pack');
    expect(debug).toContain('@page');
    const plain = tempDir('briefpack-features-plain-');
    expect(briefpack(['build', featuresPack(), '--out', plain, '--format', 'pdf']).code).toBe(0);
    expect(readdirSync(plain).filter((f) => !f.startsWith('.')).sort()).toEqual(['features.pdf', 'manifest.json']);
    expect(buildStdout).toContain('features.pdf');
  });

  it('inlines every image and font in the HTML page, which loads nothing else', () => {
    expect(html).toMatch(/url\("data:font\/woff2;base64,/);
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="A small chart">/);
    expect(html).not.toMatch(/<link |src="(?!data:)|url\((?!"?data:|"?#)/);
  });
});

describe('the manifest\'s defaults', () => {
  it('duplex: true starts every article on a right-hand page; template: memo runs articles on', () => {
    // The one-page article first: single-sided, the next starts on page 4, a left-hand page.
    const blank = 'This page intentionally left blank';
    const single = tempDir('briefpack-single-');
    expect(briefpack(['build', featuresPack('', ['second', 'first']), '--out', single, '--format', 'pdf']).code).toBe(0);
    expect(allText(path.join(single, 'features.pdf'))).not.toContain(blank);
    const duplex = tempDir('briefpack-duplex-');
    expect(briefpack(['build', featuresPack('duplex: true\n', ['second', 'first']), '--out', duplex, '--format', 'pdf']).code).toBe(0);
    expect(pageText(path.join(duplex, 'features.pdf'), 4)).toContain(blank);
    expect(pageText(path.join(duplex, 'features.pdf'), 5)).toContain('Opening paragraph.');
    const memo = tempDir('briefpack-memo-');
    expect(briefpack(['build', featuresPack('template: memo\n'), '--out', memo, '--format', 'pdf']).code).toBe(0);
    // No cover: the pack's first page already holds an article; memo fits both on one or two pages.
    const memoPdf = path.join(memo, 'features.pdf');
    expect(pageText(memoPdf, 1)).toContain('Opening paragraph.');
    expect(pageCount(memoPdf)).toBeLessThanOrEqual(3);
    // The command line wins over the manifest.
    const cli = tempDir('briefpack-memo-cli-');
    expect(briefpack(['build', featuresPack('template: memo\n'), '--out', cli, '--format', 'pdf', '--template', 'default']).code).toBe(0);
    expect(pageText(path.join(cli, 'features.pdf'), 1)).not.toContain('Opening paragraph.');
  });
});

describe('options', () => {
  it('--version prints the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(briefpack(['--version']).stdout.trim()).toBe(pkg.version);
  });

  it('--quiet prints nothing but errors', () => {
    const dir = featuresPack();
    writeFileSync(path.join(dir, 'articles/second.md'), `${SECOND}\n![](../images/none.png)\n`);
    const failing = briefpack(['build', dir, '--out', tempDir(), '--quiet', '--format', 'html']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toBe('');
    expect(failing.stderr).toMatch(/second\.md:\d+:\d+ error image \.\.\/images\/none\.png not found/);
    expect(failing.stderr).not.toMatch(/warning|\[\d+\.\d s\]|render|transform/);
    writeFileSync(path.join(dir, 'articles/second.md'), `${SECOND}\n[dead](#nowhere)\n`);
    const passing = briefpack(['build', dir, '--out', tempDir(), '--quiet', '--format', 'html']);
    expect(passing.code).toBe(0);
    expect(passing.stdout + passing.stderr).toBe('');
  });

  it('--no-cache ignores a cache that is there, even a poisoned one', () => {
    const dir = featuresPack();
    const out = tempDir('briefpack-nocache-');
    expect(briefpack(['build', dir, '--out', out, '--format', 'html']).code).toBe(0);
    const cache = path.join(out, '.briefpack-cache');
    const entries = readdirSync(cache).filter((f) => f.startsWith('web-chapter-'));
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) writeFileSync(path.join(cache, entry), '<p>POISONED CACHE ENTRY</p>');
    expect(briefpack(['build', dir, '--out', out, '--format', 'html', '--no-cache']).code).toBe(0);
    const html = readFileSync(path.join(out, 'features.html'), 'utf8');
    expect(html).not.toContain('POISONED');
    expect(html).toContain('Para one of the first section.');
    // And it leaves the cache alone: the poisoned entries are still there, untouched.
    for (const entry of entries) expect(readFileSync(path.join(cache, entry), 'utf8')).toBe('<p>POISONED CACHE ENTRY</p>');
  });

  it('--validate fails, writing nothing, on a PDF whose bookmarks are missing (a template hides the sections)', () => {
    const dir = featuresPack();
    writeFileSync(path.join(dir, 'templates/default/print.css'), `${readFileSync(path.join(ROOT, 'templates/default/print.css'), 'utf8')}\n.chapter-body h2 { display: none; }\n`);
    const out = tempDir('briefpack-validate-');
    writeFileSync(path.join(out, 'previous.txt'), 'the last good build');
    const before = snapshotDir(out);
    const r = briefpack(['build', dir, '--out', out, '--format', 'pdf', '--validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/features\.pdf error the PDF has \d+ bookmarks; the contents has \d+ entries \(validate\/pdf\)/);
    expect(snapshotDir(out)).toEqual(before);
    // Without the gate, the same build writes its PDF.
    expect(briefpack(['build', dir, '--out', out, '--format', 'pdf']).code).toBe(0);
  });
});

describe('the release manifest and SOURCE_DATE_EPOCH', () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    dir = featuresPack();
    out = tempDir('briefpack-release-');
    const r = briefpack(['build', dir, '--out', out], { env: { SOURCE_DATE_EPOCH: EPOCH, TZ: 'Pacific/Auckland' } });
    if (r.code !== 0) throw new Error(r.stderr);
  });
  const manifest = (folder: string) => JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { build: { briefpack: string; chromium: string; inputsSha256: string } };

  it('keys the cache to the code: a changed briefpack does not take what an older one made', () => {
    // briefpack installed a second time, beside the first, with its own code and the same packages.
    const install = tempDir('briefpack-install-');
    for (const part of ['package.json', 'package-lock.json', 'bin', 'dist', 'templates', 'scaffold', 'schemas']) cpSync(path.join(ROOT, part), path.join(install, part), { recursive: true, preserveTimestamps: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(install, 'node_modules'));
    const spawnCli = (args: string[]) => spawnSync(process.execPath, [path.join(install, 'bin/briefpack.js'), ...args], { encoding: 'utf8' });
    const out2 = tempDir('briefpack-install-out-');
    const args = ['build', dir, '--out', out2, '--format', 'html'];
    expect(spawnCli(args).status).toBe(0);
    expect(spawnCli(args).stderr).toContain('transform: 2 of 2 articles unchanged, taken from the cache');
    // The same version, other code: every file of the bundle changed on disk.
    const now = new Date(Date.now() + 60_000);
    for (const file of readdirSync(path.join(install, 'dist'), { recursive: true }) as string[]) utimesSync(path.join(install, 'dist', file), now, now);
    const after = spawnCli(args);
    expect(after.status).toBe(0);
    expect(after.stderr).not.toContain('taken from the cache');
  });

  it('names the briefpack and Chromium that built it', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const doctor = JSON.parse(briefpack(['doctor', '--json']).stdout) as { checks: Array<{ name: string; detail: string }> };
    const chromium = doctor.checks.find((c) => c.name === 'chromium')!.detail;
    const m = manifest(out);
    expect(m.build.briefpack).toBe(pkg.version);
    expect(chromium).toContain(m.build.chromium.replace(/^.*\//, ''));
  });

  it('hashes the inputs: the same for the same pack, another when an input changes', () => {
    const again = tempDir('briefpack-release-again-');
    expect(briefpack(['build', dir, '--out', again, '--format', 'html']).code).toBe(0);
    expect(manifest(again).build.inputsSha256).toBe(manifest(out).build.inputsSha256);
    writeFileSync(path.join(dir, 'sidebars/facts.yaml'), FACTS.replace('Its value', 'Another value'));
    const changed = tempDir('briefpack-release-changed-');
    expect(briefpack(['build', dir, '--out', changed, '--format', 'html']).code).toBe(0);
    expect(manifest(changed).build.inputsSha256).not.toBe(manifest(out).build.inputsSha256);
    writeFileSync(path.join(dir, 'sidebars/facts.yaml'), FACTS);
  });

  it('stamps the PDF, the EPUB and its ZIP entries with exactly that time, in any time zone', () => {
    const info = pdfInfo(path.join(out, 'features.pdf'), { ...process.env, TZ: 'UTC' });
    expect(info.CreationDate).toBe('Thu Jan 15 00:00:00 2026 UTC');
    expect(info.ModDate).toBe('Thu Jan 15 00:00:00 2026 UTC');
    const epub = path.join(out, 'features.epub');
    expect(unzipRead(epub, 'OEBPS/content.opf')).toContain('<meta property="dcterms:modified">2026-01-15T00:00:00Z</meta>');
    const times = execFileSync('zipinfo', ['-T', epub], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } })
      .split('\n')
      .filter((l) => /^[-d]/.test(l))
      .map((l) => l.split(/\s+/)[6]);
    expect(times.length).toBeGreaterThan(5);
    expect(new Set(times)).toEqual(new Set(['20260115.000000']));
  });

  it('derives the EPUB identifier from the pack: the same for the same pack, another for another', () => {
    const id = (epub: string) => /<dc:identifier id="[^"]+">(urn:uuid:[0-9a-f-]{36})<\/dc:identifier>/.exec(unzipRead(epub, 'OEBPS/content.opf'))?.[1];
    const first = id(path.join(out, 'features.epub'));
    expect(first).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = featuresPack();
    writeFileSync(path.join(other, 'pack.yaml'), readFileSync(path.join(other, 'pack.yaml'), 'utf8').replace('title: Features', 'title: Features, second edition'));
    const otherOut = tempDir('briefpack-release-other-');
    expect(briefpack(['build', other, '--out', otherOut, '--format', 'epub']).code).toBe(0);
    const second = id(path.join(otherOut, 'features-second-edition.epub'));
    expect(second).toMatch(/^urn:uuid:/);
    expect(second).not.toBe(first);
    const sameOut = tempDir('briefpack-release-same-');
    expect(briefpack(['build', featuresPack(), '--out', sameOut, '--format', 'epub']).code).toBe(0);
    expect(id(path.join(sameOut, 'features.epub'))).toBe(first);
  });
});

describe('a render that fails', () => {
  it('exits 3 and leaves the output folder as it was', () => {
    const dir = featuresPack();
    const out = tempDir('briefpack-failed-render-');
    expect(briefpack(['build', dir, '--out', out, '--format', 'html']).code).toBe(0);
    const before = snapshotDir(out);
    // A "browser" that exits at once: the pack is read and transformed, and the PDF cannot be made.
    const r = briefpack(['build', dir, '--out', out, '--browser', '/bin/false']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/error .*Chromium.* \(render\/(browser|failed)\)/);
    expect(snapshotDir(out)).toEqual(before);
    expect(existsSync(path.join(out, 'features.pdf'))).toBe(false);
  });
});

describe('briefpack doctor', () => {
  it('reports the fonts, Java, EPUBCheck and Ace it finds', () => {
    const r = briefpack(['doctor', '--json']);
    const checks = (JSON.parse(r.stdout) as { checks: Array<{ name: string; ok: boolean; detail: string }> }).checks;
    const byName = new Map(checks.map((c) => [c.name, c]));
    expect(byName.get('fonts')).toMatchObject({ ok: true });
    expect(byName.get('fonts')!.detail).toMatch(/Source Serif 4.*Source Sans 3.*Noto Naskh Arabic/s);
    expect(byName.get('java')).toMatchObject({ ok: true });
    expect(byName.get('java')!.detail).toMatch(/\b17\.|\b21\./);
    expect(byName.get('epubcheck')).toMatchObject({ ok: true });
    expect(byName.get('epubcheck')!.detail).toContain('epubcheck.jar');
    expect(byName.get('ace')).toMatchObject({ ok: true, required: false });
    expect(byName.get('ace')!.detail).toMatch(/^Ace by DAISY 1\.4\.6 at .*tools\/ace\/node_modules\/@daisy\/ace-cli\/bin\/ace\.js \(from tools\/ace\)$/);
    const misnamed = JSON.parse(briefpack(['doctor', '--json'], { env: { BRIEFPACK_ACE: '/nonexistent/ace.js' } }).stdout) as { checks: Array<{ name: string; ok: boolean; detail: string; fix?: string }> };
    expect(misnamed.checks.find((c) => c.name === 'ace')).toMatchObject({ ok: false, detail: 'BRIEFPACK_ACE names a file that does not exist: /nonexistent/ace.js' });
    expect(misnamed.checks.find((c) => c.name === 'ace')!.fix).toMatch(/npm ci --ignore-scripts --prefix .*tools\/ace/);
    const missing = JSON.parse(briefpack(['doctor', '--json'], { env: { PATH: '/nonexistent', EPUBCHECK_JAR: '/nonexistent/epubcheck.jar' } }).stdout) as { checks: Array<{ name: string; ok: boolean; fix?: string }> };
    const java = missing.checks.find((c) => c.name === 'java')!;
    expect(java.ok).toBe(false);
    expect(java.fix).toMatch(/apt-get install|install/i);
  });
});
