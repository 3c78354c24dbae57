import { killTmuxServers } from '../support/process.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { ROOT, runCli, type CliResult } from '../support/cli.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';
import { watch } from '../support/watch.js';
import { waitFor } from '../support/wait.js';

const PROBE = join(ROOT, 'test/support/probe-agent.mjs');

interface Probe {
  env: Record<string, string>;
  argv: string[];
  pid: number;
}
interface Session {
  id: string;
  status: string;
  projectId: string;
}

const homes: { cleanup(): void }[] = [];
const servers: RunningServer[] = [];
const clients: TestClient[] = [];
const sockets: string[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  killTmuxServers(sockets.splice(0));
  for (const h of homes.splice(0)) h.cleanup();
});

/**
 * A server whose agents are probes that report their environment and run until told to exit
 * (`end`) or stopped; two projects, so that scoping has something to refuse.
 */
async function credentialServer(backend: 'pipe' | 'tmux') {
  const h = tempHome('maestro-credentials-');
  homes.push(h);
  const out = join(h.home, 'probe');
  mkdirSync(out);
  const socket = `maestro-test-${process.pid}-credentials-${homes.length}`;
  sockets.push(socket);
  const server = await startTestServer(h.home, {
    runner: backend,
    tmuxSocket: socket,
    agentCommand: `${process.execPath} ${PROBE} {promptFile} ${out} until`,
  });
  servers.push(server);
  const api = TestClient.for(server);
  clients.push(api);
  const mine = await api.call<{ id: string }>('Projects', 'create', { name: 'mine', workingDir: h.home });
  const other = await api.call<{ id: string }>('Projects', 'create', { name: 'other' });
  const task = (projectId: string, title: string) =>
    api.call<{ id: string }>('Tasks', 'create', { projectId, title });

  /** Spawns an agent for the task (with the server token) and returns what it saw. */
  const spawnAgent = async (taskId: string, role: 'worker' | 'orchestrator' = 'worker') => {
    const { session } = await api.call<{ session: Session }>('Sessions', 'spawn', { taskId, role });
    return { session, ...(await agentOf(session.id)) };
  };
  /** The environment an agent's shell has, from what its probe reported. */
  const agentOf = async (sessionId: string) => {
    const file = join(out, `${sessionId}.json`);
    const probe = await waitFor(`the agent of ${sessionId} to report`, () => {
      return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as Probe);
    });
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: h.home, NO_COLOR: '1' };
    for (const [k, v] of Object.entries(probe.env)) if (k.startsWith('MAESTRO_')) env[k] = v;
    return { probe, env, token: probe.env.MAESTRO_TOKEN! };
  };
  const sessionStatus = async (id: string) => (await api.call<Session>('Sessions', 'get', { id })).status;
  return {
    server,
    home: h.home,
    api,
    mine: mine.id,
    other: other.id,
    task,
    spawnAgent,
    agentOf,
    sessionStatus,
    /** Tells a session's probe to exit 0. */
    end: (sessionId: string) => writeFileSync(join(out, `${sessionId}.exit`), ''),
  };
}

/** `maestro <args> --json` as the agent runs it. */
const as = (env: Record<string, string>, ...args: string[]) =>
  runCli([...args, '--json'], env, ROOT) as Promise<CliResult>;

function expectRefused(
  result: CliResult,
  code = 'permission_denied',
): NonNullable<CliResult['json']['error']> {
  expect(result.json, result.stdout + result.stderr).toMatchObject({ ok: false, error: { code } });
  expect(result.code).toBe(6);
  return result.json.error!;
}

function expectOk<T = Record<string, unknown>>(result: CliResult): T {
  expect(result.json, result.stdout + result.stderr).toMatchObject({ ok: true });
  return result.json.data as T;
}

/** Processes on this machine whose command line holds `text`. */
function commandLinesWith(text: string): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    });
}

