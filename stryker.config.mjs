// @ts-check
/**
 * Mutation testing: `npm run mutate` (not part of `npm test`). StrykerJS changes one operator,
 * condition or literal of src/ at a time and runs the in-process tests that reach it
 * (vitest.mutate.config.ts); a mutant no test notices is a behaviour no test holds.
 * One folder at a time: `npx stryker run --mutate 'src/load/**\/*.ts'`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/validate/**/*.ts',
    'src/write/**/*.ts',
    'src/cache.ts',
    'src/compose/**/*.ts',
    'src/load/**/*.ts',
    'src/schema/**/*.ts',
    'src/transform/**/*.ts',
  ],
  coverageAnalysis: 'perTest',
  // A mutant of code that runs when a module is imported (a schema's definition, a constant
  // table) is "static": it needs every test that imports the module, fresh, which on 2 cores
  // takes minutes a mutant. They are left out (reported as Ignored, outside the score); the
  // tests that read what those definitions say (tests/unit/load-manifest.test.ts, ...) hold them.
  ignoreStatic: true,
  // The machine has 2 cores, shared: two test runners at most.
  concurrency: 2,
  // A mutant that loops is given up on after its tests' own time and this much more.
  timeoutMS: 10_000,
  // The first run of every test, with coverage, takes minutes on a busy 2-core machine.
  dryRunTimeoutMinutes: 30,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // A second run redoes only the mutants whose code or tests changed.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
};
