import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  CreateResult,
  FaultPoint,
  MergeJournal,
  MergeStrategy,
  RecoveredMerge,
} from '../../src/workspaces/index.js';
import { waitFor } from '../support/wait.js';
import { inventory, killHard, processEnded, sandboxes, startEngineChild, type Sandbox } from './support.js';

const boxes = sandboxes();

function workspaceOf(result: CreateResult) {
  if (!result.isolated) throw new Error(`expected a workspace, got ${result.reason}`);
  return result.workspace;
}

/**
 * A repository whose main checkout has `main` checked out, one workspace with committed and
 * uncommitted work, and a base that moved on after the workspace was made (so the merge has to
 * rebase or make a merge commit, and the main checkout has to follow).
 */
async function scene(box: Sandbox) {
  const repo = box.repo('app', { 'shared.txt': 'one\ntwo\nthree\n', 'other.txt': 'other\n' });
  const engine = box.engine();
  const ws = workspaceOf(await engine.create({ key: 'p_1', dir: repo }, { id: 't_1', title: 'crash' }));
  writeFileSync(join(ws.path, 'shared.txt'), 'one\ntwo, by the task\nthree\n');
  writeFileSync(join(ws.path, 'feature.txt'), 'the feature\n');
  box.git(ws.path, 'add', '-A');
  box.git(ws.path, 'commit', '-q', '-m', 'task work');
  writeFileSync(join(ws.path, 'pending.txt'), 'not committed by the agent\n');
  writeFileSync(join(repo, 'other.txt'), 'other, moved on in main\n');
  box.git(repo, 'commit', '-q', '-am', 'main moves on');
  return {
    repo,
    ws,
    baseBefore: box.git(repo, 'rev-parse', 'main'),
    work: inventory(ws.path),
    journal: join(box.maestroHome, 'workspaces/p_1/.maestro/t_1.merge.json'),
  };
}

async function crashAt(
  box: Sandbox & { children: ChildProcess[] },
  repo: string,
  pauseAt: FaultPoint | null,
  strategy: MergeStrategy,
  checks: { command: string; timeoutSeconds: number } | null,
  reached?: string,
) {
  const marker = join(box.root, 'paused');
  const child = await startEngineChild(
    box,
    {
      home: box.maestroHome,
      env: box.env,
      op: 'merge',
      project: { key: 'p_1', dir: repo },
      task: { id: 't_1' },
      merge: { strategy, checks },
      pauseAt,
      marker,
    },
    reached,
  );
  await killHard(child);
}

