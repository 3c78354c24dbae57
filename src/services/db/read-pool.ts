import { createRequire } from 'node:module';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { RowReader } from './sql.js';

/**
 * What the main thread asks a reader thread: open a read transaction (one snapshot for a whole
 * unit of reads), run one statement, or end the transaction.
 */
type Request =
  | { id: number; op: 'begin' }
  | { id: number; op: 'all'; sql: string; params: unknown[] }
  | { id: number; op: 'end' };

type Reply = { id: number; rows?: unknown[] } | { id: number; error: { message: string; code?: string } };

/**
 * The reader thread's program. It runs from its source text (`eval`), so it needs no file of its
 * own beside the bundle; it must use nothing from this module's scope, and it is handed the
 * thread's `require` (a bundler would rename a `require` written here). It opens the database file
 * read-only (WAL lets it read beside the writer), keeps its prepared statements, and refuses any
 * statement that would write.
 */
function readerProgram(load: (id: string) => unknown): void {
  const { parentPort, workerData } = load('node:worker_threads') as {
    parentPort: MessagePort;
    workerData: unknown;
  };
  const data = workerData as { driver: string; path: string };
  const Driver = load(data.driver) as new (
    path: string,
    options: { readonly: boolean; fileMustExist: boolean },
  ) => {
    pragma(sql: string): unknown;
    exec(sql: string): unknown;
    prepare(sql: string): { readonly reader: boolean; all(...params: unknown[]): unknown[] };
    readonly inTransaction: boolean;
  };
  const db = new Driver(data.path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const statements = new Map<string, ReturnType<typeof db.prepare>>();
  parentPort.on('message', (request: Request) => {
    let reply: Reply;
    try {
      if (request.op === 'begin') {
        if (!db.inTransaction) db.exec('BEGIN');
        reply = { id: request.id };
      } else if (request.op === 'end') {
        if (db.inTransaction) db.exec('COMMIT');
        reply = { id: request.id };
      } else {
        let statement = statements.get(request.sql);
        if (!statement) {
          statement = db.prepare(request.sql);
          if (!statement.reader) throw new Error('A reader thread runs only statements that read.');
          if (statements.size > 500) statements.clear();
          statements.set(request.sql, statement);
        }
        reply = { id: request.id, rows: statement.all(...request.params) };
      }
    } catch (error) {
      const e = error as { message?: unknown; code?: unknown };
      reply = {
        id: request.id,
        error: {
          message: String(e.message ?? error),
          ...(typeof e.code === 'string' ? { code: e.code } : {}),
        },
      };
    }
    parentPort.postMessage(reply);
  });
}

/** A statement the reader thread refused or failed, with SQLite's code when it gave one. */
export class ReadError extends Error {
  override readonly name = 'ReadError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The reader thread went away (it crashed, or the pool closed) before it answered. */
export class ReaderGoneError extends Error {
  override readonly name = 'ReaderGoneError';
}

/** Where better-sqlite3 is, as the ORM's SQLite driver finds it. */
function driverPath(): string {
  const here = createRequire(import.meta.url);
  try {
    return createRequire(here.resolve('@mikro-orm/better-sqlite')).resolve('better-sqlite3');
  } catch {
    return here.resolve('better-sqlite3');
  }
}

/** One reader thread and the requests it has not answered yet. */
class Reader {
  readonly worker: Worker;
  private next = 1;
  private readonly waiting = new Map<number, { resolve(rows: unknown[]): void; reject(e: unknown): void }>();
  dead = false;

  constructor(driver: string, path: string, onExit: (reader: Reader) => void) {
    this.worker = new Worker(`(${readerProgram.toString()})(require)`, {
      eval: true,
      workerData: { driver, path },
      // Its own reads are small; the rows it sends are copied to the main thread.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    // An idle reader never keeps the process alive on its own; one with a question does.
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ('error' in reply) pending.reject(new ReadError(reply.error.message, reply.error.code));
      else pending.resolve(reply.rows ?? []);
    });
    const gone = (why: unknown) => {
      if (this.dead) return;
      this.dead = true;
      const error = new ReaderGoneError('The reader thread stopped before it answered.', { cause: why });
      for (const pending of this.waiting.values()) pending.reject(error);
      this.waiting.clear();
      onExit(this);
    };
    this.worker.on('error', gone);
    this.worker.on('exit', (code) => gone(new Error(`reader thread exited with code ${code}`)));
  }

  ask(request: { op: 'begin' } | { op: 'end' } | { op: 'all'; sql: string; params: unknown[] }) {
    return new Promise<unknown[]>((resolve, reject) => {
      if (this.dead) return reject(new ReaderGoneError('The reader thread stopped.'));
      const id = this.next++;
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }
}

const bindable = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Date ? v.getTime() : v);

/**
 * Reader threads for one SQLite file: each has its own read-only connection, so list pages, status
 * counts and event pages run beside the writer instead of in the command queue on the server's one
 * thread. A unit of reads holds one thread for its statements, inside one read transaction (one
 * snapshot). A thread that dies is replaced at the next read; what it had not answered fails with
 * `ReaderGoneError`.
 *
 * The writer commits before a command is answered, and a reader's transaction starts after it, so
 * a read that follows a reply sees that command's writes.
 */
export class ReadPool {
  private readonly readers: Reader[] = [];
  private readonly idle: Reader[] = [];
  private readonly queue: { resolve(reader: Reader): void; reject(e: unknown): void }[] = [];
  private readonly driver = driverPath();
  private closed = false;
  /** Reader threads started so far (replacements included), for tests and metrics. */
  started = 0;

  constructor(
    private readonly path: string,
    private readonly size = 2,
  ) {}

  async read<T>(work: (reader: RowReader) => Promise<T>): Promise<T> {
    const reader = await this.acquire();
    // The thread answers in order, so neither the BEGIN nor the COMMIT costs a round trip of its
    // own: the first statement's answer comes after the BEGIN's, and the next read's BEGIN after
    // this COMMIT.
    const begun = reader.ask({ op: 'begin' });
    begun.catch(() => undefined);
    try {
      return await work({
        dialect: 'sqlite',
        rows: async <R>(sql: string, params: readonly unknown[]) => {
          const rows = reader.ask({ op: 'all', sql, params: params.map(bindable) });
          // When the BEGIN failed, its error is the one that counts; this one is then left unread.
          rows.catch(() => undefined);
          await begun;
          return (await rows) as R[];
        },
      });
    } finally {
      if (!reader.dead) reader.ask({ op: 'end' }).catch(() => undefined);
      this.release(reader);
    }
  }

  /** The threads of the pool, for tests (to end one as a crash would). */
  get workers(): readonly Worker[] {
    return this.readers.map((r) => r.worker);
  }

  /** Ends every reader thread; reads under way fail with `ReaderGoneError`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.reject(new ReaderGoneError('The database is closed.'));
    await Promise.all(this.readers.splice(0).map((r) => r.worker.terminate()));
    this.idle.length = 0;
  }

  private acquire(): Promise<Reader> {
    if (this.closed) return Promise.reject(new ReaderGoneError('The database is closed.'));
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    if (this.readers.length < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve, reject) => this.queue.push({ resolve, reject }));
  }

  private release(reader: Reader): void {
    if (reader.dead || this.closed) return;
    const waiter = this.queue.shift();
    if (waiter) waiter.resolve(reader);
    else this.idle.push(reader);
  }

  private spawn(): Reader {
    this.started++;
    const reader = new Reader(this.driver, this.path, (gone) => this.forget(gone));
    this.readers.push(reader);
    return reader;
  }

  /** A thread that died leaves the pool; someone waiting for a thread gets a new one. */
  private forget(reader: Reader): void {
    const at = this.readers.indexOf(reader);
    if (at >= 0) this.readers.splice(at, 1);
    const idleAt = this.idle.indexOf(reader);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    if (this.closed) return;
    const waiter = this.queue.shift();
    if (waiter) waiter.resolve(this.spawn());
  }
}
