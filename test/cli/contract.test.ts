import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands/index.js';
import { ERROR_CODES, type ErrorCode } from '../../src/contract/error-codes.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { CLI, cliEnv, runCli } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';

/**
 * The `--json` contract, generated from the command registry: every command has a good and a bad
 * invocation; each must print exactly one JSON envelope and exit with the code the error table
 * gives. A command added to the registry without a case here fails `covers every command`.
 */
interface Fixture {
  project: string;
  done: string;
  free: string;
  busy: string;
  blocked: string;
  doomed: string;
  child: string;
  subtask: string;
  subtask2: string;
  session: string;
  session2: string;
  session3: string;
  /** The temporary home (also HOME), for commands that write files. */
  home: string;
}

interface Case {
  good: (f: Fixture) => string[];
  bad: (f: Fixture) => string[];
  badCode: ErrorCode;
  /** Env for the good case (e.g. a session, or folders inside the temporary home). */
  env?: (f: Fixture) => Record<string, string>;
}

const CASES: Record<string, Case> = {
  'server status': { good: () => [], bad: () => ['extra'], badCode: 'invalid_argument' },
  backup: { good: (f) => ['--out', join(f.home, 'backup.db')], bad: () => [], badCode: 'invalid_argument' },
  restore: {
    // Into a new home; the bad case aims at the home the test server is using.
    good: (f) => ['--from', join(f.home, 'backup.db')],
    env: (f) => ({ MAESTRO_HOME: join(f.home, 'restored') }),
    bad: (f) => ['--from', join(f.home, 'backup.db')],
    badCode: 'invalid_argument',
  },
  'task create': {
    good: () => ['New', 'task', '--priority', 'low', '--label', 'x'],
    bad: () => ['T', '--priority', 'urgent'],
    badCode: 'invalid_argument',
  },
  'task list': {
    good: () => ['--status', 'pending,in_progress'],
    bad: () => ['--status', 'done'],
    badCode: 'invalid_argument',
  },
  'task get': { good: (f) => [f.done], bad: () => ['t_424242'], badCode: 'task_not_found' },
  'task tree': { good: () => [], bad: () => ['t_424242'], badCode: 'task_not_found' },
  'task update': {
    good: (f) => [f.free, '--title', 'Renamed'],
    bad: (f) => [f.free, '--version', '999'],
    badCode: 'version_conflict',
  },
  'task start': { good: (f) => [f.free], bad: (f) => [f.done], badCode: 'invalid_transition' },
  'task claim': { good: () => ['--next'], bad: (f) => [f.busy], badCode: 'task_already_claimed' },
  'task release': { good: (f) => [f.free], bad: (f) => [f.done], badCode: 'invalid_transition' },
  'task block': {
    good: (f) => [f.busy, '--reason', 'Waiting'],
    bad: (f) => [f.busy],
    badCode: 'invalid_argument',
  },
  'task unblock': { good: (f) => [f.busy], bad: (f) => [f.done], badCode: 'invalid_transition' },
  'task complete': { good: (f) => [f.busy], bad: (f) => [f.blocked], badCode: 'dependencies_not_met' },
  'task reopen': { good: (f) => [f.busy], bad: (f) => [f.blocked], badCode: 'invalid_transition' },
  'task cancel': { good: (f) => [f.busy], bad: () => ['st_1'], badCode: 'task_not_found' },
  'task delete': { good: (f) => [f.doomed], bad: (f) => [f.done], badCode: 'invalid_argument' },
  'task ready': { good: () => [], bad: () => ['--ready'], badCode: 'invalid_argument' },
  'task dep add': {
    good: (f) => [f.child, f.done],
    bad: (f) => [f.done, f.child],
    badCode: 'dependency_cycle',
  },
  'task dep remove': { good: (f) => [f.child, f.done], bad: (f) => [f.child], badCode: 'invalid_argument' },
  'subtask create': {
    good: (f) => [f.done, 'A', 'step'],
    bad: () => ['t_424242', 'x'],
    badCode: 'task_not_found',
  },
  'subtask list': { good: (f) => [f.done], bad: () => [], badCode: 'invalid_argument' },
  'subtask complete': {
    good: (f) => [f.done, f.subtask],
    bad: (f) => [f.done, 'st_424242'],
    badCode: 'subtask_not_found',
  },
  'subtask reopen': {
    good: (f) => [f.done, f.subtask],
    bad: (f) => [f.done, f.subtask2],
    badCode: 'invalid_transition',
  },
  'subtask delete': {
    good: (f) => [f.done, f.subtask2],
    bad: (f) => [f.done, f.subtask2],
    badCode: 'subtask_not_found',
  },
  'report progress': {
    good: (f) => ['Half', 'way', '--task', f.done],
    bad: () => ['Half way'],
    badCode: 'invalid_argument',
  },
  'report question': {
    good: (f) => ['Which', 'database?', '--task', f.done],
    bad: () => ['Which database?'],
    badCode: 'invalid_argument',
  },
  // A filter no task matches: the fixture's tasks get no worker.
  'autopilot on': {
    good: () => ['--max-workers', '1', '--label', 'no-such-label'],
    bad: () => ['--max-workers', '0'],
    badCode: 'invalid_argument',
  },
  'autopilot off': { good: () => [], bad: () => ['--project', 'p_424242'], badCode: 'project_not_found' },
  'autopilot status': { good: () => [], bad: () => ['--project', 'p_424242'], badCode: 'project_not_found' },
  'task doctor': { good: () => [], bad: () => ['--project', 'p_424242'], badCode: 'project_not_found' },
  'report blocked': {
    good: () => ['Need', 'a', 'key'],
    env: (f) => ({ MAESTRO_TASK_IDS: f.done }),
    bad: () => ['x', '--task', 't_424242'],
    badCode: 'task_not_found',
  },
  'report complete': {
    good: (f) => ['Done', '--task', f.done],
    bad: (f) => ['--task', f.done],
    badCode: 'invalid_argument',
  },
  'project create': { good: () => ['second-project'], bad: () => ['default'], badCode: 'invalid_argument' },
  'project list': { good: () => [], bad: () => ['--cascade'], badCode: 'invalid_argument' },
  'project get': { good: (f) => [f.project], bad: () => ['p_424242'], badCode: 'project_not_found' },
  'project delete': {
    good: () => ['p_2', '--cascade'],
    bad: (f) => [f.project],
    badCode: 'invalid_argument',
  },
  'session spawn': {
    good: (f) => ['--task', f.free],
    bad: () => ['--role', 'worker'],
    badCode: 'invalid_argument',
  },
  'session logs': { good: (f) => [f.session], bad: () => ['s_424242'], badCode: 'session_not_found' },
  'session attach': { good: (f) => [f.session], bad: () => ['s_424242'], badCode: 'session_not_found' },
  'session list': { good: () => [], bad: () => ['--status', 'sleeping'], badCode: 'invalid_argument' },
  'session info': { good: (f) => [f.session], bad: () => ['s_424242'], badCode: 'session_not_found' },
  'session heartbeat': { good: (f) => [f.session], bad: () => [], badCode: 'invalid_argument' },
  'session stop': { good: (f) => [f.session2], bad: (f) => [f.session2], badCode: 'invalid_transition' },
  'session resume': { good: (f) => [f.session3], bad: (f) => [f.session], badCode: 'invalid_transition' },
  'session send': {
    good: (f) => [f.session, 'hello'],
    bad: () => ['s_424242', 'x'],
    badCode: 'session_not_found',
  },
  'session transcript': { good: (f) => [f.session], bad: () => ['s_424242'], badCode: 'session_not_found' },
  'agent list': { good: () => [], bad: () => ['extra'], badCode: 'invalid_argument' },
  'project configure': {
    good: (f) => [f.project, '--review', 'auto'],
    bad: (f) => [f.project],
    badCode: 'invalid_argument',
  },
  'workspace list': { good: () => [], bad: () => ['extra'], badCode: 'invalid_argument' },
  'workspace prune': { good: () => [], bad: () => ['--keep-merged-days', 'x'], badCode: 'invalid_argument' },
  'merge-queue': { good: () => [], bad: () => ['extra'], badCode: 'invalid_argument' },
  'task review': {
    good: (f) => [f.free, '--comment', 'looks good'],
    bad: (f) => [f.free],
    badCode: 'invalid_argument',
  },
  events: {
    good: () => ['--since', '0', '--limit', '5'],
    bad: () => ['--since', 'yesterday'],
    badCode: 'invalid_argument',
  },
  whoami: { good: () => [], bad: () => ['--frobnicate'], badCode: 'invalid_argument' },
  status: { good: () => [], bad: () => ['--project', 'p_424242'], badCode: 'project_not_found' },
  'config list': { good: () => [], bad: () => ['extra'], badCode: 'invalid_argument' },
  'config get': { good: () => ['agentCommand'], bad: () => ['nope'], badCode: 'invalid_argument' },
  'config set': {
    good: () => ['leaseSeconds', '600'],
    bad: () => ['leaseSeconds', 'forever'],
    badCode: 'invalid_argument',
  },
  'config unset': { good: () => ['leaseSeconds'], bad: () => ['leaseSecs'], badCode: 'invalid_argument' },
  'skill install': {
    good: () => ['--hooks'],
    env: (f) => ({ HOME: f.home, MAESTRO_SKILLS_DIR: join(f.home, 'maestro-skills') }),
    bad: () => ['extra'],
    badCode: 'invalid_argument',
  },
  'skill list': {
    good: () => [],
    env: (f) => ({ HOME: f.home, MAESTRO_SKILLS_DIR: join(f.home, 'maestro-skills') }),
    bad: () => ['--force'],
    badCode: 'invalid_argument',
  },
  'skill show': { good: () => ['maestro-worker'], bad: () => ['maestro-nope'], badCode: 'invalid_argument' },
  'mcp install': {
    good: () => ['--scope', 'project'],
    env: (f) => ({ HOME: f.home, CLAUDE_CONFIG_DIR: join(f.home, '.claude') }),
    bad: () => ['--scope', 'global'],
    badCode: 'invalid_argument',
  },
  prime: {
    good: () => [],
    env: (f) => ({ MAESTRO_SESSION_ID: f.session, MAESTRO_TASK_IDS: f.free, MAESTRO_ROLE: 'worker' }),
    bad: () => ['extra'],
    badCode: 'invalid_argument',
  },
};

