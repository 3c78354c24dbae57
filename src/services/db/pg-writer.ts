import { createRequire } from 'node:module';
import type { Knex } from '@mikro-orm/knex';

const require = createRequire(import.meta.url);
// pg's own conversions of a parameter to its text form and of text to a quoted literal, so that a
// value inlined here reaches the server exactly as the driver would have sent it as a parameter.
const { prepareValue, escapeLiteral } = require('pg/lib/utils') as {
  prepareValue(value: unknown): unknown;
  escapeLiteral(text: string): string;
};

/** The part of a pg client this uses: a simple query (several statements, one round trip). */
interface PgClient {
  query(text: string): Promise<PgResult | PgResult[]>;
}

interface PgResult {
  rows: unknown[];
}

/** `value` as a quoted literal: untyped, like an unbound parameter, so the statement infers its type. */
function literal(value: unknown): string {
  if (value === undefined) throw new TypeError('A statement was given an undefined value.');
  const text = prepareValue(value);
  if (text === null || text === undefined) return 'NULL';
  if (typeof text !== 'string') throw new TypeError('A statement was given a value with no text form.');
  return escapeLiteral(text);
}

/** True when the server answered a statement with an error (and so did not commit the string). */
export function refusedStatement(error: unknown): boolean {
  const { severity, code } = (error ?? {}) as { severity?: unknown; code?: unknown };
  return (
    severity === 'ERROR' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57P)/.test(code)
  );
}

/**
 * `sql` with each `?` replaced by its value as a literal. The hand-written statements write `?` for
 * parameters and nowhere else (as knex requires of them too).
 */
export function inline(sql: string, params: readonly unknown[]): string {
  let i = 0;
  const text = sql.replace(/\?/g, () => {
    if (i >= params.length) throw new TypeError(`Too few values for the statement: ${sql}`);
    return literal(params[i++]);
  });
  if (i !== params.length) throw new TypeError(`Too many values for the statement: ${sql}`);
  return text;
}

/** Where a command began in the writer's queue and `seq`, to undo what it did if it fails. */
export interface WriterMark {
  buffer: number;
  seq: number;
}

/**
 * The write transaction's own connection on PostgreSQL, in as few round trips as the statements'
 * answers allow.
 *
 * A statement whose answer nobody needs (a timeline entry, an event, a savepoint) is `defer`red: it
 * is sent together with the next statement that needs an answer, or before the next query the ORM
 * makes, or at commit, in one simple query, in order. Each statement still runs in the
 * transaction's order; only the round trips are shared. Statements go as text with their values
 * inlined as literals, which is also cheaper for the driver than one prepared round trip each.
 *
 * The cost is attribution: when a string carrying an earlier command's deferred writes fails, the
 * error may be that command's, so the batch is `tainted` and the runner runs its commands again in
 * `strict` mode, where nothing is deferred.
 */
export class PgWriter {
  /** Deferred statements, one SQL statement each (so the n-th answers the n-th). */
  private buffer: { text: string; write: boolean; guard?: boolean }[] = [];
  /** Reads asked for in this turn of the event loop, and who waits for which answer. */
  private round: {
    statements: string[];
    waiters: { index: number; resolve(rows: unknown[]): void; reject(error: unknown): void }[];
  } | null = null;
  /** How many writes in `buffer` came before the current command began (not its own). */
  private inherited = 0;
  private seq = 0;
  private failure: unknown;
  /** The statements being sent carry a guarded update (see `updateOne`). */
  private guarded = false;
  /** True once a failure may belong to a command other than the one it reached. */
  tainted = false;
  /** True once `commit` has ended the transaction, committed or not. */
  ended = false;

  constructor(
    private readonly client: PgClient,
    readonly strict: boolean,
  ) {}

  /** Opens the transaction's write side: the write lock, then the log's last `seq` under it. */
  async lock(lockId: number): Promise<void> {
    // Two statements in one round trip: under READ COMMITTED the second takes its snapshot after the
    // first has the lock, so it sees every writer that committed before.
    const results = await this.client.query(
      `select pg_advisory_xact_lock(${lockId}); select coalesce(max(seq), 0) as seq from event_log`,
    );
    const last = Array.isArray(results) ? results[results.length - 1]! : results;
    this.seq = Number((last.rows[0] as { seq: unknown }).seq);
  }

