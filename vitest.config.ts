import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
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
  },
});
