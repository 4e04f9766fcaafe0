import { defineConfig } from 'vitest/config';

// Node-side tests: every package's unit tests and the cross-package tests. The Workers runtime
// tests run separately in the workerd pool (edge/vitest.worker.config.ts).
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'edge/test/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'edge/test/worker/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
