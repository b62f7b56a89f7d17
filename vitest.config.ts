import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start real processes, Redis servers and Chromium: on a loaded 2-core machine a
    // whole ladder can take half a minute. Each wait inside a test has its own, tighter bound.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
