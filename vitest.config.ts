import { defineConfig } from 'vitest/config';

/**
 * Tests that count what the fake platforms received per second: fault injection with several
 * real bot processes, and the in-process pacing test. `npm test` (scripts/test.js) runs them as a
 * vitest run of their own, beside the suite but at a higher priority than it: their "within the
 * platform's per-second limit" and "within the deadline" checks must judge the bot, not a
 * machine the suite keeps busy. One file at a time: the two-instance fan-out beside the storm
 * test left the storm test's bots too little CPU to finish in time once in eleven runs.
 */
const FLEET_TESTS = ['test/deploy/instances.test.ts', 'test/digests/delivery-process.test.ts', 'test/adapters/telegram/sender-pacing.test.ts'];

export default defineConfig({
  test: {
    // Two cores: tests that start servers and child processes need headroom.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Measured on this project (see docs/development.md, "Testing"): most of the suite's time
    // was each test file importing the sources and the libraries again in a fresh process.
    // Worker threads that keep their module cache between files load them once per worker.
    // The price: a test file must not change shared state (module-level fixtures, globals)
    // without restoring it, as another file may run after it in the same worker.
    pool: 'threads',
    isolate: false,
    // The code child processes start, compiled once per run (test/support/compiled.ts): through
    // tsx every process paid about 1.4 s more CPU to start.
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: FLEET_TESTS,
          // vitest's default is one worker fewer than the cores: one on CI's two. Most of this
          // group's time is tests waiting on child processes and sockets; two workers overlap it.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'fleet', include: FLEET_TESTS, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
