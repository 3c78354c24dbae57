import { OptimisticLockError, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { EventLogSchema, IdempotencyKeySchema, type EventLogRow } from './db/entities.js';
import { toEvent, type EventBus } from './events.js';
import { MaestroError, internalError, invalidArgument } from './errors.js';

/** Who is asking, as the gateway established it. */
export interface RequestContext {
  actor: string;
  /** Set when the caller runs inside an agent session (MAESTRO_SESSION_ID). */
  sessionId: string | null;
  idempotencyKey?: string;
}

export type Clock = () => number;

/** The transaction a command runs in: the entity manager, the time, and the events it appends. */
export class Tx {
  readonly events: EventLogRow[] = [];
  constructor(
    readonly em: EntityManager,
    readonly ctx: RequestContext,
    readonly now: number,
  ) {}

  /** Appends an event to the log in this transaction; it is published only after the commit. */
  emit(
    type: string,
    entityType: string,
    entityId: string,
    projectId: string | null,
    data: Record<string, unknown>,
  ): void {
    const row = this.em.create(EventLogSchema, {
      type,
      entityType,
      entityId,
      projectId,
      data: {
        ...data,
        actor: this.ctx.actor,
        ...(this.ctx.sessionId ? { sessionId: this.ctx.sessionId } : {}),
      },
      createdAt: new Date(this.now),
    });
    this.events.push(row);
  }
}

const MAX_ATTEMPTS = 5;
const IDEMPOTENCY_KEY_MAX = 200;

/**
 * Runs each command as one transaction: check the idempotency key, run the command, store its
 * result under the key, append its events, commit, and only then publish the events.
 *
 * Commands of one process run one at a time. SQLite has a single writer anyway, so this costs no
 * throughput, and it makes the commit order equal the `seq` order, which the live views rely on.
 * Optimistic-lock conflicts (another process on a shared database) are retried from the start.
 */
export class CommandRunner {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    readonly clock: Clock = Date.now,
  ) {}

  run<T>(operation: string, ctx: RequestContext, command: (tx: Tx) => Promise<T>): Promise<T> {
    const result = this.tail.then(() => this.runNow(operation, ctx, command));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every command queued so far has finished. */
  async idle(): Promise<void> {
    await this.tail;
  }

  /** A read-only unit of work with its own identity map. */
  read<T>(query: (em: EntityManager) => Promise<T>): Promise<T> {
    return query(this.orm.em.fork());
  }

  private async runNow<T>(
    operation: string,
    ctx: RequestContext,
    command: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    const key = ctx.idempotencyKey;
    if (key !== undefined && (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX)) {
      throw invalidArgument(
        'idempotency-key',
        `The idempotency key must be 1 to ${IDEMPOTENCY_KEY_MAX} characters.`,
      );
    }
    for (let attempt = 1; ; attempt++) {
      let tx: Tx | undefined;
      try {
        const value = await this.orm.em.fork().transactional(async (em) => {
          if (key) {
            const previous = await em.findOne(IdempotencyKeySchema, { key });
            if (previous) {
              if (previous.operation !== operation) {
                throw invalidArgument(
                  'idempotency-key',
                  `Idempotency key '${key}' was already used for ${previous.operation}, not ${operation}.`,
                );
              }
              return previous.response as T;
            }
          }
          tx = new Tx(em, ctx, this.clock());
          const result = await command(tx);
          if (key)
            em.create(IdempotencyKeySchema, {
              key,
              operation,
              response: result,
              createdAt: new Date(tx.now),
            });
          return result;
        });
        if (tx) this.bus.publish(tx.events.map(toEvent));
        return value;
      } catch (error) {
        if (error instanceof MaestroError) throw error;
        if (error instanceof OptimisticLockError && attempt < MAX_ATTEMPTS) continue;
        if (error instanceof OptimisticLockError) {
          throw new MaestroError(
            'version_conflict',
            'The record was changed by another writer while this command ran.',
            'Retry the command.',
            {},
            { cause: error },
          );
        }
        throw internalError(error);
      }
    }
  }
}