/** Commands whose success is not one document: long-running or line-streaming. */
// `wait` blocks until an event: test/spawn/autopilot.test.ts runs it.
const SPECIAL = new Set([
  'server start',
  'runner',
  'tui',
  'mcp',
  'wait',
  // They need a task with a git worktree: test/workspaces/integration.test.ts runs them (--json).
  'workspace restore',
  'task diff',
  'task approve',
  'task reject',
]);
/** Commands that print one JSON document per line (possibly none). */
const STREAMING = new Set(['events', 'session logs']);

describe('CLI --json contract (generated from the command registry)', () => {
  const home = tempHome();
  let server: RunningServer;
  let env: Record<string, string>;
  let f: Fixture;

  beforeAll(async () => {
    server = await startTestServer(home.home, { agentCommand: 'true', runner: 'pipe' });
    env = cliEnv(server, home.home);
    const api = TestClient.for(server, { actor: 'agent' });
    const project = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;
    const task = async (title: string, extra: object = {}) =>
      (await api.call<{ id: string }>('Tasks', 'create', { projectId: project, title, ...extra })).id;
    const done = await task('Done');
    const free = await task('Free');
    const busy = await task('Busy');
    const blocked = await task('Blocked', { dependsOn: [free] });
    const doomed = await task('Doomed');
    await api.call('Tasks', 'start', { id: done });
    await api.call('Tasks', 'complete', { id: done });
    // Added after `done` completed: a parent completes only once its children are finished.
    const child = await task('Child', { parentId: done });
    await api.call('Tasks', 'start', { id: busy }, { actor: 'someone-else' });
    await api.call('Tasks', 'block', { id: blocked, reason: 'r' });
    const subtask = (await api.call<{ id: string }>('Subtasks', 'create', { taskId: done, title: 's1' })).id;
    const subtask2 = (await api.call<{ id: string }>('Subtasks', 'create', { taskId: done, title: 's2' })).id;
    const session = (
      await api.call<{ id: string }>('Sessions', 'create', { projectId: project, taskIds: [free] })
    ).id;
    await api.call('Sessions', 'reportProcess', {
      id: session,
      kind: 'started',
      pid: 1,
      terminal: { backend: 'tmux', host: hostname(), socket: '/tmp/tmux-0/contract', target: '@1' },
    });
    const session2 = (
      await api.call<{ id: string }>('Sessions', 'create', { projectId: project, taskIds: [free] })
    ).id;
    // An ended session of a task nobody works on: it can be resumed.
    const resumable = await task('Resumable');
    const session3 = (
      await api.call<{ id: string }>('Sessions', 'create', { projectId: project, taskIds: [resumable] })
    ).id;
    await api.call('Sessions', 'reportProcess', { id: session3, kind: 'failed', reason: 'for the test' });
    api.close();
    f = {
      project,
      done,
      free,
      busy,
      blocked,
      doomed,
      child,
      subtask,
      subtask2,
      session,
      session2,
      session3,
      home: home.home,
    };
  });
  afterAll(async () => {
    await server.close();
    home.cleanup();
  });

  it('covers every command in the registry', () => {
    const missing = COMMANDS.map((c) => c.path.join(' ')).filter((p) => !(p in CASES) && !SPECIAL.has(p));
    expect(missing).toEqual([]);
  });

  // Ordered: cases run in registry order, each good case before its bad case, against one state.
  for (const command of COMMANDS) {
    const path = command.path.join(' ');
    const spec = CASES[path];
    if (!spec) continue;
    it(`maestro ${path} --json`, async () => {
      const good = await runCli(
        [...command.path, ...spec.good(f), '--json'],
        { ...env, ...(spec.env?.(f) ?? {}) },
        home.home,
      );
      const lines = good.stdout.trim().split('\n').filter(Boolean);
      if (!STREAMING.has(path)) expect(lines, good.stdout + good.stderr).toHaveLength(1);
      const documents = lines.map((l) => JSON.parse(l) as { ok?: boolean });
      expect(good.code, good.stdout + good.stderr).toBe(0);
      if (!STREAMING.has(path)) expect(documents[0]).toMatchObject({ ok: true });
      if (path === 'events') {
        // Five events, then (the page was full) where the next page starts.
        expect(documents.length).toBe(6);
        expect(documents.slice(0, 5).every((d) => typeof (d as { seq?: unknown }).seq === 'number')).toBe(
          true,
        );
        expect(documents[5]).toEqual({ nextCursor: expect.any(String) });
      }

      const bad = await runCli([...command.path, ...spec.bad(f), '--json'], env, home.home);
      expect(bad.stdout.trim().split('\n'), bad.stdout).toHaveLength(1);
      expect(bad.json, bad.stdout + bad.stderr).toMatchObject({
        ok: false,
        error: { code: spec.badCode, message: expect.any(String) },
      });
      expect(bad.code).toBe(ERROR_CODES[spec.badCode].exitCode);
    });
  }

  it('maestro server start --json prints one envelope when ready; a bad port is refused', async () => {
    const other = tempHome();
    const child = spawn(
      process.execPath,
      [CLI, 'server', 'start', '--http-port', '0', '--grpc-port', '0', '--json'],
      {
        env: { ...env, MAESTRO_HOME: other.home, MAESTRO_LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once('line', resolve),
    );
    expect(JSON.parse(line)).toMatchObject({
      ok: true,
      data: { grpc: expect.stringMatching(/^127\.0\.0\.1:\d+$/) },
    });
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
    other.cleanup();

    const bad = await runCli(['server', 'start', '--http-port', 'eighty', '--json'], env);
    expect(bad.json).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { field: 'http-port' } },
    });
    expect(bad.code).toBe(2);
  });

  it('maestro runner --json connects to the server and prints one envelope', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'runner', '--url', `ws://127.0.0.1:${server.http.port}/ws`, '--backend', 'pipe', '--json'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once('line', resolve),
    );
    expect(JSON.parse(line)).toMatchObject({ ok: true, data: { backend: 'pipe' } });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });

  it('maestro tui is interactive: --json, or stdio that is not a terminal, is invalid_argument with a hint', async () => {
    const json = await runCli(['tui', '--json'], env, home.home);
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    expect(json.json).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { flag: 'json' }, hint: expect.stringContaining('--json') },
    });
    expect(json.code).toBe(2);
    // runCli's stdin and stdout are pipes, not a terminal.
    const piped = await runCli(['tui'], env, home.home);
    expect(piped.code).toBe(2);
    expect(piped.stdout).toBe('');
    expect(piped.stderr).toMatch(/^error: maestro tui needs a terminal.*\nhint: .+/);
    // Off a terminal, `maestro` alone prints the help rather than opening the TUI.
    const bare = await runCli([], env, home.home);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^ {2}tui {2,}Open the interactive board/m);
  });

  it('human output goes to stdout without JSON; errors go to stderr with a hint', async () => {
    const ok = await runCli(['task', 'list'], env, home.home);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ID\s+STATUS\s+PRIORITY/);
    const missing = await runCli(['task', 'get', 't_424242'], env, home.home);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain("hint: Run 'maestro task list'");
  });

  it('--help on every command shows usage, examples and environment; --version prints the version', async () => {
    for (const command of COMMANDS.slice(0, 6)) {
      const help = await runCli([...command.path, '--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: maestro ${command.path.join(' ')}`);
      expect(help.stdout).toContain('Environment:');
    }
    const version = await runCli(['--version'], env);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
