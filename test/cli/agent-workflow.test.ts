import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { cliData, cliEnv, runCli } from '../support/cli.js';
import { startTestServer, tempHome } from '../support/server.js';

interface Task {
  id: string;
  status: string;
  dependsOn: string[];
  claim: { holder: string } | null;
  blockedReason: string;
  subtasksTotal: number;
  subtasksCompleted: number;
}

describe('an agent drives a task through the built CLI', () => {
  const home = tempHome();
  let server: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer(home.home);
    env = cliEnv(server, home.home, { MAESTRO_ACTOR: 'worker-1' });
  });
  afterAll(async () => {
    await server.close();
    home.cleanup();
  });

  it('create, claim, start, report, block, unblock, subtasks, complete; the dependent becomes ready', async () => {
    const cwd = home.home;
    const api = await cliData<Task>(
      ['task', 'create', 'Build', 'the', 'API', '--priority', 'high', '--desc', 'REST endpoints'],
      env,
      cwd,
    );
    const ui = await cliData<Task>(['task', 'create', 'Build the UI', '--depends-on', api.id], env, cwd);
    expect(ui).toMatchObject({ status: 'pending', dependsOn: [api.id] });
    const s1 = await cliData<{ id: string }>(['subtask', 'create', api.id, 'Routes'], env, cwd);
    const s2 = await cliData<{ id: string }>(['subtask', 'create', api.id, 'Tests'], env, cwd);

    const ready = await cliData<Task[]>(['task', 'ready'], env, cwd);
    expect(ready.map((t) => t.id)).toEqual([api.id]);

    const claimed = await cliData<{ claimed: boolean; task: Task }>(['task', 'claim', '--next'], env, cwd);
    expect(claimed).toMatchObject({
      claimed: true,
      task: { id: api.id, status: 'in_progress', claim: { holder: 'worker-1' } },
    });
    const started = await cliData<Task>(['task', 'start', api.id], env, cwd);
    expect(started.status).toBe('in_progress');

    const early = await runCli(['task', 'start', ui.id, '--json'], env, cwd);
    expect(early.code).toBe(4);
    expect(early.json.error).toMatchObject({
      code: 'dependencies_not_met',
      details: { blocking: [{ taskId: api.id, status: 'in_progress' }] },
    });

    // Inside a session the task id is optional: the session's task is used.
    const sessionEnv = { ...env, MAESTRO_TASK_IDS: api.id };
    await cliData(['report', 'progress', 'Routes', 'drafted'], sessionEnv, cwd);
    const blocked = await cliData<Task>(['task', 'block', '--reason', 'Need the auth spec'], sessionEnv, cwd);
    expect(blocked).toMatchObject({ status: 'blocked', blockedReason: 'Need the auth spec' });
    const unblocked = await cliData<Task>(['task', 'unblock', api.id], env, cwd);
    expect(unblocked).toMatchObject({
      status: 'in_progress',
      blockedReason: '',
      claim: { holder: 'worker-1' },
    });

    await cliData(['subtask', 'complete', api.id, s1.id], env, cwd);
    await cliData(['subtask', 'complete', api.id, s2.id], env, cwd);
    await cliData(['report', 'complete', 'All', 'endpoints', 'pass', 'tests'], sessionEnv, cwd);
    const done = await cliData<Task>(['task', 'complete'], sessionEnv, cwd);
    expect(done).toMatchObject({ status: 'completed', claim: null, subtasksTotal: 2, subtasksCompleted: 2 });

    const nowReady = await cliData<Task[]>(['task', 'ready'], env, cwd);
    expect(nowReady.map((t) => t.id)).toEqual([ui.id]);
    const detail = await cliData<{ timeline: { kind: string; message: string }[]; blockedBy: unknown[] }>(
      ['task', 'get', ui.id],
      env,
      cwd,
    );
    expect(detail.blockedBy).toEqual([]);
    const apiDetail = await cliData<{ timeline: { kind: string; message: string }[] }>(
      ['task', 'get', api.id],
      env,
      cwd,
    );
    expect(apiDetail.timeline.map((t) => t.kind)).toEqual(
      expect.arrayContaining(['created', 'subtask', 'status', 'progress', 'complete']),
    );
    const who = await cliData<{ actor: string; taskIds: string[] }>(['whoami'], sessionEnv, cwd);
    expect(who).toMatchObject({ actor: 'worker-1', taskIds: [api.id] });
  });

  it('a retry after the reply was lost applies the mutation once', async () => {
    const upstream = `127.0.0.1:${server.grpc.port}`;
    let armed = true;
    const sockets = new Set<Socket>();
    const proxy: Server = createServer((client) => {
      const backend = connect(server.grpc.port, '127.0.0.1');
      sockets.add(client).add(backend);
      client.pipe(backend);
      backend.pipe(client);
      const close = () => {
        client.destroy();
        backend.destroy();
      };
      client.on('error', close);
      backend.on('error', close);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as { port: number }).port;
    // The moment the server commits the create, cut every proxied connection: the reply is lost.
    // (publish runs right after COMMIT and before the reply is sent.)
    const bus = server.services.bus;
    const publish = bus.publish.bind(bus);
    bus.publish = (events) => {
      if (
        armed &&
        events.some(
          (e) => e.type === 'task.created' && (e.data.task as { title: string }).title === 'Exactly once',
        )
      ) {
        armed = false;
        for (const s of sockets) s.destroy();
      }
      publish(events);
    };
    const unsubscribe = () => {
      bus.publish = publish;
    };
    try {
      const proxied = { ...env, MAESTRO_SERVER: `127.0.0.1:${port}`, MAESTRO_RETRY_BASE_MS: '20' };
      const before = await cliData<Task[]>(['task', 'list'], env, home.home);
      const result = await runCli(['task', 'create', 'Exactly once', '--json'], proxied, home.home);
      expect(armed).toBe(false); // the connection really was cut after the commit
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const after = await cliData<(Task & { title: string })[]>(['task', 'list'], env, home.home);
      expect(after.length).toBe(before.length + 1);
      expect(after.filter((t) => t.title === 'Exactly once')).toHaveLength(1);
      expect((result.json.data as { id: string }).id).toBe(after.find((t) => t.title === 'Exactly once')!.id);
    } finally {
      unsubscribe();
      proxy.close();
      for (const s of sockets) s.destroy();
      void upstream;
    }
  });

  it('an unreachable server gives server_unavailable and exit 5 after the retries', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const result = await runCli(
      ['task', 'list', '--json'],
      { ...env, MAESTRO_SERVER: `127.0.0.1:${port}`, MAESTRO_RETRIES: '3', MAESTRO_RETRY_BASE_MS: '10' },
      home.home,
    );
    expect(result.code).toBe(5);
    expect(result.json).toMatchObject({
      ok: false,
      error: { code: 'server_unavailable', hint: expect.stringContaining('maestro server start') },
    });
  });
});
