import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findCommand } from '../../cli/main.js';
import type { Settings } from '../../src/config/config.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { ROOT, cliData, cliEnv, runCli } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { sectionCommands, shellWords, skillText } from '../support/skill-commands.js';
import { waitFor } from '../support/wait.js';

/**
 * The skills' workflows, run as written: each command line of a workflow section, in order, with
 * its `<placeholders>` filled from what the earlier commands answered, through the built CLI as a
 * session against a real server. A line that stops working breaks this test.
 */

const FAKE_AGENT = join(ROOT, 'test/support/fake-agent.mjs');
const worker = skillText('maestro-worker');
const orchestrator = skillText('maestro-orchestrator');

interface Task {
  id: string;
  status: string;
  blockedReason: string;
  subtasksTotal: number;
  subtasksCompleted: number;
  claim: { holder: string } | null;
}
interface Session {
  id: string;
  status: string;
  role: string;
  taskIds: string[];
}

/** A value for a `<placeholder>`; a list runs the line once per item (none: the line is skipped). */
type Resolve = (name: string) => string | string[] | Promise<string | string[]>;

interface Walker {
  /** Lines run at least once, by their text in the skill. */
  ran: Set<string>;
  walk(lines: readonly string[], env: Record<string, string>, resolve: Resolve): Promise<void>;
  /** What the last run of a command answered (`data`, or the event lines for `events`). */
  last: Map<string, unknown>;
}

function walker(cwd: string): Walker {
  const ran = new Set<string>();
  const last = new Map<string, unknown>();
  return {
    ran,
    last,
    async walk(lines, env, resolve) {
      for (const line of lines) {
        const words = shellWords(line);
        const runs: string[][] = [[]];
        for (const word of words) {
          const names = [...word.matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1]!);
          let variants = [word];
          for (const name of names) {
            const value = await resolve(name);
            const values = Array.isArray(value) ? value : [value];
            variants = variants.flatMap((v) => values.map((x) => v.replace(`<${name}>`, x)));
          }
          runs.splice(0, runs.length, ...runs.flatMap((r) => variants.map((v) => [...r, v])));
        }
        for (const argv of runs) {
          const args = argv.slice(1);
          const path = findCommand(args)!.command.path.join(' ');
          const result = await runCli(args, env, cwd);
          // `wait` exits 8 when nothing matched within its --timeout (documented).
          expect(
            path === 'wait' ? [0, 8] : [0],
            `${argv.join(' ')}\n${result.stdout}${result.stderr}`,
          ).toContain(result.code);
          if (path === 'events') {
            last.set(
              path,
              result.stdout
                .split('\n')
                .filter(Boolean)
                .map((l) => JSON.parse(l) as unknown),
            );
          } else {
            expect(result.json.ok).toBe(true);
            last.set(path, result.json.data);
          }
          ran.add(line);
        }
      }
    },
  };
}

const servers: RunningServer[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const c of cleanups.splice(0)) c();
});

async function setup(overrides: Partial<Settings>) {
  const home = tempHome('maestro-walk-');
  cleanups.push(home.cleanup);
  const server = await startTestServer(home.home, overrides);
  servers.push(server);
  const api = TestClient.for(server, { actor: 'setup' });
  cleanups.unshift(() => api.close());
  const project = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;
  /** A session as the runner would start it, with the environment a spawned agent gets. */
  const session = async (taskIds: string[], role: string, name: string) => {
    const s = await api.call<Session>('Sessions', 'create', { projectId: project, taskIds, role, name });
    await api.call('Sessions', 'reportProcess', { id: s.id, kind: 'started', pid: process.pid });
    const env = cliEnv(server, home.home, {
      MAESTRO_SESSION_ID: s.id,
      MAESTRO_TASK_IDS: taskIds.join(','),
      MAESTRO_ROLE: role,
      MAESTRO_PROJECT_ID: project,
      MAESTRO_ACTOR: name,
    });
    return { id: s.id, env };
  };
  const task = async (id: string) => (await api.call<{ task: Task }>('Tasks', 'get', { id })).task;
  return { home: home.home, server, api, project, session, task };
}

