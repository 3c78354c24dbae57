import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Dialect } from './migrations/index.js';

/** The part of better-sqlite3's API the fast path uses. */
export interface PreparedStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}

export interface SqliteHandle {
  prepare(sql: string): PreparedStatement;
}

const handles = new WeakMap<object, { db: SqliteHandle; statements: Map<string, PreparedStatement> }>();

/**
 * Lets `query` run on SQLite's own connection with cached prepared statements. The ORM formats
 * every raw query into a fresh SQL string, so SQLite re-prepares it each time; for the hot path
 * that was the largest single cost.
 */
export function registerSqliteHandle(em: EntityManager, db: SqliteHandle): void {
  handles.set(em.config, { db, statements: new Map() });
}

/**
 * A write transaction's own connection, where one speaks to the database directly (PostgreSQL:
 * see pg-writer.ts): statements there skip the ORM, and those whose answers are not needed share
 * round trips.
 */
export interface DirectWriter {
  rows<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
  defer(sql: string, params: readonly unknown[]): Promise<void>;
  updateOne(sql: string, params: readonly unknown[]): Promise<boolean>;
}

const writers = new WeakMap<EntityManager, DirectWriter>();

/** Makes `query` and `defer` on `em` (a command's entity manager) go through `writer`. */
export function registerWriter(em: EntityManager, writer: DirectWriter): void {
  writers.set(em, writer);
}

/**
 * Where a read's hand-written SQL runs when it is not the writer's: a reader thread's own
 * connection on SQLite (see read-pool.ts), or the ORM's connection on PostgreSQL. `rows` runs one
 * statement that reads.
 */
export interface RowReader {
  readonly dialect: Dialect;
  rows<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
}

/** What `query` runs on: an entity manager (a command's transaction, or a read of the ORM) or a reader. */
export type Queryable = EntityManager | RowReader;

const isReader = (q: Queryable): q is RowReader => typeof (q as Partial<RowReader>).rows === 'function';

/** A reader over an entity manager's connection: where reader threads are not used. */
export function readerOf(em: EntityManager): RowReader {
  return { dialect: dialectOf(em), rows: (sql, params) => query(em, sql, params) };
}

const dialects = new WeakMap<object, Dialect>();

export function registerDialect(em: EntityManager, dialect: Dialect): void {
  dialects.set(em.config, dialect);
}

/** Which SQL the entity manager's database speaks. */
export function dialectOf(em: Queryable): Dialect {
  if (isReader(em)) return em.dialect;
  return dialects.get(em.config) ?? 'sqlite';
}

/**
 * A JSON column as read by hand-written SQL: SQLite returns the text, PostgreSQL (jsonb) the value.
 */
export function readJson<T>(em: Queryable, value: unknown): T {
  return (dialectOf(em) === 'sqlite' && typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** `group_concat(expr)` in the database's own words: a comma-separated list. */
export function listAgg(em: Queryable, expr: string): string {
  return dialectOf(em) === 'postgresql' ? `string_agg((${expr})::text, ',')` : `group_concat(${expr})`;
}

const bindable = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Date ? v.getTime() : v);

/**
 * Runs a hand-written query in the entity manager's transaction. On SQLite it uses the same single
 * connection the ORM uses (the command runner holds it between BEGIN and COMMIT); elsewhere it goes
 * through the ORM's `execute`.
 */
export async function query<T>(em: Queryable, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  if (isReader(em)) return em.rows<T>(sql, params);
  const writer = writers.get(em);
  if (writer) return writer.rows<T>(sql, params);
  const handle = handles.get(em.config);
  if (!handle) return (em as SqlEntityManager).execute<T[]>(sql, [...params], 'all');
  let statement = handle.statements.get(sql);
  if (!statement) {
    statement = handle.db.prepare(sql);
    if (handle.statements.size > 500) handle.statements.clear();
    handle.statements.set(sql, statement);
  }
  const values = params.map(bindable);
  if (statement.reader) return statement.all(...values) as T[];
  statement.run(...values);
  return [];
}

/**
 * Runs a statement whose answer the command does not need (an insert into the timeline or the
 * log) in the command's transaction. Where the writer can, it sends it with the next statement
 * that needs an answer (one round trip for both); either way it runs before any later statement
 * of the transaction, and a failure fails the command.
 */
export async function defer(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<void> {
  const writer = writers.get(em);
  if (writer) return writer.defer(sql, params);
  await query(em, sql, params);
}

/**
 * Runs an update that must change exactly one row (an optimistic lock). Returns false when it
 * changed none. Where the writer defers it (see `defer`), it returns true and a conflict fails the
 * transaction instead, which the runner retries as one.
 */
export async function updateOne(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<boolean> {
  const writer = writers.get(em);
  if (writer) return writer.updateOne(sql, params);
  return (await query(em, `${sql} returning 1`, params)).length === 1;
}

export const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(',');
