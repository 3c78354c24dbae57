import type * as grpc from '@grpc/grpc-js';
import { constants as http2 } from 'node:http2';
import type { Event } from '../../generated/maestro/v1/Event.js';
import type { WatchRequest__Output } from '../../generated/maestro/v1/WatchRequest.js';
import { MaestroError } from '../../services/errors.js';
import type { Watch } from '../../services/events.js';
import type { MaestroEvent, RequestContext, Services } from '../../services/index.js';
import { background } from '../../shared/background.js';
import type { Logger } from '../logger.js';
import { callLog } from './call-observer.js';
import { toGrpcError } from './errors.js';

export interface EventStreamOptions {
  /**
   * Bytes of events a watcher may be behind by (queued for it, or handed to its stream and not yet
   * taken by the connection) before it is cut off with `too_slow`. A replay waits for the client
   * instead of counting against this.
   */
  maxBufferedBytes: number;
  /**
   * After a cut-off, how long the status may wait behind the events already on the stream (the
   * client must read them first); then the stream is reset.
   */
  cutoffGraceMs: number;
}

export const DEFAULT_EVENT_STREAM_OPTIONS: EventStreamOptions = {
  maxBufferedBytes: 4 * 1024 * 1024,
  cutoffGraceMs: 5000,
};

export interface EventStreamDeps {
  services: Services;
  log: Logger;
  /** Open server streams, ended (with OK) when the server shuts down. */
  streams: Set<{ end(): void }>;
}

/** What the server holds for its watchers now; tests and the benchmark read it. */
export interface EventStreamStats {
  watchers: number;
  bufferedEvents: number;
  bufferedBytes: number;
  /** The most one watcher was ever behind by, in bytes. */
  peakBufferedBytes: number;
  /** Watchers cut off for falling too far behind, since the server started. */
  cutOff: number;
  /** Of those, the ones whose status could not go out within the grace period: their stream was reset. */
  reset: number;
}

export type WatchCall = grpc.ServerWritableStream<WatchRequest__Output, Event>;

interface Queued {
  message: Required<Event> & { seq: number };
  seq: number;
  bytes: number;
}

const proto = new WeakMap<MaestroEvent, Queued>();

/** An event as the stream sends it, made once however many watchers it goes to. */
function queued(e: MaestroEvent): Queued {
  let q = proto.get(e);
  if (!q) {
    const { data, ...fields } = e;
    const message = { ...fields, dataJson: JSON.stringify(data) };
    // What the protobuf encoding takes, near enough: the strings plus a few bytes of framing each.
    const bytes =
      message.dataJson.length +
      message.type.length +
      message.entityType.length +
      message.entityId.length +
      message.projectId.length +
      message.createdAt.length +
      24;
    proto.set(e, (q = { message, seq: e.seq, bytes }));
  }
  return q;
}

/**
 * `Events.Watch`: replay then live events, with the stream's flow control respected. Events go to
 * the call only while `write()` accepts them; the rest wait in a queue of the watcher's own. A replay
 * waits for the queue to drain before it reads the next page; live delivery does not wait, and a
 * watcher whose queue passes `maxBufferedBytes` is cut off with RESOURCE_EXHAUSTED / `too_slow`,
 * whose details carry the last seq sent on the stream so that the client can resume from there.
 */
export class EventStreams {
  private readonly open = new Set<EventStream>();
  private cutOffCount = 0;
  private resetCount = 0;
  private peak = 0;

  constructor(
    private readonly deps: EventStreamDeps,
    readonly options: EventStreamOptions = DEFAULT_EVENT_STREAM_OPTIONS,
  ) {}

  /**
   * The `Watch` handler, for a caller the handler authenticated: a session's token watches its own
   * project's events only.
   */
  watch(call: WatchCall, ctx: RequestContext): void {
    const caller = ctx.caller;
    const visible =
      caller?.kind === 'session' ? (e: MaestroEvent) => e.projectId === caller.projectId : undefined;
    const stream = new EventStream(call, this.deps, this.options, visible, {
      closed: (s) => this.open.delete(s),
      cutOff: () => this.cutOffCount++,
      reset: () => this.resetCount++,
      behind: (bytes) => (this.peak = Math.max(this.peak, bytes)),
    });
    this.open.add(stream);
    stream.start();
  }

  get stats(): EventStreamStats {
    let bufferedEvents = 0;
    let bufferedBytes = 0;
    for (const s of this.open) {
      bufferedEvents += s.bufferedEvents;
      bufferedBytes += s.bufferedBytes;
    }
    return {
      watchers: this.open.size,
      bufferedEvents,
      bufferedBytes,
      peakBufferedBytes: this.peak,
      cutOff: this.cutOffCount,
      reset: this.resetCount,
    };
  }
}

interface StreamOwner {
  closed(stream: EventStream): void;
  cutOff(): void;
  reset(): void;
  behind(bytes: number): void;
}

class EventStream {
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  /** Handed to the call, its write not yet complete (in the call's buffer or the connection's). */
  private inFlight = 0;
  private inFlightBytes = 0;
  /** The newest seq handed to the call: the client gets every event up to it before any status. */
  private sent: number;
  private waitingForDrain = false;
  /** The error status that ends the call once the events before it are written (it must follow them). */
  private finishing: (() => void) | null = null;
  private replaying = true;
  private done = false;
  private watch: Watch | undefined;
  private readonly gone = new AbortController();
  private readonly writable = new Set<() => void>();
  private readonly entry = { end: () => this.end() };

