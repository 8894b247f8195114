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
 * The tests `npm run mutate` (StrykerJS) runs against each mutant of src/: the unit tests, which
 * call src/ in the test's own process. The integration tests are left out: they spawn the
 * compiled CLI from dist/, which a mutant of src/ never reaches, and the few that also call src/
 * in process (check() to compare with a build, validatePdf, pdfStructureProblems) do so in files
 * whose hooks make Chromium builds that every mutant's run would wait for; what they check in
 * process has unit tests of its own (validate-*.test.ts, load-*.test.ts).
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
