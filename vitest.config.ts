import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two files at a time: each integration test has its own scratch database and Redis prefix, and most of their time
    // is spent waiting (on the bot, the fakes, PostgreSQL), so two share a 2-core machine well.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
