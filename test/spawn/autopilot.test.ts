import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/config.js';
import type { MaestroEvent } from '../../src/services/events.js';
import type { RunningServer, StartOptions } from '../../src/gateway/server.js';
import { CLI, ROOT, cliData, cliEnv, runCli } from '../support/cli.js';
import { startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const FAKE_AGENT = join(ROOT, 'test/support/fake-agent.mjs');
const SYSTEM = { actor: 'tester', sessionId: null };

const homes: { cleanup(): void }[] = [];
const servers: RunningServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) h.cleanup();
});

/** A server whose agents are the scripted fake agent (driving the real CLI), on a pipe runner. */
async function autopilotServer(overrides: Partial<Settings> = {}, options: StartOptions = {}) {
  const home = tempHome('maestro-autopilot-');
  homes.push(home);
  const modes = join(home.home, 'modes');
  mkdirSync(modes, { recursive: true });
  const server = await startTestServer(
    home.home,
    {
      agentCommand: `${process.execPath} ${FAKE_AGENT} {promptFile} ${modes}`,
      runner: 'pipe',
      maxSessions: 8,
      ...overrides,
    },
    {
      sweepIntervalMs: 100,
      autopilot: { tickMs: 200, retryBackoff: { baseMs: 300, maxMs: 2000, factor: 2, jitter: 0 } },
      ...options,
    },
  );
  servers.push(server);
  const env = cliEnv(server, home.home, { MAESTRO_ACTOR: 'orchestrator' });
  await cliData(['project', 'create', 'app', '--dir', home.home], env, home.home);
  const task = (title: string, dependsOn: string[] = [], extra: Record<string, unknown> = {}) =>
    server.services.tasks.create(SYSTEM, { projectId: 'app', title, dependsOn, ...extra });
  return {
    server,
    home: home.home,
    env,
    task,
    mode: (taskId: string, mode: string) => writeFileSync(join(modes, taskId), mode),
    cli: <T>(args: string[]) => cliData<T>(args, env, home.home),
    events: async () => (await server.services.events.list(0, 10_000)).events,
  };
}

const WAIT = { timeoutMs: 60_000, intervalMs: 100 };

/** Live workers over the event log: never more than `cap`, never two on one task. */
function checkLog(
  events: MaestroEvent[],
  cap: number,
): { maxLive: number; spawnedPerTask: Map<string, number> } {
  const live = new Map<string, string>();
  let maxLive = 0;
  const spawnedPerTask = new Map<string, number>();
  for (const e of events) {
    if (e.entityType !== 'session') continue;
    const session = e.data.session as { taskIds: string[]; role: string; status: string };
    if (e.type === 'session.created') {
      const taskId = session.taskIds[0]!;
      expect([...live.values()], `a second live worker on ${taskId} at seq ${e.seq}`).not.toContain(taskId);
      live.set(e.entityId, taskId);
      spawnedPerTask.set(taskId, (spawnedPerTask.get(taskId) ?? 0) + 1);
      maxLive = Math.max(maxLive, live.size);
    }
    if (['completed', 'failed', 'stopped', 'lost'].includes(session.status)) live.delete(e.entityId);
  }
  expect(maxLive).toBeLessThanOrEqual(cap);
  return { maxLive, spawnedPerTask };
}

