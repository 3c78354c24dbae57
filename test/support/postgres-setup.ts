import { TEST_PG_URL, dropTestDatabases, postgresReachable } from './postgres.js';

/** Global setup of the `postgres` project: the server must answer; leftovers of earlier runs go. */
export default async function setup(): Promise<() => Promise<void>> {
  if (!(await postgresReachable())) {
    throw new Error(
      `PostgreSQL does not answer at ${TEST_PG_URL} (set MAESTRO_TEST_PG_URL, or run .ci/run which starts one).`,
    );
  }
  await dropTestDatabases();
  return dropTestDatabases;
}
