import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../src/contract/error-codes.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { Runner } from '../../src/runner/runner.js';
import { ROOT, cliEnv, runCli } from '../support/cli.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

interface Session {
  id: string;
  status: string;
  pid: number;
}
interface Ack {
  type: 'ack';
  id: string;
  ok: boolean;
  data?: unknown;
  error?: ErrorBody;
}

const homes: { cleanup(): void }[] = [];
const servers: RunningServer[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.close();
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) h.cleanup();
});

/** A server without a runner of its own: spawns queue until a (fake) runner connects. */
async function queueingServer() {
  const h = tempHome('maestro-guards-');
  homes.push(h);
  const server = await startTestServer(h.home, {
    runner: 'off',
    spawnTimeoutSeconds: 600,
    skillsDir: join(ROOT, 'skills'),
  });
  servers.push(server);
  const api = TestClient.for(server);
  const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' });
  const task = (title: string, dependsOn: string[] = []) =>
    api.call<{ id: string }>('Tasks', 'create', { projectId: project.id, title, dependsOn });
  return { server, home: h.home, api, task };
}

/** A WebSocket client that says it is a runner; it records what the server sends it. */
async function fakeRunner(
  server: RunningServer,
  hello: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.http.port}/ws`, { headers });
  sockets.push(ws);
  const received: Record<string, unknown>[] = [];
  let closed: number | undefined;
  ws.on('message', (raw: Buffer) => received.push(JSON.parse(raw.toString()) as Record<string, unknown>));
  ws.on('close', (code: number) => (closed = code));
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ type: 'hello', role: 'runner', ...hello }));
  let n = 0;
  return {
    received,
    closed: () => waitFor('the runner connection to close', () => closed),
    welcomed: () => waitFor('welcome', () => received.some((m) => m.type === 'welcome')),
    async command(op: string, args: Record<string, unknown>): Promise<Ack> {
      const id = `c${n++}`;
      ws.send(JSON.stringify({ type: 'command', id, op, args }));
      return waitFor(
        `the ack of ${op}`,
        () => received.find((m) => m.type === 'ack' && m.id === id) as Ack | undefined,
      );
    },
  };
}

describe('session spawn refuses what cannot work', () => {
  it('--skill ../../x put any SKILL.md into the prompt: now a skill that is not a name, or not known, is refused and no session is made', async () => {
    const { server, home, api, task } = await queueingServer();
    const t = await task('With a skill');
    mkdirSync(join(home, 'x'));
    writeFileSync(join(home, 'x', 'SKILL.md'), 'not a skill of this server');
    const env = cliEnv(server, home);
    const cli = await runCli(['session', 'spawn', '--task', t.id, '--skill', '../../x', '--json'], env, home);
    expect(cli.code).toBe(2);
    expect(cli.json).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { field: 'skill' } },
    });
    for (const skill of ['../../x', '../x', '/etc', 'a/b', '.hidden', 'UPPER', 'x'.repeat(65)]) {
      const refused = await failure(api.call('Sessions', 'spawn', { taskId: t.id, skill }));
      expect(refused, skill).toMatchObject({ code: 'invalid_argument', details: { field: 'skill' } });
    }
    const unknown = await failure(api.call('Sessions', 'spawn', { taskId: t.id, skill: 'nope' }));
    expect(unknown).toMatchObject({
      code: 'invalid_argument',
      message: "There is no skill 'nope' on this server.",
    });
    expect(unknown.details?.accepted).toEqual(
      expect.arrayContaining(['maestro-worker', 'maestro-orchestrator']),
    );
    expect((await api.call<{ sessions: Session[] }>('Sessions', 'list', {})).sessions).toEqual([]);
    const ok = await api.call<{ session: Session }>('Sessions', 'spawn', {
      taskId: t.id,
      skill: 'maestro-cli',
    });
    expect(ok.session.status).toBe('spawning');
    expect(readFileSync(join(home, 'sessions', ok.session.id, 'prompt.md'), 'utf8')).not.toContain(
      'not a skill of this server',
    );
    api.close();
  });

  it('spawn accepted completed, cancelled, blocked and not-ready tasks: now only a task a worker could start gets an agent', async () => {
    const { api, task } = await queueingServer();
    const done = await task('Done');
    await api.call('Tasks', 'start', { id: done.id });
    await api.call('Tasks', 'complete', { id: done.id });
    const cancelled = await task('Cancelled');
    await api.call('Tasks', 'cancel', { id: cancelled.id });
    const blocked = await task('Blocked');
    await api.call('Tasks', 'block', { id: blocked.id, reason: 'waiting for a key' });
    const first = await task('First');
    const later = await task('Later', [first.id]);
    const held = await task('Held');
    await api.call('Tasks', 'start', { id: held.id }, { actor: 'alice' });

    for (const t of [done, cancelled, blocked]) {
      expect(await failure(api.call('Sessions', 'spawn', { taskId: t.id }))).toMatchObject({
        code: 'invalid_transition',
        details: { taskId: t.id, event: 'spawn' },
      });
    }
    expect(await failure(api.call('Sessions', 'spawn', { taskId: later.id }))).toMatchObject({
      code: 'dependencies_not_met',
      details: { taskId: later.id, blocking: [{ taskId: first.id, status: 'pending' }] },
    });
    expect(await failure(api.call('Sessions', 'spawn', { taskId: held.id }))).toMatchObject({
      code: 'task_already_claimed',
      details: { taskId: held.id, holder: 'alice' },
    });
    expect(await failure(api.call('Sessions', 'spawn', { taskId: first.id, role: 'boss' }))).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'role' },
    });
    expect((await api.call<{ sessions: Session[] }>('Sessions', 'list', {})).sessions).toEqual([]);
    const ready = await api.call<{ session: Session; queuePosition: number }>('Sessions', 'spawn', {
      taskId: first.id,
    });
    expect(ready).toMatchObject({ queuePosition: 1, session: { status: 'spawning' } });
    api.close();
  });
});

describe('runner messages', () => {
  it('a client saying role runner could append to output.log in any folder: now runner ops need a session id this runner owns, and write nothing otherwise', async () => {
    const { server, home, api, task } = await queueingServer();
    const t = await task('Owned elsewhere');
    const { session } = await api.call<{ session: Session }>('Sessions', 'spawn', { taskId: t.id });
    const intruder = await fakeRunner(server, { clientId: 'intruder', token: server.token, capacity: 0 });
    await intruder.welcomed();
    const output = join(home, 'sessions', session.id, 'output.log');
    mkdirSync(join(home, 'elsewhere'));

    for (const sessionId of ['../../elsewhere', '../elsewhere', 's_1/../../elsewhere', 's_0', 'S_1', 42]) {
      const ack = await intruder.command('runner.output', { sessionId, data: 'planted' });
      expect(ack, String(sessionId)).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument', details: { field: 'sessionId' } },
      });
    }
    expect(existsSync(join(home, 'elsewhere', 'output.log'))).toBe(false);
    expect(existsSync(join(home, 'output.log'))).toBe(false);

    // A well-formed id of a session the server never gave this runner.
    expect(await intruder.command('runner.output', { sessionId: session.id, data: 'planted' })).toMatchObject(
      {
        ok: false,
        error: { code: 'invalid_argument', details: { sessionId: session.id } },
      },
    );
    expect(
      await intruder.command('runner.report', { sessionId: session.id, kind: 'started', pid: 1 }),
    ).toMatchObject({
      ok: false,
    });
    expect(await intruder.command('runner.heartbeat', { sessionIds: [session.id] })).toMatchObject({
      ok: true,
      data: { refused: [session.id] },
    });
    expect((await intruder.command('runner.heartbeat', { sessionIds: ['../x'] })).ok).toBe(false);
    expect(readFileSync(output, 'utf8')).toBe('');
    expect((await api.call<Session>('Sessions', 'get', { id: session.id })).status).toBe('spawning');

    // The runner the spawn goes to may report on it; the intruder still may not, nor adopt it.
    const owner = await fakeRunner(server, { clientId: 'owner', token: server.token, capacity: 1 });
    await waitFor('the spawn to reach the runner', () => owner.received.some((m) => m.type === 'spawn'));
    const terminal = { backend: 'pipe', host: 'here', socket: '', target: '' };
    expect(
      await owner.command('runner.report', { sessionId: session.id, kind: 'started', pid: 4242, terminal }),
    ).toMatchObject({
      ok: true,
      data: { status: 'running', pid: 4242, terminal },
    });
    expect((await owner.command('runner.output', { sessionId: session.id, data: 'hello\n' })).ok).toBe(true);
    expect(
      await intruder.command('runner.report', { sessionId: session.id, kind: 'adopted', pid: 1 }),
    ).toMatchObject({
      ok: false,
    });
    expect((await intruder.command('runner.output', { sessionId: session.id, data: 'planted' })).ok).toBe(
      false,
    );
    expect(readFileSync(output, 'utf8')).toBe('hello\n');
    api.close();
  });

  it('a runner hello that carries only the browser cookie is refused with 4401: a runner needs the token itself', async () => {
    const { server } = await queueingServer();
    const cookie = { cookie: `maestro_token=${encodeURIComponent(server.token)}` };
    const runner = await fakeRunner(server, { clientId: 'cookie-runner' }, cookie);
    expect(await runner.closed()).toBe(4401);
    expect(server.dispatcher.runnerCount).toBe(0);
    const browser = await fakeRunner(server, { clientId: 'browser', role: 'client' }, cookie);
    await browser.welcomed();
    const real = await fakeRunner(server, { clientId: 'real-runner', token: server.token }, cookie);
    await real.welcomed();
    expect(server.dispatcher.runnerCount).toBe(1);
  });

  it('a failed read in the dispatch loop dropped a queued session: now it stays queued, is dispatched on the next round, and nothing crashes', async () => {
    const { server, api, task } = await queueingServer();
    const t = await task('Survives a bad read');
    const { session } = await api.call<{ session: Session }>('Sessions', 'spawn', { taskId: t.id });
    const sessions = server.services.sessions;
    const get = sessions.get.bind(sessions);
    let failures = 0;
    sessions.get = (id: string) => {
      if (failures++ === 0) return Promise.reject(new Error('the database went away'));
      return get(id);
    };
    const runner = await fakeRunner(server, { clientId: 'late', token: server.token, capacity: 1 });
    const spawn = await waitFor(
      'the queued session to reach the runner',
      () => runner.received.find((m) => m.type === 'spawn') as { sessionId: string } | undefined,
      { timeoutMs: 5000 },
    );
    expect(failures).toBeGreaterThanOrEqual(2);
    expect(spawn.sessionId).toBe(session.id);
    sessions.get = get;
    api.close();
  });

  it('a runner that outlives a server restart keeps its sessions: it adopts them again and its heartbeats count', async () => {
    const h = tempHome('maestro-guards-');
    const runnerHome = tempHome('maestro-remote-runner-');
    homes.push(h, runnerHome);
    const out = join(runnerHome.home, 'probe');
    mkdirSync(out);
    const settings = {
      runner: 'off' as const,
      agentCommand: `${process.execPath} ${join(ROOT, 'test/support/probe-agent.mjs')} {promptFile} ${out} hang`,
      sessionStaleSeconds: 1,
      sessionLostSeconds: 2,
      skillsDir: join(ROOT, 'skills'),
    };
    const first = await startTestServer(h.home, settings, { sweepIntervalMs: 100 });
    const runner = new Runner({
      url: `ws://127.0.0.1:${first.http.port}/ws`,
      token: first.token,
      home: runnerHome.home,
      runnerId: 'remote',
      backend: 'pipe',
      heartbeatMs: 200,
    });
    try {
      await runner.start();
      let api = TestClient.for(first);
      const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' });
      const t = await api.call<{ id: string }>('Tasks', 'create', { projectId: project.id, title: 'long' });
      const { session } = await api.call<{ session: Session }>('Sessions', 'spawn', { taskId: t.id });
      await waitFor(
        'the agent to run',
        async () => (await api.call<Session>('Sessions', 'get', { id: session.id })).status === 'running',
      );
      api.close();
      await first.close();

      const restartedAt = Date.now();
      const second = await startTestServer(
        h.home,
        { ...settings, httpAddr: `127.0.0.1:${first.http.port}` },
        { sweepIntervalMs: 100 },
      );
      servers.push(second);
      api = TestClient.for(second);
      const alive = await waitFor(
        'a heartbeat after the lost deadline',
        async () => {
          const s = await api.call<Session & { lastHeartbeatAt: string }>('Sessions', 'get', {
            id: session.id,
          });
          if (s.status !== 'running') return s;
          return Date.parse(s.lastHeartbeatAt) > restartedAt + 2000 && s;
        },
        { timeoutMs: 15_000 },
      );
      expect(alive.status).toBe('running');
      const probe = JSON.parse(readFileSync(join(out, `${session.id}.json`), 'utf8')) as { pid: number };
      await api.call('Sessions', 'stop', { id: session.id });
      await waitFor('the runner to stop the agent', () => {
        try {
          process.kill(probe.pid, 0);
          return false;
        } catch {
          return true;
        }
      });
      api.close();
    } finally {
      runner.close();
    }
  });
});