describe('the maestro-worker skill, walked through', () => {
  it('Workflow: whoami, read, start, progress, subtasks, complete report, complete', async () => {
    const { home, api, project, session, task } = await setup({ runner: 'off' });
    const t = (
      await api.call<{ id: string }>('Tasks', 'create', { projectId: project, title: 'Add the login form' })
    ).id;
    for (const title of ['Markup', 'Validation']) await api.call('Subtasks', 'create', { taskId: t, title });
    const me = await session([t], 'worker', 'worker-1');
    const w = walker(home);
    const lines = sectionCommands(worker, 'Workflow');
    expect(lines.length).toBeGreaterThanOrEqual(6);

    await w.walk(lines, me.env, async (name) => {
      if (name === 'taskId') return t;
      if (name === 'subtaskId') {
        const { subtasks } = await api.call<{ subtasks: { id: string; status: string }[] }>(
          'Subtasks',
          'list',
          {
            taskId: t,
          },
        );
        return subtasks.filter((s) => s.status === 'pending').map((s) => s.id);
      }
      throw new Error(`the walkthrough does not know <${name}>`);
    });

    expect([...w.ran]).toEqual(lines);
    expect(w.last.get('whoami')).toMatchObject({ sessionId: me.id, role: 'worker', taskIds: [t] });
    expect(await task(t)).toMatchObject({ status: 'completed', subtasksTotal: 2, subtasksCompleted: 2 });
    const detail = await api.call<{ timeline: { kind: string; actor: string }[] }>('Tasks', 'get', {
      id: t,
      timelineLimit: 50,
    });
    const kinds = detail.timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['progress', 'complete']));
    expect(detail.timeline.find((e) => e.kind === 'progress')!.actor).toBe('worker-1');
  });

  it('When stuck: block with the reason, report, and the task is blocked for someone else to resolve', async () => {
    const { home, api, project, session, task } = await setup({ runner: 'off' });
    const t = (await api.call<{ id: string }>('Tasks', 'create', { projectId: project, title: 'Deploy' })).id;
    const me = await session([t], 'worker', 'worker-2');
    const w = walker(home);
    await w.walk(sectionCommands(worker, 'Workflow').slice(0, 3), me.env, () => t);
    const stuck = sectionCommands(worker, 'When stuck');
    await w.walk(stuck, me.env, () => {
      throw new Error('the stuck lines need no ids in a session');
    });
    expect([...w.ran].slice(-stuck.length)).toEqual(stuck);
    expect(await task(t)).toMatchObject({ status: 'blocked', blockedReason: '<what you need, from whom>' });
  });
});

