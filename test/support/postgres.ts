import pg from 'pg';

/** The PostgreSQL server the tests use: a role that may create databases. `.ci/run` sets it up. */
export const TEST_PG_URL =
  process.env.MAESTRO_TEST_PG_URL ?? 'postgres://maestro:maestro@127.0.0.1:5432/postgres';

/** Databases the tests make carry this prefix; the global setup drops leftovers. */
export const TEST_DB_PREFIX = 'maestro_test_';

/** True when the suites run against PostgreSQL (the `postgres` vitest project). */
export const onPostgres = process.env.MAESTRO_TEST_DB === 'postgres';

function urlFor(database: string): string {
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let counter = 0;

/** A new empty database; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `${TEST_DB_PREFIX}${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await admin((c) => c.query(`create database "${name}"`));
  return urlFor(name);
}

export async function postgresReachable(): Promise<boolean> {
  try {
    await admin((c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/** Drops every database a test run made (with force: servers a failed test left open). */
export async function dropTestDatabases(): Promise<void> {
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      'select datname from pg_database where datname like $1',
      [`${TEST_DB_PREFIX}%`],
    );
    for (const { datname } of rows) await c.query(`drop database if exists "${datname}" with (force)`);
  });
}
