import { defineConfig } from 'vitest/config';
import { TEST_PG_URL, postgresReachable } from './test/support/postgres.js';

/** The suites that run a second time against PostgreSQL (SPEC: gRPC and WebSocket on both databases). */
const POSTGRES_SUITES = [
  'test/grpc/lifecycle.test.ts',
  'test/grpc/concurrency.test.ts',
  'test/grpc/watch.test.ts',
  'test/ws/gateway.test.ts',
  'test/observability/metrics.test.ts',
  'test/postgres/**/*.test.ts',
];

/**
 * PostgreSQL runs when it answers at MAESTRO_TEST_PG_URL. CI sets MAESTRO_TEST_PG_REQUIRED=1, so
 * there a missing server fails the run instead of skipping the suites; on a laptop without one the
 * SQLite suites still run.
 */
async function withPostgres(): Promise<boolean> {
  if (process.env.MAESTRO_TEST_PG === '0') return false;
  if (process.env.MAESTRO_TEST_PG_REQUIRED === '1' || (await postgresReachable())) return true;
  process.stderr.write(`PostgreSQL does not answer at ${TEST_PG_URL}: the postgres suites are skipped.\n`);
  return false;
}

const postgres = await withPostgres();

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true as const,
        test: {
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'cli/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
          exclude: ['test/postgres/**', '**/node_modules/**'],
        },
      },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: POSTGRES_SUITES,
                env: { MAESTRO_TEST_DB: 'postgres' },
                globalSetup: ['test/support/postgres-setup.ts'],
              },
            },
          ]
        : []),
    ],
    coverage: {
      provider: 'v8',
      include: ['src/machines/**/*.ts', 'src/services/**/*.ts'],
      exclude: ['**/*.test.ts', 'src/services/db/migrations/**'],
      reporter: ['text-summary'],
      thresholds: { lines: 80 },
    },
  },
});