describe('the maestro-orchestrator skill, walked through', () => {
  it('Plan, Run, Unblock, Verify and finish: a goal done by spawned workers', async () => {
    const { home, api, project, session, task } = await setup({
      agentCommand: `${process.execPath} ${FAKE_AGENT} {promptFile}`,
      runner: 'pipe',
    });
    const goal = (
      await api.call<{ id: string }>('Tasks', 'create', {
        projectId: project,
        title: 'Ship the login feature',
      })
    ).id;
    const lead = await session([goal], 'orchestrator', 'lead');
    const w = walker(home);
    const created: string[] = [];
    const children = async () =>
      (await api.call<{ tasks: Task[] }>('Tasks', 'list', { projectId: project, parentId: goal })).tasks;

    const resolve: Resolve = async (name) => {
      switch (name) {
        case 'goalId':
          return goal;
        case 'taskId': {
          // The task the plan just created.
          const made = w.last.get('task create') as { id: string } | undefined;
          if (made && !created.includes(made.id)) created.push(made.id);
          return created.at(-1)!;
        }
        case 'readyId':
          return (w.last.get('task ready') as { id: string }[]).map((t) => t.id);
        case 'seq':
          return String((w.last.get('status') as { lastSeq: number }).lastSeq);
        case 'blockedId':
          return (w.last.get('task list') as { id: string }[]).map((t) => t.id);
        case 'childId':
          return (await children()).map((t) => t.id);
        case 'seconds':
          return '2';
        default:
          throw new Error(`the walkthrough does not know <${name}>`);
      }
    };
    const workersIdle = () =>
      waitFor(
        'the workers to end',
        async () => {
          const { sessions } = await api.call<{ sessions: Session[] }>('Sessions', 'list', {
            projectId: project,
          });
          return sessions
            .filter((s) => s.role === 'worker')
            .every((s) => !['spawning', 'running', 'stale'].includes(s.status));
        },
        { timeoutMs: 20_000, intervalMs: 150 },
      );
    /** The Run section, repeated as the skill says, until every child of the goal is completed. */
    const runUntilDone = async () => {
      for (let round = 0; round < 6; round++) {
        await w.walk(sectionCommands(orchestrator, 'Run'), lead.env, resolve);
        await workersIdle();
        if ((await children()).every((t) => t.status === 'completed')) return;
      }
      throw new Error(`children not completed: ${JSON.stringify(await children())}`);
    };

    await w.walk(sectionCommands(orchestrator, 'Plan'), lead.env, resolve);
    const [first, second] = created;
    expect((await task(second!)).status).toBe('pending');
    expect((await children()).map((t) => t.id).sort()).toEqual([first, second].sort());
    expect(await task(goal)).toMatchObject({ status: 'in_progress', claim: { holder: 'lead' } });

    await runUntilDone();
    // The second task waited for the first: two rounds, one worker each.
    const spawned = async () =>
      (await api.call<{ sessions: Session[] }>('Sessions', 'list', { projectId: project })).sessions.filter(
        (s) => s.role === 'worker',
      );
    expect((await spawned()).map((s) => s.taskIds[0])).toEqual([first, second]);
    // The autopilot is turned off by hand for the stuck worker's part; Run turns it on again.
    await cliData(['autopilot', 'off'], lead.env, home);

    // A worker gets stuck: it follows its own skill's "When stuck" and exits.
    const third = (
      await api.call<{ id: string }>('Tasks', 'create', {
        projectId: project,
        title: 'Rate limits',
        parentId: goal,
      })
    ).id;
    const stuck = await session([third], 'worker', 'worker-stuck');
    await cliData(['task', 'start'], stuck.env, home);
    await w.walk(sectionCommands(worker, 'When stuck'), stuck.env, resolve);
    await api.call('Sessions', 'reportProcess', { id: stuck.id, kind: 'exited', exitCode: 0 });
    expect(await task(third)).toMatchObject({ status: 'blocked', claim: null });

    await w.walk(sectionCommands(orchestrator, 'Unblock'), lead.env, resolve);
    expect(await task(third)).toMatchObject({ status: 'pending', claim: null, blockedReason: '' });
    await runUntilDone();
    const respawned = (await spawned()).filter((s) => s.taskIds[0] === third && s.id !== stuck.id);
    expect(respawned.map((s) => s.status)).toEqual(['completed']);

    await w.walk(sectionCommands(orchestrator, 'Verify and finish'), lead.env, resolve);
    expect(await task(goal)).toMatchObject({ status: 'completed' });
    for (const child of await children()) expect(child.status).toBe('completed');

    for (const section of ['Plan', 'Run', 'Unblock', 'Verify and finish'])
      for (const line of sectionCommands(orchestrator, section)) expect(w.ran, line).toContain(line);
    // The autopilot started every worker; the orchestrator waited instead of polling.
    expect(w.last.get('wait')).toMatchObject({ timedOut: expect.any(Boolean) });
  });
});
