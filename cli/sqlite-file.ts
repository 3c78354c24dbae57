import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { cliError } from './errors.js';

/**
 * Backup and restore of a SQLite database file, done by the CLI next to (or without) a running
 * server. SQLite's online backup API copies a consistent image while the server keeps writing (WAL
 * lets a reader and the writer work at once), so no server call is needed.
 */

/** The part of better-sqlite3 used here. */
export interface SqliteDb {
  prepare(sql: string): { get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  exec(sql: string): unknown;
  backup(
    destination: string,
    options?: { progress?: (info: { totalPages: number; remainingPages: number }) => number | undefined },
  ): Promise<{ totalPages: number; remainingPages: number }>;
  close(): void;
}

interface OpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** busy_timeout in ms. */
  timeout?: number;
}

/**
 * Opens a SQLite file with better-sqlite3. It is the driver `@mikro-orm/better-sqlite` depends on,
 * not a dependency of Maestro's own, so it is resolved from there.
 */
export function openSqlite(path: string, options: OpenOptions = {}): SqliteDb {
  const here = createRequire(import.meta.url);
  const driver = createRequire(here.resolve('@mikro-orm/better-sqlite'));
  const Database = driver('better-sqlite3') as new (path: string, options: OpenOptions) => SqliteDb;
  return new Database(path, options);
}

/** What a Maestro database holds, as far as backup and restore report it. */
export interface DatabaseSummary {
  /** Migrations applied, oldest first. */
  migrations: string[];
  /** The newest event's seq (0 for an empty log). */
  lastSeq: number;
  tasks: number;
}

const MIGRATIONS_TABLE = 'mikro_orm_migrations';

/** Reads the summary; throws `invalid_argument` when the file is not a Maestro database. */
export function summarize(db: SqliteDb, path: string, field: string): DatabaseSummary {
  try {
    const migrations = (
      db.prepare(`select name from ${MIGRATIONS_TABLE} order by id`).all() as { name: string }[]
    ).map((r) => r.name);
    if (migrations.length === 0) throw new Error('no migration has been applied');
    const { lastSeq } = db.prepare('select coalesce(max(seq), 0) as lastSeq from event_log').get() as {
      lastSeq: number;
    };
    const { tasks } = db.prepare('select count(*) as tasks from tasks').get() as { tasks: number };
    return { migrations, lastSeq, tasks };
  } catch (error) {
    throw cliError(
      'invalid_argument',
      `${path} is not a Maestro database (${(error as Error).message}).`,
      'Give a file made by maestro backup, or a maestro.db.',
      { field, path },
    );
  }
}

function checkIntegrity(db: SqliteDb, path: string, field: string): void {
  const result = db.pragma('integrity_check', { simple: true });
  if (result !== 'ok') {
    throw cliError(
      'invalid_argument',
      `${path} fails SQLite's integrity check: ${String(result)}.`,
      undefined,
      {
        field,
        path,
      },
    );
  }
}

/** Renames over `path` durably: the rename itself is made to survive a crash, too. */
function replaceFile(temp: string, path: string): void {
  const fd = openSync(temp, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/**
 * Copies `source` into `temp` with the online backup API, then makes the copy a self-contained
 * file (rollback journal, no -wal) and checks it.
 */
async function copyDatabase(source: SqliteDb, temp: string, field: string): Promise<DatabaseSummary> {
  rmSync(temp, { force: true });
  // The first step copies 100 pages; every later step copies all that is left, inside one read
  // transaction. Small steps would start over each time the server commits in between.
  await source.backup(temp, { progress: () => 0x7fffffff });
  const copy = openSqlite(temp, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    checkIntegrity(copy, temp, field);
    return summarize(copy, temp, field);
  } finally {
    copy.close();
  }
}

export interface BackupResult extends DatabaseSummary {
  /** The database that was copied. */
  source: string;
  /** The backup file. */
  path: string;
  bytes: number;
}

/** Writes a consistent copy of the database at `source` to `out`; safe while a server writes to it. */
export async function backupDatabase(source: string, out: string): Promise<BackupResult> {
  if (!existsSync(source)) {
    throw cliError(
      'invalid_argument',
      `There is no database at ${source}.`,
      'Check MAESTRO_HOME, MAESTRO_DB_URL or --db.',
      {
        field: 'db',
        path: source,
      },
    );
  }
  if (!existsSync(dirname(out))) {
    throw cliError('invalid_argument', `The folder of --out (${dirname(out)}) does not exist.`, undefined, {
      field: 'out',
    });
  }
  if (existsSync(out) && statSync(out).ino === statSync(source).ino) {
    throw cliError('invalid_argument', '--out names the database itself.', undefined, { field: 'out' });
  }
  const db = openSqlite(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  const temp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
  try {
    summarize(db, source, 'db');
    const summary = await copyDatabase(db, temp, 'db');
    replaceFile(temp, out);
    return { source, path: out, bytes: statSync(out).size, ...summary };
  } finally {
    db.close();
    rmSync(temp, { force: true });
  }
}

export interface RestoreResult extends DatabaseSummary {
  /** The database that was replaced (or created). */
  db: string;
  from: string;
  /** The database as it was before, kept next to it; empty when there was none. */
  previous: string;
}

/**
 * True when another connection (a server) has the database open. A WAL database is held with a
 * shared lock by every connection, so an exclusive lock is refused while anyone uses it.
 */
function inUse(path: string): boolean {
  const probe = openSqlite(path, { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    // Nobody else has it: fold the WAL into the file, so the copy kept as `previous` is complete.
    probe.exec('COMMIT');
    probe.pragma('wal_checkpoint(TRUNCATE)');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    probe.close();
  }
}

/**
 * Replaces the database at `target` with the backup at `from`. The new file is written next to the
 * target and renamed over it, so a crash leaves either the old database or the new one. The old one
 * is kept as `<target>.pre-restore`.
 */
export async function restoreDatabase(from: string, target: string, force: boolean): Promise<RestoreResult> {
  if (!existsSync(from)) {
    throw cliError('invalid_argument', `There is no file at ${from}.`, undefined, {
      field: 'from',
      path: from,
    });
  }
  const source = openSqlite(from, { readonly: true, fileMustExist: true, timeout: 5000 });
  const temp = `${target}.restore-${process.pid}`;
  try {
    summarize(source, from, 'from');
    checkIntegrity(source, from, 'from');
    let previous = '';
    if (existsSync(target)) {
      if (inUse(target) && !force) {
        throw cliError(
          'invalid_argument',
          `The database ${target} is in use (a Maestro server is running on it).`,
          'Stop the server first (SIGTERM), then restore. --force restores anyway: what the server writes afterwards is lost.',
          { field: 'force', db: target },
        );
      }
      previous = `${target}.pre-restore`;
      rmSync(previous, { force: true });
      try {
        linkSync(target, previous);
      } catch {
        copyFileSync(target, previous);
      }
    } else {
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    }
    const summary = await copyDatabase(source, temp, 'from');
    // A -wal or hot journal left by the old database would be replayed into the new one.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(target + suffix, { force: true });
    replaceFile(temp, target);
    return { db: target, from, previous, ...summary };
  } finally {
    source.close();
    rmSync(temp, { force: true });
  }
}
