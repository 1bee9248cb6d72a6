// Test runner settings: tests live under test/, benchmarks (bench/) never run here.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // globalThis.gc, for the test that a run lets go of running tasks' records (test/experiment/running-records.test.ts)
    execArgv: ['--expose-gc'],
  },
});
