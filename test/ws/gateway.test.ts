import { createServer, type AddressInfo, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  AckMessage,
  ErrorMessage,
  EventMessage,
  ServerMessage,
  WelcomeMessage,
} from '../../src/gateway/ws/protocol.js';
import type { RunningServer, StartOptions } from '../../src/gateway/server.js';
import {
  MaestroWsClient,
  type CommandOutbox,
  type ConnectionInfo,
  type QueuedCommand,
} from '../../src/client/ws-client.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

// ---- a raw protocol client ---------------------------------------------------------------------

interface Closed {
  code: number;
  reason: string;
}

/**
 * A bare `ws` client that speaks the protocol by hand, so tests can also break it. Messages are
 * kept in arrival order; `waitForMessage` hands each one out at most once, so two acks with the same
 * id are two separate waits.
 */
class WsTestClient {
  private static readonly open = new Set<WsTestClient>();
  readonly messages: ServerMessage[] = [];
  /** Protocol-level pings received from the server. */
  pings = 0;
  closeInfo: Closed | null = null;
  readonly closed: Promise<Closed>;
  private readonly taken = new Set<ServerMessage>();
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    WsTestClient.open.add(this);
    ws.on('message', (data: WebSocket.RawData) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
      this.wake();
    });
    ws.on('ping', () => (this.pings += 1));
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      ws.once('close', (code: number, reason: Buffer) => {
        WsTestClient.open.delete(this);
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        this.wake();
      }),
    );
  }

  static connect(
    url: string,
    options: { headers?: Record<string, string>; autoPong?: boolean; localAddress?: string } = {},
  ): Promise<WsTestClient> {
    const ws = new WebSocket(url, {
      headers: options.headers,
      autoPong: options.autoPong ?? true,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    const client = new WsTestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        reject(
          Object.assign(new Error(`upgrade refused with HTTP ${res.statusCode}`), { status: res.statusCode }),
        );
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  /** Terminates every client a test left open. */
  static terminateAll(): void {
    for (const client of WsTestClient.open) client.ws.terminate();
    WsTestClient.open.clear();
  }

  get events(): EventMessage[] {
    return this.messages.filter((m): m is EventMessage => m.type === 'event');
  }

  send(message: object): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Resolves with the first message not handed out yet that matches; fails on timeout or close. */
  waitForMessage<T extends ServerMessage = ServerMessage>(
    predicate: (m: ServerMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = this.messages.find((m) => !this.taken.has(m) && predicate(m));
        if (found) {
          this.taken.add(found);
          finish();
          resolve(found as T);
        } else if (this.closeInfo) {
          finish();
          reject(
            new Error(`closed (${this.closeInfo.code} ${this.closeInfo.reason}) before the message came`),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-3))}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  async hello(
    fields: { clientId?: string; token?: string; sinceSeq?: number } = {},
  ): Promise<WelcomeMessage> {
    this.send({ type: 'hello', clientId: 'test-client', ...fields });
    return this.waitForMessage<WelcomeMessage>((m) => m.type === 'welcome');
  }

  command(id: string, op: string, args: Record<string, unknown>): Promise<AckMessage> {
    this.send({ type: 'command', id, op, args });
    return this.waitForMessage<AckMessage>((m) => m.type === 'ack' && m.id === id);
  }

  /** Waits until an event with this seq (or a later one) has arrived. */
  untilSeq(seq: number, timeoutMs = 10_000): Promise<EventMessage> {
    return this.waitForMessage<EventMessage>((m) => m.type === 'event' && m.seq >= seq, timeoutMs);
  }

  waitForClose(timeoutMs = 5000): Promise<Closed> {
    return Promise.race([
      this.closed,
      new Promise<Closed>((_, reject) =>
        setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}

// ---- helpers -----------------------------------------------------------------------------------

const wsUrl = (server: RunningServer) => `ws://127.0.0.1:${server.http.port}/ws`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function lastSeq(api: TestClient): Promise<number> {
  return (await api.call<{ lastSeq: number }>('Events', 'list', { sinceSeq: 0, limit: 1 })).lastSeq;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A real server without the local agent runner (it would be one more WebSocket client). */
function serverFixture(options: StartOptions = {}) {
  // Made in beforeAll, not when the file is collected: a filtered run would leave it behind.
  let home: ReturnType<typeof tempHome> | undefined;
  const fixture = {
    server: undefined as unknown as RunningServer,
    api: undefined as unknown as TestClient,
    projectId: '',
    createTask: async (title: string, description?: string) =>
      (
        await fixture.api.call<{ id: string }>('Tasks', 'create', {
          projectId: fixture.projectId,
          title,
          ...(description ? { description } : {}),
        })
      ).id,
  };
  beforeAll(async () => {
    home = tempHome('maestro-ws-test-');
    fixture.server = await startTestServer(home.home, { runner: 'off' }, options);
    fixture.api = TestClient.for(fixture.server);
    fixture.projectId = (
      await fixture.api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })
    ).id;
  });
  afterAll(async () => {
    fixture.api?.close();
    await fixture.server?.close();
    home?.cleanup();
  });
  return fixture;
}

afterEach(() => WsTestClient.terminateAll());

// ---- the gateway -------------------------------------------------------------------------------

describe('WebSocket gateway', () => {
  const f = serverFixture({ ws: { helloTimeoutMs: 300 } });
  const connect = (options?: Parameters<typeof WsTestClient.connect>[1]) =>
    WsTestClient.connect(wsUrl(f.server), options);

  it('answers hello with the token with a welcome carrying the newest seq, the server time and the client id', async () => {
    await f.createTask('before hello');
    const newest = await lastSeq(f.api);
    const client = await connect();
    const before = Date.now();
    const welcome = await client.hello({ clientId: 'greeter', token: f.server.token });
    expect(welcome).toMatchObject({ type: 'welcome', seq: newest, clientId: 'greeter' });
    expect(Math.abs(Date.parse(welcome.serverTime) - before)).toBeLessThan(5000);

    // Live events follow the welcome, starting right after its seq.
    await f.createTask('after hello');
    const event = await client.untilSeq(newest + 1);
    expect(event).toMatchObject({ seq: newest + 1, eventType: 'task.created', entityType: 'task' });
  });

  it('replays exactly what a reconnecting client missed, once and in seq order, then continues live', async () => {
    const first = await connect();
    const welcome = await first.hello({ clientId: 'replayer', token: f.server.token });
    for (let i = 0; i < 5; i++) await f.createTask(`live-${i}`);
    const seen = await lastSeq(f.api);
    await first.untilSeq(seen);
    expect(first.events.map((e) => e.seq)).toEqual(range(welcome.seq + 1, seen));
    first.ws.close();
    await first.waitForClose();

    // While it is away: concurrent writers and some transitions.
    const ids = (
      await Promise.all(
        Array.from({ length: 4 }, (_, w) =>
          (async () => {
            const made: string[] = [];
            for (let i = 0; i < 5; i++) made.push(await f.createTask(`away-${w}-${i}`));
            return made;
          })(),
        ),
      )
    ).flat();
    await Promise.all(ids.slice(0, 6).map((id) => f.api.call('Tasks', 'start', { id })));
    const missedUpTo = await lastSeq(f.api);
    expect(missedUpTo).toBeGreaterThanOrEqual(seen + 26);

    const second = await connect();
    const again = await second.hello({ clientId: 'replayer', token: f.server.token, sinceSeq: seen });
    expect(again.seq).toBe(missedUpTo);
    for (let i = 0; i < 3; i++) await f.createTask(`back-${i}`);
    const newest = await lastSeq(f.api);
    await second.untilSeq(newest);
    // Events arrive in seq order, so a duplicate of any of them would come before this marker's.
    await f.createTask('marker');
    await second.untilSeq(newest + 1);
    expect(second.events.at(-1)!.seq).toBe(newest + 1);
    const replayed = second.events.slice(0, -1);

    expect(second.messages.some((m) => m.type === 'resync')).toBe(false);
    expect(replayed.map((e) => e.seq)).toEqual(range(seen + 1, newest));
    const log = await f.api.call<{ events: { seq: number; type: string; entityId: string }[] }>(
      'Events',
      'list',
      { sinceSeq: seen, limit: 1000 },
    );
    expect(replayed.map((e) => [e.seq, e.eventType, e.entityId])).toEqual(
      log.events.filter((e) => e.seq <= newest).map((e) => [e.seq, e.type, e.entityId]),
    );
  });

  it('runs a command repeated with the same client id and command id once, even across a reconnect', async () => {
    const title = `dup-${Date.now()}`;
    const args = { projectId: f.projectId, title };
    const client = await connect();
    await client.hello({ clientId: 'dup-client', token: f.server.token });
    client.send({ type: 'command', id: 'cmd-1', op: 'task.create', args });
    client.send({ type: 'command', id: 'cmd-1', op: 'task.create', args });
    const isAck = (m: ServerMessage) => m.type === 'ack' && m.id === 'cmd-1';
    const first = await client.waitForMessage<AckMessage>(isAck);
    const second = await client.waitForMessage<AckMessage>(isAck);
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    client.ws.close();
    await client.waitForClose();

    const again = await connect();
    await again.hello({ clientId: 'dup-client', token: f.server.token });
    const third = await again.command('cmd-1', 'task.create', args);
    expect(third).toEqual(first);

    // The key is per client: another client's cmd-1 is a different command.
    const other = await connect();
    await other.hello({ clientId: 'other-client', token: f.server.token });
    const fourth = await other.command('cmd-1', 'task.create', args);
    expect(fourth.ok).toBe(true);
    expect((fourth.data as { id: string }).id).not.toBe((first.data as { id: string }).id);

    const tasks = await f.api.call<{ tasks: { id: string; title: string }[] }>('Tasks', 'list', {
      projectId: f.projectId,
    });
    expect(tasks.tasks.filter((t) => t.title === title).map((t) => t.id)).toEqual(
      expect.arrayContaining([(first.data as { id: string }).id, (fourth.data as { id: string }).id]),
    );
    expect(tasks.tasks.filter((t) => t.title === title)).toHaveLength(2);
  });

  it('answers failing commands with ack ok:false and the error code, and changes nothing', async () => {
    const taskId = await f.createTask('pending task');
    const before = await lastSeq(f.api);
    const client = await connect();
    await client.hello({ clientId: 'errors', token: f.server.token });

    const transition = await client.command('e1', 'task.unblock', { id: taskId });
    expect(transition).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    expect(transition.error?.details).toMatchObject({ taskId, from: 'pending' });

    const unknownOp = await client.command('e2', 'task.fly', {});
    expect(unknownOp).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { field: 'op' } },
    });

    const badArgs = await client.command('e3', 'task.create', { projectId: f.projectId, title: 42 });
    expect(badArgs).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { field: 'title' } },
    });

    const missing = await client.command('e4', 'task.get', { id: 't_999999' });
    expect(missing.ok).toBe(false);
    expect(missing.error?.code).toMatch(/not_found|invalid_argument/);

    expect(await lastSeq(f.api)).toBe(before);
    expect(client.events).toEqual([]);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses an upgrade from a foreign Origin with HTTP 403 and accepts the server’s own', async () => {
    const refused = await connect({ headers: { Origin: 'http://evil.example' } }).then(
      () => null,
      (error: { status?: number }) => error,
    );
    expect(refused?.status).toBe(403);

    const own = await connect({ headers: { Origin: `http://127.0.0.1:${f.server.http.port}` } });
    await own.hello({ clientId: 'same-origin', token: f.server.token });

    // Behind a TLS-terminating proxy the page is https on the same host.
    const tls = await connect({ headers: { Origin: `https://127.0.0.1:${f.server.http.port}` } });
    await tls.hello({ clientId: 'behind-tls', token: f.server.token });
    // A forwarded host counts only when the server is told to trust a proxy (trustProxy).
    const proxied = await connect({
      headers: { Origin: 'https://maestro.example.com', 'X-Forwarded-Host': 'maestro.example.com' },
    }).then(
      () => null,
      (error: { status?: number }) => error,
    );
    expect(proxied?.status).toBe(403);
    for (const origin of [
      'https://maestro.example.com',
      'null',
      'file://',
      `ftp://127.0.0.1:${f.server.http.port}`,
    ]) {
      const foreign = await connect({ headers: { Origin: origin } }).then(
        () => null,
        (error: { status?: number }) => error,
      );
      expect(foreign?.status, origin).toBe(403);
    }
  });

  it('accepts the token cookie instead of a token in hello', async () => {
    const client = await connect({
      headers: { Cookie: `maestro_token=${encodeURIComponent(f.server.token)}` },
    });
    await client.hello({ clientId: 'cookie' });
  });

  it('closes with 4401 on a wrong or missing token', async () => {
    const wrong = await connect();
    wrong.send({ type: 'hello', clientId: 'intruder', token: 'not-the-token' });
    expect((await wrong.waitForClose()).code).toBe(4401);
    expect(wrong.messages.some((m) => m.type === 'welcome')).toBe(false);

    const none = await connect();
    none.send({ type: 'hello', clientId: 'intruder' });
    expect((await none.waitForClose()).code).toBe(4401);
  });

  it('closes with 4408 when no hello comes within helloTimeoutMs', async () => {
    const client = await connect();
    const opened = Date.now();
    expect((await client.waitForClose(3000)).code).toBe(4408);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(250);
  });

  it('closes with 4400 on a command before hello, and on a second hello', async () => {
    const early = await connect();
    early.send({ type: 'command', id: 'x', op: 'project.list', args: {} });
    expect((await early.waitForClose()).code).toBe(4400);
    expect(early.messages.some((m) => m.type === 'ack')).toBe(false);

    const twice = await connect();
    await twice.hello({ clientId: 'twice', token: f.server.token });
    twice.send({ type: 'hello', clientId: 'twice', token: f.server.token });
    expect((await twice.waitForClose()).code).toBe(4400);
  });

  it('answers malformed JSON and unknown message types with an error message and stays usable', async () => {
    const client = await connect();
    await client.hello({ clientId: 'sloppy', token: f.server.token });

    client.ws.send('{"type": "command", ');
    const malformed = await client.waitForMessage<ErrorMessage>((m) => m.type === 'error');
    expect(malformed.error.code).toBe('invalid_argument');

    client.send({ type: 'subscribe', topic: 'everything' });
    const unknown = await client.waitForMessage<ErrorMessage>((m) => m.type === 'error');
    expect(unknown.error).toMatchObject({ code: 'invalid_argument', details: { field: 'type' } });

    // A frame just under the limit is parsed (and refused on its fields), not closed.
    client.send({ type: 'ping', id: 'x'.repeat(1_000_000) });
    const tooLongId = await client.waitForMessage<ErrorMessage>((m) => m.type === 'error');
    expect(tooLongId.error).toMatchObject({ code: 'invalid_argument', details: { field: 'id' } });

    client.send({ type: 'ping', id: 'still-there' });
    await client.waitForMessage((m) => m.type === 'pong' && m.id === 'still-there');
    const ack = await client.command('after-errors', 'project.list', {});
    expect(ack.ok).toBe(true);
  });

  it('closes with 4413 on a frame over 1 MiB', async () => {
    const client = await connect();
    await client.hello({ clientId: 'big', token: f.server.token });
    client.send({ type: 'ping', id: 'x'.repeat(1.5 * 1024 * 1024) });
    expect((await client.waitForClose()).code).toBe(4413);
  });

  it('closes with 4400 on a binary frame', async () => {
    const client = await connect();
    await client.hello({ clientId: 'binary', token: f.server.token });
    client.ws.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
    expect((await client.waitForClose()).code).toBe(4400);
    expect(client.messages.some((m) => m.type === 'pong')).toBe(false);
  });

  // Regression: the idempotency key was `ws:${clientId}:${id}`, up to 304 characters, and the
  // runner refuses keys over 200, so long (valid) ids made every mutation fail. It is a hash now.
  it('accepts a mutation with the longest client id and command id the protocol allows', async () => {
    const client = await connect();
    await client.hello({ clientId: 'c'.repeat(100), token: f.server.token });
    const ack = await client.command('i'.repeat(200), 'task.create', {
      projectId: f.projectId,
      title: 'long ids',
    });
    expect(ack.error).toBeUndefined();
    expect(ack.ok).toBe(true);
  });

  // Regression: ws buffered up to 16 MiB per frame, even before hello. Now frames up to 2 MiB are read
  // and refused with 4413, larger ones are cut off by ws with 1009 as soon as their header arrives.
  it('closes a frame over 1 MiB with 4413, and one over 2 MiB at the transport (1009) without buffering it', async () => {
    const client = await connect();
    await client.hello({ clientId: 'huge', token: f.server.token });
    client.send({ type: 'ping', id: 'x'.repeat(1536 * 1024) });
    expect((await client.waitForClose()).code).toBe(4413);
    const giant = await connect();
    await giant.hello({ clientId: 'giant', token: f.server.token });
    giant.send({ type: 'ping', id: 'x'.repeat(17 * 1024 * 1024) });
    expect((await giant.waitForClose()).code).toBe(1009);
  });

  it('still serves a new client after all of that', async () => {
    const client = await connect();
    const welcome = await client.hello({ clientId: 'after-abuse', token: f.server.token });
    const ack = await client.command('fine', 'task.create', { projectId: f.projectId, title: 'after abuse' });
    expect(ack.ok).toBe(true);
    const event = await client.untilSeq(welcome.seq + 1);
    expect(event.entityId).toBe((ack.data as { id: string }).id);
    await waitFor('only this client connected', () => f.server.ws.clientCount === 1, { timeoutMs: 2000 });
  });
});