describe.each(['pipe', 'tmux'] as const)('a worker session’s credential (%s runner)', (backend) => {
  it('is its own, on no command line; works on its own project; is refused for spawn, project delete, config set and another project’s task; and stops working when the session is stopped', async () => {
    const t = await credentialServer(backend);
    const own = await t.task(t.mine, 'Own work');
    const second = await t.task(t.mine, 'More of the same project');
    const foreign = await t.task(t.other, 'Someone else’s work');
    const worker = await t.spawnAgent(own.id);

    // The agent's token is its session's, never the server's, and no process shows it.
    expect(worker.token).toMatch(/^mst_[A-Za-z0-9_-]{43}$/);
    expect(worker.token).not.toBe(t.server.token);
    expect(commandLinesWith(worker.token)).toEqual([]);
    expect(commandLinesWith(t.server.token)).toEqual([]);
    // The database keeps its hash only.
    const rows = await t.server.services.db.orm.em
      .fork()
      .getConnection()
      .execute<{ hash: string; role: string; revoked_at: unknown }[]>('select * from session_credentials');
    expect(rows).toMatchObject([
      { hash: createHash('sha256').update(worker.token).digest('hex'), role: 'worker', revoked_at: null },
    ]);
    expect(JSON.stringify(rows)).not.toContain(worker.token.slice(4));

    // Its own project: the work a worker does.
    expect(expectOk<{ sessionId: string }>(await as(worker.env, 'whoami')).sessionId).toBe(worker.session.id);
    expectOk(await as(worker.env, 'task', 'start'));
    expectOk(await as(worker.env, 'report', 'progress', 'on it'));
    const listed = expectOk<{ id: string }[]>(await as(worker.env, 'task', 'list'));
    expect(listed.map((x) => x.id).sort()).toEqual([own.id, second.id].sort());
    const claimed = await t.api.call<{ task: { claim: { sessionId: string } } }>('Tasks', 'get', {
      id: own.id,
    });
    expect(claimed.task.claim.sessionId).toBe(worker.session.id);

    // What a worker may not do.
    const spawn = expectRefused(await as(worker.env, 'session', 'spawn', '--task', second.id));
    expect(spawn.details).toMatchObject({ field: 'op', op: 'session.spawn', role: 'worker' });
    expectRefused(await as(worker.env, 'session', 'stop', worker.session.id));
    expectRefused(await as(worker.env, 'project', 'delete', t.other, '--cascade'));
    expectRefused(await as(worker.env, 'project', 'create', 'mine-now'));
    const config = expectRefused(
      await as({ ...worker.env, MAESTRO_HOME: t.home }, 'config', 'set', 'maxSessions', '8'),
    );
    expect(config.details).toMatchObject({ field: 'MAESTRO_SESSION_ID', command: 'config set' });
    expect(existsSync(join(t.home, 'config.json'))).toBe(false);
    expectRefused(await as({ ...worker.env, MAESTRO_HOME: t.home }, 'config', 'unset', 'maxSessions'));
    expectRefused(await as(worker.env, 'skill', 'install', '--hooks'));
    expect(existsSync(join(t.home, '.claude'))).toBe(false);
    // A session token alone marks a session too.
    const tokenOnly = {
      PATH: worker.env.PATH!,
      HOME: t.home,
      MAESTRO_HOME: t.home,
      MAESTRO_TOKEN: worker.token,
    };
    const byToken = expectRefused(await as(tokenOnly, 'config', 'set', 'maxSessions', '8'));
    expect(byToken.details).toMatchObject({ field: 'MAESTRO_TOKEN' });
    expect(existsSync(join(t.home, 'config.json'))).toBe(false);
    for (const args of [
      ['task', 'get', foreign.id],
      ['task', 'start', foreign.id],
      ['subtask', 'create', foreign.id, 'sneak in'],
      ['report', 'progress', 'not mine', '--task', foreign.id],
      ['task', 'list', '--project', t.other],
    ]) {
      const refused = expectRefused(await as(worker.env, ...args));
      expect(refused.details, args.join(' ')).toMatchObject({ field: 'project', projectId: t.mine });
    }
    expect((await t.api.call<{ projects: unknown[] }>('Projects', 'list')).projects).toHaveLength(2);
    expect(
      (await t.api.call<{ task: { status: string } }>('Tasks', 'get', { id: foreign.id })).task.status,
    ).toBe('pending');

    // Ended: the token is refused from the moment the stop is answered.
    await t.api.call('Sessions', 'stop', { id: worker.session.id });
    const ended = expectRefused(await as(worker.env, 'whoami'), 'unauthenticated');
    expect(ended.message).toMatch(/session has ended/);
    expectRefused(await as(worker.env, 'task', 'list'), 'unauthenticated');
  });
});

