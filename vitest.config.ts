import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'cli/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['src/machines/**/*.ts', 'src/services/**/*.ts'],
      exclude: ['**/*.test.ts', 'src/services/db/migrations/**'],
      reporter: ['text-summary'],
      thresholds: { lines: 80 },
    },
  },
});
