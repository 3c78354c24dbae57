import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrimeData } from '../../cli/commands/prime.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { cliData, cliEnv, runCli } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { checkCommand, commandLines } from '../support/skill-commands.js';

/** The SessionStart hook's budget: 600 tokens, counted as characters / 4. */
const MAX_CHARS = 600 * 4;

/** Every `maestro ...` line prime prints must run against the real CLI too. */
function expectValidCommands(text: string) {
  expect(commandLines(text).flatMap((l) => checkCommand(l.text, true))).toEqual([]);
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('maestro prime', () => {
  const home = tempHome();
  let server: RunningServer;
  let api: TestClient;
  let project: string;
  let base: Record<string, string>;

  const task = async (title: string, extra: object = {}) =>
    (await api.call<{ id: string }>('Tasks', 'create', { projectId: project, title, ...extra })).id;
  const session = async (taskIds: string[], role: string, name: string) => {
    const s = await api.call<{ id: string }>('Sessions', 'create', {
      projectId: project,
      taskIds,
      role,
      name,
    });
    await api.call('Sessions', 'reportProcess', { id: s.id, kind: 'started', pid: 1 });
    return s.id;
  };
  const sessionEnv = (id: string, taskIds: string[], role: string, name: string) => ({
    ...base,
    MAESTRO_SESSION_ID: id,
    MAESTRO_TASK_IDS: taskIds.join(','),
    MAESTRO_ROLE: role,
    MAESTRO_PROJECT_ID: project,
    MAESTRO_ACTOR: name,
  });

  beforeAll(async () => {
    server = await startTestServer(home.home);
    base = cliEnv(server, home.home);
    api = TestClient.for(server, { actor: 'setup' });
    project = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  it('for a worker: its task, state and subtasks, and the next step as the task moves on', async () => {
    const t = await task('Add the login form', { priority: 'high' });
    const subtasks: string[] = [];
    for (const title of ['Markup', 'Validation', 'Tests'])
      subtasks.push((await api.call<{ id: string }>('Subtasks', 'create', { taskId: t, title })).id);
    const s = await session([t], 'worker', 'worker-1');
    const env = sessionEnv(s, [t], 'worker', 'worker-1');

    const fresh = await cliData<PrimeData>(['prime'], env, home.home);
    expect(fresh).toMatchObject({
      inSession: true,
      sessionId: s,
      role: 'worker',
      actor: 'worker-1',
      projectId: project,
      reachable: true,
      session: { id: s, name: 'worker-1', status: 'running' },
      tasks: [{ id: t, status: 'pending', priority: 'high', subtasks: { total: 3, completed: 0 } }],
      project: null,
      problems: [],
    });
    expect(fresh.next).toEqual([`Start ${t}: maestro task start ${t} --json`]);

    await cliData(['task', 'start'], env, home.home);
    await cliData(['subtask', 'complete', t, subtasks[0]!], env, home.home);
    const working = await runCli(['prime'], env, home.home);
    expect(working.code).toBe(0);
    const text = working.stdout;
    expect(text).toContain(`# Maestro worker session ${s} (worker-1)`);
    expect(text).toContain(`- ${t} in_progress [high] Add the login form; subtasks 1/3`);
    expect(text).toContain(`Continue ${t} with subtask ${subtasks[1]} "Validation"`);
    expect(text).toContain(`maestro task complete ${t} --json`);
    expect(text).toContain(`maestro task block ${t} --reason`);
    expect(text.length).toBeLessThanOrEqual(MAX_CHARS);
    expectValidCommands(text);

    for (const st of subtasks.slice(1)) await cliData(['subtask', 'complete', t, st], env, home.home);
    const verify = await cliData<PrimeData>(['prime'], env, home.home);
    expect(verify.next[0]).toMatch(/^Verify .* \(run the tests\)/);

    await cliData(['task', 'block', '--reason', 'Needs the design'], env, home.home);
    const blocked = await cliData<PrimeData>(['prime'], env, home.home);
    expect(blocked.tasks[0]).toMatchObject({ status: 'blocked', blockedReason: 'Needs the design' });
    expect(blocked.next[0]).toContain('is blocked (Needs the design)');
  });

  it('for a worker whose task waits on a dependency: do not start', async () => {
    const first = await task('Schema');
    const t = await task('API on the schema', { dependsOn: [first] });
    const s = await session([t], 'worker', 'worker-2');
    const data = await cliData<PrimeData>(['prime'], sessionEnv(s, [t], 'worker', 'worker-2'), home.home);
    expect(data.tasks[0]!.blockedBy).toEqual([{ id: first, status: 'pending' }]);
    expect(data.next[0]).toBe(
      `${t} waits on ${first} (pending): do not start it; block it with a reason and stop.`,
    );
  });

  it('for an orchestrator: its goal, ready and blocked work, active sessions and where to resume events', async () => {
    const other = tempHome();
    const own = await startTestServer(other.home);
    const client = TestClient.for(own, { actor: 'setup' });
    try {
      const p = (await client.call<{ id: string }>('Projects', 'resolve', { workingDir: other.home })).id;
      const mk = async (title: string, extra: object = {}) =>
        (await client.call<{ id: string }>('Tasks', 'create', { projectId: p, title, ...extra })).id;
      const goal = await mk('Ship v1');
      const a = await mk('Ready work', { parentId: goal });
      await mk('Waits on A', { parentId: goal, dependsOn: [a] });
      const c = await mk('Stuck work', { parentId: goal });
      await client.call('Tasks', 'block', { id: c, reason: 'Needs a key' });
      const d = await mk('Running work', { parentId: goal });
      const start = async (taskIds: string[], role: string, name: string) => {
        const s = await client.call<{ id: string }>('Sessions', 'create', {
          projectId: p,
          taskIds,
          role,
          name,
        });
        await client.call('Sessions', 'reportProcess', { id: s.id, kind: 'started', pid: 1 });
        return s.id;
      };
      const orch = await start([goal], 'orchestrator', 'lead');
      const worker = await start([d], 'worker', 'worker-1');
      await client.call('Tasks', 'start', { id: goal }, { session: orch, actor: 'lead' });
      await client.call('Tasks', 'start', { id: d }, { session: worker, actor: 'worker-1' });
      const env = {
        ...cliEnv(own, other.home),
        MAESTRO_SESSION_ID: orch,
        MAESTRO_TASK_IDS: goal,
        MAESTRO_ROLE: 'orchestrator',
        MAESTRO_PROJECT_ID: p,
        MAESTRO_ACTOR: 'lead',
      };

      const data = await cliData<PrimeData>(['prime'], env, other.home);
      expect(data).toMatchObject({
        role: 'orchestrator',
        tasks: [{ id: goal, status: 'in_progress', children: { total: 4, completed: 0 } }],
        project: { ready: 1, readyIds: [a], blockedIds: [c] },
      });
      expect(data.project!.counts).toMatchObject({ pending: 2, in_progress: 2, blocked: 1 });
      expect(data.project!.activeSessions.map((s) => s.id).sort()).toEqual([orch, worker].sort());
      expect(data.project!.lastSeq).toBeGreaterThan(0);

      const human = await runCli(['prime'], env, other.home);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(`# Maestro orchestrator session ${orch} (lead)`);
      expect(human.stdout).toContain(`1 ready (${a}): spawn one worker each`);
      expect(human.stdout).toContain(`Blocked: ${c}.`);
      expect(human.stdout).toContain(`maestro events --since ${data.project!.lastSeq} --json`);
      expect(human.stdout).toMatch(new RegExp(`- ${worker} worker-1 worker running on ${d}`));
      expect(human.stdout.length).toBeLessThanOrEqual(MAX_CHARS);
      expectValidCommands(human.stdout);
    } finally {
      client.close();
      await own.close();
      other.cleanup();
    }
  });

  it('in a plain shell: says so and prints the basics without calling the server (exit 0)', async () => {
    const env = { ...base, MAESTRO_SERVER: `127.0.0.1:${await closedPort()}` };
    const started = Date.now();
    const human = await runCli(['prime'], env, home.home);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /^Maestro: this shell is not a Maestro session \(MAESTRO_SESSION_ID is unset\)/,
    );
    expect(human.stdout).toContain('maestro task claim --next --json');
    expect(human.stdout.length).toBeLessThanOrEqual(MAX_CHARS);
    expectValidCommands(human.stdout);
    expect(Date.now() - started).toBeLessThan(5000);

    const json = await runCli(['prime', '--json'], env, home.home);
    expect(json.code).toBe(0);
    expect(json.json.data).toMatchObject({ inSession: false, reachable: null, tasks: [], problems: [] });
  });

  it('in a session whose server is down: what the environment says, the problem, and exit 0', async () => {
    const env = {
      ...sessionEnv('s_9', ['t_1'], 'worker', 'worker-9'),
      MAESTRO_SERVER: `127.0.0.1:${await closedPort()}`,
      MAESTRO_RETRIES: '2',
      MAESTRO_RETRY_BASE_MS: '10',
    };
    const json = await runCli(['prime', '--json'], env, home.home);
    expect(json.code).toBe(0);
    const data = json.json.data as PrimeData;
    expect(data).toMatchObject({
      inSession: true,
      sessionId: 's_9',
      role: 'worker',
      reachable: false,
      tasks: [],
    });
    // One failed call, then prime stops asking.
    expect(data.problems).toEqual([{ code: 'server_unavailable', message: expect.any(String) }]);
    expect(data.next[0]).toContain('maestro server status --json');

    const human = await runCli(['prime'], env, home.home);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('The server did not answer (server_unavailable)');
    expect(human.stdout).toContain('maestro task complete t_1 --json');
    expectValidCommands(human.stdout);
  });

  it('with a session id the server does not know: reports it and still answers', async () => {
    const t = await task('Orphan');
    const data = await cliData<PrimeData>(
      ['prime'],
      sessionEnv('s_424242', [t], 'worker', 'ghost'),
      home.home,
    );
    expect(data.problems.map((p) => p.code)).toContain('session_not_found');
  });

  it('stays within 600 tokens with many long tasks and subtasks', async () => {
    const long = 'A very long task title that goes on and on about what exactly has to be built '.repeat(3);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const id = await task(`${long} #${i}`, { priority: 'low', dependsOn: ids.slice(-3) });
      for (let j = 0; j < 4; j++)
        await api.call('Subtasks', 'create', { taskId: id, title: `${long} step ${j}` });
      ids.push(id);
    }
    const s = await session(ids, 'worker', 'busy-worker');
    const human = await runCli(['prime'], sessionEnv(s, ids, 'worker', 'busy-worker'), home.home);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('- and 3 more');
    expect(human.stdout.length).toBeLessThanOrEqual(MAX_CHARS);
    expectValidCommands(human.stdout);
  });
});