describe('WebSocket gateway: resync', () => {
  const f = serverFixture({ eventRetention: 5, sweepIntervalMs: 50 });

  it('sends resync when sinceSeq is older than the log keeps, then continues live from its seq', async () => {
    for (let i = 0; i < 30; i++) await f.createTask(`churn-${i}`);
    const newest = await lastSeq(f.api);
    const oldestKept = async () =>
      (await f.api.call<{ events: { seq: number }[] }>('Events', 'list', { sinceSeq: 0, limit: 1 })).events[0]
        ?.seq ?? 0;
    await waitFor('pruning', async () => (await oldestKept()) >= newest - 4, { timeoutMs: 5000 });

    const stale = await WsTestClient.connect(wsUrl(f.server));
    const welcome = await stale.hello({ token: f.server.token, sinceSeq: 0 });
    expect(welcome.seq).toBe(newest);
    const resync = await stale.waitForMessage((m) => m.type === 'resync');
    expect(resync).toMatchObject({ type: 'resync', seq: newest });
    await f.createTask('after resync');
    await stale.untilSeq(newest + 1);
    expect(stale.events.map((e) => e.seq)).toEqual([newest + 1]);

    // Within what the log keeps, the same client gets a plain replay.
    const recent = await WsTestClient.connect(wsUrl(f.server));
    await recent.hello({ token: f.server.token, sinceSeq: newest - 2 });
    await recent.untilSeq(newest + 1);
    expect(recent.events.map((e) => e.seq)).toEqual([newest - 1, newest, newest + 1]);
    expect(recent.messages.some((m) => m.type === 'resync')).toBe(false);
  });

  it('sends resync when sinceSeq is ahead of the log (a client of another database)', async () => {
    const newest = await lastSeq(f.api);
    const ahead = await WsTestClient.connect(wsUrl(f.server));
    await ahead.hello({ token: f.server.token, sinceSeq: newest + 1000 });
    expect(await ahead.waitForMessage((m) => m.type === 'resync')).toMatchObject({ seq: newest });
    await f.createTask('after the jump');
    await ahead.untilSeq(newest + 1);
    expect(ahead.events.map((e) => e.seq)).toEqual([newest + 1]);
  });
});

