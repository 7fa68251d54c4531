import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Names this run's Redis keys and deletes them at the end (tests/support/redis-test-keys.ts).
    globalSetup: ['tests/support/redis-test-keys.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real HTTP servers on ephemeral ports and share one Redis:
    // files run in parallel, each with its own key prefix.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
