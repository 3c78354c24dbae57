import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { EntityManager, MigrationObject, MikroORM, Options } from '@mikro-orm/core';
import type { Knex, SqlEntityManager } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { background } from '../../shared/background.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS_BY_DIALECT, type Dialect } from './migrations/index.js';
import { ReadPool } from './read-pool.js';
import type { PgWriter, WriterMark } from './pg-writer.js';
import { registerDialect, registerSqliteHandle, registerWriter, type SqliteHandle } from './sql.js';

export type { Dialect } from './migrations/index.js';

export interface DatabaseOptions {
  /** `sqlite:PATH`, a bare path, `sqlite::memory:`, or `postgres://user:pass@host:port/db`. */
  url: string;
  /** For tests of upgrades: run only these migrations. */
  migrations?: MigrationObject[];
  /** Connections in the PostgreSQL pool (default 10). SQLite always has one. */
  poolSize?: number;
  /** Where the driver's own warnings go (a lost connection, say); stderr by default, never stdout. */
  warn?: (message: string) => void;
  /**
   * Reader threads beside SQLite's writer (default 0: reads on the writer's connection, in the
   * command queue). A database in memory has none: no other connection can open it.
   */
  readers?: number;
}

/**
 * The write transaction the command runner opens for a batch of commands. Only one is open at a
 * time in a process; on PostgreSQL it also holds a lock that orders writers across servers.
 */
export interface WriteTransaction {
  /**
   * Runs one statement that returns nothing (SAVEPOINT, RELEASE, ROLLBACK TO). On PostgreSQL it
   * goes with the transaction's next statement (one round trip for both).
   */
  exec(sql: string): Promise<void>;
  /**
   * Where the writer assigns `seq` itself (PostgreSQL: it read the last one under the write lock),
   * the next one; else the insert takes max + 1.
   */
  nextSeq?(): number;
  /** A command begins; the mark undoes what it queued and the `seq`s it took (`undo`) if it fails. */
  begin?(): unknown;
  undo?(mark: unknown): void;
  /**
   * True once a failure may have been an earlier command's (statements of several commands shared
   * a round trip): the batch must be rolled back and its commands run again one statement at a time.
   */
  readonly tainted?: boolean;
  /** The failure that aborted the transaction, when a query of the ORM then only saw the abort. */
  takeFailure?(): unknown;
  /** A fresh entity manager whose queries and flushes run inside this transaction. */
  fork(): EntityManager;
  /** Tells the other servers on the database, at commit, that the event log grew up to `lastSeq`. */
  announce(lastSeq: number): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface Database {
  orm: MikroORM;
  url: string;
  dialect: Dialect;
  /**
   * Opens the write transaction of the next command batch; `strict` sends each statement on its own
   * (no shared round trips), so a failure is always the command's that made it.
   */
  beginWrite(strict?: boolean): Promise<WriteTransaction>;
  /** Names of the migrations applied, oldest first. */
  appliedMigrations(): Promise<string[]>;
  /** Names of every migration this build knows, oldest first. */
  knownMigrations(): string[];
  /** True when the database answers a query. */
  ping(): Promise<boolean>;
  /** True when `error` says the database could not be reached (as opposed to a bad statement). */
  isUnavailable(error: unknown): boolean;
  /** True when `error` says there is no room for the write: the disk or the database is full. */
  isStorageFull(error: unknown): boolean;
  /**
   * Whether other servers may write to this database (PostgreSQL), and then a subscription to
   * their commits: `onWrite` runs when a server announced new events, with the last seq it
   * committed (null when unknown: a new connection may have missed announcements). Returns the stop call.
   */
  shared: boolean;
  listen(
    onWrite: (lastSeq: number | null) => void,
    onError: (error: unknown) => void,
  ): Promise<() => Promise<void>>;
  /**
   * On a SQLite file, the reader threads that run the heavy reads (list pages, status, event pages)
   * on connections of their own; absent on PostgreSQL (its pool reads) and on a database in memory.
   */
  readers?: ReadPool;
  /**
   * On PostgreSQL, how many reads may run at once on the pool's connections, beside the write
   * transaction (which keeps connections of its own); absent on SQLite, whose one connection takes
   * its reads in the command queue (heavy ones go to `readers`).
   */
  concurrentReads?: number;
  close(): Promise<void>;
}

export function dialectOfUrl(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgresql' : 'sqlite';
}

export function sqlitePathFromUrl(url: string): string {
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (!path) throw new Error(`Database URL '${url}' names no file.`);
  return path;
}

/**
 * Every writer on a shared PostgreSQL database takes this transaction-scoped advisory lock first.
 * Writes from all servers then commit one at a time, so `seq` order is commit order (a watcher
 * that has seen seq N has seen everything before it) and a claim is decided on fresh rows.
 */
const WRITE_LOCK_ID = 0x6d61657374; // "maest"

function baseOptions(options: DatabaseOptions): Partial<Options> {
  return {
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    // The command runner owns transactions.
    implicitTransactions: false,
    debug: false,
    migrations: {
      migrationsList: options.migrations ?? MIGRATIONS_BY_DIALECT[dialectOfUrl(options.url)],
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      tableName: 'mikro_orm_migrations',
    },
  };
}

/**
 * Opens the database and migrates it to the newest schema.
 *
 * SQLite runs in WAL mode with synchronous=NORMAL on a single write connection (reader threads
 * open their own, read-only: see read-pool.ts): a committed transaction
 * survives a crash of the process (kill -9), which is what "acknowledged" means here; only a power
 * loss could take the last commits. PostgreSQL runs with a pool, and several servers may share it.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const dialect = dialectOfUrl(options.url);
  const { release, ...opened } =
    dialect === 'postgresql' ? await openPostgres(options) : await openSqlite(options);
  const { orm } = opened;
  try {
    await orm.getMigrator().up();
  } catch (error) {
    await orm.close(true);
    release?.();
    throw error;
  }
  // Reader threads open the file only once it is migrated (and so exists).
  const readerCount = options.readers ?? 0;
  const path = dialect === 'sqlite' ? sqlitePathFromUrl(options.url) : ':memory:';
  if (path !== ':memory:' && readerCount > 0) opened.readers = new ReadPool(path, readerCount);
  return {
    ...opened,
    url: options.url,
    dialect,
    async appliedMigrations() {
      const rows = await orm.getMigrator().getExecutedMigrations();
      return rows.map((r) => r.name);
    },
    knownMigrations: () => (options.migrations ?? MIGRATIONS_BY_DIALECT[dialect]).map((m) => m.name),
    isStorageFull,
    async ping() {
      try {
        await orm.em.getConnection().execute('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await opened.readers?.close();
      await orm.close(true);
      release?.();
    },
  };
}

type Opened = Pick<
  Database,
  'orm' | 'beginWrite' | 'isUnavailable' | 'shared' | 'listen' | 'readers' | 'concurrentReads'
> & {
  /** Gives up what the process claimed on open (the SQLite file). */
  release?: () => void;
};

