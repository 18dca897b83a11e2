import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      // Browser tests share one production build, made once by the global setup. expect.poll waits up to 30 s (not
      // vitest's 1 s) for what the page shows after a worker's answer: a loaded machine answers late.
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], environment: 'node', globalSetup: ['tests/e2e/global-setup.ts'], testTimeout: 90_000, hookTimeout: 180_000, expect: { poll: { timeout: 30_000 } } } },
    ],
  },
});