describe('WebSocket gateway: a prune that passes a slow replay', () => {
  // No prune of its own (the sweep never comes): the test prunes when it wants to.
  const f = serverFixture({
    eventRetention: 50,
    sweepIntervalMs: 3_600_000,
    ws: { maxBufferedBytes: 64 * 1024 },
  });

  // Regression: a client that resumed at the oldest kept seq and read slowly while the prune passed
  // its replay cursor silently missed events (21,000 of 130,000 in one run) and never got resync.
  it('gets every event up to the gap, then resync, then every event after its seq', async () => {
    const description = 'p'.repeat(20_000);
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = w; i < 600; i += 8) await f.createTask(`old-${i}`, description);
        })(),
      ),
    );
    const newest = await lastSeq(f.api);
    await f.server.services.events.prune(550);
    const oldest = newest - 549;

    const slow = await WsTestClient.connect(wsUrl(f.server));
    const socket = (slow.ws as unknown as { _socket: Socket })._socket;
    await slow.hello({ clientId: 'slow-replay', token: f.server.token, sinceSeq: oldest - 1 });
    socket.pause();
    // A first page of 500 events (10 MB) is more than the sockets hold: the replay waits for the client.
    await waitFor('the replay to wait for the client', () => f.server.ws.bufferedBytes > 1024 * 1024);
    for (let i = 0; i < 5; i++) await f.createTask(`during-${i}`);
    await f.server.services.events.prune(50);

    socket.resume();
    const resync = await slow.waitForMessage<Extract<ServerMessage, { type: 'resync' }>>(
      (m) => m.type === 'resync',
      20_000,
    );
    const before = slow.events.map((e) => e.seq);
    expect(before).toEqual(range(oldest, oldest + 499));
    expect(resync.seq).toBe(await lastSeq(f.api));
    expect(resync.reason).toContain(`events after ${oldest + 499} are no longer kept`);
    await f.createTask('after resync');
    await slow.untilSeq(resync.seq + 1);
    expect(slow.events.map((e) => e.seq)).toEqual([...before, resync.seq + 1]);
  });
});

