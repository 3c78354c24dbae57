import { killTmuxServers } from '../support/process.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/config.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { ROOT, cliData, cliEnv, runCli } from '../support/cli.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const FAKE_AGENT = join(ROOT, 'test/support/fake-agent.mjs');

interface Session {
  id: string;
  status: string;
  pid: number;
  failureReason: string;
  queuePosition?: number;
}

const homes: { cleanup(): void }[] = [];
const servers: RunningServer[] = [];
const sockets: string[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  killTmuxServers(sockets.splice(0));
  for (const h of homes.splice(0)) h.cleanup();
});

/** A server whose agent command is the scripted fake agent, with its own tmux server. */
async function agentServer(overrides: Partial<Settings> = {}, home = tempHome()) {
  homes.push(home);
  const modes = join(home.home, 'modes');
  mkdirSync(modes, { recursive: true });
  const socket = `maestro-test-${process.pid}-${homes.length}`;
  sockets.push(socket);
  const server = await startTestServer(
    home.home,
    {
      agentCommand: `${process.execPath} ${FAKE_AGENT} {promptFile} ${modes}`,
      runner: 'tmux',
      tmuxSocket: socket,
      sessionStaleSeconds: 2,
      sessionLostSeconds: 4,
      ...overrides,
    },
    { sweepIntervalMs: 200 },
  );
  servers.push(server);
  const env = cliEnv(server, home.home, { MAESTRO_ACTOR: 'orchestrator', MAESTRO_TMUX_SOCKET: socket });
  return {
    server,
    home: home.home,
    env,
    socket,
    mode: (taskId: string, mode: string) => writeFileSync(join(modes, taskId), mode),
  };
}

/** How long to wait for what a spawned agent does: it runs the real CLI several times. */
const AGENT_WAIT = { timeoutMs: 20_000, intervalMs: 100 };

