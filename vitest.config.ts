import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default leaves a core free: one worker on a 2-core machine (CI, this one), which made the suite
    // run file after file (~8.5 min). Two workers there take ~4.8 min; the DynamoDB Local and browser tests
    // pass with them (each file uses its own tables and ports).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    coverage: {
      provider: 'v8',
      include: ['shared/**/*.ts', 'functions/**/*.ts'],
      // The Mini App's page runs in the browser: its tests are the browser tests (test/browser).
      exclude: ['test/**', '**/*.d.ts', '**/types.ts', '**/ports.ts', 'shared/miniapp/web/**'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90, branches: 90 },
    },
  },
});
