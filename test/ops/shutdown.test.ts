import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import WebSocket, { WebSocketServer } from 'ws';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../cli/sqlite-file.js';
import type { AckMessage, ServerMessage } from '../../src/gateway/ws/protocol.js';
import { MaestroWsClient } from '../../src/client/ws-client.js';
import { serverProcesses, type ServerProcess } from '../support/process.js';
import { ROOT } from '../support/cli.js';
import { TestClient, startTestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const processes = serverProcesses('maestro-shutdown-');
const { newHome } = processes;

const { start } = processes;

/** A WebSocket client past hello/welcome, keeping every message and how the connection closed. */
async function wsClient(server: ServerProcess) {
  const ws = new WebSocket(`ws://${server.http}/ws`);
  const messages: ServerMessage[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  /** When each message arrived. */
  const arrived = new Map<ServerMessage, number>();
  ws.on('message', (data: WebSocket.RawData) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    messages.push(message);
    arrived.set(message, Date.now());
  });
  ws.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', token: server.token, clientId: 'shutdown-test' }));
  await waitFor('welcome', () => messages.some((m) => m.type === 'welcome'), { intervalMs: 5 });
  return { ws, messages, arrived, closed };
}

/**
 * A peer that upgrades and then stops reading, so it never answers the close handshake: the drain
 * has to wait for it (up to its grace), which holds the shutdown open long enough to look at it.
 */
async function silentPeer(server: ServerProcess): Promise<WebSocket> {
  const ws = new WebSocket(`ws://${server.http}/ws`);
  ws.on('error', () => undefined);
  await new Promise((resolve) => ws.once('open', resolve));
  (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  return ws;
}

type Probe = 200 | 503 | 'refused' | number;
async function readyz(server: ServerProcess): Promise<Probe> {
  try {
    const res = await fetch(`http://${server.http}/readyz`);
    return res.status as Probe;
  } catch {
    return 'refused';
  }
}

/** How a new WebSocket connection fares: 'open', an HTTP status, or 'refused'. */
function tryUpgrade(server: ServerProcess): Promise<'open' | 'refused' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${server.http}/ws`);
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve('refused'));
  });
}

describe('the command runner waits in turns of the event loop', () => {
  // Regression: idle() looped in microtasks while a batch was pending (queued for the next turn of
  // the loop, which therefore never came), so neither the shutdown timeout nor a second SIGTERM ran:
  // the process kept its port at 100% CPU.
  it('idle() with a batch pending resolves once the batch ran, in a process of its own', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/idle-with-pending-batch.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let code: number | null | undefined;
    child.once('close', (c) => (code = c));
    try {
      await waitFor('the process to end', () => code !== undefined, { timeoutMs: 20_000 });
    } finally {
      if (code === undefined) child.kill('SIGKILL');
    }
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ idle: true, command: 'ran' });
  });
});

describe('maestro server start: SIGTERM drains and exits 0', () => {
  it('readiness and health go down at once, in-flight creates finish and are kept, WS gets 1001, Watch ends cleanly', async () => {
    const home = newHome();
    const server = await start(home);
    const api = new TestClient(server.grpc, server.token);
    const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home });

    const client = await wsClient(server);
    const silent = await silentPeer(server);

    const events = api.client('Events') as unknown as {
      watch(req: object, md: grpc.Metadata): grpc.ClientReadableStream<unknown>;
    };
    const watch = events.watch({ sinceSeq: 0 }, api.metadata());
    watch.on('data', () => undefined);
    const watchStatus = new Promise<number>((resolve) => {
      watch.on('status', (s: grpc.StatusObject) => resolve(s.code));
      watch.on('error', (e: grpc.ServiceError) => resolve(e.code));
    });
    const health = api.client('Health') as unknown as {
      watch(req: object, md: grpc.Metadata): grpc.ClientReadableStream<{ status: string }>;
    };
    const healthStream = health.watch({ service: '' }, api.metadata());
    const healthSeen: string[] = [];
    healthStream.on('data', (r: { status: string }) => healthSeen.push(r.status));
    healthStream.on('error', () => undefined);
    const healthEnded = new Promise<void>((resolve) => healthStream.on('close', () => resolve()));

    // Eight gRPC writers and one WebSocket writer keep commands in flight across the signal.
    const acknowledged: string[] = [];
    let signalledAt = 0;
    let ackedAfterSignal = 0;
    let stop = false;
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; !stop; i++) {
          try {
            const task = await api.call<{ id: string }>('Tasks', 'create', {
              projectId: project.id,
              title: `grpc ${w}-${i}`,
            });
            acknowledged.push(task.id);
            if (signalledAt) ackedAfterSignal++;
          } catch {
            return; // refused or cut off: never acknowledged
          }
        }
      })(),
    );
    // It keeps four commands in flight, so some are running when the signal comes.
    let wsSent = 0;
    const wsAcks = () => client.messages.filter((m) => m.type === 'ack').length;
    const wsWriter = (async () => {
      while (!stop && client.ws.readyState === WebSocket.OPEN) {
        client.ws.send(
          JSON.stringify({
            type: 'command',
            id: `c${wsSent++}`,
            op: 'task.create',
            args: { projectId: project.id, title: `ws ${wsSent}` },
          }),
        );
        await waitFor(
          'room for another WebSocket command',
          () => stop || client.ws.readyState !== WebSocket.OPEN || wsSent - wsAcks() < 4,
          { intervalMs: 2, timeoutMs: 20_000 },
        );
      }
    })();

    await waitFor('200 acknowledged creates', () => acknowledged.length >= 200, { intervalMs: 5 });
    expect(await readyz(server)).toBe(200);
    signalledAt = Date.now();
    server.child.kill('SIGTERM');

    // Readiness flips to 503 while the drain runs (the silent peer holds it open), new WebSocket
    // connections are refused, and once the server has closed its listener, nothing answers.
    const seen: Probe[] = [];
    const upgrades: ('open' | 'refused' | number)[] = [];
    await waitFor(
      'the HTTP listener to close',
      async () => {
        const probe = await readyz(server);
        if (probe === 'refused') return true;
        seen.push(probe);
        if (probe === 503 && upgrades.length === 0) upgrades.push(await tryUpgrade(server));
        return false;
      },
      { timeoutMs: 20_000 },
    );
    stop = true;
    await Promise.all([...writers, wsWriter]);
    // 0: the drain finished within shutdownTimeoutSeconds (past it, the exit code is 1).
    const code = await server.exited;
    expect(code, server.stderr()).toBe(0);

    expect(seen.filter((p) => p !== 200 && p !== 503)).toEqual([]);
    expect(seen).toContain(503);
    expect(seen.slice(seen.indexOf(503))).not.toContain(200);
    expect(upgrades).toEqual([503]);
    expect(healthSeen[0]).toBe('SERVING');
    expect(healthSeen).toContain('NOT_SERVING');
    await healthEnded;
    expect([0, 14]).toContain(await watchStatus); // OK or UNAVAILABLE, never a crash

    const wsClosed = await client.closed;
    expect(wsClosed).toEqual({ code: 1001, reason: 'server shutting down' });
    const acks = client.messages.filter((m): m is AckMessage => m.type === 'ack');
    expect(acks.length).toBeGreaterThan(0);
    // Every ack is a success or the drain's refusal; successes count as acknowledged.
    expect(acks.filter((a) => !a.ok && a.error?.code !== 'server_unavailable')).toEqual([]);
    for (const ack of acks) if (ack.ok) acknowledged.push((ack.data as { id: string }).id);
    silent.terminate();
    api.close();

    // The server closed the database; open the file and look for every acknowledged task.
    const db = openSqlite(`${home}/maestro.db`, { fileMustExist: true });
    const ids = new Set(
      (db.prepare('select id from tasks').all() as { id: number }[]).map((r) => `t_${r.id}`),
    );
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
    // Commands in flight when the signal came were finished, not dropped.
    const wsAckedAfterSignal = acks.filter((a) => a.ok && client.arrived.get(a)! >= signalledAt).length;
    expect(ackedAfterSignal + wsAckedAfterSignal).toBeGreaterThan(0);

    const logs = server.logs().map((l) => l.msg);
    expect(logs).toContain('signal received: draining');
    expect(logs).toContain('server stopped');
  });

  it('a drain longer than shutdownTimeoutSeconds is cut off: exit 1 and an error log', async () => {
    const home = newHome();
    const server = await start(home, { MAESTRO_SHUTDOWN_TIMEOUT_SECONDS: '1' });
    // A WebSocket peer that never answers the close handshake keeps the drain from finishing.
    const silent = await silentPeer(server);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(server.logs().find((l) => l.level === 'error')).toMatchObject({
      msg: 'shutdown timed out: cutting off what is left',
    });
    silent.terminate();
  });

  it('a second signal exits at once, with 128 + the signal number', async () => {
    const home = newHome();
    const server = await start(home, { MAESTRO_SHUTDOWN_TIMEOUT_SECONDS: '60' });
    const silent = await silentPeer(server);
    server.child.kill('SIGINT');
    await waitFor('the drain to start', () =>
      server.logs().some((l) => l.msg === 'signal received: draining'),
    );
    server.child.kill('SIGTERM');
    // 143, not 0 or 1: the second signal ended it, not the drain nor its 60 s bound.
    expect(await server.exited).toBe(128 + 15);
    expect(server.logs().map((l) => l.msg)).toContain('second signal: exiting without finishing the drain');
    silent.terminate();
  });

  it('a WebSocket command sent as the drain starts is not lost: it runs once, on the restarted server', async () => {
    const home = newHome();
    const first = await startTestServer(home);
    const port = first.http.port;
    const client = new MaestroWsClient({
      url: `ws://127.0.0.1:${port}/ws`,
      token: first.token,
      WebSocket,
      clientId: 'web',
      minReconnectDelayMs: 50,
      maxReconnectDelayMs: 200,
    });
    await new Promise<void>((resolve) => client.onWelcome(() => resolve()));
    const project = await client.command<{ id: string }>('project.resolve', { workingDir: home });

    const closing = first.close(); // the drain starts now: new commands are refused
    const created = client.command<{ id: string }>('task.create', {
      projectId: project.id,
      title: 'sent while draining',
    });
    expect(await closing).toEqual({ forced: false });
    const second = await startTestServer(home, { httpAddr: `127.0.0.1:${port}` });
    const task = await created;
    const api = TestClient.for(second);
    const { tasks } = await api.call<{ tasks: { id: string; title: string }[] }>('Tasks', 'list', {
      projectId: project.id,
    });
    expect(tasks).toEqual([expect.objectContaining({ id: task.id, title: 'sent while draining' })]);
    client.close();
    api.close();
    await second.close();
  });

  it('the client library keeps a command refused with server_unavailable and sends it again, same id, after the next welcome', async () => {
    // A stand-in server: the first connection refuses the command as a draining server does, then
    // goes away with 1001; the second one runs it.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    const received: { connection: number; id: string }[] = [];
    let connections = 0;
    wss.on('connection', (ws) => {
      const connection = ++connections;
      ws.on('message', (raw: WebSocket.RawData) => {
        const m = JSON.parse(String(raw)) as { type: string; id: string; clientId: string };
        const send = (message: object) => ws.send(JSON.stringify(message));
        if (m.type === 'hello') {
          send({ type: 'welcome', serverTime: new Date().toISOString(), seq: 0, clientId: m.clientId });
        }
        if (m.type !== 'command') return;
        received.push({ connection, id: m.id });
        if (connection === 1) {
          send({
            type: 'ack',
            id: m.id,
            ok: false,
            error: { code: 'server_unavailable', message: 'The server is shutting down.' },
          });
          ws.close(1001, 'server shutting down');
        } else send({ type: 'ack', id: m.id, ok: true, data: { id: 't_1' } });
      });
    });
    const client = new MaestroWsClient({
      url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`,
      token: 't',
      WebSocket,
      minReconnectDelayMs: 50,
      maxReconnectDelayMs: 100,
    });
    try {
      await expect(client.command('task.create', { projectId: 'p_1', title: 'x' })).resolves.toEqual({
        id: 't_1',
      });
      expect(received.map((r) => r.connection)).toEqual([1, 2]);
      expect(received[1]!.id).toBe(received[0]!.id);
    } finally {
      client.close();
      wss.close();
    }
  });
});
