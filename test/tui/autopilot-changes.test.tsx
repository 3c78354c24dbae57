import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { ROOT, cliData, cliEnv } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { sandboxes } from '../workspaces/support.js';
import { tuiMounts } from './mount.js';

/**
 * The project's autopilot in the TUI's header (and the `A` key that switches it), and a task's
 * changes in its detail, against a real server: a real scheduler starting real workers, and a real
 * git repository whose task gets a worktree. The CLI runs from dist/ (`npm run build`).
 */

const ENTER = '\r';
const AGENT = join(ROOT, 'test/support/workspace-agent.mjs');
const mounts = tuiMounts();
const servers: RunningServer[] = [];
const clients: TestClient[] = [];
const homes: { cleanup(): void }[] = [];
const boxes = sandboxes();

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const h of homes.splice(0)) h.cleanup();
});

async function serve(home: string, agentCommand: string) {
  const server = await startTestServer(home, { agentCommand, runner: 'pipe' });
  servers.push(server);
  const api = TestClient.for(server, { actor: 'someone-else' });
  clients.push(api);
  return { server, api, env: cliEnv(server, home, { MAESTRO_ACTOR: 'orchestrator' }) };
}

interface AutopilotOut {
  enabled: boolean;
  maxWorkers: number;
}

describe('the autopilot in the header', () => {
  it('A turns it on through the server, its worker shows live, and changes from the CLI show up', async () => {
    const home = tempHome('maestro-tui-autopilot-');
    homes.push(home);
    // A worker that stays until it is stopped, so that it is live while the test looks.
    const agent = join(home.home, 'agent.sh');
    writeFileSync(agent, 'echo "working"\nsleep 60\n');
    const { server, api, env } = await serve(home.home, `sh ${agent} {promptFile}`);
    const project = await api.call<{ id: string }>('Projects', 'create', { name: 'auto', workingDir: '' });
    const task = await api.call<{ id: string }>('Tasks', 'create', { projectId: project.id, title: 'Ready' });
    const get = () => api.call<AutopilotOut>('Autopilot', 'Get', { projectId: project.id });
    const penv = { ...env, MAESTRO_PROJECT_ID: project.id };

    const ui = await mount(server, project.id);
    await ui.waitFor('the autopilot off', (f) => f.includes('· 1 tasks · autopilot off'));
    expect((await get()).enabled).toBe(false);

    await ui.press('A');
    await ui.waitFor('the reply', (f) => f.includes('Autopilot on for auto: every ready task gets a worker'));
    expect(await get()).toMatchObject({ enabled: true, maxWorkers: 4 });
    // The scheduler starts a worker for the ready task; the header counts it against the cap.
    await ui.waitFor('its worker', (f) => f.includes('autopilot on 1/4 workers'), 15_000);
    const { sessions } = await api.call<{ sessions: { id: string; taskIds: string[] }[] }>(
      'Sessions',
      'List',
      { projectId: project.id, status: [] },
    );
    expect(sessions.map((s) => s.taskIds)).toEqual([[task.id]]);

    await cliData(['autopilot', 'off'], penv);
    await ui.waitFor('off from the CLI', (f) => f.includes('autopilot off · 1 worker live'));
    await cliData(['autopilot', 'on', '--max-workers', '2'], penv);
    await ui.waitFor('the new cap from the CLI', (f) => f.includes('autopilot on 1/2 workers'));

    await ui.press('A');
    await ui.waitFor('off with A', (f) => f.includes('Autopilot off for auto'));
    expect(await get()).toMatchObject({ enabled: false, maxWorkers: 2 });
    await api.call('Sessions', 'Stop', { id: sessions[0]!.id });
    await ui.waitFor('no worker live', (f) => /autopilot off\s+● live/.test(f));
  });
});

describe('a task’s changes in its detail', () => {
  it('shows the files changed with +/- counts and totals, refreshed as the workspace moves on', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'readme.txt': 'hello\n', 'src/app.js': 'one\n' });
    const plans = join(box.root, 'plans');
    mkdirSync(plans);
    const { server, env } = await serve(
      box.maestroHome,
      `${process.execPath} ${AGENT} {promptFile} ${plans}`,
    );
    const project = await cliData<{ id: string }>(['project', 'create', 'app', '--dir', repo], env);
    const penv = { ...env, MAESTRO_PROJECT_ID: project.id };
    await cliData(['project', 'configure', '--review', 'required'], penv);
    const task = await cliData<{ id: string }>(['task', 'create', 'Greet better'], penv);
    writeFileSync(
      join(plans, `${task.id}.json`),
      JSON.stringify({ files: { 'readme.txt': 'hello, world\n', 'src/new.js': 'a\nb\n' } }),
    );

    const ui = await mount(server, project.id);
    await ui.press(ENTER);
    await ui.waitFor(
      'no workspace yet',
      (f) => f.includes('Changes no workspace yet') && f.includes('the first worker spawned'),
    );

    await cliData(['session', 'spawn', '--task', task.id], penv);
    const frame = await ui.waitFor(
      'the diff stat of the task in review',
      (f) => f.includes('workspace review') && f.includes('Changes 2 files +3 −1'),
      20_000,
    );
    expect(frame).toMatch(/M readme\.txt\s+\+1 −1/);
    expect(frame).toMatch(/A src\/new\.js\s+\+2 −0/);
    expect(frame).toMatch(new RegExp(`maestro/${task.id}-\\S+ → main`));
    // The same counts as `maestro task diff --stat`.
    const stat = await cliData<{ totals: { files: number; additions: number; deletions: number } }>(
      ['task', 'diff', task.id, '--stat'],
      penv,
    );
    expect(stat.totals).toEqual({ files: 2, additions: 3, deletions: 1 });

    // Sent back, the next worker adds a file in the same worktree: the stat follows.
    writeFileSync(join(plans, `${task.id}.json`), JSON.stringify({ files: { 'src/more.js': 'c\n' } }));
    await cliData(['task', 'reject', task.id, '--comment', 'One more file'], penv);
    await ui.waitFor(
      'the task sent back',
      (f) => f.includes('workspace ready') && f.includes('Changes 2 files'),
    );
    await cliData(['session', 'spawn', '--task', task.id], penv);
    await ui.waitFor(
      'the new file',
      (f) =>
        f.includes('workspace review') && f.includes('Changes 3 files +4 −1') && /A src\/more\.js/.test(f),
      20_000,
    );

    // A project without workspaces says so.
    const plain = await cliData<{ id: string }>(['project', 'create', 'plain', '--dir', repo], env);
    const plainEnv = { ...env, MAESTRO_PROJECT_ID: plain.id };
    await cliData(['project', 'configure', '--isolation', 'none'], plainEnv);
    await cliData(['task', 'create', 'In place'], plainEnv);
    const other = await mount(server, plain.id);
    await other.press(ENTER);
    await other.waitFor(
      'no workspace',
      (f) =>
        f.includes('Changes no workspace (isolation: none)') &&
        f.includes('the project sets isolation none: workers run in the'),
    );
  });
});

const mount = (server: RunningServer, projectId: string) => mounts.mount(server, projectId);
