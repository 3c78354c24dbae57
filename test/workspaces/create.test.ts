import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  overlaps,
  type CreateResult,
  type FaultPoint,
  type WorkspaceFile,
} from '../../src/workspaces/index.js';
import { DEFAULT_WORKSPACE_FILE } from '../../src/workspaces/workspace-file.js';
import { waitFor } from '../support/wait.js';
import { killHard, processEnded, sandboxes, startEngineChild, writeFiles } from './support.js';

const boxes = sandboxes();

function isolated(result: CreateResult) {
  if (!result.isolated) throw new Error(`expected a workspace, got ${result.reason}`);
  return result;
}

const file = (extra: Partial<WorkspaceFile>): WorkspaceFile => ({ ...DEFAULT_WORKSPACE_FILE, ...extra });

describe('workspace creation', () => {
  it('makes a worktree under the home on maestro/<task>-<slug> from the base branch', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'README.md': 'hello\n', 'src/a.ts': 'export const a = 1;\n' });
    const engine = box.engine();
    const result = isolated(
      await engine.create({ key: 'p_1', dir: repo }, { id: 't_7', title: 'Fix the Login page!' }),
    );

    const expectedPath = join(box.maestroHome, 'workspaces', 'p_1', 't_7-fix-the-login-page');
    expect(result).toMatchObject({ ready: true, reused: false, setup: null });
    expect(result.workspace).toMatchObject({
      path: expectedPath,
      workingDir: expectedPath,
      branch: 'maestro/t_7-fix-the-login-page',
      baseBranch: 'main',
      createdFrom: box.git(repo, 'rev-parse', 'main'),
    });
    expect(box.git(expectedPath, 'symbolic-ref', 'HEAD')).toBe('refs/heads/maestro/t_7-fix-the-login-page');
    expect(box.git(expectedPath, 'rev-parse', 'HEAD')).toBe(box.git(repo, 'rev-parse', 'main'));
    expect(readFileSync(join(expectedPath, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(box.git(expectedPath, 'status', '--porcelain')).toBe('');
    const { MAESTRO_PORT, MAESTRO_PORT_COUNT } = result.workspace.env;
    expect(Number(MAESTRO_PORT)).toBe(result.workspace.ports!.start);
    expect(MAESTRO_PORT_COUNT).toBe('10');
  });

  it('reuses the same worktree for a retried worker, keeping what it wrote', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'a.txt': 'a\n' });
    const engine = box.engine();
    const first = isolated(
      await engine.create({ key: 'p_1', dir: repo }, { id: 't_1', title: 'first title' }),
    );
    writeFileSync(join(first.workspace.path, 'a.txt'), 'edited by the first worker\n');
    writeFileSync(join(first.workspace.path, 'new.txt'), 'new\n');

    const second = isolated(
      await engine.create({ key: 'p_1', dir: repo }, { id: 't_1', title: 'a renamed title' }),
    );
    expect(second.reused).toBe(true);
    expect(second.workspace.path).toBe(first.workspace.path);
    expect(second.workspace.ports).toEqual(first.workspace.ports);
    expect(readFileSync(join(second.workspace.path, 'a.txt'), 'utf8')).toBe('edited by the first worker\n');
    expect(readFileSync(join(second.workspace.path, 'new.txt'), 'utf8')).toBe('new\n');
  });

  it('copies and links what the workspace file lists, and runs its setup with the port range', async () => {
    const box = boxes.make();
    const repo = box.repo('app', {
      '.gitignore': 'node_modules/\n.env\n*.local.json\nsetup.log\n',
      '.maestro/workspace.json': JSON.stringify({
        copy: ['.env', 'config/*.local.json'],
        link: ['node_modules'],
        setup:
          'echo "port=$MAESTRO_PORT count=$MAESTRO_PORT_COUNT" > setup.log; echo set up; ls node_modules',
        ports: { count: 3 },
      }),
      'config/app.json': '{}\n',
    });
    writeFiles(repo, {
      '.env': 'SECRET=1\n',
      'config/dev.local.json': '{"dev":true}\n',
      'config/test.local.json': '{"test":true}\n',
      'node_modules/left-pad/index.js': 'module.exports = 1;\n',
    });
    const engine = box.engine();
    const result = isolated(await engine.create({ key: 'p_1', dir: repo }, { id: 't_1', title: 'x' }));
    const ws = result.workspace.path;

    expect(readFileSync(join(ws, '.env'), 'utf8')).toBe('SECRET=1\n');
    expect(lstatSync(join(ws, '.env')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(ws, 'config/dev.local.json'), 'utf8')).toBe('{"dev":true}\n');
    expect(existsSync(join(ws, 'config/test.local.json'))).toBe(true);
    expect(readlinkSync(join(ws, 'node_modules'))).toBe(join(repo, 'node_modules'));
    expect(result.setup).toMatchObject({ ok: true, exitCode: 0, timedOut: false, truncated: false });
    expect(result.setup!.output).toBe('set up\nleft-pad\n');
    expect(readFileSync(join(ws, 'setup.log'), 'utf8')).toBe(
      `port=${result.workspace.ports!.start} count=3\n`,
    );
    // A symlink does not match the folder pattern `node_modules/`: the path goes to the shared
    // info/exclude (the main checkout ignores its real folder anyway), so an agent's `git add -A`
    // leaves it out.
    expect(readFileSync(join(repo, '.git/info/exclude'), 'utf8')).toContain('\n/node_modules\n');
    expect(box.git(ws, 'status', '--porcelain')).toBe('');
    box.git(ws, 'add', '-A');
    expect(box.git(ws, 'diff', '--cached', '--name-only')).toBe('');
    expect(result.workspace.warnings).toEqual([]);
    const status = await engine.status('p_1', 't_1');
    expect(status.dirty).toBe(false);
    expect(status.changes).toEqual([]);
  });

  it('warns about a copied file the repository does not ignore, and keeps it out of snapshots', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { '.maestro/workspace.json': '{"copy": ["local.cfg"]}', 'a.txt': 'a\n' });
    writeFiles(repo, { 'local.cfg': 'mine\n' });
    const engine = box.engine();
    const result = isolated(await engine.create({ key: 'p_1', dir: repo }, { id: 't_1' }));
    expect(result.workspace.warnings).toEqual([
      "local.cfg is not ignored by the repository: an agent's 'git add -A' would commit it (add it to .gitignore).",
    ]);
    expect(box.git(result.workspace.path, 'status', '--porcelain')).toBe('?? local.cfg');
    expect((await engine.status('p_1', 't_1')).dirty).toBe(false);
    expect(await engine.snapshot('p_1', 't_1')).toEqual({ snapshot: null, created: false });
  });

  it('reports a failed setup with its output, and runs it again on the next create', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'a.txt': 'a\n' });
    const engine = box.engine();
    const failing = file({ setup: { command: 'echo about to fail >&2; exit 4', timeoutSeconds: 60 } });
    const first = isolated(await engine.create({ key: 'p_1', dir: repo }, { id: 't_1' }, { file: failing }));
    expect(first.ready).toBe(false);
    expect(first.setup).toMatchObject({ ok: false, exitCode: 4, output: 'about to fail\n' });

    const fixed = file({
      setup: { command: ['/bin/sh', '-c', 'echo fixed > fixed.txt'], timeoutSeconds: 60 },
    });
    const second = isolated(await engine.create({ key: 'p_1', dir: repo }, { id: 't_1' }, { file: fixed }));
    expect(second).toMatchObject({ ready: true, reused: false, setup: { ok: true } });
    expect(second.workspace.path).toBe(first.workspace.path);
    expect(readFileSync(join(second.workspace.path, 'fixed.txt'), 'utf8')).toBe('fixed\n');
  });

  it('stops a setup that overruns its timeout, with everything it started', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'a.txt': 'a\n' });
    const pidFile = join(box.root, 'grandchild.pid');
    const slow = file({
      setup: { command: `sleep 300 & echo $! > ${pidFile}; echo started; wait`, timeoutSeconds: 1 },
    });
    const result = isolated(
      await box.engine().create({ key: 'p_1', dir: repo }, { id: 't_1' }, { file: slow }),
    );
    expect(result.ready).toBe(false);
    expect(result.setup).toMatchObject({ ok: false, timedOut: true, output: 'started\n' });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await waitFor("the setup command's background process to end", () => processEnded(grandchild));
  });

  it('leaves a project alone when it opts out, or is not a git repository', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { '.maestro/workspace.json': '{"isolation": "none"}' });
    const plain = join(box.root, 'plain');
    mkdirSync(plain);
    const engine = box.engine();
    expect(await engine.create({ key: 'p_1', dir: repo }, { id: 't_1' })).toEqual({
      isolated: false,
      reason: 'isolation_none',
      workingDir: repo,
    });
    expect(await engine.create({ key: 'p_2', dir: plain }, { id: 't_1' })).toEqual({
      isolated: false,
      reason: 'not_a_git_repository',
      workingDir: plain,
    });
    expect(existsSync(join(box.maestroHome, 'workspaces'))).toBe(false);
  });

  it('refuses an invalid workspace file, naming the field', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { '.maestro/workspace.json': '{"copy": ["../secrets"]}' });
    await expect(box.engine().create({ key: 'p_1', dir: repo }, { id: 't_1' })).rejects.toMatchObject({
      code: 'workspace_file_invalid',
      details: { field: 'copy[0]' },
    });
  });

  it('gives live workspaces ranges that never overlap, and reuses a removed one', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'a.txt': 'a\n' });
    const other = box.repo('other', { 'b.txt': 'b\n' });
    const engine = box.engine({ portPool: { min: 30_000, max: 30_029 } });
    const ranges = [];
    for (const [key, dir, id] of [
      ['p_1', repo, 't_1'],
      ['p_1', repo, 't_2'],
      ['p_2', other, 't_3'],
    ] as const)
      ranges.push(isolated(await engine.create({ key, dir }, { id })).workspace.ports!);
    for (const a of ranges) for (const b of ranges) if (a !== b) expect(overlaps(a, b)).toBe(false);
    await expect(engine.create({ key: 'p_2', dir: other }, { id: 't_4' })).rejects.toMatchObject({
      code: 'ports_exhausted',
    });
    await engine.remove('p_1', 't_2');
    const reused = isolated(await engine.create({ key: 'p_2', dir: other }, { id: 't_4' })).workspace.ports;
    expect(reused).toEqual(ranges[1]);
  });

  it('runs the agent in the project folder of a monorepo worktree', async () => {
    const box = boxes.make();
    const repo = box.repo('mono', { 'packages/api/index.ts': 'api\n', 'packages/web/index.ts': 'web\n' });
    const result = isolated(
      await box.engine().create({ key: 'p_1', dir: join(repo, 'packages/api') }, { id: 't_1' }),
    );
    expect(result.workspace.workingDir).toBe(join(result.workspace.path, 'packages/api'));
    expect(readFileSync(join(result.workspace.workingDir, 'index.ts'), 'utf8')).toBe('api\n');
  });

  it('moves a folder git does not know out of the way instead of deleting it', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'a.txt': 'a\n' });
    const engine = box.engine();
    const created = isolated(await engine.create({ key: 'p_1', dir: repo }, { id: 't_1' }));
    // Someone unregisters the worktree by hand and leaves a file in the folder.
    box.git(repo, 'worktree', 'remove', '--force', created.workspace.path);
    mkdirSync(created.workspace.path);
    writeFileSync(join(created.workspace.path, 'precious.txt'), 'keep me\n');

    const again = isolated(await engine.create({ key: 'p_1', dir: repo }, { id: 't_1' }));
    expect(again.reused).toBe(false);
    expect(box.git(again.workspace.path, 'status', '--porcelain')).toBe('');
    const orphans = join(box.maestroHome, 'workspaces/p_1/.maestro/orphans');
    const [aside] = readdirSync(orphans);
    expect(readFileSync(join(orphans, aside!, 'precious.txt'), 'utf8')).toBe('keep me\n');
  });

  it('starts a dependent task from the base after its dependency merged, with its code', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'a.txt': 'a\n' });
    const engine = box.engine();
    const a = isolated(await engine.create({ key: 'p_1', dir: repo }, { id: 't_a', title: 'api' }));
    writeFileSync(join(a.workspace.path, 'api.ts'), 'export const api = 1;\n');
    box.git(a.workspace.path, 'add', '-A');
    box.git(a.workspace.path, 'commit', '-q', '-m', 'api');
    expect(await engine.merge('p_1', 't_a', { strategy: 'rebase', checks: null })).toMatchObject({
      outcome: 'merged',
    });

    const b = isolated(await engine.create({ key: 'p_1', dir: repo }, { id: 't_b', title: 'client' }));
    expect(readFileSync(join(b.workspace.path, 'api.ts'), 'utf8')).toBe('export const api = 1;\n');
    expect(b.workspace.createdFrom).toBe(box.git(repo, 'rev-parse', 'main'));
  });
});

