/**
 * The test files that take longest start first, so that on two workers none of them is left to
 * run alone at the end (vitest orders by the last run's durations, which a clean checkout in CI
 * does not have, and otherwise by file size, which says little about how long a file takes).
 * Costs are rough seconds on two cores; a file not named here keeps vitest's own order after them.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const HEAVY: Readonly<Record<string, number>> = {
  'tests/integration/real-world.test.ts': 300,
  'tests/integration/parts.test.ts': 280,
  'tests/integration/nasty.test.ts': 180,
  'tests/integration/accessibility.test.ts': 100,
  'tests/integration/release.test.ts': 70,
  'tests/integration/incremental.test.ts': 50,
  'tests/integration/author.test.ts': 50,
  'tests/integration/promises.test.ts': 50,
  'tests/integration/trust.test.ts': 40,
};

export default class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const cost = (file: TestSpecification) => {
      const relative = file.moduleId.replace(/\\/g, '/').split('/tests/').at(-1);
      return relative === undefined ? 0 : (HEAVY[`tests/${relative}`] ?? 0);
    };
    // A stable sort: files of equal cost keep vitest's order.
    return sorted.map((file, i) => ({ file, i, c: cost(file) })).sort((a, b) => b.c - a.c || a.i - b.i).map((x) => x.file);
  }
}
