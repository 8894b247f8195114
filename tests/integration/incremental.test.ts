/** Rebuilds reuse the last layout and cover, and give exactly the bytes of a clean build. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module shared with the benchmark
import { generatePack } from '../../scripts/generate-pack.mjs';
import { briefpack, tempDir } from '../helpers/cli.js';
import { writePack } from '../helpers/pack.js';
import { pageTexts } from '../helpers/pdf-expect.js';

const env = { SOURCE_DATE_EPOCH: '1780000000' };

describe('incremental rebuilds', () => {
  it('after one article changed, lays out in one pass and matches a clean build byte for byte', () => {
    const dir = generatePack(tempDir(), 4) as string;
    const out = tempDir();
    const first = briefpack(['build', dir, '--out', out], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('layout pass 2');

    const article = path.join(dir, 'articles', 'article-003.md');
    writeFileSync(article, readFileSync(article, 'utf8').replace('## Section 2', 'One more sentence, changed since the last build.\n\n## Section 2'));
    const rebuild = briefpack(['build', dir, '--out', out], { env });
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(rebuild.stderr).toContain('layout pass 1');
    expect(rebuild.stderr).not.toContain('layout pass 2');

    const clean = tempDir();
    const fresh = briefpack(['build', dir, '--out', clean, '--no-cache'], { env });
    expect(fresh.code, fresh.stderr).toBe(0);
    for (const name of ['generated-pack-of-4.pdf', 'generated-pack-of-4.epub', 'generated-pack-of-4.html', 'manifest.json']) {
      expect(readFileSync(path.join(out, name)).equals(readFileSync(path.join(clean, name))), name).toBe(true);
    }
  });

  it.each([[[]], [['--duplex']]])('still gets the numbers right when the change moves later articles (%j)', (flags: string[]) => {
    const dir = generatePack(tempDir(), 3) as string;
    const out = tempDir();
    expect(briefpack(['build', dir, '--out', out, '--format', 'pdf', ...flags], { env }).code).toBe(0);
    const article = path.join(dir, 'articles', 'article-001.md');
    const extra = Array.from({ length: 40 }, (_, i) => `An added paragraph ${i} that pushes every later heading further down the pack.`).join('\n\n');
    writeFileSync(article, readFileSync(article, 'utf8').replace('## Section 2', `${extra}\n\n## Section 2`));
    const rebuild = briefpack(['build', dir, '--out', out, '--format', 'pdf', ...flags], { env });
    expect(rebuild.code).toBe(0);
    expect(rebuild.stderr).toContain('layout pass 2');
    const clean = tempDir();
    expect(briefpack(['build', dir, '--out', clean, '--format', 'pdf', '--no-cache', ...flags], { env }).code).toBe(0);
    expect(readFileSync(path.join(out, 'generated-pack-of-3.pdf')).equals(readFileSync(path.join(clean, 'generated-pack-of-3.pdf')))).toBe(true);
  });

  it('takes unchanged articles from the cache, with their warnings, yet sees a changed sidebar or a missing image', () => {
    const dir = generatePack(tempDir(), 3) as string;
    const out = tempDir();
    const build = () => briefpack(['build', dir, '--out', out, '--format', 'html'], { env });
    const first = path.join(dir, 'articles', 'article-001.md');
    writeFileSync(first, readFileSync(first, 'utf8').replace('## Section 2', '![](../images/chart.png)\n\n## Section 2'));
    const warning = /article-001\.md:\d+:\d+ warning image \.\.\/images\/chart\.png has no alt text/;

    const initial = build();
    expect(initial.code, initial.stderr).toBe(0);
    expect(initial.stderr).toMatch(warning);
    expect(initial.stderr).not.toContain('taken from the cache');

    const again = build();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('transform: 3 of 3 articles unchanged, taken from the cache');
    expect(again.stderr).toMatch(warning);

    // Article 2 places this sidebar; its text did not change, its sidebar did.
    const people = path.join(dir, 'sidebars', 'people-2.yaml');
    writeFileSync(people, readFileSync(people, 'utf8').replace('Person 2-1', 'Person Renamed'));
    const renamed = build();
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stderr).toContain('transform: 2 of 3 articles unchanged, taken from the cache');
    const html = readFileSync(path.join(out, 'generated-pack-of-3.html'), 'utf8');
    expect(html).toContain('Person Renamed');
    const clean = tempDir();
    expect(briefpack(['build', dir, '--out', clean, '--format', 'html', '--no-cache'], { env }).code).toBe(0);
    expect(html === readFileSync(path.join(clean, 'generated-pack-of-3.html'), 'utf8')).toBe(true);

    // Article 2's image goes; its text is as it was.
    rmSync(path.join(dir, 'images', 'chart.png'));
    const missing = build();
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/article-002\.md:\d+:\d+ error image \.\.\/images\/chart\.png not found/);
  });

  it('builds an EPUB from the cache without a browser, naming in manifest.json the Chromium that pictured its cover', () => {
    const dir = generatePack(tempDir(), 2) as string;
    const out = tempDir();
    const epub = (target: string, extra: Record<string, string> = {}, flags: string[] = []) =>
      briefpack(['build', dir, '--out', target, '--format', 'epub', ...flags], { env: { ...env, ...extra } });
    expect(epub(out).code).toBe(0);
    // No browser can start now: the cover must come from the cache.
    const again = epub(out, { PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome' });
    expect(again.code, again.stderr).toBe(0);
    const clean = tempDir();
    expect(epub(clean, {}, ['--no-cache']).code).toBe(0);
    for (const name of ['generated-pack-of-2.epub', 'manifest.json']) {
      expect(readFileSync(path.join(out, name)).equals(readFileSync(path.join(clean, name))), name).toBe(true);
    }
    expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')).build.chromium).toMatch(/Chrom/);
  });

  it('prints a pack whose contents list one entry once, clean, and measures first where the guess is wrong', () => {
    const files = {
      'pack.yaml': 'title: One Entry\ndate: 2026-01-15\norganisation: Test Unit\narticles: [only]\n',
      'articles/only.md': '---\ntitle: The only article\n---\n\nA paragraph under no section heading.\n',
    };
    const contentsLine = (texts: string[]) => texts[1]!.split('\n').find((l) => l.includes('The only article'))!;
    const dir = writePack(files);
    const out = tempDir();
    const once = briefpack(['build', dir, '--out', out, '--format', 'pdf', '--no-cache'], { env });
    expect(once.code, once.stderr).toBe(0);
    expect(once.stderr).toContain('layout pass 1');
    expect(once.stderr).not.toContain('layout pass 2');
    const texts = pageTexts(path.join(out, 'one-entry.pdf'));
    expect(texts[2]).toContain('The only article');
    expect(contentsLine(texts)).toMatch(/\b3$/);

    // A cover of two pages: the guess (page 3) is wrong, and a second pass puts it right.
    const longCover = writePack({
      ...files,
      'templates/long-cover/print.html':
        '<!doctype html><html><head><meta charset="utf-8"><title data-slot="title"></title><style data-slot="styles"></style></head><body class="print"><section class="cover" data-slot="cover"></section><p style="break-before: page; break-after: page">The cover goes on.</p><nav class="contents" data-slot="contents"></nav><main class="chapters" data-slot="chapters"></main></body></html>',
    });
    const long = tempDir();
    const twice = briefpack(['build', longCover, '--out', long, '--format', 'pdf', '--no-cache', '--template', 'long-cover'], { env });
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stderr).toContain('layout pass 2');
    const longTexts = pageTexts(path.join(long, 'one-entry.pdf'));
    expect(longTexts[3]).toContain('The only article');
    expect(contentsLine(longTexts.slice(1))).toMatch(/\b4$/);
  });
});
