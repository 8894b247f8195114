/** Rebuilds reuse the last layout and cover, and give exactly the bytes of a clean build. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module shared with the benchmark
import { generatePack } from '../../scripts/generate-pack.mjs';
import { briefpack, tempDir } from '../helpers/cli.js';

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
});
