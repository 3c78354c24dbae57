import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CreateResult, WorkspaceEngine } from '../../src/workspaces/index.js';
import { waitFor } from '../support/wait.js';
import { inventory, killHard, sandboxes, startEngineChild, writeFiles, type Sandbox } from './support.js';

const boxes = sandboxes();
const DAY = 86_400_000;

function workspaceOf(result: CreateResult) {
  if (!result.isolated) throw new Error(`expected a workspace, got ${result.reason}`);
  return result.workspace;
}

/** A repository with ignored files and a linked node_modules, and one workspace in it. */
async function setUp(box: Sandbox, engine: WorkspaceEngine = box.engine(), taskId = 't_1') {
  const repo = existsSync(join(box.root, 'app'))
    ? join(box.root, 'app')
    : box.repo('app', {
        '.gitignore': 'node_modules/\n*.log\nbuild/\n',
        '.maestro/workspace.json': JSON.stringify({ link: ['node_modules'] }),
        'src/main.ts': 'export const main = 1;\n',
        'src/util.ts': 'export const util = 1;\n',
        'docs/guide.md': '# Guide\n',
      });
  writeFiles(repo, { 'node_modules/dep/index.js': 'dep\n' });
  const ws = workspaceOf(await engine.create({ key: 'p_1', dir: repo }, { id: taskId, title: 'work' }));
  return { repo, ws, engine };
}

/** Edits of every kind: modified, deleted, new (nested), staged, binary, and ignored noise. */
function editEverything(box: Sandbox, path: string) {
  writeFileSync(join(path, 'src/main.ts'), 'export const main = 2; // edited\n');
  rmSync(join(path, 'docs/guide.md'));
  writeFiles(path, {
    'src/new/feature.ts': 'export const feature = true;\n',
    'notes.txt': 'untracked notes\n',
    'debug.log': 'ignored\n',
    'build/out.js': 'ignored build output\n',
  });
  writeFileSync(join(path, 'image.bin'), Buffer.from([0, 1, 2, 3, 255, 254]));
  writeFileSync(join(path, 'src/util.ts'), 'export const util = 2; // staged\n');
  box.git(path, 'add', 'src/util.ts');
}

const IGNORED = ['node_modules', 'debug.log', 'build'];

describe('snapshots', () => {
  it('commit tracked and untracked changes to refs/maestro/snapshots without touching index, HEAD or files', async () => {
    const box = boxes.make();
    const { ws, engine, repo } = await setUp(box);
    editEverything(box, ws.path);
    const gitDir = box.git(ws.path, 'rev-parse', '--path-format=absolute', '--git-dir');
    const before = {
      head: box.git(ws.path, 'rev-parse', 'HEAD'),
      index: readFileSync(join(gitDir, 'index')),
      indexMtime: statSync(join(gitDir, 'index')).mtimeMs,
      // --no-optional-locks: a plain `git status` refreshes (rewrites) the index itself.
      status: box.git(ws.path, '--no-optional-locks', 'status', '--porcelain'),
      files: inventory(ws.path, IGNORED),
    };

    const { snapshot, created } = await engine.snapshot('p_1', 't_1', 'manual');
    expect(created).toBe(true);
    expect(snapshot).toMatchObject({
      n: 1,
      ref: 'refs/maestro/snapshots/t_1/1',
      reason: 'manual',
      head: before.head,
    });
    expect(box.git(repo, 'rev-parse', 'refs/maestro/snapshots/t_1/1')).toBe(snapshot!.commit);

    expect(box.git(ws.path, 'rev-parse', 'HEAD')).toBe(before.head);
    expect(readFileSync(join(gitDir, 'index')).equals(before.index)).toBe(true);
    expect(statSync(join(gitDir, 'index')).mtimeMs).toBe(before.indexMtime);
    expect(box.git(ws.path, '--no-optional-locks', 'status', '--porcelain')).toBe(before.status);
    expect(inventory(ws.path, IGNORED)).toEqual(before.files);

    const inSnapshot = box.git(repo, 'ls-tree', '-r', '--name-only', snapshot!.commit).split('\n');
    expect(inSnapshot.sort()).toEqual(
      [
        '.gitignore',
        '.maestro/workspace.json',
        'image.bin',
        'notes.txt',
        'src/main.ts',
        'src/new/feature.ts',
        'src/util.ts',
      ].sort(),
    );
    // The staged change is kept as the index (second parent), as git stash does.
    expect(box.git(repo, 'show', `${snapshot!.commit}^2:src/util.ts`)).toBe(
      'export const util = 2; // staged',
    );
    expect(box.git(repo, 'show', `${snapshot!.commit}^2:src/main.ts`)).toBe('export const main = 1;');
  });

  it('take none of a clean worktree, and no second one of an unchanged state', async () => {
    const box = boxes.make();
    const { ws, engine } = await setUp(box);
    expect(await engine.snapshot('p_1', 't_1')).toEqual({ snapshot: null, created: false });
    writeFileSync(join(ws.path, 'a.txt'), 'a\n');
    const first = await engine.snapshot('p_1', 't_1');
    const second = await engine.snapshot('p_1', 't_1');
    expect(first.created).toBe(true);
    expect(second).toEqual({ snapshot: first.snapshot, created: false });
    writeFileSync(join(ws.path, 'a.txt'), 'b\n');
    expect((await engine.snapshot('p_1', 't_1')).snapshot!.n).toBe(2);
    expect((await engine.snapshots('p_1', 't_1')).map((s) => s.n)).toEqual([1, 2]);
  });

  it('restore brings back a chosen snapshot, keeping the current state as one more', async () => {
    const box = boxes.make();
    const { ws, engine } = await setUp(box);
    writeFileSync(join(ws.path, 'a.txt'), 'version 1\n');
    await engine.snapshot('p_1', 't_1');
    writeFileSync(join(ws.path, 'a.txt'), 'version 2\n');
    writeFileSync(join(ws.path, 'b.txt'), 'only in version 2\n');

    const restored = await engine.restore('p_1', 't_1', 1);
    expect(restored.snapshot.n).toBe(1);
    expect(restored.recreated).toBe(false);
    expect(restored.previous?.n).toBe(2);
    expect(readFileSync(join(ws.path, 'a.txt'), 'utf8')).toBe('version 1\n');
    // Untracked files the snapshot does not have stay (they are in snapshot 2 as well).
    expect(readFileSync(join(ws.path, 'b.txt'), 'utf8')).toBe('only in version 2\n');
    await expect(engine.restore('p_1', 't_1', 9)).rejects.toMatchObject({ code: 'snapshot_not_found' });
  });
});

