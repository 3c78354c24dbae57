import { createHash } from 'node:crypto';
import {
  IsolationLevel,
  OptimisticLockError,
  type EntityDictionary,
  type EntityManager,
  type EntityName,
} from '@mikro-orm/core';
import type { Database, WriteTransaction } from './db/database.js';
import { ReaderGoneError } from './db/read-pool.js';
import { readRowsAhead, useRowsAhead, type ReadAhead, type RowsAhead } from './db/task-records.js';
import { defer, query, readJson, readerOf, type RowReader } from './db/sql.js';
import type { EventPublisher, MaestroEvent } from './event-types.js';
import { background, reportToStderr, type BackgroundErrorReporter } from '../shared/background.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { MaestroError, databaseUnavailable, internalError, invalidArgument, storageFull } from './errors.js';
import type { Principal } from './principal.js';

/** Who is asking, as the gateway established it. */
export interface RequestContext {
  actor: string;
  /** Set when the caller runs inside an agent session (MAESTRO_SESSION_ID). */
  sessionId: string | null;
  idempotencyKey?: string;
  /** The credential the call came with (the server token, or a session's own token). */
  principal?: string;
  /**
   * What that credential may reach: a session's token only its own project (services check it
   * with `assertInScope`). Absent for the server's own work (sweeps, the dispatcher).
   */
  caller?: Principal;
}

export type { Clock } from '../shared/clock.js';

/** The transaction a command runs in: the entity manager, the time, and the events it appends. */
export class Tx {
  readonly events: MaestroEvent[] = [];
  constructor(
    readonly em: EntityManager,
    readonly ctx: RequestContext,
    readonly now: number,
    /** The writer's own `seq`s, where it assigns them (see WriteTransaction.nextSeq). */
    private readonly nextSeq?: () => number,
  ) {}

  /** Appends an event to the log in this transaction; it is published only after the commit. */
  async emit(
    type: string,
    entityType: string,
    entityId: string,
    projectId: string | null,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const data = {
      ...payload,
      actor: this.ctx.actor,
      ...(this.ctx.sessionId ? { sessionId: this.ctx.sessionId } : {}),
    };
    // Writers hold the write lock (SQLite's, or the advisory lock on PostgreSQL), so max + 1 is
    // this transaction's alone, and a command rolled back to its savepoint leaves no hole in seq.
    const values = [type, entityType, entityId, projectId, JSON.stringify(data), new Date(this.now)];
    let seq: number;
    if (this.nextSeq) {
      seq = this.nextSeq();
      await defer(
        this.em,
        `insert into event_log (seq, type, entity_type, entity_id, project_id, data, created_at)
         values (?, ?, ?, ?, ?, ?, ?)`,
        [seq, ...values],
      );
    } else {
      const [row] = await query<{ seq: number }>(
        this.em,
        `insert into event_log (seq, type, entity_type, entity_id, project_id, data, created_at)
         values ((select coalesce(max(seq), 0) + 1 from event_log), ?, ?, ?, ?, ?, ?) returning seq`,
        values,
      );
      seq = Number(row!.seq);
    }
    this.events.push({
      seq,
      type,
      entityType,
      entityId,
      projectId: projectId ?? '',
      data,
      createdAt: new Date(this.now).toISOString(),
    });
  }
}

/**
 * The key a reply is stored under: the caller's key within the caller's own scope (its credential
 * and actor), so that another caller reusing a key runs its own command instead of reading
 * someone else's reply.
 */
export function scopedKey(ctx: RequestContext, key: string): string {
  return `k1:${createHash('sha256')
    .update(ctx.principal ?? '')
    .update('\n')
    .update(ctx.actor)
    .update('\n')
    .update(key)
    .digest('base64url')}`;
}

/** Another writer changed a row this command read; the runner retries the command from the start. */
export class ConcurrentWriteError extends Error {
  override readonly name = 'ConcurrentWriteError';
}