describe('an orchestrator session’s credential', () => {
  it('spawns and stops workers in its project, not elsewhere; a worker’s token cannot pose as another session; and the token stops working when its agent exits', async () => {
    const t = await credentialServer('pipe');
    const plan = await t.task(t.mine, 'Plan the work');
    const part = await t.task(t.mine, 'A part of it');
    const foreign = await t.task(t.other, 'Not ours');
    const orchestrator = await t.spawnAgent(plan.id, 'orchestrator');
    expect(orchestrator.env.MAESTRO_ROLE).toBe('orchestrator');

    const spawned = expectOk<Session>(await as(orchestrator.env, 'session', 'spawn', '--task', part.id));
    expect(spawned.projectId).toBe(t.mine);
    const worker = await t.agentOf(spawned.id);
    expect(worker.token).not.toBe(orchestrator.token);
    expectRefused(await as(orchestrator.env, 'session', 'spawn', '--task', foreign.id));
    expect(
      (await t.api.call<{ sessions: Session[] }>('Sessions', 'list', {})).sessions.map((s) => s.id).sort(),
    ).toEqual([orchestrator.session.id, spawned.id].sort());
    expectRefused(await as(orchestrator.env, 'project', 'delete', t.mine, '--cascade'));
    expectRefused(
      await as({ ...orchestrator.env, MAESTRO_HOME: t.home }, 'config', 'set', 'maxSessions', '8'),
    );

    // A worker's token is pinned to its own session: no heartbeat for another, no acting as another.
    const asWorker = new TestClient(t.api.address, worker.token);
    clients.push(asWorker);
    expect(
      (await failure(asWorker.call('Sessions', 'heartbeat', { id: orchestrator.session.id }))).code,
    ).toBe('permission_denied');
    expect(await asWorker.call<Session>('Sessions', 'heartbeat', { id: spawned.id })).toMatchObject({
      id: spawned.id,
    });
    const posing = expectRefused(
      await as({ ...worker.env, MAESTRO_SESSION_ID: orchestrator.session.id }, 'task', 'list'),
    );
    expect(posing.details).toMatchObject({ field: 'x-maestro-session', sessionId: spawned.id });

    // The orchestrator stops its worker: the worker's token is dead at once.
    expect(expectOk<Session>(await as(orchestrator.env, 'session', 'stop', spawned.id)).status).toBe(
      'stopped',
    );
    expectRefused(await as(worker.env, 'whoami'), 'unauthenticated');

    // The orchestrator's agent exits: its session completes and its token is refused.
    t.end(orchestrator.session.id);
    await waitFor('the orchestrator session to complete', async () => {
      return (await t.sessionStatus(orchestrator.session.id)) === 'completed';
    });
    expectRefused(await as(orchestrator.env, 'whoami'), 'unauthenticated');
    expectRefused(await as(orchestrator.env, 'session', 'spawn', '--task', part.id), 'unauthenticated');
  });

  it('sees only its own project: events (list and watch), sessions, status and the WebSocket feed; a runner hello with it is refused', async () => {
    const t = await credentialServer('pipe');
    const plan = await t.task(t.mine, 'Plan');
    const orchestrator = await t.spawnAgent(plan.id, 'orchestrator');
    const foreign = await t.task(t.other, 'Elsewhere');
    await t.task(t.mine, 'Here');

    const events = (await as(orchestrator.env, 'events', '--limit', '1000')).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { projectId: string; entityId: string });
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.projectId))).toEqual(new Set([t.mine]));

    const asOrchestrator = new TestClient(t.api.address, orchestrator.token);
    clients.push(asOrchestrator);
    const watcher = watch(asOrchestrator, 0);
    const latest = await t.task(t.mine, 'Made while watching');
    await t.task(t.other, 'Not for this watcher');
    try {
      await watcher.until((seen) => seen.some((e) => e.entityId === latest.id));
      expect(watcher.events.some((e) => e.entityId === foreign.id)).toBe(false);
      expect(new Set(watcher.events.map((e) => e.projectId))).toEqual(new Set([t.mine]));
    } finally {
      watcher.cancel();
    }
    const status = expectOk<{ activeSessions: Session[] }>(await as(orchestrator.env, 'status'));
    expect(status.activeSessions.every((s) => s.projectId === t.mine)).toBe(true);
    expect(
      expectOk<{ id: string }[]>(await as(orchestrator.env, 'project', 'list')).map((p) => p.id),
    ).toEqual([t.mine]);

    // The WebSocket: a session's token says hello like any client and sees its project only.
    const ws = new WebSocket(`ws://127.0.0.1:${t.server.http.port}/ws`);
    const received: {
      type: string;
      projectId?: string;
      entityId?: string;
      id?: string;
      ok?: boolean;
      error?: { code: string };
    }[] = [];
    ws.on('message', (raw: Buffer) => received.push(JSON.parse(raw.toString()) as (typeof received)[number]));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(
      JSON.stringify({ type: 'hello', clientId: 'orchestrator-ws', token: orchestrator.token, sinceSeq: 0 }),
    );
    // Sent before the welcome: held back until the token is looked up, then answered.
    ws.send(JSON.stringify({ type: 'command', id: 'c1', op: 'task.get', args: { id: foreign.id } }));
    ws.send(JSON.stringify({ type: 'command', id: 'c2', op: 'task.get', args: { id: plan.id } }));
    try {
      const acks = await waitFor('both commands to be answered', () => {
        const a = received.filter((m) => m.type === 'ack');
        return a.length === 2 && a;
      });
      expect(acks.find((a) => a.id === 'c1')).toMatchObject({
        ok: false,
        error: { code: 'permission_denied' },
      });
      expect(acks.find((a) => a.id === 'c2')).toMatchObject({ ok: true });
      await waitFor('the replay', () => received.some((m) => m.type === 'event' && m.entityId === latest.id));
      const seen = received.filter((m) => m.type === 'event');
      expect(new Set(seen.map((m) => m.projectId))).toEqual(new Set([t.mine]));
    } finally {
      ws.close();
    }
    const runner = new WebSocket(`ws://127.0.0.1:${t.server.http.port}/ws`);
    await new Promise((resolve) => runner.once('open', resolve));
    const closed = new Promise<number>((resolve) => runner.once('close', resolve));
    runner.send(
      JSON.stringify({ type: 'hello', clientId: 'rogue', role: 'runner', token: orchestrator.token }),
    );
    expect(await closed).toBe(4401);
  });
});

