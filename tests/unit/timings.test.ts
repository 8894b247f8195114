/** Where a build's time goes (src/timings.ts): spans from the start of the process, in order. */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { clearSpans, recordedSpans, recordSpan, timeSpan } from '../../src/timings.js';

describe('build timings', () => {
  it('records spans from the start of the process, in the order they began, and forgets them when cleared', async () => {
    clearSpans();
    const before = performance.now();
    // Begun before `first` was recorded, later than it began: the order is by start.
    recordSpan('second', before - 30, before - 10);
    recordSpan('first', 0, before);
    const value = await timeSpan('third', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return 42;
    });
    expect(value).toBe(42);
    const spans = recordedSpans();
    expect(spans.map((s) => s.name)).toEqual(['first', 'second', 'third']);
    expect(spans[0]).toEqual({ name: 'first', startMs: 0, ms: Math.round(before) });
    expect(spans[1]).toEqual({ name: 'second', startMs: Math.round(before - 30), ms: Math.round(before - 10) - Math.round(before - 30) });
    expect(spans[2]!.startMs).toBeGreaterThanOrEqual(Math.round(before));
    clearSpans();
    expect(recordedSpans()).toEqual([]);
  });

  it('records a span of work that failed, and leaves other measures of the process alone', async () => {
    clearSpans();
    performance.measure('not ours', { start: 0, end: 1 });
    await expect(timeSpan('failing', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(recordedSpans().map((s) => s.name)).toEqual(['failing']);
    clearSpans();
    expect(performance.getEntriesByName('not ours', 'measure')).toHaveLength(1);
    performance.clearMeasures('not ours');
  });
});