  /** The next event's `seq`: the writer holds the lock, so it is this transaction's alone. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** Runs `sql` (after any deferred statements, in the same round trip) and returns its rows. */
  async rows<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const text = inline(sql, params);
    let round = this.round;
    if (!round) {
      round = this.round = { statements: [], waiters: [] };
      queueMicrotask(() => this.sendRound());
    }
    // What was deferred before this read runs before it; what is deferred after it, after.
    round.statements.push(...this.take(), text);
    const index = round.statements.length - 1;
    return new Promise<T[]>((resolve, reject) =>
      round.waiters.push({ index, resolve: resolve as (rows: unknown[]) => void, reject }),
    );
  }

  /**
   * Sends the reads asked for in this turn (with what was deferred before each), one round trip
   * for all: a command that asks for two answers at once (`Promise.all`) waits for one.
   */
  private sendRound(): void {
    const round = this.round;
    if (!round) return;
    this.round = null;
    this.send(round.statements).then(
      (results) => {
        const list = Array.isArray(results) ? results : [results];
        if (list.length !== round.statements.length) {
          const error = new Error(`Sent ${round.statements.length} statements, got ${list.length} results.`);
          for (const waiter of round.waiters) waiter.reject(error);
          return;
        }
        for (const waiter of round.waiters) waiter.resolve(list[waiter.index]!.rows);
      },
      (error: unknown) => {
        for (const waiter of round.waiters) waiter.reject(error);
      },
    );
  }

  /**
   * Queues a statement whose answer is not needed; in strict mode a write runs at once. `write`
   * false marks the transaction's own control statements (savepoints, the announcement), which
   * cannot fail for a command.
   */
  async defer(sql: string, params: readonly unknown[] = [], write = true): Promise<void> {
    this.buffer.push({ text: inline(sql, params), write });
    if (this.strict && write) {
      this.sendRound();
      await this.send(this.take());
    }
  }

  /**
   * Queues an update that must change exactly one row (an optimistic lock: `where ... and version
   * = ?`). Deferred, it fails the transaction if it changed none (a division by the count of rows
   * it changed), and any failure of a string that carries one taints the batch, so the strict run
   * finds the conflict and the command is retried. Strict, it runs at once: false if it changed none.
   */
  async updateOne(sql: string, params: readonly unknown[]): Promise<boolean> {
    if (this.strict) return (await this.rows(`${sql} returning 1`, params)).length === 1;
    this.buffer.push({
      text: `with changed as (${inline(sql, params)} returning 1) select 1 / count(*) from changed`,
      write: true,
      guard: true,
    });
    return true;
  }

  /**
   * Commits, with what is deferred in the same round trip. Every write still queued is then counted
   * as not the last command's alone (in a batch it may be an earlier one's), so its failure taints
   * the batch. A string that fails before its COMMIT leaves the transaction open and aborted: it is
   * rolled back here, so the connection goes back to the pool clean. Either way the transaction has
   * ended, and knex's own COMMIT or ROLLBACK that follows is not sent (see flushBeforeOrmQueries).
   */
  async commit(): Promise<void> {
    this.sendRound();
    this.inherited = this.buffer.filter((s) => s.write).length;
    try {
      await this.send([...this.take(), 'COMMIT']);
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.ended = true;
    }
  }

  /**
   * Sends what is deferred ahead of a query the ORM is about to put on the same connection (the
   * driver runs a connection's queries in the order they were given). The ORM's own query then
   * fails in the aborted transaction; `takeFailure` gives the cause.
   */
  flushBefore(): void {
    this.sendRound();
    const carried = this.take();
    if (carried.length) this.send(carried).catch(() => undefined);
  }

  /** A command begins: what is queued so far belongs to the ones before it. Returns a mark for `undo`. */
  begin(): WriterMark {
    this.inherited = this.buffer.filter((s) => s.write).length;
    this.failure = undefined;
    return { buffer: this.buffer.length, seq: this.seq };
  }

  /** A command failed: drops what it queued and the `seq`s it took. */
  undo(mark: WriterMark): void {
    this.buffer.length = Math.min(this.buffer.length, mark.buffer);
    this.inherited = Math.min(this.inherited, this.buffer.filter((s) => s.write).length);
    this.seq = mark.seq;
  }

  /** The failure of a deferred flush that an ORM query then reached as "transaction aborted". */
  takeFailure(): unknown {
    const failure = this.failure;
    this.failure = undefined;
    return failure;
  }

  discard(): void {
    const round = this.round;
    this.round = null;
    for (const waiter of round?.waiters ?? []) waiter.reject(new Error('The transaction was rolled back.'));
    this.buffer = [];
    this.inherited = 0;
  }

  private take(): string[] {
    const carried = this.buffer.map((s) => s.text);
    if (this.buffer.some((s) => s.guard)) this.guarded = true;
    this.buffer = [];
    return carried;
  }

  private async send(statements: string[]): Promise<PgResult | PgResult[]> {
    const inherited = this.inherited;
    const guarded = this.guarded;
    this.inherited = 0;
    this.guarded = false;
    try {
      return await this.client.query(statements.join(';\n'));
    } catch (error) {
      this.failure = error;
      // Only a statement the server refused is safe to run again: the rest of the string, its COMMIT
      // too, was then skipped. A lost connection may have lost the reply to a COMMIT that took
      // effect, so its commands fail instead (their callers retry under their idempotency keys).
      if ((inherited > 0 || guarded) && refusedStatement(error)) this.tainted = true;
      throw error;
    }
  }
}

/**
 * Makes every query the ORM puts on the transaction's connection send the deferred statements
 * first, so they keep their place in the transaction's order. Once `commit` has ended the
 * transaction, knex's own COMMIT or ROLLBACK is answered without being sent: knex reports a failed
 * COMMIT only to the transaction's promise, never to the caller of `commit`, so the writer commits
 * by itself and throws what went wrong.
 */
export function flushBeforeOrmQueries(trx: Knex.Transaction, writer: PgWriter): void {
  const client = trx.client as unknown as { query(conn: unknown, obj: unknown): Promise<unknown> };
  const query = client.query.bind(client);
  client.query = (conn, obj) => {
    if (writer.ended && (obj === 'COMMIT;' || obj === 'ROLLBACK')) return Promise.resolve(undefined);
    writer.flushBefore();
    return query(conn, obj);
  };
}

/** The pg client of a knex transaction (its one connection). */
export async function connectionOf(trx: Knex.Transaction): Promise<PgClient> {
  const client = trx.client as unknown as { acquireConnection(): Promise<PgClient> };
  return client.acquireConnection();
}