const MAX_ATTEMPTS = 5;
const MAX_BATCH = 64;
const IDEMPOTENCY_KEY_MAX = 200;

export type { ReadAhead } from './db/task-records.js';

interface Job {
  operation: string;
  ctx: RequestContext;
  command: (tx: Tx) => Promise<unknown>;
  attempt: number;
  /** Run with each statement on its own: its batch failed where the failure could not be placed. */
  strict?: boolean;
  ahead?: ReadAhead;
  /** Run without rows read ahead: it failed after taking some (see `runBatch`). */
  fresh?: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Whether flushing the command's unit of work could write anything: it persisted or removed an
 * entity, or holds one it loaded (which it may have changed). Most commands write with SQL of
 * their own and load no entity; for them a flush is pure cost (its change-set pass and its
 * events), so it is skipped.
 */
function mayWrite(em: EntityManager): boolean {
  const uow = em.getUnitOfWork(false);
  if (uow.getPersistStack().size > 0 || uow.getRemoveStack().size > 0) return true;
  for (const _ of uow.getIdentityMap()) return true;
  return false;
}

/** Rows read ahead go only to a command's first run, never to one run again after a conflict or a refusal. */
const takesAhead = (job: Job): boolean => !!job.ahead && !job.fresh && !job.strict && job.attempt === 1;

/** A batch's write transaction, asked for at `started`, strict when a command of the batch is. */
interface Opening {
  started: number;
  strict: boolean;
  tx: Promise<WriteTransaction>;
}

type Outcome =
  | { job: Job; ok: true; value: unknown; events: MaestroEvent[]; wrote: boolean }
  | { job: Job; ok: false; error: unknown; tookAhead: boolean };

/**
 * Runs each command as one atomic unit: check the idempotency key, run the command, store its
 * result under the key, append its events, commit, and only then publish the events and reply.
 *
 * Commands that arrive while a transaction is open wait and then run together in the next one,
 * each inside its own SAVEPOINT (group commit): a failing command rolls back alone, and one COMMIT
 * (the costly step in SQLite) covers the batch. Nobody is answered before the commit.
 *
 * Commands of one process run one batch at a time, and on SQLite reads too (except `readRows`,
 * which runs on reader threads); on PostgreSQL reads run beside them on the pool's other
 * connections. SQLite has a single writer and this process a single connection, so this costs no
 * throughput; it makes the commit order equal the `seq` order, which the live views rely on, and
 * keeps reads out of an open transaction.
 * Optimistic-lock conflicts (another process on a shared database) are retried from the start.
 */
export class CommandRunner {
  private tail: Promise<unknown> = Promise.resolve();
  private pending: Job[] = [];
  /** Reads running beside the commands (PostgreSQL), and the ones waiting for a slot. */
  private readsRunning = 0;
  private readonly readsWaiting: (() => void)[] = [];
  /**
   * Told how long each read and each committed batch took, for metrics; a batch is timed from
   * asking for the write transaction (on PostgreSQL, waiting for the write lock) to its COMMIT.
   */
  observe?: (kind: 'command' | 'read', seconds: number) => void;
  /** Where a failure of the runner's own background work goes; the server passes its logger. */
  report: BackgroundErrorReporter = reportToStderr;
  /**
   * Told when the database runs out of space (a write failed with SQLITE_FULL, ENOSPC or
   * PostgreSQL's disk_full) and when a write commits again; readiness follows it.
   */
  onStorageChange?: (full: boolean) => void;
  private full = false;
  /** True from a batch's cut to its end: commands that come in meanwhile are the next batch's. */
  private cut = false;
  /** Batches that read task rows ahead, and the rows their commands took (for metrics and tests). */
  readonly readsAhead = { batches: 0, taken: 0 };

  constructor(
    private readonly db: Database,
    private readonly bus: EventPublisher,
    readonly clock: Clock = systemClock,
  ) {}