describe('a spawn the server dispatches after a restart', () => {
  it('gets a new credential for its session (the first one’s plaintext was never stored), and it works', async () => {
    const h = tempHome('maestro-credentials-');
    homes.push(h);
    const out = join(h.home, 'probe');
    mkdirSync(out);
    const settings = {
      agentCommand: `${process.execPath} ${PROBE} {promptFile} ${out} until`,
      spawnTimeoutSeconds: 3600,
    };
    const first = await startTestServer(h.home, { ...settings, runner: 'off' });
    const api = TestClient.for(first);
    const project = await api.call<{ id: string }>('Projects', 'create', { name: 'p', workingDir: h.home });
    const task = await api.call<{ id: string }>('Tasks', 'create', { projectId: project.id, title: 'later' });
    const { session } = await api.call<{ session: Session }>('Sessions', 'spawn', { taskId: task.id });
    expect(session.status).toBe('spawning');
    api.close();
    await first.close();

    const second = await startTestServer(h.home, { ...settings, runner: 'pipe' });
    servers.push(second);
    const admin = TestClient.for(second);
    clients.push(admin);
    const file = join(out, `${session.id}.json`);
    const probe = await waitFor('the queued agent to start', () => {
      return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as Probe);
    });
    const asAgent = new TestClient(`127.0.0.1:${second.grpc.port}`, probe.env.MAESTRO_TOKEN!);
    clients.push(asAgent);
    expect(await asAgent.call<{ sessionId: string }>('Server', 'WhoAmI', {})).toMatchObject({
      sessionId: session.id,
    });
    const rows = await second.services.db.orm.em
      .fork()
      .getConnection()
      .execute<{ session_id: number }[]>('select session_id from session_credentials');
    expect(rows).toHaveLength(2);
    writeFileSync(join(out, `${session.id}.exit`), '');
    await waitFor('the session to complete', async () => {
      const s = await admin.call<Session>('Sessions', 'get', { id: session.id });
      return s.status === 'completed';
    });
    expect((await failure(asAgent.call('Server', 'WhoAmI', {}))).code).toBe('unauthenticated');
  });
});
