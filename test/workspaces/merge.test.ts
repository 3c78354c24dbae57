import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CreateResult, MergeResult, MergeStrategy } from '../../src/workspaces/index.js';
import { sandboxes, writeFiles, type Sandbox } from './support.js';

const boxes = sandboxes();

function workspaceOf(result: CreateResult) {
  if (!result.isolated) throw new Error(`expected a workspace, got ${result.reason}`);
  return result.workspace;
}

function outcome<K extends MergeResult['outcome']>(
  result: MergeResult,
  kind: K,
): Extract<MergeResult, { outcome: K }> {
  if (result.outcome !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(result, null, 2)}`);
  return result as Extract<MergeResult, { outcome: K }>;
}

const SHARED = 'line 1\nline 2\nline 3\n';

async function twoWorkspaces(box: Sandbox) {
  const repo = box.repo('app', { 'shared.txt': SHARED, 'other.txt': 'other\n' });
  const engine = box.engine();
  const a = workspaceOf(await engine.create({ key: 'p_1', dir: repo }, { id: 't_a', title: 'alpha' }));
  const b = workspaceOf(await engine.create({ key: 'p_1', dir: repo }, { id: 't_b', title: 'beta' }));
  return { repo, engine, a, b };
}

function commitAll(box: Sandbox, dir: string, message: string) {
  box.git(dir, 'add', '-A');
  box.git(dir, 'commit', '-q', '-m', message);
  return box.git(dir, 'rev-parse', 'HEAD');
}

describe.each<MergeStrategy>(['rebase', 'merge'])('merge with the %s strategy', (strategy) => {
  it('two workspaces edit one file: the first merges, the second conflicts naming it, then merges once resolved', async () => {
    const box = boxes.make();
    const { repo, engine, a, b } = await twoWorkspaces(box);
    writeFileSync(join(a.path, 'shared.txt'), 'line 1\nline 2 by alpha\nline 3\n');
    commitAll(box, a.path, 'alpha edits line 2');
    writeFileSync(join(b.path, 'shared.txt'), 'line 1\nline 2 by beta\nline 3\n');
    writeFileSync(join(b.path, 'beta.txt'), 'beta only\n');
    const bTip = commitAll(box, b.path, 'beta edits line 2');
    const bFilesBefore = readFileSync(join(b.path, 'shared.txt'), 'utf8');

    const first = outcome(await engine.merge('p_1', 't_a', { strategy, checks: null }), 'merged');
    expect(box.git(repo, 'rev-parse', 'main')).toBe(first.to);
    expect(box.git(repo, 'show', 'main:shared.txt')).toBe('line 1\nline 2 by alpha\nline 3');
    const afterFirst = first.to;

    const second = outcome(await engine.merge('p_1', 't_b', { strategy, checks: null }), 'conflicted');
    expect(second).toMatchObject({ where: 'branch', files: ['shared.txt'], baseCommit: afterFirst });
    expect(second.message).toContain('shared.txt');
    expect(box.git(repo, 'rev-parse', 'main')).toBe(afterFirst);
    // The workspace is as it was: same commit, same files, nothing half-done in it.
    expect(box.git(b.path, 'rev-parse', 'HEAD')).toBe(bTip);
    expect(readFileSync(join(b.path, 'shared.txt'), 'utf8')).toBe(bFilesBefore);
    expect(box.git(b.path, 'status', '--porcelain')).toBe('');
    expect((await engine.status('p_1', 't_b')).operation).toBeNull();

    // The worker resolves: brings the base in, fixes the file, commits.
    const sync = await engine.syncWithBase('p_1', 't_b', strategy);
    expect(sync).toMatchObject({ outcome: 'conflicted', files: ['shared.txt'] });
    writeFileSync(join(b.path, 'shared.txt'), 'line 1\nline 2 by alpha and beta\nline 3\n');
    box.git(b.path, 'add', 'shared.txt');
    if (strategy === 'rebase') box.git(b.path, '-c', 'core.editor=true', 'rebase', '--continue');
    else box.git(b.path, 'commit', '-q', '--no-edit');

    const third = outcome(await engine.merge('p_1', 't_b', { strategy, checks: null }), 'merged');
    expect(third.from).toBe(afterFirst);
    expect(box.git(repo, 'show', 'main:shared.txt')).toBe('line 1\nline 2 by alpha and beta\nline 3');
    expect(box.git(repo, 'show', 'main:beta.txt')).toBe('beta only');
    expect(box.git(repo, 'merge-base', '--is-ancestor', afterFirst, 'main')).toBe('');
  });

  it('a failing check leaves the base commit unchanged and the workspace where it was', async () => {
    const box = boxes.make();
    const { repo, engine, a, b } = await twoWorkspaces(box);
    writeFileSync(join(b.path, 'other.txt'), 'moved the base\n');
    commitAll(box, b.path, 'b');
    outcome(await engine.merge('p_1', 't_b', { strategy, checks: null }), 'merged');
    writeFileSync(join(a.path, 'feature.txt'), 'broken feature\n');
    const aTip = commitAll(box, a.path, 'a');
    writeFileSync(join(a.path, 'uncommitted.txt'), 'not committed yet\n');
    const baseBefore = box.git(repo, 'rev-parse', 'main');

    const failed = outcome(
      await engine.merge('p_1', 't_a', {
        strategy,
        checks: {
          command: 'echo "running the tests"; cat feature.txt; echo "1 test failed" >&2; exit 3',
          timeoutSeconds: 60,
        },
      }),
      'checks_failed',
    );
    expect(box.git(repo, 'rev-parse', 'main')).toBe(baseBefore);
    expect(failed.checks).toMatchObject({ ok: false, exitCode: 3, truncated: false });
    expect(failed.checks.output).toBe('running the tests\nbroken feature\n1 test failed\n');
    expect(failed.message).toBe('The checks failed with exit code 3.');
    // The checks ran on the work brought onto the base: it had b's change.
    expect(failed.baseCommit).toBe(baseBefore);
    // The branch is back at its own commits, the uncommitted file committed on top of them.
    const head = box.git(a.path, 'rev-parse', 'HEAD');
    expect(box.git(a.path, 'rev-parse', 'HEAD~1')).toBe(aTip);
    expect(box.git(a.path, 'show', '--name-only', '--format=', head)).toBe('uncommitted.txt');
    expect(box.git(a.path, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(a.path, 'other.txt'), 'utf8')).toBe('other\n');
  });

  it('lands uncommitted work, and brings the main checkout of the base along, keeping its local changes', async () => {
    const box = boxes.make();
    const { repo, engine, a } = await twoWorkspaces(box);
    writeFileSync(join(a.path, 'shared.txt'), 'changed by the task\n');
    writeFiles(a.path, { 'new/dir/file.txt': 'new file\n' });
    writeFileSync(join(repo, 'other.txt'), 'a local edit in the main checkout\n');
    writeFileSync(join(repo, 'scratch.txt'), 'untracked in the main checkout\n');

    const merged = outcome(
      await engine.merge('p_1', 't_a', {
        strategy,
        checks: { command: 'test -f new/dir/file.txt', timeoutSeconds: 60 },
      }),
      'merged',
    );
    expect(merged.pendingCommit).not.toBeNull();
    expect(merged.checkouts).toEqual([{ path: repo, status: 'synced', files: [] }]);
    expect(box.git(repo, 'rev-parse', 'HEAD')).toBe(merged.to);
    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe('changed by the task\n');
    expect(readFileSync(join(repo, 'new/dir/file.txt'), 'utf8')).toBe('new file\n');
    expect(box.git(repo, 'status', '--porcelain')).toBe(' M other.txt\n?? scratch.txt');
    expect(readFileSync(join(repo, 'other.txt'), 'utf8')).toBe('a local edit in the main checkout\n');
    const status = await engine.status('p_1', 't_a');
    expect(status).toMatchObject({ merged: true, ahead: 0, behind: 0, dirty: false });
  });

  it('does not move a checked-out base whose local changes touch the merged files', async () => {
    const box = boxes.make();
    const { repo, engine, a } = await twoWorkspaces(box);
    writeFileSync(join(a.path, 'shared.txt'), 'changed by the task\n');
    commitAll(box, a.path, 'task');
    writeFileSync(join(repo, 'shared.txt'), 'the user is editing this\n');
    const baseBefore = box.git(repo, 'rev-parse', 'main');

    const blocked = outcome(await engine.merge('p_1', 't_a', { strategy, checks: null }), 'conflicted');
    expect(blocked).toMatchObject({ where: 'checkout', files: [`${repo}/shared.txt`] });
    expect(box.git(repo, 'rev-parse', 'main')).toBe(baseBefore);
    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe('the user is editing this\n');
  });
});

describe('merge', () => {
  it('integrates again when the base moves while the checks run, and lands on top of it', async () => {
    const box = boxes.make();
    const { repo, engine, a } = await twoWorkspaces(box);
    writeFileSync(join(a.path, 'feature.txt'), 'feature\n');
    commitAll(box, a.path, 'feature');
    const once = join(box.root, 'moved-once');
    // The first run of the checks commits to main behind the merge's back (a push meanwhile).
    const checks = `if [ ! -f ${once} ]; then touch ${once}; git -C ${repo} commit -q --allow-empty -m "pushed meanwhile"; fi`;
    const merged = outcome(
      await engine.merge('p_1', 't_a', {
        strategy: 'rebase',
        checks: { command: checks, timeoutSeconds: 60 },
      }),
      'merged',
    );
    expect(box.git(repo, 'log', '--format=%s', '-3', 'main').split('\n')).toEqual([
      'feature',
      'pushed meanwhile',
      'initial',
    ]);
    expect(merged.to).toBe(box.git(repo, 'rev-parse', 'main'));
  });

  it('lands even when the main checkout stays locked, and says how to bring it along', async () => {
    const box = boxes.make();
    const { repo, engine, a } = await twoWorkspaces(box);
    writeFileSync(join(a.path, 'feature.txt'), 'feature\n');
    // Someone's git holds the main checkout's index for the whole merge.
    writeFileSync(join(repo, '.git/index.lock'), '');
    const merged = outcome(await engine.merge('p_1', 't_a', { strategy: 'merge', checks: null }), 'merged');
    expect(box.git(repo, 'rev-parse', 'main')).toBe(merged.to);
    expect(merged.checkouts).toEqual([
      {
        path: repo,
        status: 'needs_attention',
        files: [],
        error: expect.stringContaining('index.lock'),
        hint: `git -C ${repo} read-tree -m -u ${merged.from} ${merged.to}`,
      },
    ]);
    rmSync(join(repo, '.git/index.lock'));
    box.git(repo, 'read-tree', '-m', '-u', merged.from, merged.to);
    expect(box.git(repo, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(repo, 'feature.txt'), 'utf8')).toBe('feature\n');
  });

  it('keeps the checks output bounded: the head and the tail', async () => {
    const box = boxes.make();
    const { engine, a } = await twoWorkspaces(box);
    writeFileSync(join(a.path, 'x.txt'), 'x\n');
    const failed = outcome(
      await engine.merge('p_1', 't_a', {
        strategy: 'merge',
        checks: {
          command: 'echo FIRST; yes filler-line | head -c 1000000; echo; echo LAST; exit 1',
          timeoutSeconds: 60,
        },
      }),
      'checks_failed',
    );
    expect(failed.checks.truncated).toBe(true);
    expect(failed.checks.outputBytes).toBe(1_000_000 + 'FIRST\n\nLAST\n'.length);
    expect(failed.checks.output.startsWith('FIRST\n')).toBe(true);
    expect(failed.checks.output.endsWith('LAST\n')).toBe(true);
    expect(failed.checks.output.length).toBeLessThan(70 * 1024);
    expect(failed.checks.output).toMatch(/… \d+ bytes omitted …/);
  });

  it('a workspace with nothing beyond the base is merged without moving it', async () => {
    const box = boxes.make();
    const { repo, engine } = await twoWorkspaces(box);
    const before = box.git(repo, 'rev-parse', 'main');
    const merged = outcome(
      await engine.merge('p_1', 't_a', {
        strategy: 'rebase',
        checks: { command: 'exit 1', timeoutSeconds: 5 },
      }),
      'merged',
    );
    expect(merged).toMatchObject({ empty: true, from: before, to: before, checks: null });
  });

  it('refuses a worktree mid-rebase or on another branch', async () => {
    const box = boxes.make();
    const { engine, a } = await twoWorkspaces(box);
    box.git(a.path, 'checkout', '-q', '-b', 'elsewhere');
    await expect(engine.merge('p_1', 't_a', { strategy: 'rebase', checks: null })).rejects.toMatchObject({
      code: 'workspace_not_on_branch',
    });
  });
});

describe('diff and status', () => {
  it('show the task changes from the merge base, uncommitted ones included, without the linked node_modules', async () => {
    const box = boxes.make();
    const repo = box.repo('app', {
      '.gitignore': 'node_modules/\n',
      '.maestro/workspace.json': '{"link": ["node_modules"]}',
      'a.txt': 'one\ntwo\nthree\n',
      'old-name.txt': 'a file that is renamed, with enough content to be found again\n'.repeat(5),
      'gone.txt': 'gone\n',
    });
    writeFiles(repo, { 'node_modules/x/index.js': 'x\n' });
    const engine = box.engine();
    const ws = workspaceOf(await engine.create({ key: 'p_1', dir: repo }, { id: 't_1' }));
    writeFileSync(join(ws.path, 'a.txt'), 'one\n2\nthree\nfour\n');
    commitAll(box, ws.path, 'edit a');
    // The base moves on meanwhile: its change is not the task's.
    writeFileSync(join(repo, 'base-only.txt'), 'base\n');
    commitAll(box, repo, 'base moves');
    box.git(ws.path, 'mv', 'old-name.txt', 'new-name.txt');
    box.git(ws.path, 'rm', '-q', 'gone.txt');
    writeFileSync(join(ws.path, 'untracked.txt'), 'u1\nu2\n');
    writeFileSync(join(ws.path, 'blob.bin'), Buffer.from([0, 0, 1, 2]));

    const diff = await engine.diff('p_1', 't_1', { patch: true });
    expect(diff.base).toBe('main');
    expect(diff.mergeBase).toBe(ws.createdFrom);
    expect(diff.files).toEqual([
      { path: 'a.txt', oldPath: null, status: 'modified', additions: 2, deletions: 1, binary: false },
      { path: 'blob.bin', oldPath: null, status: 'added', additions: null, deletions: null, binary: true },
      { path: 'gone.txt', oldPath: null, status: 'deleted', additions: 0, deletions: 1, binary: false },
      {
        path: 'new-name.txt',
        oldPath: 'old-name.txt',
        status: 'renamed',
        additions: 0,
        deletions: 0,
        binary: false,
      },
      { path: 'untracked.txt', oldPath: null, status: 'added', additions: 2, deletions: 0, binary: false },
    ]);
    expect(diff.totals).toEqual({ files: 5, additions: 4, deletions: 2 });
    expect(diff.stat).toContain('5 files changed');
    expect(diff.patch).toContain('+four');
    expect(diff.patch).toContain('rename from old-name.txt');
    expect(diff.patch).not.toContain('base-only.txt');
    expect(diff.patchTruncated).toBe(false);

    const cut = await engine.diff('p_1', 't_1', { patch: true, maxPatchBytes: 100 });
    expect(cut.patch!.length).toBe(100);
    expect(cut.patchTruncated).toBe(true);

    const status = await engine.status('p_1', 't_1');
    expect(status).toMatchObject({
      onDisk: true,
      ahead: 1,
      behind: 1,
      merged: false,
      dirty: true,
      operation: null,
      headBranch: 'maestro/t_1-t-1',
    });
    expect(status.changes.map((c) => [c.code, c.path]).sort()).toEqual([
      ['??', 'blob.bin'],
      ['??', 'untracked.txt'],
      ['D ', 'gone.txt'],
      ['R ', 'new-name.txt'],
    ]);
    expect(status.sizeBytes).toBeGreaterThan(0);
  });
});
