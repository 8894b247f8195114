/**
 * Where a build's time goes: named spans on Node's own performance timeline (User Timing), in
 * milliseconds from the start of the process, so that Node's start and the loading of
 * briefpack's modules, before any of briefpack's code runs, count too. Spans overlap where work
 * does (Chromium starts while the pack loads; the EPUB is made while the PDF prints). `--json`
 * reports them as `timings`; `npm run bench` tabulates them.
 */
import { performance } from 'node:perf_hooks';

const PREFIX = 'briefpack: ';

export interface Timing {
  name: string;
  /** From the start of the process. */
  startMs: number;
  ms: number;
}

/** Record that `name` ran from `startMs` (performance.now() then) until `endMs` (now, by default). */
export function recordSpan(name: string, startMs: number, endMs = performance.now()): void {
  performance.measure(PREFIX + name, { start: startMs, end: endMs });
}

/** Run `work`, recording it as `name`, however it ends. */
export async function timeSpan<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    recordSpan(name, start);
  }
}

/** Forget the spans of earlier builds in this process (watch mode builds again and again). */
export function clearSpans(): void {
  for (const entry of performance.getEntriesByType('measure')) if (entry.name.startsWith(PREFIX)) performance.clearMeasures(entry.name);
}

/** The spans recorded since clearSpans(), in the order they began. */
export function recordedSpans(): Timing[] {
  return performance
    .getEntriesByType('measure')
    .filter((e) => e.name.startsWith(PREFIX))
    .map((e) => ({ name: e.name.slice(PREFIX.length), startMs: Math.round(e.startTime), ms: Math.round(e.duration) }))
    .sort((a, b) => a.startMs - b.startMs);
}
