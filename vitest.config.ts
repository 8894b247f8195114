import { defineConfig } from 'vitest/config';
import HeavyFirstSequencer from './tests/heavy-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Integration tests each drive Chromium; two at a time fits a 2-core machine.
    maxWorkers: 2,
    reporters: ['default'],
    sequence: { sequencer: HeavyFirstSequencer },
  },
});
