import type { EntityManager } from '@mikro-orm/core';
import type { CommandRunner } from './command-runner.js';
import { EventLogSchema, type EventLogRow } from './db/entities.js';

/** One entry of the event log, as every live view sees it. */
export interface MaestroEvent {
  seq: number;
  type: string;
  entityType: string;
  entityId: string;
  projectId: string;
  data: Record<string, unknown>;
  createdAt: string;
}

export type EventListener = (events: readonly MaestroEvent[]) => void;

export function toEvent(row: EventLogRow): MaestroEvent {
  return {
    seq: row.seq,
    type: row.type,
    entityType: row.entityType,
    entityId: row.entityId,
    projectId: row.projectId ?? '',
    data: row.data,
    createdAt: row.createdAt.toISOString(),
  };
}

const REPLAY_PAGE = 500;

/** Where the command runner hands the events of a committed batch. */
export interface EventPublisher {
  publish(events: readonly MaestroEvent[]): void;
}

/**
 * Fans committed events out to live watchers. Only the command runner publishes, after the commit
 * and in `seq` order, so a listener never sees a change that was rolled back.
 */
export class EventBus implements EventPublisher {
  private readonly listeners = new Set<EventListener>();
  private last = 0;

  get lastSeq(): number {
    return this.last;
  }

  /** Sets the starting point after boot, from the log's newest `seq`. */
  reset(lastSeq: number): void {
    this.last = lastSeq;
  }

  private pending: MaestroEvent[] = [];
  private scheduled = false;

  /**
   * Queues committed events for delivery on the next turn of the event loop, in order. Fanning out
   * to hundreds of watchers then happens outside the command runner, so commands never wait for it,
   * and events committed close together reach each watcher as one batch.
   */
  publish(events: readonly MaestroEvent[]): void {
    if (events.length === 0) return;
    this.last = Math.max(this.last, events[events.length - 1]!.seq);
    this.pending.push(...events);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.pending;
      this.pending = [];
      for (const listener of this.listeners) {
        try {
          listener(batch);
        } catch {
          // A failing watcher must not stop delivery to the others; it is its own job to recover.
        }
      }
    });
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}

/**
 * On a database several servers write (PostgreSQL), feeds the bus from the event log so that it
 * carries every server's events in `seq` order, with none missing. Writers commit one at a time
 * and `seq` has no holes, so a batch of this server's that does not follow the last event
 * delivered means another server committed in between: those events are read from the log first.
 * Announcements from other servers (and a periodic poll, in case one was missed) read whatever
 * follows the last event delivered.
 */
export class LogFollower implements EventPublisher {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: EventBus,
    private readonly read: (sinceSeq: number, limit: number) => Promise<MaestroEvent[]>,
    private readonly onError: (error: unknown) => void,
  ) {}

  publish(events: readonly MaestroEvent[]): void {
    if (events.length === 0) return;
    void this.serially(async () => {
      if (events[0]!.seq > this.bus.lastSeq + 1) await this.drain();
      this.bus.publish(events.filter((e) => e.seq > this.bus.lastSeq));
    });
  }

  /** Delivers what other servers committed since the last event delivered. */
  poll(): Promise<void> {
    return this.serially(() => this.drain());
  }

  private serially(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch(this.onError);
    return this.chain;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const events = await this.read(this.bus.lastSeq, REPLAY_PAGE);
      this.bus.publish(events);
      if (events.length < REPLAY_PAGE) return;
    }
  }
}

export interface Watch {
  /** Stops delivery; safe to call more than once. */
  close(): void;
}

/** Reads the event log: listing, and watching with replay then live delivery without a gap. */
export class EventLogService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly bus: EventBus,
  ) {}

  /**
   * Reads go through the runner: on SQLite's single connection a read between a batch's BEGIN and
   * COMMIT would see events that may still roll back.
   */
  list(sinceSeq: number, limit = 1000): Promise<{ events: MaestroEvent[]; lastSeq: number }> {
    return this.runner.read((em) => this.page(em, sinceSeq, limit));
  }

  private async page(
    em: EntityManager,
    sinceSeq: number,
    limit: number,
  ): Promise<{ events: MaestroEvent[]; lastSeq: number }> {
    return { events: await this.after(em, sinceSeq, limit), lastSeq: await this.lastSeq(em) };
  }

  /** Events with seq > sinceSeq, oldest first, at most `limit` (1 to 10,000). */
  async after(em: EntityManager, sinceSeq: number, limit: number): Promise<MaestroEvent[]> {
    const rows = await em.find(
      EventLogSchema,
      { seq: { $gt: sinceSeq } },
      { orderBy: { seq: 'asc' }, limit: Math.min(Math.max(limit, 1), 10_000) },
    );
    return rows.map(toEvent);
  }

  async lastSeq(em?: EntityManager): Promise<number> {
    if (!em) return this.runner.read((fresh) => this.lastSeq(fresh));
    const row = await em.findOne(
      EventLogSchema,
      { seq: { $gt: 0 } },
      { orderBy: { seq: 'desc' }, fields: ['seq'] },
    );
    return row?.seq ?? 0;
  }

  /** Deletes all but the newest `keep` events; returns how many went. */
  async prune(keep: number): Promise<number> {
    const cutoff = this.bus.lastSeq - keep;
    if (cutoff <= 0) return 0;
    return this.runner.run('events.prune', { actor: 'maestro', sessionId: null }, (tx) =>
      tx.em.nativeDelete(EventLogSchema, { seq: { $lte: cutoff } }),
    );
  }

  /** The oldest `seq` still in the log (0 when it is empty). */
  firstSeq(): Promise<number> {
    return this.runner.read(async (em) => {
      const row = await em.findOne(
        EventLogSchema,
        { seq: { $gt: 0 } },
        { orderBy: { seq: 'asc' }, fields: ['seq'] },
      );
      return row?.seq ?? 0;
    });
  }

  /**
   * Delivers every event with seq > sinceSeq exactly once and in order: it subscribes first and
   * buffers live events, replays the log page by page, then drains the buffer, skipping what the
   * replay already delivered.
   */
  async watch(
    sinceSeq: number,
    deliver: (events: readonly MaestroEvent[]) => void | Promise<void>,
  ): Promise<Watch> {
    let cursor = sinceSeq;
    let live = false;
    let closed = false;
    const buffered: MaestroEvent[] = [];
    // During replay the watcher may hold the next page back (flow control) by returning a promise.
    const forward = (events: readonly MaestroEvent[]): void | Promise<void> => {
      const fresh = events.filter((e) => e.seq > cursor);
      if (fresh.length === 0 || closed) return;
      cursor = fresh[fresh.length - 1]!.seq;
      return deliver(fresh);
    };
    const unsubscribe = this.bus.subscribe((events) => {
      // Live delivery does not wait: a watcher that cannot keep up is the transport's to handle.
      if (live) void forward(events);
      else buffered.push(...events);
    });
    const watch: Watch = {
      close: () => {
        closed = true;
        unsubscribe();
      },
    };
    try {
      for (;;) {
        const { events } = await this.list(cursor, REPLAY_PAGE);
        if (closed) return watch;
        await forward(events);
        if (events.length < REPLAY_PAGE) break;
      }
      // Live events that arrived while replaying, then live delivery from here on.
      while (buffered.length && !closed) await forward(buffered.splice(0));
      live = true;
    } catch (error) {
      watch.close();
      throw error;
    }
    return watch;
  }
}
