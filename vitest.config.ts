import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { TEST_PG_URL, postgresReachable } from './test/support/postgres.js';

/** The suites that run a second time against PostgreSQL (gRPC and WebSocket on both databases). */
const POSTGRES_SUITES = [
  'test/grpc/lifecycle.test.ts',
  'test/grpc/concurrency.test.ts',
  'test/grpc/watch.test.ts',
  'test/grpc/pagination.test.ts',
  'test/ws/gateway.test.ts',
  'test/observability/metrics.test.ts',
  'test/hardening/read-ahead.test.ts',
  'test/postgres/**/*.test.ts',
];

/** CI (`.ci/run`) sets MAESTRO_TEST_REQUIRE_ALL=1: there a suite left out for a missing program fails the run. */
const REQUIRE_ALL = process.env.MAESTRO_TEST_REQUIRE_ALL === '1';
/** `npm run test:unit`: only the unit project, so nothing is probed. */
const UNIT_ONLY = process.env.MAESTRO_TEST_UNIT === '1';

/**
 * PostgreSQL runs when it answers at MAESTRO_TEST_PG_URL. CI sets MAESTRO_TEST_PG_REQUIRED=1, so
 * there a missing server fails the run instead of skipping the suites; on a laptop without one the
 * SQLite suites still run.
 */
async function withPostgres(): Promise<boolean> {
  if (process.env.MAESTRO_TEST_PG === '0') return false;
  if (process.env.MAESTRO_TEST_PG_REQUIRED === '1' || REQUIRE_ALL || (await postgresReachable())) return true;
  process.stderr.write(`PostgreSQL does not answer at ${TEST_PG_URL}: the postgres suites are skipped.\n`);
  return false;
}

/**
 * Suites that drive a program of the machine. Where it is missing (or, like a Chromium installed
 * without its execute bit, cannot run) they are left out with one line saying what to install,
 * instead of failing with `spawnSync tmux ENOENT`; with MAESTRO_TEST_REQUIRE_ALL=1 that is a failure.
 */
const PROGRAM_SUITES = [
  {
    program: 'tmux',
    runs: () => spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0,
    install: 'apt-get install tmux',
    suites: [
      'test/spawn/tmux-runner.test.ts',
      'test/spawn/orchestration.test.ts',
      'test/spawn/agent-isolation.test.ts',
      'test/spawn/credentials.test.ts',
      'test/agents/claude-worker.test.ts',
      'test/harness/claude-interactive.test.ts',
      'test/tui/tmux.e2e.test.ts',
    ],
  },
  {
    program: 'Chromium (/usr/bin/chromium)',
    runs: () => {
      try {
        accessSync('/usr/bin/chromium', constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    install: 'apt-get install chromium',
    suites: ['test/browser/**'],
  },
];

/** The suites whose program this machine lacks (after saying so), or a failure under REQUIRE_ALL. */
function withoutMissingPrograms(): string[] {
  const left: string[] = [];
  for (const need of PROGRAM_SUITES) {
    if (need.runs()) continue;
    const line = `${need.program} is not installed: ${need.suites.join(', ')} skipped; install it with \`${need.install}\`.`;
    if (REQUIRE_ALL) throw new Error(`MAESTRO_TEST_REQUIRE_ALL=1 allows no skipped suite, and ${line}`);
    // Vitest evaluates this file more than once (and in its workers): say it once.
    if (!process.env.MAESTRO_TEST_NOTED_MISSING?.includes(need.program)) process.stderr.write(`${line}\n`);
    process.env.MAESTRO_TEST_NOTED_MISSING = `${process.env.MAESTRO_TEST_NOTED_MISSING ?? ''}${need.program};`;
    left.push(...need.suites);
  }
  return left;
}

const postgres = UNIT_ONLY ? false : await withPostgres();
const missingPrograms = UNIT_ONLY ? [] : withoutMissingPrograms();

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Under REQUIRE_ALL a test skipped inside a suite (`it.skip`, `skipIf`, `ctx.skip()`) fails the run too.
    ...(REQUIRE_ALL ? { reporters: ['default', './test/support/no-skip-reporter.ts'] } : {}),
    projects: [
      // `npm run test:unit`: the unit tests next to the code (src/, cli/, web/), no build, no server.
      {
        extends: true as const,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'cli/**/*.test.{ts,tsx}', 'web/**/*.test.{ts,tsx}'],
          exclude: ['**/node_modules/**', 'web/dist/**'],
        },
      },
      {
        extends: true as const,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/postgres/**', 'test/docker/**', '**/node_modules/**', ...missingPrograms],
        },
      },
      // The container image is its own tier (`npm run test:docker`): building it takes minutes.
      ...(process.env.MAESTRO_TEST_DOCKER === '1'
        ? [{ extends: true as const, test: { name: 'docker', include: ['test/docker/**/*.test.ts'] } }]
        : []),
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
