import * as grpc from '@grpc/grpc-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import type { AckMessage, ServerMessage } from '../../src/gateway/ws/protocol.js';
import { parseExposition, type Exposition } from '../support/prometheus.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

async function scrape(server: RunningServer): Promise<Exposition> {
  const res = await fetch(`http://127.0.0.1:${server.http.port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

/** A bare protocol client: sends frames, collects what comes back, answers pings (ws does). */
class WsClient {
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
  }

  static async connect(server: RunningServer, headers: Record<string, string> = {}): Promise<WsClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.http.port}/ws`, { headers });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new WsClient(ws);
  }

  /** Sends a message as JSON, or a raw string as it is (to send a broken frame). */
  send(message: object | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  waitFor<T extends ServerMessage>(predicate: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<T> {
    return waitFor('a message', () => this.messages.find(predicate) as T | undefined, { timeoutMs });
  }

  ack(id: string): Promise<AckMessage> {
    return this.waitFor<AckMessage>((m) => m.type === 'ack' && m.id === id);
  }
}

/** Waits until `read()` returns `expected` (gauges move when the server sees the close, a moment later). */
const becomes = <T>(what: string, read: () => Promise<T>, expected: T) =>
  waitFor(`${what} to be ${String(expected)}`, async () => (await read()) === expected);

describe('/metrics', () => {
  const home = tempHome();
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer(home.home, { runner: 'off' });
    api = TestClient.for(server, { actor: 'alice' });
    projectId = (await api.call<{ id: string }>('Projects', 'create', { name: 'obs', workingDir: home.home }))
      .id;
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  it('is valid Prometheus text, needs no token, and holds process metrics and the build', async () => {
    const res = await fetch(`http://127.0.0.1:${server.http.port}/metrics`);
    expect(res.status).toBe(200);
    const m = parseExposition(await res.text());
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(m.types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    expect(m.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(m.value('maestro_build_info', { version: '0.1.0' })).toBe(1);
    for (const [name, type] of [
      ['maestro_grpc_requests_total', 'counter'],
      ['maestro_grpc_request_duration_seconds', 'histogram'],
      ['maestro_grpc_active_streams', 'gauge'],
      ['maestro_ws_messages_total', 'counter'],
      ['maestro_ws_clients', 'gauge'],
      ['maestro_ws_connections_total', 'counter'],
      ['maestro_ws_connections_closed_total', 'counter'],
      ['maestro_events_published_total', 'counter'],
      ['maestro_events_last_seq', 'gauge'],
      ['maestro_tasks_by_status', 'gauge'],
      ['maestro_sessions_by_status', 'gauge'],
      ['maestro_db_duration_seconds', 'histogram'],
    ]) {
      expect(m.types.get(name!), name).toBe(type);
    }
    expect((await fetch(`http://127.0.0.1:${server.http.port}/metrics`, { method: 'POST' })).status).toBe(
      405,
    );
  });

  it('counts gRPC calls by method and code, times them, and counts tasks by status and events', async () => {
    const before = await scrape(server);
    const create = (title: string) => api.call<{ id: string }>('Tasks', 'create', { projectId, title });
    const [a, b] = [await create('a'), await create('b'), await create('c')];
    await api.call('Tasks', 'claim', { id: a!.id });
    await api.call('Tasks', 'complete', { id: a!.id });
    await api.call('Tasks', 'claim', { id: b!.id });
    expect((await failure(api.call('Tasks', 'claim', { id: b!.id }, { actor: 'bob' }))).code).toBe(
      'task_already_claimed',
    );
    expect((await failure(api.call('Tasks', 'get', { id: 't_missing' }))).code).toBe('task_not_found');
    expect((await failure(api.call('Tasks', 'list', {}, { token: 'wrong' }))).code).toBe('unauthenticated');
    const { lastSeq } = await api.call<{ lastSeq: number }>('Server', 'whoAmI');
    const after = await scrape(server);

    const delta = (name: string, labels: Record<string, string>) =>
      after.sum(name, labels) - before.sum(name, labels);
    const requests = 'maestro_grpc_requests_total';
    expect(delta(requests, { method: 'maestro.v1.Tasks/Create', code: 'OK' })).toBe(3);
    expect(delta(requests, { method: 'maestro.v1.Tasks/Claim', code: 'OK' })).toBe(2);
    expect(delta(requests, { method: 'maestro.v1.Tasks/Complete', code: 'OK' })).toBe(1);
    expect(
      delta(requests, {
        method: 'maestro.v1.Tasks/Claim',
        code: 'ALREADY_EXISTS',
        error: 'task_already_claimed',
      }),
    ).toBe(1);
    expect(
      delta(requests, { method: 'maestro.v1.Tasks/Get', code: 'NOT_FOUND', error: 'task_not_found' }),
    ).toBe(1);
    expect(delta(requests, { method: 'maestro.v1.Tasks/List', code: 'UNAUTHENTICATED' })).toBe(1);

    const duration = 'maestro_grpc_request_duration_seconds';
    expect(delta(`${duration}_count`, { method: 'maestro.v1.Tasks/Create' })).toBe(3);
    expect(delta(`${duration}_bucket`, { method: 'maestro.v1.Tasks/Create', le: '+Inf' })).toBe(3);
    expect(delta(`${duration}_sum`, { method: 'maestro.v1.Tasks/Create' })).toBeGreaterThan(0);
    expect(delta(`${duration}_count`, { method: 'maestro.v1.Tasks/Claim' })).toBe(3);

    // Scrape-time counts from the database: statuses with no rows read 0.
    expect(after.value('maestro_tasks_by_status', { status: 'completed' })).toBe(1);
    expect(after.value('maestro_tasks_by_status', { status: 'in_progress' })).toBe(1);
    expect(after.value('maestro_tasks_by_status', { status: 'pending' })).toBe(1);
    expect(after.value('maestro_tasks_by_status', { status: 'cancelled' })).toBe(0);
    expect(after.value('maestro_sessions_by_status', { status: 'running' })).toBe(0);

    expect(delta('maestro_events_published_total', { type: 'task.created' })).toBe(3);
    expect(delta('maestro_events_published_total', {})).toBeGreaterThanOrEqual(6);
    expect(after.value('maestro_events_last_seq')).toBe(lastSeq);

    // Six commands committed, in one batch or more; every read is timed too.
    expect(delta('maestro_db_duration_seconds_count', { kind: 'command' })).toBeGreaterThanOrEqual(1);
    expect(delta('maestro_db_duration_seconds_sum', { kind: 'command' })).toBeGreaterThan(0);
    expect(delta('maestro_db_duration_seconds_count', { kind: 'read' })).toBeGreaterThanOrEqual(2);
  });

  it('counts open streams while they are open', async () => {
    const client = api.client('Events');
    const gauge = async () =>
      (await scrape(server)).value('maestro_grpc_active_streams', { method: 'maestro.v1.Events/Watch' });
    const before = await gauge();
    const stream = (
      client as unknown as Record<
        string,
        (req: object, md: grpc.Metadata) => grpc.ClientReadableStream<unknown>
      >
    ).watch!.call(client, { sinceSeq: 0 }, api.metadata());
    stream.on('error', () => undefined);
    await new Promise((resolve) => stream.once('data', resolve));
    expect(await gauge()).toBe(before + 1);
    stream.cancel();
    await becomes('the watcher gauge', gauge, before);
    const m = await scrape(server);
    expect(
      m.sum('maestro_grpc_requests_total', { method: 'maestro.v1.Events/Watch', code: 'CANCELLED' }),
    ).toBe(1);
    expect(m.sum('maestro_grpc_request_duration_seconds_count', { method: 'maestro.v1.Events/Watch' })).toBe(
      0,
    );
  });

  it('counts WebSocket clients, messages by type and outcome, and closes by code', async () => {
    const before = await scrape(server);
    const clients = async () => (await scrape(server)).value('maestro_ws_clients');
    const ws = await WsClient.connect(server);
    expect(await clients()).toBe(before.value('maestro_ws_clients') + 1);

    ws.send({ type: 'hello', token: server.token, clientId: 'metrics-test' });
    await ws.waitFor((m) => m.type === 'welcome');
    ws.send({ type: 'ping', id: 'p1' });
    ws.send({ type: 'command', id: 'c1', op: 'task.create', args: { projectId, title: 'from ws' } });
    ws.send({ type: 'command', id: 'c2', op: 'task.get', args: { id: 't_missing' } });
    ws.send({ type: 'command', id: 'c3', op: 'no.such.op', args: {} });
    ws.send('not json');
    expect((await ws.ack('c1')).ok).toBe(true);
    expect((await ws.ack('c2')).ok).toBe(false);
    expect((await ws.ack('c3')).ok).toBe(false);
    await ws.waitFor((m) => m.type === 'error');
    await ws.waitFor((m) => m.type === 'pong');

    const open = await scrape(server);
    const delta = (labels: Record<string, string>) =>
      open.sum('maestro_ws_messages_total', labels) - before.sum('maestro_ws_messages_total', labels);
    expect(delta({ type: 'hello', outcome: 'ok' })).toBe(1);
    expect(delta({ type: 'ping', outcome: 'ok' })).toBe(1);
    expect(delta({ type: 'command', outcome: 'ok' })).toBe(1);
    expect(delta({ type: 'command', outcome: 'error' })).toBe(2);
    expect(delta({ type: 'invalid', outcome: 'refused' })).toBe(1);
    expect(open.value('maestro_ws_connections_total') - before.value('maestro_ws_connections_total')).toBe(1);
    expect(open.value('maestro_tasks_by_status', { status: 'pending' })).toBe(
      before.value('maestro_tasks_by_status', { status: 'pending' }) + 1,
    );

    ws.ws.close(1000);
    await ws.closed;
    await becomes('maestro_ws_clients', clients, before.value('maestro_ws_clients'));
    const closed = (code: string, m: Exposition) => m.value('maestro_ws_connections_closed_total', { code });
    expect(closed('1000', await scrape(server)) - closed('1000', before)).toBe(1);

    // A client with a bad token is refused and closed with 4401.
    const bad = await WsClient.connect(server);
    bad.send({ type: 'hello', token: 'wrong', clientId: 'intruder' });
    expect(await bad.closed).toBe(4401);
    await becomes(
      'closes with 4401',
      async () => closed('4401', await scrape(server)),
      closed('4401', before) + 1,
    );
    expect(
      (await scrape(server)).sum('maestro_ws_messages_total', { type: 'hello', outcome: 'refused' }),
    ).toBe(before.sum('maestro_ws_messages_total', { type: 'hello', outcome: 'refused' }) + 1);
  });

  it('keeps each server in a registry of its own', async () => {
    const other = tempHome();
    const second = await startTestServer(other.home, { runner: 'off' });
    try {
      await api.call('Tasks', 'create', { projectId, title: 'only on the first server' });
      const created = { method: 'maestro.v1.Tasks/Create' };
      expect((await scrape(server)).sum('maestro_grpc_requests_total', created)).toBeGreaterThan(0);
      expect((await scrape(second)).sum('maestro_grpc_requests_total', created)).toBe(0);
      expect((await scrape(second)).value('maestro_tasks_by_status', { status: 'pending' })).toBe(0);
    } finally {
      await second.close();
      other.cleanup();
    }
  });
});

describe('request ids on gRPC calls', () => {
  const home = tempHome();
  let server: RunningServer;
  let api: TestClient;

  beforeAll(async () => {
    server = await startTestServer(home.home, { runner: 'off' });
    api = TestClient.for(server);
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  /** Makes a raw unary call and returns the response headers, the trailers and the error, if any. */
  function rawCall(method: string, request: object, requestId?: string) {
    const client = api.client('Tasks') as unknown as Record<
      string,
      (req: object, md: grpc.Metadata, cb: (e: grpc.ServiceError | null) => void) => grpc.ClientUnaryCall
    >;
    const md = api.metadata();
    if (requestId !== undefined) md.set('x-request-id', requestId);
    return new Promise<{ headers?: grpc.Metadata; trailers: grpc.Metadata; error: grpc.ServiceError | null }>(
      (resolve) => {
        let headers: grpc.Metadata | undefined;
        let error: grpc.ServiceError | null = null;
        const call = client[method]!.call(client, request, md, (e) => (error = e));
        call.on('metadata', (m: grpc.Metadata) => (headers = m));
        call.on('status', (s: grpc.StatusObject) =>
          setImmediate(() => resolve({ headers, trailers: s.metadata, error })),
        );
      },
    );
  }

  it("echoes the client's x-request-id in the response headers", async () => {
    const { headers, error } = await rawCall('list', {}, 'req-from-client-1');
    expect(error).toBeNull();
    expect(headers?.get('x-request-id')).toEqual(['req-from-client-1']);
  });

  it('makes one up when the client sent none, or one that is not sane', async () => {
    const none = await rawCall('list', {});
    const bad = await rawCall('list', {}, 'x'.repeat(500));
    for (const { headers } of [none, bad]) {
      expect(String(headers?.get('x-request-id')[0])).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(none.headers?.get('x-request-id')).not.toEqual(bad.headers?.get('x-request-id'));
  });

  it('returns it in the trailers of a failed call', async () => {
    const { trailers, error } = await rawCall('get', { id: 't_missing' }, 'req-failing-2');
    expect(error?.code).toBe(grpc.status.NOT_FOUND);
    expect(trailers.get('x-request-id')).toEqual(['req-failing-2']);
    expect(error?.metadata.get('x-request-id')).toEqual(['req-failing-2']);
  });
});