describe('WebSocket gateway: connections that have not said hello', () => {
  const f = serverFixture({ ws: { maxPendingPerAddress: 3, maxPending: 5, helloTimeoutMs: 60_000 } });
  const from = (localAddress: string) =>
    WsTestClient.connect(wsUrl(f.server), { localAddress }).then(
      (client) => ({ client, status: 101 }),
      (error: { status?: number }) => ({ client: undefined, status: error.status }),
    );

  // Regression: 4,000 sockets that never said hello were all accepted and held.
  it('caps them per remote address and in total (HTTP 429); hello or close frees the place', async () => {
    const first = await Promise.all([from('127.0.0.1'), from('127.0.0.1'), from('127.0.0.1')]);
    expect(first.map((r) => r.status)).toEqual([101, 101, 101]);
    expect((await from('127.0.0.1')).status).toBe(429);
    // Another address still gets in, up to the total.
    expect((await from('127.0.0.2')).status).toBe(101);
    expect((await from('127.0.0.3')).status).toBe(101);
    expect(f.server.ws.pendingCount).toBe(5);
    expect((await from('127.0.0.4')).status).toBe(429);

    // A hello makes a client count no more; so does a close.
    await first[0]!.client!.hello({ clientId: 'said-hello', token: f.server.token });
    first[1]!.client!.ws.close();
    await waitFor('two places freed', () => f.server.ws.pendingCount === 3);
    const again = await Promise.all([from('127.0.0.1'), from('127.0.0.1')]);
    expect(again.map((r) => r.status)).toEqual([101, 101]);
    expect((await from('127.0.0.1')).status).toBe(429);
    // Clients that said hello are not capped by this.
    await again[0]!.client!.hello({ clientId: 'another', token: f.server.token });
    expect(f.server.ws.clientCount).toBe(6);
  });
});

