import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECONNECT_BACKOFF, backoffDelay, type BackoffPolicy } from '../shared/backoff.js';
import { MaestroWsClient } from './ws-client.js';

type Listener = (event: { code?: number; data?: unknown }) => void;

/**
 * A WebSocket whose server never answers: each connection closes (1006) on the next turn, so the
 * client keeps reconnecting, and `opened` records when (in fake time) each attempt was made.
 */
class RefusedSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static opened: number[] = [];
  static closed: number[] = [];
  readyState = RefusedSocket.CONNECTING;
  binaryType = 'blob';
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor() {
    RefusedSocket.opened.push(Date.now());
    setTimeout(() => {
      this.readyState = RefusedSocket.CLOSED;
      RefusedSocket.closed.push(Date.now());
      for (const l of this.listeners.get('close') ?? []) l({ code: 1006 });
    }, 0);
  }
  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }
  send(): void {}
  close(): void {
    this.readyState = RefusedSocket.CLOSED;
  }
}

/** The waits from each refused connection's close to the next attempt (fake timers count whole ms). */
const gaps = () => RefusedSocket.opened.slice(1).map((t, i) => t - RefusedSocket.closed[i]!);
const whole = (delays: number[]) => delays.map((ms) => Math.round(ms));

describe('the WebSocket client reconnects on the one backoff schedule', () => {
  let client: MaestroWsClient | undefined;
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
    RefusedSocket.opened = [];
    RefusedSocket.closed = [];
  });
  afterEach(() => {
    client?.close();
    client = undefined;
    vi.useRealTimers();
  });

  const connect = (options: { backoff?: BackoffPolicy; random: () => number; min?: number; max?: number }) =>
    new MaestroWsClient({
      url: 'ws://127.0.0.1:1/ws',
      WebSocket: RefusedSocket,
      backoff: options.backoff,
      random: options.random,
      minReconnectDelayMs: options.min,
      maxReconnectDelayMs: options.max,
      pingIntervalMs: 1_000_000,
    });

  it('waits backoffDelay(policy, n) before attempt n + 1, up to the cap', async () => {
    const policy: BackoffPolicy = { baseMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };
    const random = () => 0.5; // jitter factor exactly 1
    client = connect({ backoff: policy, random });
    await vi.advanceTimersByTimeAsync(8000);
    const expected = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(policy, n, random));
    expect(expected.slice(0, 6)).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(gaps().slice(0, expected.length)).toEqual(expected);
    expect(client.info.state).toBe('reconnecting');
  });

  it('applies the jitter of the policy, and says when the next attempt is due', async () => {
    const policy: BackoffPolicy = { baseMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };
    client = connect({ backoff: policy, random: () => 0 }); // the shortest waits: x0.5
    await vi.advanceTimersByTimeAsync(1);
    // The first connection closed at once; its retry is due after 50 ms.
    expect(client.info.retryAt).toBe(RefusedSocket.closed[0]! + 50);
    await vi.advanceTimersByTimeAsync(1000);
    expect(gaps().slice(0, 4)).toEqual([50, 100, 200, 400]);
  });

  it('the default is RECONNECT_BACKOFF, with the caller’s first delay and cap as base and cap', async () => {
    client = connect({ random: () => 0.5, min: 50, max: 200 });
    await vi.advanceTimersByTimeAsync(2000);
    const policy = { ...RECONNECT_BACKOFF, baseMs: 50, maxMs: 200 };
    const expected = [1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.5));
    expect(gaps().slice(0, 5)).toEqual(whole(expected));
    expect(whole(expected)).toEqual([50, 80, 128, 200, 200]);
  });
});

describe('the WebSocket client’s outbox', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps the changes made offline for the next page, not the reads', async () => {
    vi.useFakeTimers();
    const kept: string[] = [];
    const client = new MaestroWsClient({
      url: 'ws://127.0.0.1:1/ws',
      WebSocket: RefusedSocket,
      pingIntervalMs: 1_000_000,
      outbox: { load: () => [], add: (c) => kept.push(c.op), remove: () => undefined },
    });
    const made = ['task.list', 'task.create', 'status', 'task.start', 'project.list', 'task.cancel'].map(
      (op) => client.command(op, {}).catch(() => undefined),
    );
    expect(kept).toEqual(['task.create', 'task.start', 'task.cancel']);
    expect(client.info.queued).toBe(6);
    client.close();
    await Promise.all(made);
  });
});