  run<T>(operation: string, ctx: RequestContext, command: (tx: Tx) => Promise<T>): Promise<T> {
    return this.runAhead(operation, ctx, undefined, command);
  }

  /**
   * `run` for a command that lets its batch read ahead for it: the batch reads the task rows its
   * commands name in one statement before the first of them runs, instead of a round trip each.
   * See `ReadAhead` for when a command may say so.
   */
  runAhead<T>(
    operation: string,
    ctx: RequestContext,
    ahead: ReadAhead | undefined,
    command: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle = resolve as (v: unknown) => void;
      this.submit({ operation, ctx, command, attempt: 1, ahead, resolve: settle, reject });
    });
  }

  /**
   * A read-only unit of work with its own identity map. On SQLite it is queued with the commands
   * (one connection); on PostgreSQL it runs beside them on a connection of the pool, at most
   * `concurrentReads` at once. Either way a command answered before the read began is in it (the
   * writer commits before it replies). Never call the runner again from inside `work`: on SQLite
   * it would wait for itself.
   */
  read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const run = () => {
      const started = performance.now();
      return work(this.db.orm.em.fork())
        .catch((error: unknown) => {
          throw this.db.isUnavailable(error) ? databaseUnavailable(error) : error;
        })
        .finally(() => this.observe?.('read', (performance.now() - started) / 1000));
    };
    return this.db.concurrentReads ? this.beside(run) : this.enqueue(run);
  }

  /** Runs a read outside the command queue once one of `concurrentReads` slots is free. */
  private async beside<T>(work: () => Promise<T>): Promise<T> {
    if (this.readsRunning >= (this.db.concurrentReads ?? 1))
      await new Promise<void>((resolve) => this.readsWaiting.push(resolve));
    else this.readsRunning++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiting read, or is given back.
      const next = this.readsWaiting.shift();
      if (next) next();
      else this.readsRunning--;
    }
  }

  /**
   * A read made only of hand-written SQL (`query` on the reader it is given): task list pages,
   * status counts, event-log pages. On a SQLite file it runs on a reader thread with its own
   * read-only connection, beside the writer and outside the command queue, in one read transaction
   * (one snapshot); a command answered before the read began is in it, since the writer commits
   * before it replies. On PostgreSQL it is a `read` (beside the commands) in one read-only
   * REPEATABLE READ transaction, so its statements share one snapshot too; on a database in memory,
   * a `read` in the command queue.
   */
  readRows<T>(work: (reader: RowReader) => Promise<T>): Promise<T> {
    const pool = this.db.readers;
    if (!pool && this.db.concurrentReads)
      return this.read((em) =>
        em.transactional((tx) => work(readerOf(tx)), {
          isolationLevel: IsolationLevel.REPEATABLE_READ,
          readOnly: true,
        }),
      );
    if (!pool) return this.read((em) => work(readerOf(em)));
    const started = performance.now();
    return pool
      .read(work)
      .catch((error: unknown) => {
        if (error instanceof MaestroError) throw error;
        // A reader thread that died is replaced at the next read: this one may simply be retried.
        if (error instanceof ReaderGoneError) throw databaseUnavailable(error);
        throw internalError(error);
      })
      .finally(() => this.observe?.('read', (performance.now() - started) / 1000));
  }

  /**
   * Entities from rows a `readRows` read (`select *` of the entity's table), converted as the ORM
   * converts what it reads itself; they belong to no unit of work.
   */
  entities<E extends object>(entity: EntityName<E>, rows: readonly Record<string, unknown>[]): E[] {
    const em = this.db.orm.em.fork();
    return rows.map((row) => em.map(entity, row as EntityDictionary<E>));
  }

  /**
   * Forgets idempotency keys stored before `before` (epoch ms): a retry that late runs as a new
   * command. Keys are what makes a retried call safe, so keep them far longer than any retry.
   */
  async pruneIdempotencyKeys(before: number): Promise<void> {
    await this.run('idempotency.prune', { actor: 'maestro', sessionId: null }, (tx) =>
      query(tx.em, 'delete from idempotency_keys where created_at < ?', [new Date(before)]),
    );
  }

  /** True from a write refused for lack of space until a write commits again. */
  get storageFull(): boolean {
    return this.full;
  }

  /**
   * Checks whether the database takes writes again, with a write that needs room (a row spanning
   * several pages, inserted and deleted in one committed transaction). Resolves with true once one
   * commits; the server calls it while `storageFull` holds, so readiness recovers without waiting
   * for a client's write.
   */
  async probeStorage(): Promise<boolean> {
    const key = 'maestro:storage-probe';
    try {
      await this.run('storage.probe', { actor: 'maestro', sessionId: null }, async (tx) => {
        await query(
          tx.em,
          'insert into idempotency_keys (key, operation, response, created_at) values (?, ?, ?, ?)',
          [key, 'storage.probe', JSON.stringify('x'.repeat(64 * 1024)), new Date(tx.now)],
        );
        await query(tx.em, 'delete from idempotency_keys where key = ?', [key]);
      });
      this.storage(false);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Resolves once every command queued so far has finished. A batch is queued on the next turn of
   * the event loop (setImmediate), so this waits in turns of the loop too: waiting in microtasks
   * would keep that turn from ever coming, and with it every timer and signal (a shutdown's bound).
   */
  async idle(): Promise<void> {
    for (;;) {
      const tail = this.tail;
      await tail;
      if (this.tail === tail && this.pending.length === 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private submit(job: Job): void {
    this.pending.push(job);
    // Wait for the poll phase to end, so commands read from several sockets in one loop turn share a
    // transaction and one COMMIT (group commit).
    if (this.pending.length === 1) setImmediate(() => this.schedule());
  }

  /** Queues the next batch; a failure of the runner itself is reported, never left unhandled. */
  private schedule(): void {
    // Where the database takes several connections (PostgreSQL), the next batch's transaction opens
    // while the one before it finishes, and waits for the write lock there: its BEGIN and its lock
    // then cost the batch no round trips of its own.
    const early = this.cut && this.db.concurrentReads ? this.open() : undefined;
    background(
      'command batch',
      () => this.enqueue(() => this.runBatch(early)),
      (what, error) => this.report(what, error),
    );
  }

  /** Asks for the write transaction of the next batch. */
  private open(): Opening {
    const started = performance.now();
    const strict = this.pending.slice(0, MAX_BATCH).some((job) => job.strict);
    const tx = this.db.beginWrite(strict);
    // Awaited by the batch it is for; until then a failure must not count as unhandled.
    tx.catch(() => undefined);
    return { started, strict, tx };
  }

  private storage(full: boolean): void {
    if (this.full === full) return;
    this.full = full;
    this.onStorageChange?.(full);
  }

  /** What a failure of the database itself means for the caller. */
  private classify(error: unknown): MaestroError {
    if (error instanceof MaestroError) return error;
    if (this.db.isUnavailable(error)) return databaseUnavailable(error);
    if (this.db.isStorageFull(error)) {
      this.storage(true);
      return storageFull(error);
    }
    return internalError(error);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async runBatch(early?: Opening): Promise<void> {
    if (this.pending.length === 0) {
      if (early) await early.tx.then((tx) => tx.rollback()).catch(() => undefined);
      return;
    }
    let opened = early ?? this.open();
    let tx: WriteTransaction | undefined;
    let opening: unknown;
    for (;;) {
      try {
        tx = await opened.tx;
      } catch (error) {
        opening = error;
      }
      // Commands run again strictly (see `again`) may have come in after an early transaction opened
      // loose: they get a strict one, or their failure could not be placed this time either.
      if (!tx || opened.strict || !this.pending.slice(0, MAX_BATCH).some((job) => job.strict)) break;
      await tx.rollback().catch(() => undefined);
      tx = undefined;
      opened = this.open();
    }
    const { started } = opened;
    // The batch is cut once the transaction is open (on PostgreSQL, once the write lock is held, which
    // may take another server's whole batch, or this one's last): the commands that came in meanwhile
    // join it.
    const batch = this.pending.splice(0, MAX_BATCH);
    this.cut = true;
    try {
      if (this.pending.length) this.schedule();
      if (!tx) {
        for (const job of batch) job.reject(this.classify(opening));
        return;
      }
      await this.runOpen(tx, batch, started);
    } finally {
      this.cut = false;
    }
  }

  /** The batch's commands in its open transaction, the commit, and then the replies. */
  private async runOpen(tx: WriteTransaction, batch: Job[], started: number): Promise<void> {
    const outcomes: Outcome[] = [];
    let full: unknown;
    try {
      // A lone command needs no savepoint: if it fails, the whole transaction rolls back. In a batch,
      // each command has its own (on PostgreSQL it shares a round trip with the command's first
      // statement).
      const alone = batch.length === 1;
      const ahead = await this.readAhead(tx, batch);
      for (const [i, job] of batch.entries()) {
        if (!alone && i > 0) await tx.exec('RELEASE SAVEPOINT command');
        if (!alone) await tx.exec('SAVEPOINT command');
        const mark = tx.begin?.();
        // A command that may change task rows otherwise than through `updateTask` makes them all stale.
        if (!job.ahead) ahead?.clear();
        const rows = takesAhead(job) ? ahead : undefined;
        const taken = ahead?.taken ?? 0;
        try {
          const { value, events, wrote } = await this.execute(tx, job, rows);
          outcomes.push({ job, ok: true, value, events, wrote });
        } catch (thrown) {
          const error = tx.takeFailure?.() ?? thrown;
          if (tx.tainted) return await this.again(tx, batch);
          if (this.db.isStorageFull(error)) full = error;
          tx.undo?.(mark);
          if (!alone) await tx.exec('ROLLBACK TO SAVEPOINT command');
          outcomes.push({ job, ok: false, error, tookAhead: (ahead?.taken ?? 0) > taken });
        }
      }
      if (!alone) await tx.exec('RELEASE SAVEPOINT command');
      if (ahead) {
        this.readsAhead.batches++;
        this.readsAhead.taken += ahead.taken;
      }
      if (outcomes.every((o) => !o.ok)) await tx.rollback();
      else {
        const lastSeq = Math.max(0, ...outcomes.flatMap((o) => (o.ok ? o.events.map((e) => e.seq) : [])));
        if (lastSeq > 0) {
          await tx.announce(lastSeq);
          this.bus.committing?.(lastSeq, true);
        }
        try {
          await tx.commit();
        } catch (error) {
          if (lastSeq > 0) this.bus.committing?.(lastSeq, false);
          if (tx.tainted) return await this.again(tx, batch);
          throw error;
        }
        if (outcomes.some((o) => o.ok && o.wrote)) this.storage(false);
      }
      this.observe?.('command', (performance.now() - started) / 1000);
    } catch (error) {
      await tx?.rollback().catch(() => undefined);
      // SQLite may roll the whole transaction back when it runs out of space; the statement that
      // fails next (a savepoint that is gone) then says nothing about why.
      const cause = full ?? error;
      for (const job of batch) job.reject(this.classify(cause));
      return;
    }
    for (const outcome of outcomes) {
      if (outcome.ok) {
        this.bus.publish(outcome.events);
        outcome.job.resolve(outcome.value);
      } else if (outcome.tookAhead && outcome.error instanceof MaestroError) {
        // Refused on a row read ahead: the refusal is given only as a read of its own would give it.
        this.submit({ ...outcome.job, fresh: true });
      } else this.fail(outcome.job, outcome.error);
    }
  }

  /**
   * The task rows the batch's first commands name (up to the first that says nothing of them), read
   * in one statement; none when fewer than two would be read, since then it saves no round trip.
   */
  private async readAhead(tx: WriteTransaction, batch: Job[]): Promise<RowsAhead | undefined> {
    if (batch.some((job) => job.strict)) return undefined;
    const tasks = new Set<number>();
    const projects = new Set<number>();
    let saved = 0;
    // On PostgreSQL new tasks take their ids ahead from the sequence, so their inserts wait for no answer.
    let newTasks = 0;
    for (const job of batch) {
      if (!job.ahead) break;
      if (!takesAhead(job)) continue;
      const { task, project } = job.ahead;
      if (task != null) tasks.add(task);
      if (project != null) projects.add(project);
      saved += Number(task != null) + Number(project != null);
      if (job.ahead.newTask && this.db.dialect === 'postgresql') {
        newTasks++;
        saved++;
      }
    }
    return saved < 2 ? undefined : readRowsAhead(tx.fork(), [...tasks], [...projects], newTasks);
  }

  /**
   * The batch failed where the failure could not be placed (statements of several commands shared a
   * round trip): roll it back and run each command again, strictly, so the one that fails is known.
   */
  private async again(tx: WriteTransaction, batch: Job[]): Promise<void> {
    await tx.rollback().catch(() => undefined);
    for (const job of batch) this.submit({ ...job, strict: true });
  }

  private fail(job: Job, error: unknown): void {
    if (error instanceof MaestroError) return job.reject(error);
    if (this.db.isUnavailable(error) || this.db.isStorageFull(error)) return job.reject(this.classify(error));
    const conflict = error instanceof OptimisticLockError || error instanceof ConcurrentWriteError;
    if (conflict && job.attempt < MAX_ATTEMPTS) return this.submit({ ...job, attempt: job.attempt + 1 });
    if (conflict) {
      return job.reject(
        new MaestroError(
          'version_conflict',
          'The record was changed by another writer while this command ran.',
          'Retry the command.',
          {},
          { cause: error },
        ),
      );
    }
    job.reject(internalError(error));
  }

  /** One command inside the open transaction: idempotency check, the command, its stored reply. */
  private async execute(
    tx: WriteTransaction,
    job: Job,
    ahead?: RowsAhead,
  ): Promise<{ value: unknown; events: MaestroEvent[]; wrote: boolean }> {
    const given = job.ctx.idempotencyKey;
    const em = tx.fork();
    if (ahead) useRowsAhead(em, ahead);
    let key: string | undefined;
    if (given !== undefined) {
      if (given.length === 0 || given.length > IDEMPOTENCY_KEY_MAX) {
        throw invalidArgument(
          'idempotency-key',
          `The idempotency key must be 1 to ${IDEMPOTENCY_KEY_MAX} characters.`,
        );
      }
      key = scopedKey(job.ctx, given);
      const [previous] = await query<{ operation: string; response: unknown }>(
        em,
        'select operation, response from idempotency_keys where key = ?',
        [key],
      );
      if (previous) {
        if (previous.operation !== job.operation) {
          throw invalidArgument(
            'idempotency-key',
            `Idempotency key '${given}' was already used for ${previous.operation}, not ${job.operation}.`,
          );
        }
        return { value: readJson(em, previous.response), events: [], wrote: false };
      }
    }
    const unit = new Tx(em, job.ctx, this.clock(), tx.nextSeq?.bind(tx));
    const value = await job.command(unit);
    if (mayWrite(em)) await em.flush();
    if (key) {
      await query(
        em,
        'insert into idempotency_keys (key, operation, response, created_at) values (?, ?, ?, ?)',
        [key, job.operation, JSON.stringify(value ?? null), new Date(unit.now)],
      );
    }
    // A command that appended to the log or stored its reply has written: room was found for it.
    return { value, events: unit.events, wrote: unit.events.length > 0 || key !== undefined };
  }
}
