import ReconnectingWebSocketModule from 'reconnecting-websocket';
import { createActor } from 'xstate';
import type { ErrorBody } from '../contract/error-codes.js';
import type { EventMessage } from '../contract/ws-messages.js';
import { operationNamed } from '../contract/operations.js';
import { RECONNECT_BACKOFF, backoffDelay, type BackoffPolicy } from '../shared/backoff.js';
import { parseServerMessage } from './wire-guards.js';
import { connectionMachine, type ConnectionState } from '../machines/connection.machine.js';

/**
 * The WebSocket client library of docs/websocket-protocol.md, for the web UI and for tests.
 * Reconnects with the backoff of src/shared/backoff.ts (its jitter spreads reconnect storms), pings
 * at the application level, tracks its connection in the connection machine, resumes from the last
 * event it processed, and queues commands made while offline, sending each once on reconnect.
 */

/** One entry of the event log as the server sends it. */
export type ServerEvent = EventMessage;
export type CommandError = ErrorBody;

export class CommandFailed extends Error {
  constructor(readonly error: CommandError) {
    super(error.message);
  }
}

export interface ConnectionInfo {
  state: ConnectionState;
  /** Reconnect attempts since the last successful connection. */
  attempt: number;
  /** When the next attempt is due (epoch ms), while reconnecting. */
  retryAt: number | null;
  /** Commands waiting for a connection or an ack. */
  queued: number;
  lastSeq: number;
  /** The close code of the last connection that ended (4401: the server refused the credentials), or null. */
  closeCode: number | null;
}

interface MinimalSocket {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  reconnect(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: { data?: unknown; code?: number }) => void): void;
  readonly retryCount: number;
}

type RwsConstructor = new (
  url: string,
  protocols?: string[],
  options?: Record<string, unknown>,
) => MinimalSocket;
const ReconnectingWebSocket = ReconnectingWebSocketModule as unknown as RwsConstructor;

export interface ClientOptions {
  url: string;
  /** Sent in `hello`; browsers opened through the server's link authenticate with a cookie instead. */
  token?: string;
  clientId?: string;
  /** Resume after this seq (e.g. restored from storage). */
  lastSeq?: number;
  /** The WebSocket class (in Node: the `ws` package's default export). */
  WebSocket?: unknown;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** The first reconnect delay and the longest (the base and cap of RECONNECT_BACKOFF). */
  minReconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** The whole reconnect schedule, instead of RECONNECT_BACKOFF with the two delays above. */
  backoff?: BackoffPolicy;
  /** The jitter's random source (tests pass a fixed one). */
  random?: () => number;
  /** Browsers: listen to online/offline. */
  watchNetwork?: boolean;
  /** `runner` for a process that starts agents (see `maestro runner`). */
  role?: 'client' | 'runner';
  /** Keeps unacknowledged changes (operations that mutate) across reloads (see CommandOutbox). */
  outbox?: CommandOutbox;
  /** A command a previous page left in the outbox failed: nobody else is waiting for its answer. */
  onRestoredFailure?: (command: QueuedCommand, error: CommandError) => void;
  capacity?: number;
}

/** A command as it waits for its ack, and as an outbox keeps it. */
export interface QueuedCommand {
  id: string;
  op: string;
  args: Record<string, unknown>;
}

/**
 * Where commands waiting for their ack outlive the page (a browser's localStorage): a reload while
 * offline sends them on the next connection, under the same ids, so each still runs once. One entry
 * per command, so that tabs sharing the storage never overwrite each other's.
 */
export interface CommandOutbox {
  /** The commands a previous page left, oldest first. */
  load(): QueuedCommand[];
  add(command: QueuedCommand): void;
  remove(id: string): void;
}

interface Pending extends QueuedCommand {
  resolve(data: unknown): void;
  reject(error: Error): void;
}

