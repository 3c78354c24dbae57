import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalSize } from '../../cli/tui/app.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';
import { tuiMounts } from './mount.js';

/**
 * The App driven from the keyboard against a real server: the TUI's store talks to it with the
 * CLI's own gRPC client, so every key press here makes the call the CLI command makes.
 */

const ENTER = '\r';
const ESC = '\u001b';
const DOWN = '\u001b[B';

interface TaskOut {
  id: string;
  title: string;
  status: string;
  blockedReason: string;
  claim: { holder: string } | null;
}

const home = tempHome('maestro-tui-');
let server: RunningServer;
let api: TestClient;
let projects = 0;

beforeAll(async () => {
  const agent = join(home.home, 'agent.sh');
  writeFileSync(agent, 'echo "agent says hello"\necho "reading the task"\nsleep 0.3\n');
  server = await startTestServer(home.home, { agentCommand: `sh ${agent} {promptFile}`, runner: 'pipe' });
  api = TestClient.for(server, { actor: 'someone-else' });
});

afterAll(async () => {
  api.close();
  await server.close();
  home.cleanup();
});

/** A project of its own for each test, so that boards do not see each other's tasks. */
async function newProject(): Promise<string> {
  const p = await api.call<{ id: string }>('Projects', 'create', {
    name: `tui-${++projects}`,
    workingDir: '',
  });
  return p.id;
}

const createTask = (projectId: string, title: string, extra: object = {}) =>
  api.call<TaskOut>('Tasks', 'create', { projectId, title, ...extra });

const mounts = tuiMounts();
const mount = (projectId: string, size: TerminalSize | null = { columns: 120, rows: 30 }, s = server) =>
  mounts.mount(s, projectId, size);

const get = (id: string) => api.call<{ task: TaskOut }>('Tasks', 'get', { id }).then((d) => d.task);