describe('WebSocket gateway: heartbeats', () => {
  const f = serverFixture({ ws: { pingIntervalMs: 100 } });

  it('terminates a client that stops answering pings and keeps one that answers', async () => {
    const silent = await WsTestClient.connect(wsUrl(f.server), { autoPong: false });
    await silent.hello({ clientId: 'silent', token: f.server.token });
    const healthy = await WsTestClient.connect(wsUrl(f.server));
    await healthy.hello({ clientId: 'healthy', token: f.server.token });

    const closed = await silent.waitForClose(3000);
    expect(closed.code).toBe(1006); // terminated: no close frame
    expect(silent.pings).toBeGreaterThanOrEqual(2);

    await waitFor('five pings to the healthy client', () => healthy.pings >= 5, { timeoutMs: 5000 });
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    healthy.send({ type: 'ping', id: 'alive' });
    await healthy.waitForMessage((m) => m.type === 'pong' && m.id === 'alive');
    await waitFor('one client left', () => f.server.ws.clientCount === 1, { timeoutMs: 2000 });
  });

  it('keeps a client that misses every other pong: a pong in between makes it open again', async () => {
    const flaky = await WsTestClient.connect(wsUrl(f.server), { autoPong: false });
    let pings = 0;
    flaky.ws.on('ping', (data: Buffer) => {
      pings += 1;
      if (pings % 2 === 0) flaky.ws.pong(data);
    });
    await flaky.hello({ clientId: 'flaky', token: f.server.token });
    // Two missed pongs in a row would terminate it by the third ping.
    await waitFor('six pings', () => pings >= 6, { timeoutMs: 5000 });
    expect(flaky.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('WebSocket gateway: back-pressure', () => {
  const f = serverFixture({ ws: { maxBufferedBytes: 64 * 1024 } });

  it('closes a client that stops reading once its buffer overflows; a normal client gets every event', async () => {
    const slow = await WsTestClient.connect(wsUrl(f.server));
    await slow.hello({ clientId: 'slow', token: f.server.token });
    const fast = await WsTestClient.connect(wsUrl(f.server));
    const welcome = await fast.hello({ clientId: 'fast', token: f.server.token });
    expect(f.server.ws.clientCount).toBe(2);
    const slowSocket = (slow.ws as unknown as { _socket: Socket })._socket;
    slowSocket.pause();

    // ~12 MiB of events: more than the kernel's socket buffers hold on loopback.
    const description = 'd'.repeat(20_000);
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 75; i++) await f.createTask(`flood-${w}-${i}`, description);
      })(),
    );
    await Promise.all(writers);
    const newest = await lastSeq(f.api);
    expect(newest - welcome.seq).toBe(600);

    await fast.untilSeq(newest, 20_000);
    expect(fast.events.map((e) => e.seq)).toEqual(range(welcome.seq + 1, newest));
    await waitFor('the slow client to be dropped', () => f.server.ws.clientCount === 1, {
      timeoutMs: 15_000,
    });

    slowSocket.resume();
    const closed = await slow.waitForClose(10_000);
    expect([4429, 1006]).toContain(closed.code);
    expect(slow.events.length).toBeLessThan(600);
    expect(fast.ws.readyState).toBe(WebSocket.OPEN);
  });

  // Regression: the limit counted everything unsent, so a client that read continuously was closed
  // with 4429 when a burst of answers passed it, and the acks of commands that had committed were lost.
  // Now only events (which a client can get again from the log) count toward 4429.
  it('a client that reads continuously gets every ack of a burst larger than maxBufferedBytes', async () => {
    const own = await f.api.call<{ id: string }>('Projects', 'create', { name: `burst-${Date.now()}` });
    const description = 'b'.repeat(5000);
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = w; i < 120; i += 8)
            await f.api.call('Tasks', 'create', { projectId: own.id, title: `seed-${i}`, description });
        })(),
      ),
    );
    const client = await WsTestClient.connect(wsUrl(f.server));
    const welcome = await client.hello({ clientId: 'bursty', token: f.server.token });
    // 30 lists of 120 tasks (about 700 KB each) and 20 creates, in one go, while others write too:
    // megabytes of answers, and only a few KB of events.
    const ids = [
      ...Array.from({ length: 30 }, (_, i) => `list-${i}`),
      ...Array.from({ length: 20 }, (_, i) => `create-${i}`),
    ];
    for (const id of ids) {
      client.send(
        id.startsWith('list')
          ? { type: 'command', id, op: 'task.list', args: { projectId: own.id } }
          : { type: 'command', id, op: 'task.create', args: { projectId: own.id, title: id } },
      );
    }
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        f.api.call('Tasks', 'create', { projectId: own.id, title: `other-${i}` }),
      ),
    );
    const acks = await Promise.all(
      ids.map((id) => client.waitForMessage<AckMessage>((m) => m.type === 'ack' && m.id === id, 20_000)),
    );
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    expect((acks[0]!.data as { tasks: unknown[] }).tasks.length).toBeGreaterThanOrEqual(120);
    const newest = await lastSeq(f.api);
    await client.untilSeq(newest, 20_000);
    expect(client.events.map((e) => e.seq)).toEqual(range(welcome.seq + 1, newest));
    expect(client.closeInfo).toBeNull();
  });

  // Regression: the replay was not flow-controlled, so a backlog larger than the send buffer closed a
  // client that read at full speed with 4429. Replay now waits for the buffer to drain between pages.
  it('replays a backlog larger than maxBufferedBytes to a client that keeps reading', async () => {
    const start = await lastSeq(f.api);
    const description = 'd'.repeat(20_000);
    await Promise.all(
      Array.from({ length: 4 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 50; i++) await f.createTask(`backlog-${w}-${i}`, description);
        })(),
      ),
    );
    const newest = await lastSeq(f.api);
    const client = await WsTestClient.connect(wsUrl(f.server));
    await client.hello({ clientId: 'catching-up', token: f.server.token, sinceSeq: start });
    await client.untilSeq(newest, 10_000);
    expect(client.events.map((e) => e.seq)).toEqual(range(start + 1, newest));
  });
});