describe('spawning worker agents', () => {
  it('a scripted orchestrator completes a dependency graph through spawned workers', async () => {
    const { env, home } = await agentServer();
    const a = await cliData<{ id: string }>(['task', 'create', 'Task A'], env, home);
    const b = await cliData<{ id: string }>(['task', 'create', 'Task B'], env, home);
    const c = await cliData<{ id: string }>(
      ['task', 'create', 'Task C', '--depends-on', `${a.id},${b.id}`],
      env,
      home,
    );
    await cliData(['subtask', 'create', a.id, 'Part one of A'], env, home);
    await cliData(['subtask', 'create', c.id, 'Part one of C'], env, home);

    const spawned = new Map<string, string>();
    const spawnReady = async () => {
      for (const task of await cliData<{ id: string }[]>(['task', 'ready'], env, home)) {
        if (spawned.has(task.id)) continue;
        const session = await cliData<Session>(['session', 'spawn', '--task', task.id], env, home);
        expect(session.status).not.toBe('failed');
        spawned.set(task.id, session.id);
      }
    };
    await spawnReady();
    expect([...spawned.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(spawned.has(c.id)).toBe(false);
    await waitFor(
      'C to be spawned after A and B complete',
      async () => {
        await spawnReady();
        return spawned.has(c.id);
      },
      AGENT_WAIT,
    );
    await waitFor(
      'C to complete',
      async () => {
        const detail = await cliData<{ task: { status: string } }>(['task', 'get', c.id], env, home);
        return detail.task.status === 'completed';
      },
      AGENT_WAIT,
    );
    const sessions = await waitFor(
      'every session to end',
      async () => {
        const list = await cliData<Session[]>(['session', 'list'], env, home);
        return list.every((s) => s.status === 'completed') && list.length === 3 && list;
      },
      AGENT_WAIT,
    );
    expect(sessions).toHaveLength(3);

    const events = (await runCli(['events', '--json', '--limit', '1000'], env, home)).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; type: string; entityId: string });
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const at = (type: string, id: string) => events.findIndex((e) => e.type === type && e.entityId === id);
    expect(at('task.completed', a.id)).toBeGreaterThan(-1);
    expect(at('task.completed', b.id)).toBeGreaterThan(-1);
    expect(at('task.started', c.id)).toBeGreaterThan(
      Math.max(at('task.completed', a.id), at('task.completed', b.id)),
    );
    expect(at('session.created', spawned.get(c.id)!)).toBeGreaterThan(
      Math.max(at('task.completed', a.id), at('task.completed', b.id)),
    );
    for (const [taskId, sessionId] of spawned) {
      expect(at('session.running', sessionId)).toBeLessThan(at('task.started', taskId));
      expect(at('task.completed', taskId)).toBeLessThan(at('session.completed', sessionId));
    }
    const logs = await runCli(['session', 'logs', spawned.get(c.id)!], env, home);
    expect(logs.stdout).toContain(
      `fake agent in ${spawned.get(c.id)}: # Maestro worker session ${spawned.get(c.id)}`,
    );
    expect(logs.stdout).toContain(`completed ${c.id}`);
  });

  it('a worker killed mid-task: its session fails, its claim returns, and a new worker completes the task', async () => {
    const { env, home, mode } = await agentServer();
    const task = await cliData<{ id: string }>(['task', 'create', 'Fragile'], env, home);
    mode(task.id, 'hang');
    const first = await cliData<Session>(['session', 'spawn', '--task', task.id], env, home);
    await waitFor(
      'the first worker to claim',
      async () => {
        const d = await cliData<{ task: { status: string; claim: { sessionId: string } | null } }>(
          ['task', 'get', task.id],
          env,
          home,
        );
        return d.task.claim?.sessionId === first.id;
      },
      AGENT_WAIT,
    );
    const running = await cliData<Session>(['session', 'info', first.id], env, home);
    process.kill(running.pid, 'SIGKILL');
    const ended = await waitFor(
      'the first session to end',
      async () => {
        const s = await cliData<Session>(['session', 'info', first.id], env, home);
        return ['failed', 'lost'].includes(s.status) && s;
      },
      AGENT_WAIT,
    );
    expect(ended.status).toBe('failed');
    const released = await cliData<{ task: { status: string; claim: unknown } }>(
      ['task', 'get', task.id],
      env,
      home,
    );
    expect(released.task).toMatchObject({ status: 'pending', claim: null });
    expect((await cliData<{ id: string }[]>(['task', 'ready'], env, home)).map((t) => t.id)).toContain(
      task.id,
    );

    const second = await cliData<Session>(['session', 'spawn', '--task', task.id], env, home);
    await waitFor(
      'the second worker to complete the task',
      async () => {
        const d = await cliData<{ task: { status: string } }>(['task', 'get', task.id], env, home);
        return d.task.status === 'completed';
      },
      AGENT_WAIT,
    );
    expect((await cliData<Session>(['session', 'info', second.id], env, home)).status).toMatch(
      /running|completed/,
    );
  });

  it('the agent command comes from configuration; a missing one fails with spawn_failed and a reason', async () => {
    const { env, home } = await agentServer({ agentCommand: 'no-such-agent-xyz --flag' });
    const task = await cliData<{ id: string }>(['task', 'create', 'Never started'], env, home);
    const result = await runCli(['session', 'spawn', '--task', task.id, '--json'], env, home);
    expect(result.json).toMatchObject({
      ok: false,
      error: { code: 'spawn_failed', message: expect.stringContaining("'no-such-agent-xyz' was not found") },
    });
    expect(result.code).toBe(1);
    expect(
      (await cliData<{ task: { status: string } }>(['task', 'get', task.id], env, home)).task.status,
    ).toBe('pending');
    // The request has no field for a command: the CLI has no such flag, and the proto none.
    const refused = await runCli(
      ['session', 'spawn', '--task', task.id, '--command', 'rm -rf /', '--json'],
      env,
      home,
    );
    expect(refused.json).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { flag: 'command' } },
    });
    const descriptor = JSON.stringify(
      await import('../../src/generated/descriptor.json', { with: { type: 'json' } }),
    );
    expect(descriptor).toMatch(/"SpawnSessionRequest":\{"fields":\{"taskId".*?\}\}/);
    expect(/"SpawnSessionRequest":\{"fields":\{[^}]*command/.test(descriptor)).toBe(false);
  });

  it('the concurrency limit queues spawns beyond it and starts them in order as slots free', async () => {
    const { env, home, mode, server } = await agentServer({ maxSessions: 1 });
    const t1 = await cliData<{ id: string }>(['task', 'create', 'First'], env, home);
    const t2 = await cliData<{ id: string }>(['task', 'create', 'Second'], env, home);
    const t3 = await cliData<{ id: string }>(['task', 'create', 'Third'], env, home);
    mode(t1.id, 'hang');
    const s1 = await cliData<Session>(['session', 'spawn', '--task', t1.id], env, home);
    const s2 = await cliData<Session>(['session', 'spawn', '--task', t2.id], env, home);
    const s3 = await cliData<Session>(['session', 'spawn', '--task', t3.id], env, home);
    expect(s1).toMatchObject({ status: 'running', queuePosition: 0 });
    expect(s2).toMatchObject({ status: 'spawning', queuePosition: 1 });
    expect(s3).toMatchObject({ status: 'spawning', queuePosition: 2 });
    const api = TestClient.for(server);
    const running = async () =>
      (await api.call<{ sessions: Session[] }>('Sessions', 'list', { status: ['running'] })).sessions.map(
        (s) => s.id,
      );
    expect(await running()).toEqual([s1.id]);
    await cliData(['session', 'stop', s1.id], env, home);
    await waitFor(
      'the queued sessions to run in order and finish',
      async () => {
        const list = (await api.call<{ sessions: Session[] }>('Sessions', 'list', {})).sessions;
        return list.filter((s) => s.status === 'completed').length === 2 && list;
      },
      AGENT_WAIT,
    );
    const log = await api.call<{ events: { type: string; entityId: string }[] }>('Events', 'list', {
      sinceSeq: 0,
      limit: 1000,
    });
    const started = log.events.filter((e) => e.type === 'session.running').map((e) => e.entityId);
    expect(started).toEqual([s1.id, s2.id, s3.id]);
    api.close();
  });

  it('with no runner connected a spawn waits, then fails with a reason after the timeout', async () => {
    const { server } = await agentServer({ runner: 'off', spawnTimeoutSeconds: 1 });
    const api = TestClient.for(server);
    const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' });
    const task = await api.call<{ id: string }>('Tasks', 'create', {
      projectId: project.id,
      title: 'Lonely',
    });
    const spawn = await api.call<{ session: Session; queuePosition: number }>('Sessions', 'spawn', {
      taskId: task.id,
    });
    expect(spawn).toMatchObject({ queuePosition: 1, session: { status: 'spawning' } });
    const failed = await waitFor(
      'the spawn to time out',
      async () => {
        const s = await api.call<Session>('Sessions', 'get', { id: spawn.session.id });
        return s.status === 'failed' && s;
      },
      AGENT_WAIT,
    );
    expect(failed.failureReason).toContain('No runner was connected');
    expect((await failure(api.call('Sessions', 'spawn', { taskId: 't_424242' }))).code).toBe(
      'task_not_found',
    );
    api.close();
  });

  it('tmux: the window lives while the agent runs, output is captured, and a restarted server re-adopts it', async () => {
    const home = tempHome();
    const first = await agentServer({}, home);
    const task = await cliData<{ id: string }>(['task', 'create', 'Long running'], first.env, first.home);
    first.mode(task.id, 'hang');
    const session = await cliData<Session>(['session', 'spawn', '--task', task.id], first.env, first.home);
    const windows = () =>
      execFileSync('tmux', ['-L', first.socket, 'list-windows', '-F', '#{window_name}'], {
        encoding: 'utf8',
      });
    expect(windows()).toContain(session.id);
    await waitFor(
      'output to be captured',
      async () => {
        const logs = await runCli(['session', 'logs', session.id], first.env, first.home);
        return logs.stdout.includes(`started ${task.id}`);
      },
      AGENT_WAIT,
    );
    const attach = await cliData<{ command: string[]; terminal: { socket: string; target: string } }>(
      ['session', 'attach', session.id],
      first.env,
      first.home,
    );
    expect(attach.command).toEqual([
      'tmux',
      '-S',
      attach.terminal.socket,
      'attach-session',
      '-t',
      attach.terminal.target,
    ]);
    expect(
      execFileSync(
        'tmux',
        [
          '-S',
          attach.terminal.socket,
          'display-message',
          '-p',
          '-t',
          attach.terminal.target,
          '#{window_name}',
        ],
        {
          encoding: 'utf8',
        },
      ).trim(),
    ).toBe(session.id);

    await servers.splice(servers.indexOf(first.server), 1)[0]!.close();
    expect(windows()).toContain(session.id); // the agent outlived the server
    homes.splice(homes.indexOf(home), 1); // reuse the same home below
    const restartedAt = Date.now();
    const second = await agentServer({ tmuxSocket: first.socket }, home);
    sockets.splice(sockets.indexOf(first.socket), 1);
    // Past the lost deadline (4 s of silence) the re-adopted session is still running: the runner
    // heartbeats for it. A session nobody beat for would be lost by then.
    const info = await waitFor(
      'a heartbeat later than the lost deadline',
      async () => {
        const s = await cliData<Session & { lastHeartbeatAt: string }>(
          ['session', 'info', session.id],
          second.env,
          second.home,
        );
        if (s.status !== 'running') return s;
        return Date.parse(s.lastHeartbeatAt) > restartedAt + 4000 && s;
      },
      AGENT_WAIT,
    );
    expect(info.status).toBe('running');
    await cliData(['session', 'stop', session.id], second.env, second.home);
    await waitFor('the window to close', async () => !windows().includes(session.id), AGENT_WAIT);
    expect(
      (await cliData<{ task: { status: string } }>(['task', 'get', task.id], second.env, second.home)).task
        .status,
    ).toBe('pending');
  });
});
