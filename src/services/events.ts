import type { CommandRunner } from './command-runner.js';
import type { EventPublisher, MaestroEvent } from './event-types.js';
import { background } from '../shared/background.js';
import { EventLogSchema, type EventLogRow } from './db/entities.js';
import { EventsPrunedError } from './errors.js';
import { decodePageToken, encodePageToken } from './pagination.js';
import { query, readJson, type Queryable } from './db/sql.js';
import { millis } from './db/task-records.js';

/** The query a page token of the event log belongs to (the log has no filters). */
const EVENTS_QUERY = 'events';

export type { MaestroEvent };

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

export type { EventPublisher };

/**
 * How long a live view's batches are held at most, and per watcher: a batch goes to watchers at
 * most every `min(MAX_PACE_MS, watchers × PACE_PER_WATCHER_MS)`. With a few watchers (a person's
 * web UI and terminal) that is well under a millisecond, so nothing waits; with 500 it is 25 ms,
 * and the events of those 25 ms reach each socket in one write instead of one write each: the
 * write is most of what a delivery costs.
 */
export const MAX_PACE_MS = 25;
export const PACE_PER_WATCHER_MS = 0.05;

export interface SubscribeOptions {
  /**
   * A live view (a watch of a client): batches may be held back a little and merged when many
   * watchers listen (see `MAX_PACE_MS`); it may then also get events committed just before it
   * subscribed, which a watch skips by `seq`. The server's own reactions (dispatcher, autopilot,
   * metrics) subscribe without it and get every batch on the next turn of the event loop.
   */
  paced?: boolean;
}

/**
 * Fans committed events out to live watchers. Only the command runner publishes, after the commit
 * and in `seq` order, so a listener never sees a change that was rolled back.
 */
export class EventBus implements EventPublisher {
  private readonly listeners = new Set<EventListener>();
  private readonly pacedListeners = new Set<EventListener>();
  private last = 0;

  constructor(
    /** A monotonic clock in ms, for pacing (tests pass their own). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  get lastSeq(): number {
    return this.last;
  }

  /** Sets the starting point after boot, from the log's newest `seq`. */
  reset(lastSeq: number): void {
    this.last = lastSeq;
  }

  private pending: MaestroEvent[] = [];
  private scheduled = false;
  private paced: MaestroEvent[] = [];
  private pacedTimer: ReturnType<typeof setTimeout> | null = null;
  private pacedAt = -Infinity;

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
      deliver(this.listeners, batch);
      if (this.pacedListeners.size === 0) return;
      this.paced.push(...batch);
      this.pace();
    });
  }

  /** Delivers what the paced watchers have not had, now or once their interval has passed. */
  private pace(): void {
    if (this.pacedTimer) return;
    const interval = Math.min(MAX_PACE_MS, this.pacedListeners.size * PACE_PER_WATCHER_MS);
    const wait = this.pacedAt + interval - this.now();
    if (wait <= 0) return this.flushPaced();
    this.pacedTimer = setTimeout(() => {
      this.pacedTimer = null;
      this.flushPaced();
    }, wait);
  }

  private flushPaced(): void {
    this.pacedAt = this.now();
    const batch = this.paced;
    this.paced = [];
    if (batch.length > 0) deliver(this.pacedListeners, batch);
  }

  subscribe(listener: EventListener, options: SubscribeOptions = {}): () => void {
    const set = options.paced ? this.pacedListeners : this.listeners;
    set.add(listener);
    return () => set.delete(listener);
  }

  get size(): number {
    return this.listeners.size + this.pacedListeners.size;
  }
}

