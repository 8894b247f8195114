import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Test files quickest first: a mutant's run stops at its first failing test, and vitest's own
 * order (slowest first) would run the property tests and whole-pack builds before the unit test
 * that fails in a few milliseconds.
 */
class QuickestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const time = (file: TestSpecification) => {
      const key = `${file.project.name}:${path.relative(this.ctx.config.root, file.moduleId)}`;
      return cache.getFileTestResults(key)?.duration ?? cache.getFileStats(key)?.size ?? 0;
    };
    return [...files].sort((a, b) => time(a) - time(b));
  }
}

/**
 * The tests `npm run mutate` (StrykerJS) runs against each mutant of src/: those that call
 * src/ in the test's own process. Tests that spawn the compiled CLI from dist/ are left out:
 * a mutant of src/ never reaches them, and each costs a Chromium build.
 */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    sequence: { sequencer: QuickestFirst },
    // Instrumented code runs slower: tests that bound a time read this to allow for it,
    // and the property tests try fewer cases (property.test.ts reads PROPERTY_RUNS).
    env: { BRIEFPACK_MUTATION_RUN: '1', PROPERTY_RUNS: '10' },
  },
});
