/**
 * `--timeout` for the whole build: reading, checking, transforming and rendering. A pack is input
 * that someone else may control, and some of its work runs synchronously (a custom kind's schema,
 * a parser meeting an input it is slow on): a timer cannot interrupt that, so synchronous work
 * runs under V8's own watchdog (the one `vm` offers), which stops even a regular expression in the
 * middle of its backtracking. The build then ends with a timeout error, cleanly, like any other.
 */
import vm from 'node:vm';
import { BuildFailure, ExitCode } from './diagnostics.js';

// One context for every run: the work itself is a function of this realm, only called from there.
const context = vm.createContext({ work: undefined as (() => unknown) | undefined });
const call = new vm.Script('work()');

export class Deadline {
  private readonly end: number;
  private nested = 0;

  /** `ms`: the time the whole build may take from now. */
  constructor(readonly ms: number) {
    this.end = performance.now() + ms;
  }

  remaining(): number {
    return Math.max(0, this.end - performance.now());
  }

  /** Stop here if the time is up; `doing` says what the build was doing, for the message. */
  check(doing: string, file?: string): void {
    if (this.remaining() <= 0) throw this.failure(doing, file);
  }

  /** Synchronous work, stopped wherever it is when the time is up. */
  run<T>(doing: string, work: () => T, file?: string): T {
    // An inner run is covered by the outer one's watchdog.
    if (this.nested > 0) return work();
    this.check(doing, file);
    this.nested++;
    context.work = work;
    try {
      // Whole milliseconds, at least one: vm takes no fractions and no zero.
      return call.runInContext(context, { timeout: Math.max(1, Math.ceil(this.remaining())) }) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw this.failure(doing, file);
      throw error;
    } finally {
      context.work = undefined;
      this.nested--;
    }
  }

  /** Waiting for something (Chromium, files): given up when the time is up. */
  async race<T>(doing: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.failure(doing)), this.remaining());
    });
    try {
      return await Promise.race([promise, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private failure(doing: string, file?: string): BuildFailure {
    return new BuildFailure(
      [
        {
          severity: 'error',
          rule: 'build/timeout',
          message: `the build took longer than the timeout of ${this.ms / 1000} s (while ${doing})`,
          ...(file ? { file } : {}),
        },
      ],
      ExitCode.RenderError,
    );
  }
}