function deliver(listeners: ReadonlySet<EventListener>, batch: readonly MaestroEvent[]): void {
  for (const listener of listeners) {
    try {
      listener(batch);
    } catch {
      // A failing watcher must not stop delivery to the others; it is its own job to recover.
    }
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
    // serially() reports its own failures through onError; the promise itself never rejects.
    background('following the log', () =>
      this.serially(async () => {
        if (events[0]!.seq > this.bus.lastSeq + 1) await this.drain();
        this.bus.publish(events.filter((e) => e.seq > this.bus.lastSeq));
      }),
    );
  }

  /** The newest seq this server is committing or has committed (its own announcements). */
  private own = 0;

  /** This server commits events up to `lastSeq` (or failed to: then nothing of it is its own). */
  committing(lastSeq: number, committed: boolean): void {
    if (committed) this.own = Math.max(this.own, lastSeq);
    else this.own = Math.min(this.own, this.bus.lastSeq);
  }

  /**
   * Delivers what other servers committed since the last event delivered. An announcement of
   * events already delivered, or of this server's own commit (its announcement can arrive before
   * the commit's reply), reads nothing: the commit publishes them.
   */
  poll(announcedSeq: number | null = null): Promise<void> {
    return this.serially(async () => {
      if (announcedSeq !== null && announcedSeq <= Math.max(this.bus.lastSeq, this.own)) return;
      await this.drain();
    });
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
   * Reads go through the runner (`readRows`: on SQLite a reader thread's own connection), never
   * into an open batch: a read between a batch's BEGIN and COMMIT would see events that may still
   * roll back.
   */
  /**
   * A page of the log for a client: after `sinceSeq`, or where `pageToken` (the `nextPageToken`
   * of the page before) says. The token is set only when the page came back full: more may follow.
   */
  async listPage(input: {
    sinceSeq?: number;
    limit?: number;
    pageToken?: string;
  }): Promise<{ events: MaestroEvent[]; lastSeq: number; nextPageToken: string }> {
    const since = input.pageToken
      ? decodePageToken(input.pageToken, EVENTS_QUERY, 1)[0]!
      : (input.sinceSeq ?? 0);
    const limit = Math.min(Math.max(input.limit ?? 1000, 1), 10_000);
    const page = await this.list(since, limit);
    const last = page.events[page.events.length - 1];
    const nextPageToken =
      page.events.length >= limit && last ? encodePageToken([last.seq], EVENTS_QUERY) : '';
    return { ...page, nextPageToken };
  }

  list(sinceSeq: number, limit = 1000): Promise<{ events: MaestroEvent[]; lastSeq: number }> {
    return this.runner.readRows((em) => this.page(em, sinceSeq, limit));
  }

  private async page(
    em: Queryable,
    sinceSeq: number,
    limit: number,
  ): Promise<{ events: MaestroEvent[]; lastSeq: number }> {
    const [events, lastSeq] = await Promise.all([this.after(em, sinceSeq, limit), this.lastSeq(em)]);
    return { events, lastSeq };
  }

  /**
   * Events with seq > sinceSeq, oldest first, at most `limit` (1 to 10,000): hand-written SQL on
   * the prepared-statement path, since replays read the log in bulk (the unit of work cost about
   * 0.2 ms an event).
   */
  async after(em: Queryable, sinceSeq: number, limit: number): Promise<MaestroEvent[]> {
    const rows = await query<{
      seq: number | string;
      type: string;
      entity_type: string;
      entity_id: string;
      project_id: string | null;
      data: unknown;
      created_at: unknown;
    }>(
      em,
      'select seq, type, entity_type, entity_id, project_id, data, created_at from event_log where seq > ? order by seq limit ?',
      [sinceSeq, Math.min(Math.max(limit, 1), 10_000)],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      type: r.type,
      entityType: r.entity_type,
      entityId: r.entity_id,
      projectId: r.project_id ?? '',
      data: readJson<Record<string, unknown>>(em, r.data),
      createdAt: new Date(millis(r.created_at)).toISOString(),
    }));
  }

  async lastSeq(em?: Queryable): Promise<number> {
    if (!em) return this.runner.read((fresh) => this.lastSeq(fresh));
    const [row] = await query<{ seq: number | string }>(
      em,
      'select seq from event_log where seq > 0 order by seq desc limit 1',
    );
    return Number(row?.seq ?? 0);
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
   * Delivers every event with seq > sinceSeq exactly once and in order, or fails with
   * `EventsPrunedError` once the log no longer holds the next one: never a silent gap. It
   * subscribes first and holds live events back, replays the log page by page, then delivers what
   * was held back, skipping what the replay already delivered.
   *
   * A replay waits for `deliver` (flow control), and the events held back meanwhile are bounded:
   * past `maxHeld` they are dropped and read from the log instead. Every page must start right
   * after the last event delivered (`seq` has no holes), so a prune that passes a slow replay is
   * noticed at the next page.
   */
  async watch(
    sinceSeq: number,
    deliver: (events: readonly MaestroEvent[]) => void | Promise<void>,
    options: WatchOptions = {},
  ): Promise<Watch> {
    const maxHeld = options.maxHeld ?? MAX_HELD;
    let cursor = sinceSeq;
    let live = false;
    let closed = false;
    let held: MaestroEvent[] = [];
    let dropped = false;
    const forward = (events: readonly MaestroEvent[]): void | Promise<void> => {
      // A live batch usually follows the cursor whole: it is passed on as it is, the same array for
      // every watcher (transports cache its encoding on it).
      const fresh = events[0] && events[0].seq > cursor ? events : events.filter((e) => e.seq > cursor);
      if (fresh.length === 0 || closed) return;
      cursor = fresh[fresh.length - 1]!.seq;
      return deliver(fresh);
    };
    const unsubscribe = this.bus.subscribe(
      (events) => {
        if (closed) return;
        // Live delivery does not wait: a watcher that cannot keep up is the transport's to handle.
        if (live) background('event delivery', () => forward(events), this.runner.report);
        else if (!dropped) {
          held.push(...events);
          if (held.length > maxHeld) {
            held = [];
            dropped = true;
          }
        }
      },
      { paced: true },
    );
    const watch: Watch = {
      close: () => {
        closed = true;
        unsubscribe();
      },
    };
    // A watcher that goes away during the replay stops it at the next page, not at the end of the log.
    if (options.signal?.aborted) watch.close();
    options.signal?.addEventListener('abort', () => watch.close(), { once: true });
    // Since 0 asks for what the log keeps: there, a log that starts later is no gap.
    let first = sinceSeq === 0 && options.fromOldest === true;
    try {
      while (!closed) {
        dropped = false;
        for (;;) {
          const { events } = await this.list(cursor, REPLAY_PAGE);
          if (closed) return watch;
          const head = events[0];
          if (head && head.seq !== cursor + 1 && !first)
            throw new EventsPrunedError(cursor, head.seq, this.bus.lastSeq);
          first = false;
          await forward(events);
          if (events.length < REPLAY_PAGE || closed) break;
        }
        // Live events that arrived while replaying; if too many came, the log again.
        while (!dropped && !closed && held.length > 0) {
          const next = held.splice(0).filter((e) => e.seq > cursor);
          if (next.length > 0 && next[0]!.seq !== cursor + 1) dropped = true;
          else await forward(next);
        }
        if (!dropped) break;
        held = [];
      }
      live = true;
    } catch (error) {
      watch.close();
      throw error;
    }
    return watch;
  }
}

export interface WatchOptions {
  /** `sinceSeq` 0 means "from the oldest event kept" rather than "from seq 1" (gRPC Watch). */
  fromOldest?: boolean;
  /** Live events held back while a replay runs, past which they are read from the log instead. */
  maxHeld?: number;
  /** Aborted when the watcher goes away; the watch closes, during the replay too. */
  signal?: AbortSignal;
}

/** Live events a replay holds back at most (about 10 MB of typical events). */
const MAX_HELD = 10_000;
