import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/config.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { ROOT, cliData, cliEnv, runCli } from '../support/cli.js';
import { startTestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import { sandboxes } from './support.js';

const AGENT = join(ROOT, 'test/support/workspace-agent.mjs');
const WAIT = { timeoutMs: 30_000, intervalMs: 150 };

interface Workspace {
  taskId: string;
  status: string;
  branch: string;
  baseBranch: string;
  path: string;
  workingDir: string;
  portStart: number;
  failureKind: string;
  failureMessage: string;
  failureFiles: string[];
}
interface Detail {
  task: { id: string; status: string };
  isolation: string;
  workspace: Workspace | null;
  timeline: { kind: string; message: string }[];
}

const boxes = sandboxes();
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** A real server whose workers are the scripted workspace agent, over a project in a real git repository. */
async function world(
  files: Record<string, string> = { 'shared.txt': 'base\n' },
  settings: Partial<Settings> = {},
) {
  const box = boxes.make();
  const repo = box.repo('app', files);
  const plans = join(box.root, 'plans');
  mkdirSync(plans);
  const server = await startTestServer(box.maestroHome, {
    agentCommand: `${process.execPath} ${AGENT} {promptFile} ${plans}`,
    runner: 'pipe',
    ...settings,
  });
  servers.push(server);
  const env = cliEnv(server, box.maestroHome, {
    MAESTRO_ACTOR: 'orchestrator',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: String(box.env.GIT_CONFIG_GLOBAL),
  });
  const project = await cliData<{ id: string }>(['project', 'create', 'app', '--dir', repo], env);
  const penv = { ...env, MAESTRO_PROJECT_ID: project.id };
  const cli = <T>(...args: string[]) => cliData<T>(args, penv);
  return {
    box,
    repo,
    env: penv,
    cli,
    plan: (taskId: string, plan: object) =>
      writeFileSync(join(plans, `${taskId}.json`), JSON.stringify(plan)),
    seen: (taskId: string) =>
      readdirSync(plans)
        .filter((n) => n.startsWith(`${taskId}.seen.`))
        .sort()
        .map(
          (n) =>
            JSON.parse(readFileSync(join(plans, n), 'utf8')) as {
              cwd: string;
              port: string;
              files: string[];
            },
        ),
    main: () => box.git(repo, 'rev-parse', 'refs/heads/main'),
    show: (path: string) => box.git(repo, 'show', `main:${path}`),
    detail: (taskId: string) => cli<Detail>('task', 'get', taskId),
    task: (title: string, ...flags: string[]) => cli<{ id: string }>('task', 'create', title, ...flags),
    spawn: (taskId: string) => cli<{ id: string; status: string }>('session', 'spawn', '--task', taskId),
    async until(taskId: string, what: string, check: (d: Detail) => boolean) {
      return waitFor(
        `${taskId} ${what}`,
        async () => {
          const d = await cli<Detail>('task', 'get', taskId);
          return check(d) && d;
        },
        WAIT,
      );
    },
  };
}

describe('workspaces: a git worktree per task, review and the merge queue', () => {
  it('runs a worker in its own worktree with its own ports, and lands its work only through the queue', async () => {
    const w = await world(undefined, { workspaceDiskCapMb: 1 });
    const t = await w.task('Add a feature');
    expect((await w.detail(t.id)).isolation).toBe('worktree');
    w.plan(t.id, { files: { 'feature.txt': 'feature\n' } });
    const before = w.main();
    await w.spawn(t.id);
    const done = await w.until(t.id, 'to complete (merged)', (d) => d.task.status === 'completed');
    expect(done.workspace?.status).toBe('merged');
    const [seen] = w.seen(t.id);
    expect(seen!.cwd).toBe(done.workspace!.workingDir);
    expect(seen!.cwd.startsWith(join(w.box.maestroHome, 'workspaces'))).toBe(true);
    expect(Number(seen!.port)).toBe(done.workspace!.portStart);
    expect(Number(seen!.port)).toBeGreaterThan(0);
    expect(w.main()).not.toBe(before);
    expect(w.show('feature.txt')).toBe('feature');
    // The main checkout never had the worker in it.
    expect(existsSync(join(w.repo, 'feature.txt'))).toBe(true); // synced by the merge, not edited there
    const kinds = done.timeline.filter((e) => e.kind === 'workspace').map((e) => e.message);
    expect(kinds.some((m) => m.includes('-> ready'))).toBe(true);
    expect(kinds.some((m) => m.includes('-> merged'))).toBe(true);
    // Merged work still has its diff: what the merge brought onto the base.
    const diff = await w.cli<{ files: { path: string; additions: number }[]; mergeBase: string }>(
      'task',
      'diff',
      t.id,
    );
    expect(diff.files.map((f) => [f.path, f.additions])).toEqual([['feature.txt', 1]]);
    expect(diff.mergeBase).toBe(before);
    const list = await w.cli<{ workspaces: { workspace: Workspace; onDisk: boolean; ahead: number }[] }>(
      'workspace',
      'list',
    );
    expect(list.workspaces.map((e) => [e.workspace.taskId, e.workspace.status, e.onDisk])).toEqual([
      [t.id, 'merged', true],
    ]);

    // Past 80% of the disk cap, `status` warns.
    writeFileSync(join(done.workspace!.workingDir, 'left-over.txt'), 'not committed\n'.repeat(70_000));
    const status = await w.cli<{ workspaceDisk: { totalBytes: number; warning: string } }>('status');
    expect(status.workspaceDisk.totalBytes).toBeGreaterThan(900_000);
    expect(status.workspaceDisk.warning).toContain('maestro workspace prune');

    // Prune removes the merged worktree, but what was left in it goes to a snapshot first...
    const pruned = await w.cli<{ removed: { taskId: string; snapshot: number }[] }>(
      'workspace',
      'prune',
      '--keep-merged-days',
      '0',
    );
    expect(pruned.removed).toEqual([expect.objectContaining({ taskId: t.id })]);
    expect(pruned.removed[0]!.snapshot).toBeGreaterThan(0);
    expect(existsSync(done.workspace!.workingDir)).toBe(false);
    const after = await w.cli<{ workspaces: { onDisk: boolean }[] }>('workspace', 'list');
    expect(after.workspaces.map((e) => e.onDisk)).toEqual([false]);
    // ...and restore brings it back.
    const restored = await w.cli<{ recreated: boolean; snapshot: number }>('workspace', 'restore', t.id);
    expect(restored).toMatchObject({ recreated: true, snapshot: pruned.removed[0]!.snapshot });
    expect(readFileSync(join(done.workspace!.workingDir, 'left-over.txt'), 'utf8')).toBe(
      'not committed\n'.repeat(70_000),
    );
  });

  it('a project outside git keeps the project directory, and says so', async () => {
    const w = await world();
    const plain = join(w.box.root, 'plain');
    mkdirSync(plain);
    const other = await cliData<{ id: string }>(['project', 'create', 'plain', '--dir', plain], w.env);
    const t = await cliData<{ id: string }>(['task', 'create', 'Edit', '--project', other.id], w.env);
    const detail = await w.detail(t.id);
    expect(detail.isolation).toMatch(/^none: .*not in a git repository/);
    expect(detail.workspace).toBeNull();
    await w.spawn(t.id);
    await w.until(t.id, 'to complete', (d) => d.task.status === 'completed');
    expect(w.seen(t.id)[0]!.cwd).toBe(plain);
  });

  it("a project's checks guard completion where there is no workspace, and its dependents wait for them", async () => {
    const w = await world();
    const plain = join(w.box.root, 'plain');
    mkdirSync(plain);
    const other = await cliData<{ id: string }>(['project', 'create', 'plain', '--dir', plain], w.env);
    const env = { ...w.env, MAESTRO_PROJECT_ID: other.id };
    const configured = await cliData<{ checks: string; checksTimeoutSeconds: number }>(
      [
        'project',
        'configure',
        '--checks',
        'echo "checking in $PWD"; test -f ok.txt',
        '--checks-timeout',
        '120',
      ],
      env,
    );
    expect(configured).toMatchObject({
      checks: 'echo "checking in $PWD"; test -f ok.txt',
      checksTimeoutSeconds: 120,
    });
    const a = await cliData<{ id: string }>(['task', 'create', 'A'], env);
    const b = await cliData<{ id: string }>(['task', 'create', 'B', '--depends-on', a.id], env);
    const ready = async () => (await cliData<{ id: string }[]>(['task', 'ready'], env)).map((t) => t.id);

    await cliData(['task', 'start', a.id], env);
    const submitted = await cliData<{ status: string }>(['task', 'complete', a.id], env);
    expect(submitted.status).toBe('in_review');
    const back = await w.until(a.id, 'to come back from failed checks', (d) => d.task.status === 'pending');
    const failed = back.timeline.find((e) => e.kind === 'checks');
    expect(failed?.message).toMatch(/^Checks failed \(.*exit 1\)/);
    expect(failed?.message).toContain(`checking in ${plain}`);
    expect(back.timeline.some((e) => e.message.includes('the checks failed'))).toBe(true);
    expect(await ready()).toEqual([a.id]);

    // A worker makes the checks pass: only then is A completed, and B ready.
    w.plan(a.id, { files: { 'ok.txt': 'yes\n' }, commit: false });
    await cliData(['session', 'spawn', '--task', a.id], env);
    const done = await w.until(
      a.id,
      'to complete once the checks pass',
      (d) => d.task.status === 'completed',
    );
    expect(done.timeline.some((e) => e.kind === 'checks' && e.message.startsWith('Checks passed'))).toBe(
      true,
    );
    expect(await ready()).toEqual([b.id]);

    // `none` clears them: completion is immediate again.
    await cliData(['project', 'configure', '--checks', 'none'], env);
    await cliData(['task', 'start', b.id], env);
    expect((await cliData<{ status: string }>(['task', 'complete', b.id], env)).status).toBe('completed');
  });

  it('a task waiting for its checks when the server stops is checked by the next server', async () => {
    const w = await world();
    const plain = join(w.box.root, 'plain');
    mkdirSync(plain);
    const other = await cliData<{ id: string }>(['project', 'create', 'plain', '--dir', plain], w.env);
    const env = { ...w.env, MAESTRO_PROJECT_ID: other.id };
    await cliData(
      ['project', 'configure', '--checks', 'while [ ! -f go ]; do sleep 0.05; done; test -f ok'],
      env,
    );
    const t = await cliData<{ id: string }>(['task', 'create', 'A'], env);
    await cliData(['task', 'start', t.id], env);
    expect((await cliData<{ status: string }>(['task', 'complete', t.id], env)).status).toBe('in_review');
    await servers.pop()!.close();

    const next = await startTestServer(w.box.maestroHome, { runner: 'pipe' });
    servers.push(next);
    const env2 = {
      ...cliEnv(next, w.box.maestroHome, { MAESTRO_ACTOR: 'orchestrator' }),
      MAESTRO_PROJECT_ID: other.id,
    };
    expect((await cliData<Detail>(['task', 'get', t.id], env2)).task.status).toBe('in_review');
    writeFileSync(join(plain, 'ok'), '');
    writeFileSync(join(plain, 'go'), '');
    const done = await waitFor(
      `${t.id} completed by the next server's checks`,
      async () => {
        const d = await cliData<Detail>(['task', 'get', t.id], env2);
        return d.task.status === 'completed' && d;
      },
      WAIT,
    );
    expect(done.timeline.some((e) => e.kind === 'checks' && e.message.startsWith('Checks passed'))).toBe(
      true,
    );
  });

  it("the project's checks take the place of the workspace file's", async () => {
    const w = await world({
      'shared.txt': 'base\n',
      '.maestro/workspace.json': JSON.stringify({ checks: { command: 'true' } }),
    });
    await w.cli('project', 'configure', '--checks', 'echo project checks; exit 3');
    const t = await w.task('Change');
    w.plan(t.id, { files: { 'change.txt': 'change\n' } });
    const before = w.main();
    await w.spawn(t.id);
    const back = await w.until(t.id, 'to come back', (d) => d.workspace?.status === 'checks_failed');
    expect(w.main()).toBe(before);
    expect(back.timeline.some((e) => e.kind === 'checks' && e.message.includes('project checks'))).toBe(true);

    await w.cli('project', 'configure', '--checks', 'none');
    await w.spawn(t.id);
    await w.until(t.id, "to merge with the workspace file's checks", (d) => d.task.status === 'completed');
    expect(w.show('change.txt')).toBe('change');
  });

  it('two workers on the same file: the first merges, the second conflicts naming the file, then merges once resolved', async () => {
    const w = await world();
    const a = await w.task('Edit shared A');
    const b = await w.task('Edit shared B');
    w.plan(a.id, { files: { 'shared.txt': 'from A\n' } });
    w.plan(b.id, { files: { 'shared.txt': 'from B\n' } });
    await w.spawn(a.id);
    await w.spawn(b.id);
    const settled = async () => {
      const [da, db] = [await w.detail(a.id), await w.detail(b.id)];
      const done = [da, db].filter((d) => d.task.status === 'completed');
      const back = [da, db].filter(
        (d) => d.workspace?.status === 'conflicted' && d.task.status === 'pending',
      );
      return done.length === 1 && back.length === 1 && { winner: done[0]!, loser: back[0]! };
    };
    const { winner, loser } = await waitFor('one merged and one conflicted', settled, WAIT);
    expect(loser.workspace!.failureKind).toBe('conflict');
    expect(loser.workspace!.failureFiles).toEqual(['shared.txt']);
    expect(loser.timeline.some((e) => e.kind === 'status' && e.message.includes('shared.txt'))).toBe(true);
    const winnerText = winner.task.id === a.id ? 'from A' : 'from B';
    expect(w.show('shared.txt')).toBe(winnerText);
    const afterFirst = w.main();

    // The next worker finds the conflict in its worktree, resolves it and completes again.
    w.plan(loser.task.id, { files: { 'shared.txt': 'from A and B\n' } });
    await w.spawn(loser.task.id);
    await w.until(loser.task.id, 'to merge after the resolution', (d) => d.task.status === 'completed');
    expect(w.show('shared.txt')).toBe('from A and B');
    expect(w.box.git(w.repo, 'merge-base', '--is-ancestor', afterFirst, 'main')).toBe('');
  });

  it('failing checks leave the base branch where it was and return the task with the output', async () => {
    const w = await world({
      'shared.txt': 'base\n',
      '.maestro/workspace.json': JSON.stringify({
        checks: { command: 'echo checking; test -f tests-pass.txt' },
      }),
    });
    const t = await w.task('Change without tests');
    w.plan(t.id, { files: { 'change.txt': 'change\n' } });
    const before = w.main();
    await w.spawn(t.id);
    const back = await w.until(t.id, 'to come back', (d) => d.workspace?.status === 'checks_failed');
    expect(back.task.status).toBe('pending');
    expect(w.main()).toBe(before);
    expect(back.timeline.some((e) => e.kind === 'checks' && e.message.includes('checking'))).toBe(true);

    w.plan(t.id, { files: { 'tests-pass.txt': 'yes\n' } });
    await w.spawn(t.id);
    await w.until(t.id, 'to merge with passing checks', (d) => d.task.status === 'completed');
    expect(w.show('change.txt')).toBe('change');
  });

  it('a dependent starts only once its dependency merged, and sees its code', async () => {
    const w = await world();
    const a = await w.task('Make the library');
    const b = await w.task('Use the library', '--depends-on', a.id);
    w.plan(a.id, { files: { 'lib.txt': 'library\n' } });
    const spawnB = await runCli(['session', 'spawn', '--task', b.id, '--json'], w.env);
    expect(spawnB.json.error?.code).toBe('dependencies_not_met');
    await w.spawn(a.id);
    await w.until(a.id, 'to be in review or merged', (d) =>
      ['in_review', 'completed'].includes(d.task.status),
    );
    // Until A merged, B is not ready.
    const ready = await w.cli<{ id: string }[]>('task', 'ready');
    if ((await w.detail(a.id)).task.status !== 'completed')
      expect(ready.map((r) => r.id)).not.toContain(b.id);
    await w.until(a.id, 'to merge', (d) => d.task.status === 'completed');
    w.plan(b.id, { files: { 'use.txt': 'uses library\n' } });
    await w.spawn(b.id);
    await w.until(b.id, 'to merge', (d) => d.task.status === 'completed');
    expect(w.seen(b.id)[0]!.files).toContain('lib.txt');
  });

  it('with review required: in_review, reject returns it, approve merges it', async () => {
    const w = await world();
    await w.cli('project', 'configure', '--review', 'required');
    const t = await w.task('Reviewed change');
    w.plan(t.id, { files: { 'reviewed.txt': 'first\n' } });
    const before = w.main();
    await w.spawn(t.id);
    const inReview = await w.until(t.id, 'to wait for review', (d) => d.task.status === 'in_review');
    expect(inReview.workspace!.status).toBe('review');
    const diff = await w.cli<{ files: { path: string; status: string }[]; patch: string }>(
      'task',
      'diff',
      t.id,
    );
    expect(diff.files).toEqual([expect.objectContaining({ path: 'reviewed.txt', status: 'added' })]);
    expect(diff.patch).toContain('+first');
    await w.cli('task', 'review', t.id, '--comment', 'Say second', '--file', 'reviewed.txt', '--line', '1');
    const rejected = await w.cli<Workspace>('task', 'reject', t.id, '--comment', 'Not yet');
    expect(rejected.status).toBe('ready');
    expect((await w.detail(t.id)).task.status).toBe('pending');
    expect(w.main()).toBe(before);

    w.plan(t.id, { files: { 'reviewed.txt': 'second\n' } });
    await w.spawn(t.id);
    await w.until(t.id, 'to wait for review again', (d) => d.task.status === 'in_review');
    // The second worker's prompt carried the review comments; it ran in the same worktree.
    const [first, second] = w.seen(t.id);
    expect(second!.cwd).toBe(first!.cwd);
    await w.cli('task', 'approve', t.id);
    await w.until(t.id, 'to merge after approval', (d) => d.task.status === 'completed');
    expect(w.show('reviewed.txt')).toBe('second');
    const queue = await w.cli<Workspace[]>('merge-queue');
    expect(queue).toEqual([]);
  });

  it('cancelling a task in review archives its workspace; reopening gives its worker the same worktree', async () => {
    const w = await world();
    await w.cli('project', 'configure', '--review', 'required');
    const t = await w.task('Abandoned');
    w.plan(t.id, { files: { 'draft.txt': 'draft\n' } });
    await w.spawn(t.id);
    await w.until(t.id, 'to wait for review', (d) => d.task.status === 'in_review');
    await w.cli('task', 'cancel', t.id);
    const cancelled = await w.detail(t.id);
    expect(cancelled.workspace!.status).toBe('archived');
    expect(await w.cli<Workspace[]>('merge-queue')).toEqual([]);
    await w.cli('task', 'reopen', t.id);
    w.plan(t.id, { files: { 'draft.txt': 'final\n' } });
    await w.spawn(t.id);
    const again = await w.until(t.id, 'to wait for review again', (d) => d.task.status === 'in_review');
    expect(again.workspace!.status).toBe('review');
    const [first, second] = w.seen(t.id);
    expect(second!.cwd).toBe(first!.cwd);
    expect(second!.files).toContain('draft.txt');
  });

  it('refuses review decisions on a task that is not in review, changing nothing', async () => {
    const w = await world();
    const t = await w.task('Not reviewed');
    const approve = await runCli(['task', 'approve', t.id, '--json'], w.env);
    expect(approve.json.error?.code).toBe('workspace_not_found');
    const diff = await runCli(['task', 'diff', t.id, '--json'], w.env);
    expect(diff.json.error?.code).toBe('workspace_not_found');
    expect(diff.code).toBe(3);
    const bad = await runCli(['project', 'configure', '--review', 'sometimes', '--json'], w.env);
    expect(bad.json.error?.code).toBe('invalid_argument');
  });
});

describe('workspaces: kill -9 of the server during a merge', () => {
  it.each(['merge:check', 'merge:land-done'] as const)(
    'stopped at %s: the base is before or after the merge, never between, and the queue resumes',
    async (pauseAt) => {
      const box = boxes.make();
      const repo = box.repo('app', { 'shared.txt': 'base\n' });
      const plans = join(box.root, 'plans');
      mkdirSync(plans);
      const agentCommand = `${process.execPath} ${AGENT} {promptFile} ${plans}`;
      const marker = join(box.root, 'paused');
      const ready = join(box.root, 'ready.json');
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'test/workspaces/server-child.ts'),
          JSON.stringify({ home: box.maestroHome, agentCommand, pauseAt, marker, ready }),
        ],
        { env: { ...process.env, ...box.env, PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      box.children.push(child);
      let output = '';
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const { grpcPort, token } = await waitFor(
        'the server child to listen',
        () => {
          if (child.exitCode !== null) throw new Error(`the server child exited:\n${output}`);
          return (
            existsSync(ready) &&
            (JSON.parse(readFileSync(ready, 'utf8')) as { grpcPort: number; token: string })
          );
        },
        WAIT,
      );
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: box.maestroHome,
        MAESTRO_HOME: box.maestroHome,
        MAESTRO_SERVER: `127.0.0.1:${grpcPort}`,
        MAESTRO_TOKEN: token,
        MAESTRO_ACTOR: 'orchestrator',
        NO_COLOR: '1',
      };
      const project = await cliData<{ id: string }>(['project', 'create', 'app', '--dir', repo], env);
      const penv = { ...env, MAESTRO_PROJECT_ID: project.id };
      const t = await cliData<{ id: string }>(['task', 'create', 'Feature'], penv);
      writeFileSync(join(plans, `${t.id}.json`), JSON.stringify({ files: { 'feature.txt': 'feature\n' } }));
      const before = box.git(repo, 'rev-parse', 'refs/heads/main');
      await cliData(['session', 'spawn', '--task', t.id], penv);
      await waitFor(`the merge to reach ${pauseAt}`, () => existsSync(marker), WAIT);
      child.kill('SIGKILL');
      await exited;

      const atCrash = box.git(repo, 'rev-parse', 'refs/heads/main');
      if (atCrash !== before) {
        // Moved: then to a commit that holds the whole of the task's work on top of the old base.
        expect(box.git(repo, 'show', `${atCrash}:feature.txt`)).toBe('feature');
        expect(box.git(repo, 'merge-base', '--is-ancestor', before, atCrash)).toBe('');
      }
      expect(pauseAt === 'merge:check' ? atCrash === before : atCrash !== before).toBe(true);

      const server = await startTestServer(box.maestroHome, { agentCommand, runner: 'pipe' });
      servers.push(server);
      const renv = { ...penv, MAESTRO_SERVER: `127.0.0.1:${server.grpc.port}`, MAESTRO_TOKEN: server.token };
      const done = await waitFor(
        'the queue to resume and the task to complete',
        async () => {
          const d = await cliData<Detail>(['task', 'get', t.id], renv);
          return d.task.status === 'completed' && d;
        },
        WAIT,
      );
      expect(done.workspace!.status).toBe('merged');
      expect(box.git(repo, 'show', 'main:feature.txt')).toBe('feature');
      expect(await cliData<Workspace[]>(['merge-queue'], renv)).toEqual([]);
    },
  );
});