describe('the board', () => {
  it("shows the project's tasks by status and follows changes made elsewhere without a key press", async () => {
    const project = await newProject();
    const a = await createTask(project, 'Add login form', { priority: 'high' });
    const b = await createTask(project, 'Wire the API');
    await api.call('Tasks', 'start', { id: b.id });
    const c = await createTask(project, 'Write docs', { priority: 'low' });
    await api.call('Tasks', 'block', { id: c.id, reason: 'Needs the staging key' });

    const ui = await mount(project);
    expect(ui.frame()).toMatch(/PENDING 1\s+IN PROGRESS 1\s+BLOCKED 1\s+COMPLETED 0\s+CANCELLED 0/);
    expect(ui.frame()).toContain('H Add login form');
    expect(ui.frame()).toContain(`${b.id} @someone-else`);
    expect(ui.frame()).toContain('⚠ Needs the');

    const made = await createTask(project, 'Made elsewhere');
    await ui.waitFor('a task made elsewhere', (f) => f.includes('Made elsewhere') && f.includes('PENDING 2'));
    await api.call('Tasks', 'start', { id: a.id });
    await ui.waitFor('the start', (f) => /PENDING 1\s+IN PROGRESS 2/.test(f));
    await api.call('Tasks', 'delete', { id: made.id });
    await ui.waitFor('the delete', (f) => !f.includes('Made elsewhere'));
  });

  it('applies a burst of events in a few frames, not one per event', async () => {
    const project = await newProject();
    const ui = await mount(project);
    const before = ui.app.frames.length;
    await Promise.all(Array.from({ length: 100 }, (_, i) => createTask(project, `Burst ${i}`)));
    await ui.waitFor('all 100 tasks', (f) => f.includes('PENDING 100'));
    const frames = ui.app.frames.length - before;
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(40);
  });

  it('moves with arrows and hjkl, opens a task with Enter and goes back with Esc', async () => {
    const project = await newProject();
    const dep = await createTask(project, 'Spec the DSL');
    const t = await createTask(project, 'Build the parser', { dependsOn: [dep.id] });
    await api.call('Subtasks', 'create', { taskId: t.id, title: 'Tokenizer' });
    await api.call('Tasks', 'start', { id: dep.id });
    const ui = await mount(project);

    await ui.press('l', ENTER);
    await ui.waitFor(
      'the dependency detail',
      (f) => f.includes(`${dep.id} Spec the DSL`) && f.includes('Needed by'),
    );
    expect(ui.frame()).toMatch(new RegExp(`${t.id} pending\\s+Build the parser`));
    await ui.press(ESC, 'h', 'j', 'k', DOWN, ENTER);
    await ui.waitFor(
      'the task detail',
      (f) => f.includes(`${t.id} Build the parser`) && f.includes('Timeline'),
    );
    const frame = ui.frame();
    expect(frame).toContain('[ ] st_');
    expect(frame).toContain('Tokenizer');
    expect(frame).toMatch(new RegExp(`Depends on \\(1\\)[\\s\\S]*${dep.id} in_progress\\s+Spec the DSL`));
    expect(frame).toMatch(/created\s+someone-else: Created "Build/);
    await ui.press(ESC);
    await ui.waitFor('the board again', (f) => f.includes('CANCELLED 0'));
  });
});

describe('actions from the keyboard', () => {
  it("create, start, block with a reason, unblock, complete and reopen change the server's state", async () => {
    const project = await newProject();
    const ui = await mount(project);
    await ui.press('n');
    await ui.waitFor('the title prompt', (f) => f.includes('New task title:'));
    await ui.press('Typed ', 'in the TUI', ENTER);
    await ui.waitFor('the new task', (f) => f.includes('Typed in the TUI') && f.includes('Created t_'));
    const { tasks } = await api.call<{ tasks: TaskOut[] }>('Tasks', 'list', { projectId: project });
    expect(tasks.map((t) => t.title)).toEqual(['Typed in the TUI']);
    const id = tasks[0]!.id;

    // The cursor is on the new task.
    await ui.press('s');
    await ui.waitFor('started', (f) => f.includes(`Started ${id}`));
    expect(await get(id)).toMatchObject({ status: 'in_progress', claim: { holder: 'tui-user' } });

    await ui.press('b');
    await ui.waitFor('the reason prompt', (f) => f.includes(`Why is ${id} blocked?:`));
    await ui.press('Waiting for review', ENTER);
    await ui.waitFor('blocked', (f) => f.includes(`Blocked ${id}`) && f.includes('⚠ Waiting for'));
    expect(await get(id)).toMatchObject({ status: 'blocked', blockedReason: 'Waiting for review' });

    await ui.press('u');
    await ui.waitFor('unblocked', (f) => f.includes(`Unblocked ${id}`));
    expect((await get(id)).status).toBe('in_progress');
    await ui.press('c');
    await ui.waitFor('completed', (f) => f.includes(`Completed ${id}`) && /COMPLETED 1/.test(f));
    expect((await get(id)).status).toBe('completed');
    await ui.press('r');
    await ui.waitFor('reopened', (f) => f.includes(`Reopened ${id}`));
    expect((await get(id)).status).toBe('in_progress');
  });

  it("a refused action shows the server's error message and hint, as the CLI prints them", async () => {
    const project = await newProject();
    const dep = await createTask(project, 'First');
    const t = await createTask(project, 'Second', { dependsOn: [dep.id], priority: 'high' });
    const ui = await mount(project, { columns: 220, rows: 30 });
    await api.call('Tasks', 'start', { id: dep.id });
    await ui.waitFor('the start', (f) => /PENDING 1\s+IN PROGRESS 1/.test(f));

    const expected = await failure(api.call('Tasks', 'start', { id: t.id }));
    expect(expected.code).toBe('dependencies_not_met');
    await ui.press('s');
    await ui.waitFor('the error', (f) => f.includes(`error: ${expected.message}`));
    expect(ui.frame()).toContain(`hint: ${expected.hint}`);

    const empty = await failure(api.call('Tasks', 'block', { id: t.id, reason: '' }));
    await ui.press('b', ENTER);
    await ui.waitFor('the empty reason refused', (f) => f.includes(`error: ${empty.message}`));
  });

  it('adds a subtask and toggles it from the task view', async () => {
    const project = await newProject();
    const t = await createTask(project, 'Has steps');
    const ui = await mount(project);
    await ui.press(ENTER);
    await ui.waitFor('the detail', (f) => f.includes('Subtasks 0/0'));
    await ui.press('a');
    await ui.press('Write the migration', ENTER);
    await ui.waitFor('the subtask', (f) => f.includes('[ ] st_') && f.includes('Write the migration'));
    await ui.press('x');
    await ui.waitFor('the toggle', (f) => f.includes('[x] st_') && f.includes('Subtasks 1/1'));
    const { subtasks } = await api.call<{ subtasks: { status: string }[] }>('Subtasks', 'list', {
      taskId: t.id,
    });
    expect(subtasks).toEqual([expect.objectContaining({ status: 'completed' })]);
  });

  it('spawns a session with S; the pane shows its status and its output', async () => {
    const project = await newProject();
    const t = await createTask(project, 'Agent work');
    const ui = await mount(project);
    expect(ui.frame()).toContain('No agent sessions.');
    await ui.press('S');
    await ui.waitFor('the session', (f) => /Spawned s_\d+ \(worker-\d+\) for/.test(f), 10_000);
    await ui.waitFor('its output', (f) => f.includes('reading the task'), 10_000);
    await ui.waitFor('its end', (f) => /○ s_\d+ worker-\d+ completed/.test(f), 10_000);
    expect(ui.frame()).toContain(t.id);
    await ui.press('\t', ENTER);
    await ui.waitFor('the output screen', (f) => f.includes('agent says hello') && !f.includes('SESSIONS'));
    await ui.press(ESC);
    await ui.waitFor('the board', (f) => f.includes('SESSIONS'));
  });
});

describe('filter, search and help', () => {
  it('filters by status, priority and label, searches as you type, and Esc clears both', async () => {
    const project = await newProject();
    await createTask(project, 'Login page', { priority: 'high', labels: ['ui'] });
    await createTask(project, 'Database index', { priority: 'low', labels: ['db'] });
    await createTask(project, 'Login API', { priority: 'low' });
    const ui = await mount(project);

    await ui.press('f', 'priority:low', ENTER);
    await ui.waitFor(
      'the filter',
      (f) => f.includes('2/3 tasks · priority:low') && !f.includes('Login page'),
    );
    await ui.press('f');
    await ui.press('\u0015', 'label:ui', ENTER);
    await ui.waitFor(
      'the label filter',
      (f) => f.includes('1/3 tasks · label:ui') && f.includes('Login page'),
    );
    await ui.press('f', '\u0015', 'status:done', ENTER);
    await ui.waitFor('the refusal', (f) => f.includes("error: status 'done' is not one of pending"));
    await ui.press(ESC);
    await ui.waitFor('cleared', (f) => f.includes('· 3 tasks'));

    await ui.press('/', 'log');
    await ui.waitFor(
      'the live search',
      (f) => f.includes('2/3 tasks · /log') && !f.includes('Database index'),
    );
    await ui.press('in', ENTER);
    await ui.waitFor('the search kept', (f) => f.includes('/login') && f.includes('Login API'));
    await ui.press(ESC);
    await ui.waitFor('cleared again', (f) => f.includes('Database index'));
  });

  it('? shows the keys and closes again', async () => {
    const ui = await mount(await newProject());
    expect(ui.frame()).toContain('? help');
    await ui.press('?');
    await ui.waitFor(
      'the help',
      (f) => f.includes('Keys (? or esc closes)') && f.includes('spawn an agent session'),
    );
    await ui.press('?');
    await ui.waitFor('the board', (f) => !f.includes('Keys (? or esc closes)'));
  });
});

describe('terminal size', () => {
  it('fits 80×24 with a single list, and re-lays out when the terminal is resized', async () => {
    const project = await newProject();
    for (const title of ['One', 'Two', 'Three']) await createTask(project, title);
    const ui = await mount(project, null);
    const stdout = ui.app.stdout as unknown as { columns: number; rows: number; emit(e: string): void };
    const resize = (columns: number, rows: number) => {
      Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
      Object.defineProperty(stdout, 'rows', { value: rows, configurable: true, writable: true });
      stdout.emit('resize');
    };
    resize(80, 24);
    const narrow = await ui.waitFor('the list layout', (f) => f.includes('── PENDING (3)'));
    const lines = narrow.split('\n');
    expect(lines).toHaveLength(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(narrow).toContain('n new');
    expect(narrow).toContain('q quit');

    resize(160, 40);
    const wide = await ui.waitFor('columns', (f) => /PENDING 3\s+IN PROGRESS 0/.test(f));
    expect(wide.split('\n')).toHaveLength(39);
    // Wide enough for the sessions pane beside the board.
    expect(wide.split('\n')[1]).toMatch(/CANCELLED 0\s+SESSIONS/);
  });
});

describe('connection', () => {
  it('reconnects on its own after the server goes away and resumes from the last seq', async () => {
    const own = tempHome('maestro-tui-reconnect-');
    let first: RunningServer | undefined = await startTestServer(own.home);
    let second: RunningServer | undefined;
    try {
      const other = TestClient.for(first);
      const project = (await other.call<{ id: string }>('Projects', 'create', { name: 'r', workingDir: '' }))
        .id;
      await other.call('Tasks', 'create', { projectId: project, title: 'Before the restart' });
      other.close();
      const ui = await mount(project, { columns: 120, rows: 30 }, first);
      const port = first.grpc.port;
      await first.close();
      first = undefined;
      await ui.waitFor('the lost connection', (f) => /○ reconnecting \(attempt \d+\) from #\d+/.test(f));
      expect(ui.frame()).toContain('Before the restart');

      second = await startTestServer(own.home, { grpcAddr: `127.0.0.1:${port}` });
      const again = TestClient.for(second);
      await again.call('Tasks', 'create', { projectId: project, title: 'After the restart' });
      again.close();
      await ui.waitFor(
        'the new task, live again',
        (f) => f.includes('After the restart') && f.includes('● live'),
        10_000,
      );
      expect(ui.frame()).toContain('Before the restart');
    } finally {
      await first?.close();
      await second?.close();
      own.cleanup();
    }
  });
});
