import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { MaestroWsClient } from '../../src/client/ws-client.js';
import { createTestDatabase, onPostgres } from '../support/postgres.js';
import { TestClient, failure, startTestServer, tempHome, type GrpcFailure } from '../support/server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';
import { watch } from '../support/watch.js';

const TOKEN = 'replica-test-token-of-at-least-32-characters';

/** Every event a WebSocket client of the web UI's library receives. */
function wsWatcher(server: RunningServer) {
  const seqs: number[] = [];
  const entities: string[] = [];
  const client = new MaestroWsClient({
    url: `ws://127.0.0.1:${server.http.port}/ws`,
    token: server.token,
    WebSocket: WebSocket as never,
    clientId: `replica-${server.http.port}`,
  });
  client.onEvent((e) => {
    seqs.push(e.seq);
    entities.push(e.entityId);
  });
  return { seqs, entities, close: () => client.close() };
}

describe.runIf(onPostgres)('two servers on one PostgreSQL database', () => {
  const homeA = tempHome();
  const homeB = tempHome();
  let a: RunningServer;
  let b: RunningServer;
  let apiA: TestClient;
  let apiB: TestClient;
  let projectId: string;

  beforeAll(async () => {
    const dbUrl = await createTestDatabase();
    a = await startTestServer(homeA.home, { dbUrl, token: TOKEN, runner: 'off' });
    b = await startTestServer(homeB.home, { dbUrl, token: TOKEN, runner: 'off' });
    apiA = TestClient.for(a);
    apiB = TestClient.for(b);
    projectId = (await apiA.call<{ id: string }>('Projects', 'resolve', { workingDir: homeA.home })).id;
  });
  afterAll(async () => {
    apiA.close();
    apiB.close();
    await Promise.all([a.close(), b.close()]);
    homeA.cleanup();
    homeB.cleanup();
  });

  it('a change made through one server reaches the gRPC and WebSocket watchers of the other', async () => {
    const grpcOnB = watch(apiB, 0);
    const wsOnB = wsWatcher(b);
    try {
      const task = await apiA.call<{ id: string }>('Tasks', 'create', { projectId, title: 'Made on A' });
      await grpcOnB.until((events) =>
        events.some((e) => e.entityId === task.id && e.type === 'task.created'),
      );
      await waitFor('the WebSocket client on B to see the task', () => wsOnB.entities.includes(task.id), {
        timeoutMs: 15_000,
        intervalMs: 50,
      });
      // B serves the row A wrote, and the reverse.
      expect((await apiB.call<{ task: { title: string } }>('Tasks', 'get', { id: task.id })).task.title).toBe(
        'Made on A',
      );
      await apiB.call('Tasks', 'update', { id: task.id, title: 'Renamed on B' });
      expect((await apiA.call<{ task: { title: string } }>('Tasks', 'get', { id: task.id })).task.title).toBe(
        'Renamed on B',
      );
    } finally {
      grpcOnB.cancel();
      wsOnB.close();
    }
  });

  it('claims stay exclusive: 40 agents split across both servers, one winner', async () => {
    const task = await apiA.call<{ id: string }>('Tasks', 'create', { projectId, title: 'Contended' });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? apiA : apiB).call('Tasks', 'claim', { id: task.id }, { actor: `agent-${i}` }),
      ),
    );
    const winners = results.filter(
      (r): r is PromiseFulfilledResult<{ task: { claim: { holder: string } } }> => r.status === 'fulfilled',
    );
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(new Set(losers.map((l) => (l.reason as GrpcFailure).body.code))).toEqual(
      new Set(['task_already_claimed']),
    );
    const holder = winners[0]!.value.task.claim.holder;
    for (const api of [apiA, apiB]) {
      const { task: seen } = await api.call<{ task: { claim: { holder: string } } }>('Tasks', 'get', {
        id: task.id,
      });
      expect(seen.claim.holder).toBe(holder);
    }
  });

  it('seq stays monotonic and gap-free: watchers on both servers see the same sequence', async () => {
    const { lastSeq } = await apiA.call<{ lastSeq: number }>('Server', 'whoAmI', {});
    const onA = watch(apiA, lastSeq);
    const onB = watch(apiB, lastSeq);
    const wsOnA = wsWatcher(a);
    try {
      const created = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 ? apiA : apiB).call<{ id: string }>('Tasks', 'create', { projectId, title: `Burst ${i}` }),
        ),
      );
      const ids = new Set(created.map((t) => t.id));
      const sawAll = (events: { entityId: string; type: string }[]) =>
        [...ids].every((id) => events.some((e) => e.entityId === id && e.type === 'task.created'));
      await onA.until(sawAll);
      await onB.until(sawAll);
      const seqsA = onA.events.map((e) => Number(e.seq));
      const seqsB = onB.events.map((e) => Number(e.seq));
      expect(seqsA[0]).toBe(lastSeq + 1);
      expect(seqsA).toEqual(seqsA.map((_, i) => lastSeq + 1 + i));
      expect(seqsB.slice(0, seqsA.length)).toEqual(seqsA);
      await waitFor('the WebSocket client on A to catch up', () => wsOnA.seqs.at(-1)! >= seqsA.at(-1)!, {
        timeoutMs: 15_000,
        intervalMs: 50,
      });
      const fresh = wsOnA.seqs.filter((s) => s > lastSeq);
      expect(fresh.slice(0, seqsA.length)).toEqual(seqsA);
    } finally {
      onA.cancel();
      onB.cancel();
      wsOnA.close();
    }
  });
});

describe.runIf(onPostgres)('a server whose PostgreSQL goes away', () => {
  const home = tempHome();
  let proxy: TcpProxy;
  let server: RunningServer;
  let api: TestClient;

  beforeAll(async () => {
    const direct = new URL(await createTestDatabase());
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    direct.hostname = '127.0.0.1';
    direct.port = String(proxy.port);
    server = await startTestServer(
      home.home,
      { dbUrl: direct.toString(), runner: 'off' },
      { sweepIntervalMs: 100 },
    );
    api = TestClient.for(server);
  });
  afterAll(async () => {
    api.close();
    proxy.restore();
    await server.close();
    await proxy.close();
    home.cleanup();
  });

  const ready = async () => (await fetch(`http://127.0.0.1:${server.http.port}/readyz`)).status === 200;
  const health = async () => (await api.call<{ status: string }>('Health', 'check', { service: '' })).status;

  it('reports not ready and NOT_SERVING, refuses commands as server_unavailable, then recovers', async () => {
    const projectId = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;
    expect(await ready()).toBe(true);
    expect(await health()).toBe('SERVING');

    proxy.cut();
    await waitFor('/readyz to fail', async () => !(await ready()), { timeoutMs: 15_000, intervalMs: 50 });
    await waitFor('gRPC health to say NOT_SERVING', async () => (await health()) === 'NOT_SERVING', {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    const refused = await failure(api.call('Tasks', 'create', { projectId, title: 'While down' }));
    expect(refused.code).toBe('server_unavailable');

    proxy.restore();
    await waitFor('/readyz to pass again', ready, { timeoutMs: 15_000, intervalMs: 50 });
    await waitFor('gRPC health to say SERVING', async () => (await health()) === 'SERVING', {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    const task = await api.call<{ id: string }>('Tasks', 'create', { projectId, title: 'After' });
    const { tasks } = await api.call<{ tasks: { title: string }[] }>('Tasks', 'list', { projectId });
    expect(tasks.map((t) => t.title)).toContain('After');
    expect(tasks.map((t) => t.title)).not.toContain('While down');
    expect(task.id).toMatch(/^t_/);
  });
});
