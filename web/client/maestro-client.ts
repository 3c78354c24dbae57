import ReconnectingWebSocketModule from 'reconnecting-websocket';
import { createActor } from 'xstate';
import type { ErrorBody } from '../../src/contract/error-codes.js';
import type { EventMessage } from '../../src/contract/ws-messages.js';
import { connectionMachine, type ConnectionState } from '../../src/machines/connection.machine.js';

/**
 * The WebSocket client library of docs/websocket-protocol.md, for the web UI and for tests.
 * Reconnects with exponential backoff (a random base per client spreads reconnect storms), pings
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
  minReconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** Browsers: listen to online/offline. */
  watchNetwork?: boolean;
  /** `runner` for a process that starts agents (see `maestro runner`). */
  role?: 'client' | 'runner';
  /** Keeps unacknowledged commands across reloads (see CommandOutbox). */
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

const GROW = 1.6;

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
  private closed = false;
  /** Tabs may share a clientId; this keeps their command ids apart. */
  private readonly instance = Math.random().toString(36).slice(2, 8);
  private seq: number;
  private counter = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly minDelay: number;
  private readonly maxDelay: number;

  constructor(private readonly options: ClientOptions) {
    this.clientId = options.clientId ?? `c-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    this.seq = options.lastSeq ?? -1;
    this.minDelay = options.minReconnectDelayMs ?? 500 + Math.random() * 1000;
    this.maxDelay = options.maxReconnectDelayMs ?? 10_000;
    this.socket = new ReconnectingWebSocket(options.url, [], {
      WebSocket: options.WebSocket,
      minReconnectionDelay: this.minDelay,
      maxReconnectionDelay: this.maxDelay,
      reconnectionDelayGrowFactor: GROW,
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
      this.options.outbox?.add({ id, op, args });
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
    this.welcomed = false;
    this.stopPinging();
    this.connection.send({ type: 'CLOSED', code });
    const retry = this.socket.retryCount;
    const delay = Math.min(this.maxDelay, this.minDelay * GROW ** Math.max(0, retry - 1));
    this.connection.send({ type: 'RETRY_SCHEDULED', at: Date.now() + delay });
  }

  private onMessage(raw: string): void {
    let message: { type: string; [k: string]: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    switch (message.type) {
      case 'welcome': {
        this.welcomed = true;
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