/** The calls the command runner makes on the raw SQLite connection. */
interface RawSqlite extends SqliteHandle {
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

/**
 * Claims a SQLite file for this process with `<file>.server`, holding the pid. A second server on
 * the same file would commit its own `seq` numbers and never publish the first one's events, so it
 * is refused; a file left by a process that died is taken over. Returns the release.
 */
export function claimSqliteFile(path: string): () => void {
  if (path === ':memory:') return () => undefined;
  const lockPath = `${path}.server`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = Number(readFileSync(lockPath, 'utf8').trim());
    // Our own pid is a file from an earlier life of a container (its server is often pid 1 again).
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `Another Maestro server (pid ${holder}) is using ${path}. Stop it, or give this one another ` +
          `MAESTRO_HOME or --db. If no such server runs, delete ${lockPath}.`,
      );
    }
    rmSync(lockPath, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openSqlite(options: DatabaseOptions): Promise<Opened> {
  const path = sqlitePathFromUrl(options.url);
  const release = claimSqliteFile(path);
  try {
    return { ...(await openSqliteClaimed(options, path)), release };
  } catch (error) {
    release();
    throw error;
  }
}

async function openSqliteClaimed(options: DatabaseOptions, path: string): Promise<Opened> {
  const { MikroORM, BetterSqliteDriver } = await import('@mikro-orm/better-sqlite');
  const orm = await MikroORM.init({
    ...baseOptions(options),
    driver: BetterSqliteDriver,
    dbName: path,
    pool: {
      min: 1,
      max: 1,
      idleTimeoutMillis: 2 ** 31 - 1,
      afterCreate: (
        conn: { pragma(sql: string): unknown },
        done: (err: Error | null, conn: unknown) => void,
      ) => {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('busy_timeout = 5000');
        conn.pragma('foreign_keys = ON');
        done(null, conn);
      },
    },
  });
  // The single write connection: the runner opens and commits transactions on it directly, because a
  // knex transaction costs ~0.45 ms and BEGIN/COMMIT ~0.01 ms. Every query of the ORM uses it too.
  const knex = (orm.em as SqlEntityManager).getKnex();
  const sqlite = (await knex.client.acquireConnection()) as RawSqlite;
  await knex.client.releaseConnection(sqlite);
  registerSqliteHandle(orm.em, sqlite);
  registerDialect(orm.em, 'sqlite');
  const transaction: WriteTransaction = {
    exec: async (sql) => void sqlite.exec(sql),
    fork: () => orm.em.fork(),
    announce: async () => undefined,
    commit: async () => void sqlite.exec('COMMIT'),
    rollback: async () => {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    },
  };
  return {
    orm,
    // The file is opened once; there is no connection to lose.
    isUnavailable: () => false,
    // One process owns the file (the server holds it open); nobody else writes events.
    shared: false,
    listen: async () => async () => undefined,
    async beginWrite() {
      sqlite.exec('BEGIN IMMEDIATE');
      return transaction;
    },
  };
}

async function openPostgres(options: DatabaseOptions): Promise<Opened> {
  const warn = options.warn ?? ((message: string) => void process.stderr.write(`${message}\n`));
  const { MikroORM, PostgreSqlDriver } = await import('@mikro-orm/postgresql');
  const { PgWriter, connectionOf, flushBeforeOrmQueries } = await import('./pg-writer.js');
  const orm = await MikroORM.init({
    ...baseOptions(options),
    driver: PostgreSqlDriver,
    clientUrl: options.url,
    pool: { min: 1, max: options.poolSize ?? 10 },
    // A server must not hang on a database that stopped answering: readiness reports it instead.
    driverOptions: {
      connection: { connectionTimeoutMillis: 5000 },
      acquireConnectionTimeout: 5000,
      // knex writes these with console.log by default, which would mix them into stdout.
      log: { warn, error: warn, deprecate: warn, debug: () => undefined },
    },
  });
  registerDialect(orm.em, 'postgresql');
  const knex = (orm.em as SqlEntityManager).getKnex();
  return {
    orm,
    isUnavailable: isConnectionError,
    shared: true,
    // Two of the pool's connections stay for the writer (a batch's transaction, the next one's BEGIN).
    concurrentReads: Math.max(1, (options.poolSize ?? 10) - 2),
    listen: (onWrite, onError) => listenForWrites(options.url, onWrite, onError),
    async beginWrite(strict = false) {
      const trx: Knex.Transaction = await knex.transaction();
      let writer: PgWriter;
      try {
        writer = new PgWriter(await connectionOf(trx), strict);
        await writer.lock(WRITE_LOCK_ID);
      } catch (error) {
        await trx.rollback().catch(() => undefined);
        throw error;
      }
      flushBeforeOrmQueries(trx, writer);
      return {
        exec: (sql) => writer.defer(sql, [], false),
        fork: () => {
          const em = orm.em.fork();
          em.setTransactionContext(trx);
          registerWriter(em, writer);
          return em;
        },
        nextSeq: () => writer.nextSeq(),
        begin: () => writer.begin(),
        undo: (mark) => writer.undo(mark as WriterMark),
        get tainted() {
          return writer.tainted;
        },
        takeFailure: () => writer.takeFailure(),
        announce: (lastSeq) =>
          writer.defer(`select pg_notify('${EVENTS_CHANNEL}', ?)`, [String(lastSeq)], false),
        commit: async () => {
          await writer.commit();
          await trx.commit();
        },
        rollback: async () => {
          writer.discard();
          if (!trx.isCompleted()) await trx.rollback();
        },
      };
    },
  };
}

const EVENTS_CHANNEL = 'maestro_events';

/**
 * LISTENs on a connection of its own for other servers' announcements, and opens a new connection
 * after losing one (telling `onWrite` too, since announcements may have been missed meanwhile).
 */
async function listenForWrites(
  url: string,
  onWrite: (lastSeq: number | null) => void,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> {
  const { default: pg } = await import('pg');
  let client: InstanceType<typeof pg.Client> | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    next.on('notification', (message) => {
      const seq = Number(message.payload);
      onWrite(Number.isSafeInteger(seq) && seq > 0 ? seq : null);
    });
    next.on('error', (error) => {
      onError(error);
      reconnect(next);
    });
    next.on('end', () => reconnect(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${EVENTS_CHANNEL}`);
      client = next;
      onWrite(null);
    } catch (error) {
      onError(error);
      reconnect(next);
    }
  };
  const reconnect = (lost: InstanceType<typeof pg.Client>) => {
    if (stopped || retry || (client && client !== lost)) return;
    client = undefined;
    lost.end().catch(() => undefined);
    retry = setTimeout(() => {
      retry = undefined;
      background('listening for other servers', connect, (_what, error) => onError(error));
    }, 1000);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

/**
 * SQLite's "database or disk is full" (also when `max_page_count` is reached), the system's ENOSPC,
 * and PostgreSQL's class 53 disk_full (53100), anywhere in the chain of causes (the ORM keeps the
 * driver's code on its own exception, and the driver's error as `previous`).
 */
const STORAGE_FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', '53100']);

export function isStorageFull(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e instanceof Error && !seen.has(e);) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && STORAGE_FULL_CODES.has(code)) return true;
    e = e.cause ?? (e as { previous?: unknown }).previous;
  }
  return false;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Connection failures of pg and knex's pool, and PostgreSQL's "shutting down / cannot connect" classes. */
function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || /^(08|57P)/.test(code))) return true;
    if (e.name === 'KnexTimeoutError') return true;
    if (
      /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message)
    ) {
      return true;
    }
  }
  return false;
}