export class MaestroWsClient {
  readonly clientId: string;
  private readonly socket: MinimalSocket;
  private readonly connection = createActor(connectionMachine).start();
  private readonly pending = new Map<string, Pending>();
  private readonly eventListeners = new Set<(e: ServerEvent) => void>();
  private readonly stateListeners = new Set<(info: ConnectionInfo) => void>();
  private readonly resyncListeners = new Set<(seq: number) => void>();
  private readonly welcomeListeners = new Set<(seq: number) => void>();
  private readonly messageListeners = new Set<(message: { type: string; [k: string]: unknown }) => void>();
  private welcomed = false;
  private closeCode: number | null = null;
  private closed = false;
  /** Tabs may share a clientId; this keeps their command ids apart. */
  private readonly instance = Math.random().toString(36).slice(2, 8);
  private seq: number;
  private counter = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly backoff: BackoffPolicy;
  /** The wait before the reconnect attempt scheduled last. */
  private nextDelay = 0;

  constructor(private readonly options: ClientOptions) {
    this.clientId = options.clientId ?? `c-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    this.seq = options.lastSeq ?? -1;
    this.backoff = options.backoff ?? {
      ...RECONNECT_BACKOFF,
      baseMs: options.minReconnectDelayMs ?? RECONNECT_BACKOFF.baseMs,
      maxMs: options.maxReconnectDelayMs ?? RECONNECT_BACKOFF.maxMs,
    };
    const random = options.random ?? Math.random;
    const schedule = (): number => {
      // Read while the constructor's first connect runs, before `socket` is assigned (retry 0).
      const retry = (this.socket as MinimalSocket | undefined)?.retryCount ?? 0;
      this.nextDelay = retry > 0 ? backoffDelay(this.backoff, retry, random) : 0;
      return this.nextDelay;
    };
    this.socket = new ReconnectingWebSocket(options.url, [], {
      WebSocket: options.WebSocket,
      // reconnecting-websocket waits minReconnectionDelay x growFactor^(retry - 1), capped: with a
      // factor of 1 and no cap that is whatever this getter answers, the one backoff policy.
      get minReconnectionDelay() {
        return schedule();
      },
      maxReconnectionDelay: Number.POSITIVE_INFINITY,
      reconnectionDelayGrowFactor: 1,
      connectionTimeout: 4000,
      maxRetries: Infinity,
    });
    this.socket.addEventListener('open', () => this.onOpen());
    this.socket.addEventListener('close', (e) => this.onClose(e.code ?? 1006));
    this.socket.addEventListener('message', (e) => this.onMessage(String(e.data)));
    this.socket.addEventListener('error', () => undefined);
    for (const restored of options.outbox?.load() ?? []) {
      this.pending.set(restored.id, {
        ...restored,
        resolve: () => undefined,
        reject: (error) => {
          if (error instanceof CommandFailed) options.onRestoredFailure?.(restored, error.error);
        },
      });
    }
    this.connection.subscribe(() => this.notify());
    const g = globalThis as { addEventListener?: (t: string, l: () => void) => void };
    if (options.watchNetwork && g.addEventListener) {
      g.addEventListener('offline', () => this.connection.send({ type: 'OFFLINE' }));
      g.addEventListener('online', () => {
        this.connection.send({ type: 'ONLINE' });
        this.socket.reconnect();
      });
    }
  }

  get info(): ConnectionInfo {
    const snapshot = this.connection.getSnapshot();
    return {
      state: snapshot.value as ConnectionState,
      attempt: snapshot.context.attempt,
      retryAt: snapshot.context.retryAt,
      queued: this.pending.size,
      lastSeq: this.seq,
      closeCode: this.closeCode,
    };
  }

  onEvent(listener: (e: ServerEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }
  onState(listener: (info: ConnectionInfo) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.info);
    return () => this.stateListeners.delete(listener);
  }
  /** The server could not replay from our seq: reload state from queries. */
  onResync(listener: (seq: number) => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }
  /** Every welcome (first connect and each reconnect), with the server's newest seq. */
  onWelcome(listener: (seq: number) => void): () => void {
    this.welcomeListeners.add(listener);
    return () => this.welcomeListeners.delete(listener);
  }

  /** Messages beyond the core protocol: `output` for clients, `spawn` and `stop` for runners. */
  onServerMessage(listener: (message: { type: string; [k: string]: unknown }) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Runs an operation; made while offline, it waits and is sent once on reconnect. */
  command<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = `${this.clientId}-${this.instance}-${Date.now().toString(36)}-${(this.counter++).toString(36)}`;
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { id, op, args, resolve: resolve as (d: unknown) => void, reject };
      this.pending.set(id, entry);
      // Only a change outlives the page: a read's answer is for this page, which is gone then.
      if (operationNamed(op)?.mutates !== false) this.options.outbox?.add({ id, op, args });
      this.notify();
      if (this.welcomed) this.sendCommand(entry);
    });
  }

  close(): void {
    this.closed = true;
    this.stopPinging();
    this.socket.close(1000, 'client closed');
    this.connection.stop();
    // What waits in the outbox stays there for the next page.
    for (const p of this.pending.values()) p.reject(new Error('client closed'));
    this.pending.clear();
  }

  private sendCommand(entry: Pending): void {
    this.socket.send(JSON.stringify({ type: 'command', id: entry.id, op: entry.op, args: entry.args }));
  }

  private onOpen(): void {
    if (this.closed) return;
    this.connection.send({ type: 'OPENED' });
    this.socket.send(
      JSON.stringify({
        type: 'hello',
        clientId: this.clientId,
        ...(this.options.token ? { token: this.options.token } : {}),
        ...(this.seq >= 0 ? { sinceSeq: this.seq } : {}),
        ...(this.options.role ? { role: this.options.role } : {}),
        ...(this.options.capacity !== undefined ? { capacity: this.options.capacity } : {}),
      }),
    );
    this.startPinging();
  }

  private onClose(code: number): void {
    if (this.closed) return;
    this.closeCode = code;
    this.welcomed = false;
    this.stopPinging();
    this.connection.send({ type: 'CLOSED', code });
    // reconnecting-websocket scheduled its next attempt just before telling us of the close.
    this.connection.send({ type: 'RETRY_SCHEDULED', at: Date.now() + this.nextDelay });
  }

  private onMessage(raw: string): void {
    // Checked on arrival: a frame without the fields its type needs is dropped.
    const message = parseServerMessage(raw) as { type: string; [k: string]: unknown } | null;
    if (!message) return;
    switch (message.type) {
      case 'welcome': {
        this.welcomed = true;
        this.closeCode = null;
        const seq = message.seq as number;
        if (this.seq < 0) this.seq = seq;
        for (const l of this.welcomeListeners) l(seq);
        for (const entry of this.pending.values()) this.sendCommand(entry);
        this.notify();
        return;
      }
      case 'event': {
        const event = message as unknown as ServerEvent;
        if (event.seq <= this.seq) return;
        this.seq = event.seq;
        for (const l of this.eventListeners) l(event);
        return;
      }
      case 'resync': {
        this.seq = message.seq as number;
        for (const l of this.resyncListeners) l(this.seq);
        return;
      }
      case 'ack': {
        const entry = this.pending.get(message.id as string);
        if (!entry) return;
        // The server is shutting down: the command stays queued and goes again after the next welcome.
        if (!message.ok && (message.error as CommandError | undefined)?.code === 'server_unavailable') return;
        this.pending.delete(entry.id);
        this.options.outbox?.remove(entry.id);
        if (message.ok) entry.resolve(message.data);
        else entry.reject(new CommandFailed(message.error as CommandError));
        this.notify();
        return;
      }
      case 'pong':
        clearTimeout(this.pongTimer);
        this.pongTimer = undefined;
        this.connection.send({ type: 'PONG' });
        return;
      default:
        for (const l of this.messageListeners) l(message);
    }
  }

  private startPinging(): void {
    this.stopPinging();
    const interval = this.options.pingIntervalMs ?? 10_000;
    const timeout = this.options.pongTimeoutMs ?? 5_000;
    this.pingTimer = setInterval(() => {
      if (this.pongTimer) return;
      this.socket.send(JSON.stringify({ type: 'ping' }));
      this.pongTimer = setTimeout(() => {
        this.pongTimer = undefined;
        this.connection.send({ type: 'PONG_MISSED' });
        this.socket.reconnect(4408, 'pong missed');
      }, timeout);
    }, interval);
  }

  private stopPinging(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  private notify(): void {
    const info = this.info;
    for (const l of this.stateListeners) l(info);
  }
}