describe('no work is ever lost', () => {
  it('remove snapshots first and keeps the unmerged branch; restore brings every byte back', async () => {
    const box = boxes.make();
    const { ws, engine, repo } = await setUp(box);
    writeFileSync(join(ws.path, 'committed.txt'), 'committed\n');
    box.git(ws.path, 'add', '-A');
    box.git(ws.path, 'commit', '-q', '-m', 'work');
    const branchTip = box.git(ws.path, 'rev-parse', 'HEAD');
    editEverything(box, ws.path);
    const before = inventory(ws.path, IGNORED);

    const removed = await engine.remove('p_1', 't_1');
    expect(removed).toMatchObject({ removed: true, branchKept: true, snapshot: { n: 1, reason: 'remove' } });
    expect(removed.freedBytes).toBeGreaterThan(0);
    expect(existsSync(ws.path)).toBe(false);
    expect(box.git(repo, 'rev-parse', ws.branch)).toBe(branchTip);
    expect(box.git(repo, 'worktree', 'list', '--porcelain')).not.toContain(ws.path);
    expect(await engine.remove('p_1', 't_1')).toMatchObject({ removed: false });

    const restored = await engine.restore('p_1', 't_1');
    expect(restored).toMatchObject({ recreated: true, snapshot: { n: 1 }, previous: null });
    const after = inventory(ws.path, IGNORED);
    expect(after).toEqual(before);
    expect(after.files).toBe(before.files);
    expect(after.bytes).toBe(before.bytes);
    expect(box.git(ws.path, 'rev-parse', 'HEAD')).toBe(branchTip);
    expect(box.git(ws.path, 'diff', '--cached', '--name-only')).toBe('src/util.ts');
  });

  it('an agent killed mid-edit loses nothing: remove, then restore, gives back every file and byte', async () => {
    const box = boxes.make();
    const { ws, engine } = await setUp(box);
    const agent = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs');
         let n = 0;
         setInterval(() => {
           for (let i = 0; i < 5; i++, n++) {
             fs.mkdirSync('gen/' + (n % 7), { recursive: true });
             fs.writeFileSync('gen/' + (n % 7) + '/file-' + n + '.txt', 'line\\n'.repeat(n + 1));
             fs.appendFileSync('src/main.ts', '// step ' + n + '\\n');
           }
           fs.writeFileSync('progress', String(n));
         }, 5);`,
      ],
      { cwd: ws.path, stdio: 'ignore' },
    );
    box.children.push(agent);
    await waitFor('the agent to have written 60 files', () => {
      try {
        return Number(readFileSync(join(ws.path, 'progress'), 'utf8')) >= 60;
      } catch {
        return false;
      }
    });
    agent.kill('SIGKILL');
    await new Promise((resolve) => agent.once('exit', resolve));
    const before = inventory(ws.path, IGNORED);
    expect(before.files).toBeGreaterThan(60);

    await engine.remove('p_1', 't_1');
    expect(existsSync(ws.path)).toBe(false);
    await engine.restore('p_1', 't_1');
    expect(inventory(ws.path, IGNORED)).toEqual(before);
  });

  it('prune removes merged and archived worktrees by policy, snapshotting dirty ones, and never an active one', async () => {
    const box = boxes.make();
    let now = Date.now();
    const engine = box.engine({ now: () => now });
    const merged = (await setUp(box, engine, 't_merged')).ws;
    const archived = (await setUp(box, engine, 't_archived')).ws;
    const active = (await setUp(box, engine, 't_active')).ws;
    writeFileSync(join(merged.path, 'feature.txt'), 'merged work\n');
    expect(await engine.merge('p_1', 't_merged', { strategy: 'merge', checks: null })).toMatchObject({
      outcome: 'merged',
    });
    // Left dirty after the merge, and dirty unmerged work in the archived and the active ones.
    writeFileSync(join(merged.path, 'leftover.txt'), 'written after the merge\n');
    writeFiles(archived.path, { 'wip/a.txt': 'archived wip\n', 'wip/b.txt': 'more\n' });
    writeFileSync(join(active.path, 'active.txt'), 'the agent is still working\n');
    await engine.archive('p_1', 't_archived');
    const beforeMerged = inventory(merged.path, IGNORED);
    const beforeArchived = inventory(archived.path, IGNORED);
    const beforeActive = inventory(active.path, IGNORED);

    now += 3 * DAY;
    expect((await engine.prune({ mergedRetentionDays: 7 })).removed).toEqual([]);
    now += 5 * DAY;
    const byRetention = await engine.prune({ mergedRetentionDays: 7, archivedRetentionDays: 30 });
    expect(byRetention.removed.map((r) => [r.taskId, r.reason])).toEqual([['t_merged', 'merged_retention']]);
    expect(byRetention.removed[0]!.snapshot).toMatchObject({ reason: 'prune' });

    const byCap = await engine.prune({ maxTotalBytes: 1 });
    expect(byCap.removed.map((r) => [r.taskId, r.reason])).toEqual([['t_archived', 'disk_cap']]);
    expect(byCap.overCapBytes).toBeGreaterThan(0);
    expect(existsSync(active.path)).toBe(true);
    expect(inventory(active.path, IGNORED)).toEqual(beforeActive);

    for (const [taskId, ws, before] of [
      ['t_merged', merged, beforeMerged],
      ['t_archived', archived, beforeArchived],
    ] as const) {
      expect(existsSync(ws.path)).toBe(false);
      await engine.restore('p_1', taskId);
      expect(inventory(ws.path, IGNORED)).toEqual(before);
    }
  });

  it('a removal killed half-way is finished by recover, from the snapshot it took before deleting', async () => {
    const box = boxes.make();
    const { ws, repo } = await setUp(box);
    editEverything(box, ws.path);
    const before = inventory(ws.path, IGNORED);
    const child = await startEngineChild(box, {
      home: box.maestroHome,
      env: box.env,
      op: 'remove',
      project: { key: 'p_1', dir: repo },
      task: { id: 't_1' },
      pauseAt: 'remove:delete',
      marker: join(box.root, 'paused'),
    });
    await killHard(child);
    // As if the deletion had started: part of the worktree is gone.
    rmSync(join(ws.path, 'src'), { recursive: true });

    const engine = box.engine();
    const report = await engine.recover();
    expect(report.removals).toMatchObject([
      { taskId: 't_1', removed: true, snapshot: { n: 1, reason: 'remove' } },
    ]);
    expect(existsSync(ws.path)).toBe(false);
    expect((await engine.snapshots('p_1', 't_1')).length).toBe(1);
    await engine.restore('p_1', 't_1');
    expect(inventory(ws.path, IGNORED)).toEqual(before);
  });

  it('remove pins commits only a detached HEAD holds', async () => {
    const box = boxes.make();
    const { ws, engine, repo } = await setUp(box);
    box.git(ws.path, 'checkout', '-q', '--detach');
    writeFileSync(join(ws.path, 'detached.txt'), 'only on a detached HEAD\n');
    box.git(ws.path, 'add', '-A');
    box.git(ws.path, 'commit', '-q', '-m', 'detached work');
    const lonely = box.git(ws.path, 'rev-parse', 'HEAD');

    const removed = await engine.remove('p_1', 't_1');
    expect(removed.snapshot).toMatchObject({ head: lonely });
    expect(box.git(repo, 'show', `${removed.snapshot!.ref}:detached.txt`)).toBe('only on a detached HEAD');
  });

  it('deletes a branch on removal only when asked and merged', async () => {
    const box = boxes.make();
    const engine = box.engine();
    const kept = (await setUp(box, engine, 't_kept')).ws;
    const done = (await setUp(box, engine, 't_done')).ws;
    const repo = join(box.root, 'app');
    writeFileSync(join(kept.path, 'x.txt'), 'x\n');
    box.git(kept.path, 'add', '-A');
    box.git(kept.path, 'commit', '-q', '-m', 'unmerged');
    writeFileSync(join(done.path, 'y.txt'), 'y\n');
    await engine.merge('p_1', 't_done', { strategy: 'rebase', checks: null });

    expect(await engine.remove('p_1', 't_kept', { deleteMergedBranch: true })).toMatchObject({
      branchKept: true,
    });
    expect(await engine.remove('p_1', 't_done', { deleteMergedBranch: true })).toMatchObject({
      branchKept: false,
    });
    expect(box.git(repo, 'branch', '--list', '--format=%(refname:short)', 'maestro/*')).toBe(
      'maestro/t_kept-work',
    );
    expect(readdirSync(join(box.maestroHome, 'workspaces/p_1')).filter((n) => !n.startsWith('.'))).toEqual(
      [],
    );
  });
});