  constructor(
    private readonly call: WatchCall,
    private readonly deps: EventStreamDeps,
    private readonly options: EventStreamOptions,
    /** Which events this watcher may see; all when absent. */
    private readonly visible: ((e: MaestroEvent) => boolean) | undefined,
    private readonly owner: StreamOwner,
  ) {
    this.sent = call.request.sinceSeq;
  }

  get bufferedEvents(): number {
    return this.queue.length + this.inFlight;
  }

  get bufferedBytes(): number {
    return this.queuedBytes + this.inFlightBytes;
  }

  start(): void {
    this.deps.streams.add(this.entry);
    const stop = () => this.stop();
    this.call.on('cancelled', stop);
    this.call.on('close', stop);
    this.call.on('error', stop);
    const since = this.call.request.sinceSeq;
    background(
      'event stream',
      async () => {
        try {
          const watch = await this.deps.services.events.watch(since, (batch) => this.deliver(batch), {
            fromOldest: true,
            signal: this.gone.signal,
          });
          this.replaying = false;
          if (this.done) watch.close();
          else this.watch = watch;
        } catch (error) {
          this.fail(error);
        }
      },
      (what, error) => this.deps.log.error(`${what} failed`, { error: String(error) }),
    );
  }

  /** Takes a batch from the watch; during the replay, resolves once the client has room for more. */
  private deliver(batch: readonly MaestroEvent[]): void | Promise<void> {
    if (this.done) return;
    for (const e of batch) {
      if (this.visible && !this.visible(e)) continue;
      const q = queued(e);
      this.queue.push(q);
      this.queuedBytes += q.bytes;
    }
    this.pump();
    this.owner.behind(this.bufferedBytes);
    if (this.replaying) return this.room();
    if (this.bufferedBytes > this.options.maxBufferedBytes) this.cutOff();
  }

  /** Writes queued events while the call takes them. */
  private pump(): void {
    while (!this.waitingForDrain && (!this.done || this.finishing) && this.queue.length > 0) {
      const q = this.queue.shift()!;
      this.queuedBytes -= q.bytes;
      this.inFlight++;
      this.inFlightBytes += q.bytes;
      this.sent = q.seq;
      const more = this.call.write(q.message, () => {
        this.inFlight--;
        this.inFlightBytes -= q.bytes;
        this.wake();
        this.finishIfFlushed();
      });
      if (!more) {
        this.waitingForDrain = true;
        this.call.once('drain', () => {
          this.waitingForDrain = false;
          this.pump();
          this.wake();
        });
      }
    }
  }

  /** Resolves once the watcher is less than half its bound behind (or the stream is done). */
  private room(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.done || this.bufferedBytes <= this.options.maxBufferedBytes / 2) {
          this.writable.delete(check);
          resolve();
        }
      };
      this.writable.add(check);
      check();
    });
  }

  private wake(): void {
    for (const check of [...this.writable]) check();
  }

  /**
   * Too far behind: stop feeding it, drop its queue and end it with `too_slow`. The status follows
   * the events already on the stream; a client that does not read them within the grace period is
   * reset instead.
   */
  private cutOff(): void {
    const lastSeq = this.sent;
    const behind = this.bufferedBytes;
    this.owner.cutOff();
    this.stop();
    this.queue.length = 0;
    this.queuedBytes = 0;
    callLog(this.deps.log, this.call.metadata).warn('event watcher cut off', { lastSeq, behind });
    this.call.emit(
      'error',
      toGrpcError(
        new MaestroError(
          'too_slow',
          `The watcher fell more than ${this.options.maxBufferedBytes} bytes behind the event log and was cut off after seq ${lastSeq}.`,
          `Read the stream faster, or resume: Watch again with since_seq ${lastSeq} (the last event sent).`,
          { lastSeq, maxBufferedBytes: this.options.maxBufferedBytes },
        ),
      ),
    );
    const reset = setTimeout(() => {
      if (resetStream(this.call)) this.owner.reset();
    }, this.options.cutoffGraceMs);
    reset.unref();
    this.call.once('finish', () => clearTimeout(reset));
    this.call.once('cancelled', () => clearTimeout(reset));
  }

  private fail(error: unknown): void {
    if (this.done) return;
    this.stop();
    const status = toGrpcError(error, callLog(this.deps.log, this.call.metadata));
    // The events read before the failure (the status names the last of them) reach the client first:
    // grpc-js would send the status at once, ahead of what is still queued.
    this.finishing = () => this.call.emit('error', status);
    this.pump();
    this.finishIfFlushed();
  }

  private finishIfFlushed(): void {
    if (!this.finishing || this.queue.length > 0 || this.inFlight > 0) return;
    const finish = this.finishing;
    this.finishing = null;
    finish();
  }

  /** Shutdown: the feed stops first, since a write after end() would break the stream. */
  private end(): void {
    this.stop();
    if (!this.call.writableEnded) this.call.end();
  }

  private stop(): void {
    if (this.done) return;
    this.done = true;
    this.deps.streams.delete(this.entry);
    this.gone.abort();
    this.watch?.close();
    this.owner.closed(this);
    this.wake();
  }
}

/**
 * Resets the HTTP/2 stream under a server call (RST_STREAM CANCEL). grpc-js has no API for it; its
 * call objects chain to the one that holds the stream through `nextCall`.
 */
function resetStream(call: WatchCall): boolean {
  let link = (call as unknown as { call?: unknown }).call;
  for (let depth = 0; link && depth < 10; depth++) {
    const { stream, nextCall } = link as {
      stream?: { destroyed?: boolean; close?: (code: number) => void };
      nextCall?: unknown;
    };
    if (stream && typeof stream.close === 'function') {
      if (stream.destroyed) return false;
      stream.close(http2.NGHTTP2_CANCEL);
      return true;
    }
    link = nextCall;
  }
  return false;
}
