import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The server's state and secrets (home folder, token, database, logs, session folders) are for its
 * own user only. What the server creates it creates private; what it finds looser and owns, it
 * tightens at start and says so. Explicit modes rather than a process umask: agents started by the
 * server must keep the operator's umask for the files they write in the project.
 */
export type Warn = (message: string, fields?: Record<string, unknown>) => void;

const ownedByMe = (uid: number) => process.getuid === undefined || uid === process.getuid();

/** Makes `dir` (mode 0700) or tightens it to 0700 when it is ours and group or others may enter it. */
export function privateDir(dir: string, warn: Warn): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return;
  }
  tighten(dir, 0o700, warn);
}

/** Tightens an existing file of ours to 0600; a missing file is left alone. */
export function privateFile(path: string, warn: Warn): void {
  if (existsSync(path)) tighten(path, 0o600, warn);
}

/**
 * Makes sure a SQLite database file exists and is 0600 before the database opens it: SQLite gives
 * its `-wal` and `-shm` files the mode of the database file, so they are private too.
 */
export function privateSqliteFile(file: string, warn: Warn): void {
  if (file === ':memory:' || file === '') return;
  if (!existsSync(file)) {
    if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`]) privateFile(path, warn);
}

function tighten(path: string, mode: number, warn: Warn): void {
  const stat = statSync(path);
  const current = stat.mode & 0o777;
  if ((current & 0o077) === 0) return;
  if (!ownedByMe(stat.uid)) {
    warn(`${path} is mode 0${current.toString(8)} and belongs to another user: others may read it`, {
      path,
      mode: `0${current.toString(8)}`,
    });
    return;
  }
  chmodSync(path, mode);
  warn(`${path} was mode 0${current.toString(8)}: tightened to 0${mode.toString(8)}`, {
    path,
    from: `0${current.toString(8)}`,
    to: `0${mode.toString(8)}`,
  });
}
