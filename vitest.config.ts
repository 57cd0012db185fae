import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: tests that start servers and child processes need headroom.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