describe('workspace creation: kill -9 at every step converges', () => {
  const POINTS: FaultPoint[] = [
    'create:branch',
    'create:worktree',
    'create:provision',
    'create:setup',
    'create:ready',
  ];

  it.each(POINTS)('killed at %s, a second create ends with one ready worktree', async (pauseAt) => {
    const box = boxes.make();
    const repo = box.repo('app', {
      '.gitignore': 'node_modules\nsetup-count\n',
      '.maestro/workspace.json': JSON.stringify({ link: ['node_modules'], setup: 'echo x >> setup-count' }),
      'a.txt': 'a\n',
    });
    writeFiles(repo, { 'node_modules/m/index.js': 'm\n' });
    const marker = join(box.root, 'paused');
    const child = await startEngineChild(box, {
      home: box.maestroHome,
      env: box.env,
      op: 'create',
      project: { key: 'p_1', dir: repo },
      task: { id: 't_1', title: 'crash test' },
      pauseAt,
      marker,
    });
    await killHard(child);

    const result = isolated(
      await box.engine().create({ key: 'p_1', dir: repo }, { id: 't_1', title: 'crash test' }),
    );
    const ws = result.workspace.path;
    expect(result.ready).toBe(true);
    expect(result.reused).toBe(pauseAt === 'create:ready');
    expect(box.git(ws, 'symbolic-ref', 'HEAD')).toBe('refs/heads/maestro/t_1-crash-test');
    expect(box.git(ws, 'status', '--porcelain')).toBe('');
    expect(readlinkSync(join(ws, 'node_modules'))).toBe(join(repo, 'node_modules'));
    expect(readFileSync(join(ws, 'setup-count'), 'utf8').length).toBeGreaterThan(0);
    const listed = box
      .git(repo, 'worktree', 'list', '--porcelain')
      .split('\n')
      .filter((l) => l.startsWith('worktree '));
    expect(listed).toEqual([`worktree ${repo}`, `worktree ${ws}`]);
  });

  it('repairs a worktree whose checkout was cut short', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'a.txt': 'a\n', 'b/c.txt': 'c\n' });
    const marker = join(box.root, 'paused');
    const child = await startEngineChild(box, {
      home: box.maestroHome,
      env: box.env,
      op: 'create',
      project: { key: 'p_1', dir: repo },
      task: { id: 't_1', title: 'cut' },
      pauseAt: 'create:provision',
      marker,
    });
    await killHard(child);
    // What a `git worktree add` killed half-way leaves: some files, no index, and a record that
    // does not say the worktree step finished.
    const ws = join(box.maestroHome, 'workspaces/p_1/t_1-cut');
    const recordPath = join(box.maestroHome, 'workspaces/p_1/.maestro/t_1.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { step: string };
    writeFileSync(recordPath, JSON.stringify({ ...record, step: 'branched' }));
    rmSync(join(ws, 'b'), { recursive: true });
    rmSync(join(box.git(ws, 'rev-parse', '--path-format=absolute', '--git-dir'), 'index'));

    const result = isolated(await box.engine().create({ key: 'p_1', dir: repo }, { id: 't_1' }));
    expect(result.ready).toBe(true);
    expect(readFileSync(join(ws, 'b/c.txt'), 'utf8')).toBe('c\n');
    expect(box.git(ws, 'status', '--porcelain')).toBe('');
  });
});
