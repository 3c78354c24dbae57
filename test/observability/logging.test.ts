import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from '../../src/gateway/logger.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/gateway/server.js';
import { TestClient, failure, startTestServer, tempHome, testSettings } from '../support/server.js';
import { waitFor } from '../support/wait.js';

type Line = Record<string, unknown> & { level: string; msg: string };

/** A server whose log lines are collected in memory. */
async function loggedServer(
  home: string,
  level: LogLevel,
  options: StartOptions = {},
): Promise<{ server: RunningServer; lines: Line[] }> {
  const lines: Line[] = [];
  const log = createLogger(level, { stream: { write: (s) => void lines.push(JSON.parse(s) as Line) } });
  const server = await startTestServer(home, { runner: 'off' }, { log, ...options });
  return { server, lines };
}

function waitForLine(lines: Line[], predicate: (l: Line) => boolean, timeoutMs = 5000): Promise<Line> {
  return waitFor('a log line', () => lines.find(predicate), { timeoutMs }).catch((error: Error) => {
    throw new Error(
      `${error.message}; no such log line in:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`,
    );
  });
}

describe('server logs at debug', () => {
  const home = tempHome();
  let server: RunningServer;
  let lines: Line[];
  let api: TestClient;

  beforeAll(async () => {
    ({ server, lines } = await loggedServer(home.home, 'debug'));
    api = TestClient.for(server);
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  it('logs every gRPC call with method, code, duration and the request id the client sent', async () => {
    const md = api.metadata();
    md.set('x-request-id', 'req-log-ok');
    const client = api.client('Tasks') as unknown as Record<
      string,
      (req: object, md: unknown, cb: (e: unknown) => void) => void
    >;
    await new Promise<void>((resolve, reject) =>
      client.list!.call(client, {}, md, (e) => (e ? reject(e as Error) : resolve())),
    );
    const line = await waitForLine(lines, (l) => l.requestId === 'req-log-ok');
    expect(line).toMatchObject({
      level: 'debug',
      msg: 'grpc call',
      method: 'maestro.v1.Tasks/List',
      code: 'OK',
    });
    expect(line.durationMs).toEqual(expect.any(Number));
  });

  it('logs a failed call at warn with its gRPC status and Maestro error code', async () => {
    await failure(api.call('Tasks', 'get', { id: 't_missing' }));
    const line = await waitForLine(lines, (l) => l.method === 'maestro.v1.Tasks/Get');
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'grpc call failed',
      code: 'NOT_FOUND',
      errorCode: 'task_not_found',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('gives a WebSocket connection its request id and each command `<connection>/<command id>`', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.http.port}/ws`, {
      headers: { 'x-request-id': 'conn-7' },
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const acks: string[] = [];
    ws.on('message', (data: WebSocket.RawData) => {
      const m = JSON.parse(String(data)) as { type: string; id?: string };
      if (m.type === 'ack') acks.push(m.id!);
    });
    ws.send(JSON.stringify({ type: 'hello', token: server.token, clientId: 'logger-test' }));
    ws.send(JSON.stringify({ type: 'command', id: 'c1', op: 'project.list', args: {} }));
    ws.send(JSON.stringify({ type: 'command', id: 'c2', op: 'task.get', args: { id: 't_missing' } }));
    await waitFor('both acks', () => acks.length >= 2);
    ws.close(1000);

    expect(await waitForLine(lines, (l) => l.msg === 'ws connected')).toMatchObject({
      connectionId: 'conn-7',
    });
    expect(await waitForLine(lines, (l) => l.msg === 'ws hello')).toMatchObject({
      connectionId: 'conn-7',
      clientId: 'logger-test',
    });
    expect(await waitForLine(lines, (l) => l.requestId === 'conn-7/c1')).toMatchObject({
      level: 'debug',
      msg: 'ws command',
      op: 'project.list',
      connectionId: 'conn-7',
    });
    expect(await waitForLine(lines, (l) => l.requestId === 'conn-7/c2')).toMatchObject({
      level: 'warn',
      msg: 'ws command failed',
      op: 'task.get',
      errorCode: 'task_not_found',
    });
    expect(await waitForLine(lines, (l) => l.msg === 'ws closed')).toMatchObject({
      level: 'debug',
      connectionId: 'conn-7',
      code: 1000,
    });
  });
});

describe('server log levels', () => {
  it('at info, calls are not logged but failures are; slow calls are logged at warn', async () => {
    const home = tempHome();
    const { server, lines } = await loggedServer(home.home, 'info', { slowCallMs: 0 });
    const api = TestClient.for(server);
    try {
      await api.call('Projects', 'list');
      await failure(api.call('Tasks', 'get', { id: 't_missing' }));
      await waitForLine(lines, (l) => l.msg === 'grpc call failed');
      expect(lines.filter((l) => l.level === 'debug')).toEqual([]);
      expect(lines.find((l) => l.method === 'maestro.v1.Projects/List')).toMatchObject({
        level: 'warn',
        msg: 'grpc call slow',
        code: 'OK',
      });
    } finally {
      api.close();
      await server.close();
      home.cleanup();
    }
  });
});

describe('logFile', () => {
  it('writes JSON lines to the file named by the setting, all of them flushed when the server stops', async () => {
    const home = tempHome();
    const file = join(home.home, 'logs', 'server.log');
    const server = await startServer(
      testSettings(home.home, { logFile: file, logLevel: 'debug', runner: 'off' }),
    );
    const api = TestClient.for(server);
    try {
      for (let i = 0; i < 50; i++) await api.call('Projects', 'list');
    } finally {
      api.close();
      await server.close();
    }
    // The server made this logger, so stopping it releases the file (sonic-boom closes it a moment later).
    if (process.platform === 'linux') {
      const open = () =>
        readdirSync('/proc/self/fd').some((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`) === file;
          } catch {
            return false;
          }
        });
      await waitFor('the log file to be closed', () => !open(), { timeoutMs: 1000 });
    }
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    home.cleanup();
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'server started' });
    expect(lines.filter((l) => l.method === 'maestro.v1.Projects/List')).toHaveLength(50);
    expect(lines[lines.length - 1]).toMatchObject({ level: 'info', msg: 'server stopped' });
  });
});