/** The base is at the commit before the merge or at the merged one, and every checkout is whole. */
function expectConsistent(box: Sandbox, s: Awaited<ReturnType<typeof scene>>, recovered: RecoveredMerge) {
  const base = box.git(s.repo, 'rev-parse', 'main');
  if (recovered.base === 'before') {
    expect(base).toBe(s.baseBefore);
  } else {
    // After: the merged commit, which has the task's work on top of the base it was merged onto.
    expect(base).toBe(recovered.commit);
    expect(box.git(s.repo, 'merge-base', '--is-ancestor', s.baseBefore, base)).toBe('');
    expect(box.git(s.repo, 'show', `${base}:feature.txt`)).toBe('the feature');
    expect(box.git(s.repo, 'show', `${base}:pending.txt`)).toBe('not committed by the agent');
    expect(box.git(s.repo, 'show', `${base}:other.txt`)).toBe('other, moved on in main');
  }
  expect(recovered.baseCommit).toBe(base);
  // The main checkout: on main, index and files at its commit, no lock left.
  expect(box.git(s.repo, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  expect(box.git(s.repo, 'status', '--porcelain')).toBe('');
  expect(existsSync(join(s.repo, '.git/index.lock'))).toBe(false);
  // The workspace: on its branch, nothing half-done, every byte of the work there.
  const gitDir = box.git(s.ws.path, 'rev-parse', '--path-format=absolute', '--git-dir');
  expect(box.git(s.ws.path, 'symbolic-ref', 'HEAD')).toBe(`refs/heads/${s.ws.branch}`);
  for (const op of ['rebase-merge', 'rebase-apply', 'MERGE_HEAD', 'index.lock'])
    expect(existsSync(join(gitDir, op)), op).toBe(false);
  // Every file of the work as it was; other.txt is the base's, moved on by the merge (or not).
  const withoutBase = (entries: Record<string, string>) =>
    Object.fromEntries(Object.entries(entries).filter(([path]) => path !== 'other.txt'));
  expect(withoutBase(inventory(s.ws.path).entries)).toEqual(withoutBase(s.work.entries));
  expect(existsSync(s.journal)).toBe(false);
}

const BEFORE_LANDING: FaultPoint[] = [
  'merge:snapshot',
  'merge:commit',
  'merge:integrate',
  'merge:check',
  'merge:land',
];
const AFTER_LANDING: FaultPoint[] = ['merge:land-done', 'merge:sync', 'merge:finish'];

describe.each<MergeStrategy>(['rebase', 'merge'])(
  'kill -9 during a merge (%s), then recover()',
  (strategy) => {
    it.each([...BEFORE_LANDING, ...AFTER_LANDING])(
      'killed at %s: the base is before or after the merge, never between, and the queue goes on',
      async (pauseAt) => {
        const box = boxes.make();
        const s = await scene(box);
        await crashAt(box, s.repo, pauseAt, strategy, { command: 'test -f feature.txt', timeoutSeconds: 60 });
        expect(existsSync(s.journal)).toBe(true);

        const engine = box.engine();
        const report = await engine.recover();
        expect(report.merges).toHaveLength(1);
        const recovered = report.merges[0]!;
        const landed = AFTER_LANDING.includes(pauseAt);
        expect(recovered).toMatchObject({
          taskId: 't_1',
          base: landed ? 'after' : 'before',
          outcome: landed
            ? 'merged'
            : pauseAt === 'merge:snapshot' || pauseAt === 'merge:commit'
              ? 'abandoned'
              : 'rolled_back',
        });
        expectConsistent(box, s, recovered);
        // From `finish` on the main checkout was synced already.
        if (landed)
          expect(recovered.checkouts).toEqual(
            pauseAt === 'merge:finish' ? [] : [{ path: s.repo, status: 'synced', files: [] }],
          );

        // The queue resumes: merging again lands the work (or finds it landed).
        const again = await engine.merge('p_1', 't_1', { strategy, checks: null });
        expect(again).toMatchObject({ outcome: 'merged', empty: landed });
        expect(box.git(s.repo, 'show', 'main:feature.txt')).toBe('the feature');
        expect(box.git(s.repo, 'status', '--porcelain')).toBe('');
        expect((await engine.status('p_1', 't_1')).merged).toBe(true);
      },
    );
  },
);

describe('kill -9 during a merge: the hard cases', () => {
  it('checks still running after the kill are stopped by recover, and the attempt rolled back', async () => {
    const box = boxes.make();
    const s = await scene(box);
    const started = join(box.root, 'checks-started');
    await crashAt(
      box,
      s.repo,
      null,
      'rebase',
      { command: `echo $$ > ${started}; exec tail -f /dev/null`, timeoutSeconds: 600 },
      started,
    );
    const checksPid = Number(readFileSync(started, 'utf8'));
    expect(processEnded(checksPid)).toBe(false);
    expect(JSON.parse(readFileSync(s.journal, 'utf8'))).toMatchObject({ step: 'check' });

    const report = await box.engine().recover();
    expect(report.merges[0]).toMatchObject({ step: 'check', outcome: 'rolled_back', base: 'before' });
    await waitFor('the orphaned checks to end', () => processEnded(checksPid));
    expectConsistent(box, s, report.merges[0]!);
  });

  it('a rebase left half-way in the workspace is aborted', async () => {
    const box = boxes.make();
    const s = await scene(box);
    await crashAt(box, s.repo, 'merge:check', 'rebase', null);
    // What a kill in the middle of `git rebase` leaves: a rebase stopped on a conflict.
    const pre = (JSON.parse(readFileSync(s.journal, 'utf8')) as MergeJournal).pre!;
    box.git(s.ws.path, 'reset', '-q', '--hard', pre);
    box.git(s.repo, 'checkout', '-q', '-b', 'conflicting', s.baseBefore);
    writeFileSync(join(s.repo, 'shared.txt'), 'one\ntwo, conflicting\nthree\n');
    box.git(s.repo, 'commit', '-q', '-am', 'conflicting');
    box.git(s.repo, 'checkout', '-q', 'main');
    expect(() => box.git(s.ws.path, 'rebase', 'conflicting')).toThrow();
    expect((await box.engine().status('p_1', 't_1')).operation).toBe('rebase');

    const report = await box.engine().recover();
    expect(report.merges[0]).toMatchObject({ outcome: 'rolled_back', base: 'before' });
    expect(box.git(s.ws.path, 'rev-parse', 'HEAD')).toBe(pre);
    expectConsistent(box, s, report.merges[0]!);
  });

  it('a swap done but not yet journaled is found by the base ref, and the merge finished', async () => {
    const box = boxes.make();
    const s = await scene(box);
    await crashAt(box, s.repo, 'merge:land-done', 'merge', null);
    const journal = JSON.parse(readFileSync(s.journal, 'utf8')) as MergeJournal;
    expect(journal.step).toBe('land');
    expect(box.git(s.repo, 'rev-parse', 'main')).toBe(journal.candidate);

    const report = await box.engine().recover();
    expect(report.merges[0]).toMatchObject({
      step: 'land',
      outcome: 'merged',
      base: 'after',
      commit: journal.candidate,
    });
    expectConsistent(box, s, report.merges[0]!);
  });

  it('a main checkout left half-updated (files, stale lock) is finished; a file the user changed is named, not touched', async () => {
    const box = boxes.make();
    const s = await scene(box);
    await crashAt(box, s.repo, 'merge:sync', 'rebase', null);
    const journal = JSON.parse(readFileSync(s.journal, 'utf8')) as MergeJournal;
    // What a `git read-tree -u` killed half-way leaves: one file written, the index not, its lock.
    writeFileSync(join(s.repo, 'feature.txt'), 'the feature\n');
    writeFileSync(join(s.repo, '.git/index.lock'), '');
    // And the user, meanwhile, edited a file the merge changes.
    writeFileSync(join(s.repo, 'shared.txt'), 'the user was here\n');

    const report = await box.engine().recover();
    const recovered = report.merges[0]!;
    expect(recovered).toMatchObject({ outcome: 'merged', base: 'after', commit: journal.candidate });
    expect(recovered.checkouts).toEqual([{ path: s.repo, status: 'needs_attention', files: ['shared.txt'] }]);
    expect(readFileSync(join(s.repo, 'shared.txt'), 'utf8')).toBe('the user was here\n');
    expect(existsSync(join(s.repo, '.git/index.lock'))).toBe(false);
    expect(box.git(s.repo, 'status', '--porcelain')).toBe(' M shared.txt');
    expect(box.git(s.repo, 'diff', '--cached', '--name-only')).toBe('');
    expect(readFileSync(join(s.repo, 'pending.txt'), 'utf8')).toBe('not committed by the agent\n');
  });

  it('a second merge of the same base is refused until recover() has run', async () => {
    const box = boxes.make();
    const s = await scene(box);
    await crashAt(box, s.repo, 'merge:check', 'rebase', null);
    const engine = box.engine();
    await expect(engine.merge('p_1', 't_1', { strategy: 'rebase', checks: null })).rejects.toMatchObject({
      code: 'merge_in_progress',
    });
    await engine.recover('p_1');
    expect(await engine.merge('p_1', 't_1', { strategy: 'rebase', checks: null })).toMatchObject({
      outcome: 'merged',
    });
  });
});
