import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Browser tests share one built site and one Chromium; keep them in one worker.
    fileParallelism: true,
    pool: 'forks',
  },
});
