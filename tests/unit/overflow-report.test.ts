/**
 * What print cuts off, as reported: at the source position the transform kept for the element
 * (or none, when the page's elements do not match the side table), and, for chapters whose
 * printed part came from the build cache, replayed from the cache.
 */
import { describe, expect, it } from 'vitest';
import { BuildCache } from '../../src/cache.js';
import { Diagnostics } from '../../src/diagnostics.js';
import { OverflowReport, type OverflowFinding } from '../../src/print/overflow.js';
import { checkArticles } from '../helpers/chapter.js';
import { tempDir } from '../helpers/cli.js';

describe('overflow report', () => {
  it('warns at the source line of the innermost positioned element, and replays it from the cache', async () => {
    const { pack } = await checkArticles({ a: 'Text.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n' });
    const chapter = pack.chapters[0]!;
    const count = chapter.positions.length / 2;
    // The table's index among the positioned elements: the one at line 7.
    const table = Array.from({ length: count }, (_, i) => i).find((i) => chapter.positions[2 * i] === 7)!;
    const finding: OverflowFinding = { article: 'a', positioned: [table, 1], count, tag: 'table', widthMm: 212, overMm: 42, side: 'right', fitted: true };
    const out = tempDir();
    const first = new Diagnostics();
    const cache = new BuildCache(out);
    const report = new OverflowReport();
    report.record({ articles: ['a'], findings: [finding] });
    report.report(pack, first, cache, 'chromium 1');
    cache.flush();
    expect(first.list).toEqual([
      {
        severity: 'warning',
        rule: 'print/overflow',
        file: chapter.article.file,
        position: { line: 7, column: 1 },
        message: 'the table is 212 mm wide even set smaller and scaled down, 42 mm wider than the text block; its last columns are cut off',
      },
    ]);

    // A rebuild whose part came from the cache loads no page: the finding comes from the cache.
    const again = new Diagnostics();
    new OverflowReport().report(pack, again, new BuildCache(out), 'chromium 1');
    expect(again.list).toEqual(first.list);
    // ... but not one a different Chromium (or template, or paper) printed.
    const other = new Diagnostics();
    new OverflowReport().report(pack, other, new BuildCache(out), 'chromium 2');
    expect(other.list).toEqual([]);
    // A chapter measured again with nothing found reports nothing.
    const fixed = new Diagnostics();
    const measured = new OverflowReport();
    measured.record({ articles: ['a'], findings: [] });
    measured.report(pack, fixed, new BuildCache(out), 'chromium 1');
    expect(fixed.list).toEqual([]);
  });

  it('names no position when the page found other elements than the transform counted', async () => {
    const { pack } = await checkArticles({ a: '```\ncode\n```\n' });
    const chapter = pack.chapters[0]!;
    const diagnostics = new Diagnostics();
    const report = new OverflowReport();
    const count = chapter.positions.length / 2 + 1;
    report.record({ articles: ['a'], findings: [{ article: 'a', positioned: [0], count, tag: 'pre', widthMm: 180, overMm: 10, side: 'left', fitted: false }] });
    report.report(pack, diagnostics, new BuildCache(tempDir(), false), 'x');
    expect(diagnostics.list).toEqual([
      { severity: 'warning', rule: 'print/overflow', file: chapter.article.file, position: undefined, message: 'the code block is 180 mm wide, 10 mm wider than the text block; its long lines are cut off at the left edge' },
    ]);
  });
});