describe('WebSocket client library', () => {
  let home: ReturnType<typeof tempHome>;
  beforeAll(() => {
    home = tempHome('maestro-ws-client-');
  });
  let server: RunningServer | undefined;
  let client: MaestroWsClient | undefined;
  afterAll(async () => {
    client?.close();
    await server?.close();
    home.cleanup();
  });

  it('queues commands while the server is down and applies each exactly once after it restarts', async () => {
    const port = await freePort();
    const start = () => startTestServer(home.home, { runner: 'off', httpAddr: `127.0.0.1:${port}` });
    server = await start();
    let api = TestClient.for(server);
    const projectId = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;

    const states: ConnectionInfo['state'][] = [];
    const seqs: number[] = [];
    const c = new MaestroWsClient({
      url: `ws://127.0.0.1:${port}/ws`,
      token: server.token,
      WebSocket,
      clientId: 'library',
      pingIntervalMs: 200,
      pongTimeoutMs: 1000,
      minReconnectDelayMs: 50,
      maxReconnectDelayMs: 250,
    });
    client = c;
    c.onState((info) => {
      if (states.at(-1) !== info.state) states.push(info.state);
    });
    c.onEvent((e) => seqs.push(e.seq));
    const online = await c.command<{ id: string }>('task.create', { projectId, title: 'online' });
    expect(online.id).toEqual(expect.any(String));

    api.close();
    await server.close();
    server = undefined;
    await waitFor('the client to notice', () => c.info.state !== 'open', { timeoutMs: 5000 });
    const offline = [
      c.command<{ id: string }>('task.create', { projectId, title: 'offline-1' }),
      c.command<{ id: string }>('task.create', { projectId, title: 'offline-2' }),
    ];
    expect(c.info.queued).toBe(2);
    await waitFor('a few failed reconnects', () => c.info.attempt >= 3, { timeoutMs: 5000 });
    expect(c.info.queued).toBe(2);
    expect(c.info.state).toBe('reconnecting');

    server = await start();
    api = TestClient.for(server);
    const made = await Promise.all(offline);
    expect(c.info.queued).toBe(0);
    expect(c.info.state).toBe('open');

    const tasks = await api.call<{ tasks: { id: string; title: string }[] }>('Tasks', 'list', { projectId });
    api.close();
    expect(tasks.tasks.filter((t) => t.title === 'offline-1').map((t) => t.id)).toEqual([made[0]!.id]);
    expect(tasks.tasks.filter((t) => t.title === 'offline-2').map((t) => t.id)).toEqual([made[1]!.id]);
    await waitFor('three task.created events', () => seqs.length >= 3, { timeoutMs: 5000 });
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));

    const firstOpen = states.indexOf('open');
    const reconnecting = states.indexOf('reconnecting', firstOpen);
    expect(firstOpen).toBeGreaterThanOrEqual(0);
    expect(reconnecting).toBeGreaterThan(firstOpen);
    expect(states.indexOf('open', reconnecting)).toBeGreaterThan(reconnecting);
  });

  it('an outbox keeps unacknowledged commands for the next client, which sends each once', async () => {
    const own = tempHome('maestro-ws-outbox-');
    const port = await freePort();
    const start = () => startTestServer(own.home, { runner: 'off', httpAddr: `127.0.0.1:${port}` });
    let local: RunningServer | undefined = await start();
    const stored = new Map<string, QueuedCommand>();
    const outbox: CommandOutbox = {
      load: () => [...stored.values()],
      add: (command) => void stored.set(command.id, command),
      remove: (id) => void stored.delete(id),
    };
    const options = {
      url: `ws://127.0.0.1:${port}/ws`,
      token: local.token,
      WebSocket,
      clientId: 'outbox',
      outbox,
      minReconnectDelayMs: 50,
      maxReconnectDelayMs: 250,
    };
    try {
      const api = TestClient.for(local);
      const projectId = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: own.home })).id;
      api.close();
      await local.close();
      local = undefined;

      // A page made two changes while the server was down, then went away.
      const first = new MaestroWsClient(options);
      const made = first
        .command('task.create', { projectId, title: 'outlives its page' })
        .catch(() => 'closed');
      const refused = first.command('task.start', { id: 't_999' }).catch(() => 'closed');
      expect(stored.size).toBe(2);
      first.close();
      await expect(Promise.all([made, refused])).resolves.toEqual(['closed', 'closed']);
      expect(stored.size).toBe(2);

      local = await start();
      const failures: string[] = [];
      const second = new MaestroWsClient({
        ...options,
        onRestoredFailure: (command, error) => failures.push(`${command.op} ${error.code}`),
      });
      try {
        expect(second.info.queued).toBe(2);
        await waitFor('the outbox to empty', () => stored.size === 0, { timeoutMs: 5000 });
        expect(failures).toEqual(['task.start task_not_found']);
        const again = TestClient.for(local);
        const { tasks } = await again.call<{ tasks: { title: string }[] }>('Tasks', 'list', { projectId });
        again.close();
        expect(tasks.filter((t) => t.title === 'outlives its page')).toHaveLength(1);
      } finally {
        second.close();
      }
    } finally {
      await local?.close();
      own.cleanup();
    }
  });

  // Regression: close() stopped the connection machine while reconnecting-websocket still had the
  // socket's 'close' event to deliver, which then went to the stopped actor (fixed in e770986).
  it('close() leaves no late event for its stopped connection machine', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const own = tempHome('maestro-ws-client-close-');
    const local = await startTestServer(own.home, { runner: 'off' });
    try {
      const c = new MaestroWsClient({ url: wsUrl(local), token: local.token, WebSocket, clientId: 'closer' });
      await new Promise<void>((resolve) => c.onWelcome(() => resolve()));
      c.close();
      // The socket's own close comes after the server saw it go; then one more turn of the loop.
      await waitFor('the server to see the client go', () => local.ws.clientCount === 0, { timeoutMs: 5000 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(
        warn.mock.calls.map((args) => String(args[0])).filter((m) => m.includes('stopped actor')),
      ).toEqual([]);
    } finally {
      warn.mockRestore();
      await local.close();
      own.cleanup();
    }
  });
});