describe('the autopilot', () => {
  it('runs a graph of 20 tasks with a cap of 4 in dependency order, never more than 4 workers, never two on a task', async () => {
    const w = await autopilotServer();
    // Five layers of four; each task waits on two of the layer before it.
    const layers: string[][] = [];
    for (let layer = 0; layer < 5; layer++) {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const deps = layer ? [layers[layer - 1]![i]!, layers[layer - 1]![(i + 1) % 4]!] : [];
        ids.push((await w.task(`L${layer} T${i}`, deps)).id);
      }
      layers.push(ids);
    }
    const all = layers.flat();
    const on = await w.cli<{ enabled: boolean; maxWorkers: number }>([
      'autopilot',
      'on',
      '--max-workers',
      '4',
    ]);
    expect(on).toMatchObject({ enabled: true, maxWorkers: 4 });
    await waitFor(
      'every task to complete',
      async () => {
        const tasks = (await w.server.services.tasks.list({ projectId: 'app' })).tasks;
        return tasks.every((t) => t.status === 'completed');
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const events = await w.events();
    const { maxLive, spawnedPerTask } = checkLog(events, 4);
    expect(maxLive).toBe(4);
    // Each task got exactly one worker, started only after its dependencies completed.
    for (const id of all) expect(spawnedPerTask.get(id), id).toBe(1);
    const completedAt = new Map(
      events.filter((e) => e.type === 'task.completed').map((e) => [e.entityId, e.seq]),
    );
    const tasks = (await w.server.services.tasks.list({ projectId: 'app' })).tasks;
    for (const t of tasks) {
      const spawnedAt = events.find(
        (e) => e.type === 'session.created' && (e.data.session as { taskIds: string[] }).taskIds[0] === t.id,
      )!.seq;
      for (const dep of t.dependsOn) expect(completedAt.get(dep)!).toBeLessThan(spawnedAt);
    }
    // Each start is an autopilot decision in the log.
    expect(events.filter((e) => e.type === 'autopilot.spawned')).toHaveLength(20);
  }, 180_000);

  it('retries a failing worker, with a summary of the attempt before, and the task completes', async () => {
    const w = await autopilotServer();
    const t = await w.task('Flaky work');
    w.mode(t.id, 'die');
    await w.cli(['autopilot', 'on']);
    const sessions = await waitFor(
      'the task to complete and its worker to end',
      async () => {
        const list = await w.server.services.sessions.list({ projectId: 'app' });
        return list.length === 2 && list[1]!.outcome ? list : undefined;
      },
      WAIT,
    );
    expect((await w.server.services.tasks.get(t.id)).task.status).toBe('completed');
    expect(sessions.map((s) => s.outcome)).toEqual(['failed', 'task_completed']);
    const events = await w.events();
    const retried = events.find((e) => e.type === 'autopilot.retried');
    expect(retried?.data).toMatchObject({
      taskId: t.id,
      sessionId: sessions[1]!.id,
      previous: sessions[0]!.id,
      attempt: 2,
    });
    // The second worker's prompt told it how the first ended.
    const prompt = (await import('node:fs')).readFileSync(
      join(w.home, 'sessions', sessions[1]!.id, 'prompt.md'),
      'utf8',
    );
    expect(prompt).toContain(`The previous attempt (${sessions[0]!.id})`);
    expect(prompt).toMatch(/ended failed/);
  }, 90_000);

  it('blocks a task after its last attempt, with the reason', async () => {
    const w = await autopilotServer(
      {},
      { autopilot: { tickMs: 200, retryBackoff: { baseMs: 2000, maxMs: 2000, factor: 1, jitter: 0 } } },
    );
    const t = await w.task('Always fails');
    w.mode(t.id, 'die');
    await w.cli(['autopilot', 'on', '--max-attempts', '2']);
    // The fake agent takes its mode once: write it again for the second worker while the retry waits.
    await waitFor(
      'the first worker to fail',
      async () => (await w.server.services.sessions.list({}))[0]?.outcome === 'failed',
      WAIT,
    );
    w.mode(t.id, 'die');
    const blocked = await waitFor(
      'the task to be blocked',
      async () => {
        const d = await w.server.services.tasks.get(t.id);
        return d.task.status === 'blocked' ? d.task : undefined;
      },
      WAIT,
    );
    expect(blocked.blockedReason).toMatch(/^gave up after 2 attempts/);
    expect((await w.server.services.sessions.list({})).length).toBe(2);
  }, 90_000);

  it('fails closed: a cancelled dependency blocks its dependents, directly and through a chain, and they never start', async () => {
    const w = await autopilotServer();
    const a = await w.task('A');
    const b = await w.task('B', [a.id]);
    const c = await w.task('C', [b.id]);
    const d = await w.task('D');
    await w.server.services.tasks.cancel(SYSTEM, a.id);
    // Before the autopilot runs, the doctor already says B and C can never become ready.
    const doctor = await w.cli<{
      tasks: { taskId: string; neverReady: boolean; ready: boolean; reason: string }[];
    }>(['task', 'doctor']);
    const entry = (id: string) => doctor.tasks.find((e) => e.taskId === id)!;
    expect(entry(b.id)).toMatchObject({
      neverReady: true,
      reason: `can never be ready: dependency ${a.id} was cancelled`,
    });
    expect(entry(c.id).neverReady).toBe(true);
    expect(entry(c.id).reason).toContain(a.id);
    expect(entry(d.id)).toMatchObject({ ready: true, neverReady: false });
    await w.cli(['autopilot', 'on']);
    await waitFor(
      'D to complete',
      async () => (await w.server.services.tasks.get(d.id)).task.status === 'completed',
      WAIT,
    );
    await waitFor(
      'C to be blocked',
      async () => (await w.server.services.tasks.get(c.id)).task.status === 'blocked',
      WAIT,
    );
    expect((await w.server.services.tasks.get(b.id)).task).toMatchObject({
      status: 'blocked',
      blockedReason: `dependency ${a.id} was cancelled`,
    });
    const sessions = await w.server.services.sessions.list({});
    expect(sessions.map((s) => s.taskIds[0])).toEqual([d.id]);
  }, 90_000);

  it('a worker that makes no progress is flagged stuck, nudged once, then stopped and retried', async () => {
    const w = await autopilotServer({ stuckSeconds: 3 });
    const t = await w.task('Hangs once');
    w.mode(t.id, 'hang');
    await w.cli(['autopilot', 'on']);
    const sessions = await waitFor(
      'the retry to complete the task',
      async () => {
        const list = await w.server.services.sessions.list({ projectId: 'app' });
        return list.length === 2 && list[1]!.outcome ? list : undefined;
      },
      WAIT,
    );
    expect(sessions.map((s) => s.outcome)).toEqual(['stopped', 'task_completed']);
    const events = await w.events();
    const stuck = events.filter((e) => e.type === 'autopilot.stuck');
    expect(stuck).toHaveLength(1);
    expect(stuck[0]!.data).toMatchObject({ taskId: t.id, sessionId: sessions[0]!.id });
    const stuckAt = stuck[0]!.seq;
    const stoppedAt = events.find((e) => e.type === 'session.stopped' && e.entityId === sessions[0]!.id)!.seq;
    expect(stuckAt).toBeLessThan(stoppedAt);
    const detail = await w.server.services.tasks.get(t.id, 100);
    expect(detail.task.status).toBe('completed');
    // Flagged on the task's timeline, and nudged through the session channel.
    expect(detail.timeline.some((e) => /looks stuck/.test(e.message))).toBe(true);
    expect(detail.timeline.some((e) => e.kind === 'message' && /no progress/.test(e.message))).toBe(true);
  }, 90_000);

  it('a budget stops a runaway worker: told, stopped, the task blocked with budget_exceeded', async () => {
    let offset = 0;
    const w = await autopilotServer(
      { sessionStaleSeconds: 86_400, sessionLostSeconds: 86_400 },
      { clock: () => Date.now() + offset },
    );
    const t = await w.task('Runaway', [], { budget: 'minutes=30' });
    const detail = await w.cli<{ task: { budget: { minutes: number } } }>(['task', 'get', t.id]);
    expect(detail.task.budget).toMatchObject({ minutes: 30, usd: 0, tokens: 0 });
    w.mode(t.id, 'hang');
    await w.cli(['autopilot', 'on']);
    const running = await waitFor(
      'the worker to start its task',
      async () =>
        (await w.server.services.tasks.get(t.id)).task.status === 'in_progress' &&
        (await w.server.services.sessions.list({}))[0],
      WAIT,
    );
    // Thirty-one minutes later by the server's clock.
    offset = 31 * 60_000;
    const blocked = await waitFor(
      'the task to be blocked',
      async () => {
        const d = await w.server.services.tasks.get(t.id);
        return d.task.status === 'blocked' ? d : undefined;
      },
      WAIT,
    );
    expect(blocked.task.blockedReason).toMatch(/^budget_exceeded: .*minutes reached the budget of 30/);
    const session = await w.server.services.sessions.get(running.id);
    expect(session).toMatchObject({ status: 'stopped', outcome: 'stopped' });
    const events = await w.events();
    expect(events.some((e) => e.type === 'autopilot.stopped' && e.data.sessionId === running.id)).toBe(true);
    // It was told before it was stopped: the message is on the task's timeline.
    expect(blocked.timeline.some((e) => e.kind === 'message' && /budget/.test(e.message))).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${w.server.http.port}/metrics`)).text();
    expect(metrics).toMatch(/^maestro_budget_exceeded_total\{project="p_1",scope="task"\} 1$/m);
    expect(metrics).toMatch(/^maestro_autopilot_enabled\{project="p_1"\} 1$/m);
    // Nothing starts another worker on it; a spawn by hand is refused with budget_exceeded (exit 4).
    await w.server.services.tasks.unblock(SYSTEM, t.id).catch(() => undefined);
    await w.server.services.tasks.release(SYSTEM, t.id).catch(() => undefined);
    const refused = await runCli(['session', 'spawn', '--task', t.id, '--json'], w.env, w.home);
    expect(refused.code).toBe(4);
    expect(refused.json.error?.code).toBe('budget_exceeded');
  }, 90_000);
});

describe('maestro wait', () => {
  it('returns the matching event as one JSON document, and times out with its exit code', async () => {
    const w = await autopilotServer();
    const t = await w.task('Questions');
    const other = await w.task('Other');
    const child = spawn(process.execPath, [CLI, 'wait', '--for', 'question', '--task', t.id, '--json'], {
      env: w.env,
      cwd: w.home,
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Once the waiter watches, a question on another task does not wake it; one on its task does.
    await waitFor('the waiter to watch', () => w.server.eventStreams.stats.watchers === 1, WAIT);
    await cliData(['report', 'question', 'Which database?', '--task', other.id], w.env, w.home);
    await cliData(['report', 'question', 'Postgres or SQLite?', '--task', t.id], w.env, w.home);
    expect(await exited).toBe(0);
    const doc = JSON.parse(stdout) as {
      ok: boolean;
      data: { timedOut: boolean; event: { type: string; entityId: string; data: { question: string } } };
    };
    expect(doc.data).toMatchObject({ timedOut: false, event: { type: 'task.question', entityId: t.id } });
    expect(doc.data.event.data.question).toBe('Postgres or SQLite?');

    const timedOut = await runCli(['wait', '--for', 'done', '--timeout', '1', '--json'], w.env, w.home);
    expect(timedOut.code).toBe(8);
    expect(timedOut.json.data).toMatchObject({ timedOut: true, event: null });
  }, 60_000);
});

describe('webhooks', () => {
  it('a local receiver gets each notification once, a failed delivery retried', async () => {
    const received: { text: string; maestro: { kind: string; seq: number; entityId: string } }[] = [];
    let refused = 0;
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        // The first delivery fails: it must be retried, and still arrive once.
        if (refused++ === 0) {
          res.writeHead(503).end();
          return;
        }
        received.push(JSON.parse(body) as (typeof received)[number]);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/T000/B000/secret`;
    try {
      const w = await autopilotServer(
        { webhooks: url },
        {
          sweepIntervalMs: 100,
          autopilot: { tickMs: 200, retryBackoff: { baseMs: 300, maxMs: 300, factor: 1, jitter: 0 } },
          webhooks: { backoff: { baseMs: 50, maxMs: 200, factor: 2, jitter: 0 } },
        },
      );
      const q = await w.task('Asks');
      const f = await w.task('Fails');
      w.mode(f.id, 'die');
      await w.cli(['report', 'question', 'Which region?', '--task', q.id]);
      await w.cli(['autopilot', 'on', '--max-attempts', '1', '--label', 'nothing-yet']);
      await w.server.services.tasks.update(SYSTEM, { id: f.id, addLabels: ['go'] });
      await w.cli(['autopilot', 'on', '--label', 'go']);
      await waitFor(
        'F to be blocked',
        async () => (await w.server.services.tasks.get(f.id)).task.status === 'blocked',
        WAIT,
      );
      await w.server.services.tasks.cancel(SYSTEM, f.id);
      await w.server.services.tasks.start(SYSTEM, q.id);
      await w.server.services.tasks.complete(SYSTEM, q.id);
      await waitFor(
        'the graph-done notification',
        () => received.some((r) => r.maestro.kind === 'graph_done'),
        WAIT,
      );
      const kinds = received.map((r) => r.maestro.kind).sort();
      expect(kinds).toEqual(['blocked', 'graph_done', 'question', 'session_failed']);
      expect(received.find((r) => r.maestro.kind === 'question')!.text).toContain('Which region?');
      expect(received.find((r) => r.maestro.kind === 'blocked')!.text).toMatch(/gave up after 1 attempts/);
      expect(new Set(received.map((r) => r.maestro.seq)).size).toBe(received.length);
      expect(refused).toBe(received.length + 1);
    } finally {
      receiver.close();
    }
  }, 60_000);
});
