import { defineConfig } from 'vitest/config';

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
    // Instrumented code runs slower: tests that bound a time read this to allow for it,
    // and the property tests try fewer cases (property.test.ts reads PROPERTY_RUNS).
    env: { BRIEFPACK_MUTATION_RUN: '1', PROPERTY_RUNS: '10' },
  },
});
