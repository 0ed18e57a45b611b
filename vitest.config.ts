import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One file at a time. Each integration test has its own scratch database and Redis prefix, so two at a time works
    // (about 1.5 times faster here), but on a 2-core machine the extra load made timing-bound waits flaky in CI.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
