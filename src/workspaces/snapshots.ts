import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkspaceErrors } from './errors.js';
import { excludePathspecs, type Git } from './git.js';
import { snapshotRef, snapshotRefPrefix } from './layout.js';

/** A snapshot: the worktree's files (tracked and untracked, not ignored) at one moment, as a commit. */
export interface Snapshot {
  n: number;
  ref: string;
  commit: string;
  /** The worktree's HEAD when it was taken (its first parent); null on an unborn branch. */
  head: string | null;
  /** The tree of the files. */
  tree: string;
  /** The tree of the index when it differed from HEAD (staged changes), else null. */
  indexTree: string | null;
  reason: string;
  branch: string | null;
  createdAt: number;
}

/** The worktree's state, captured into the object database without touching its index or files. */
export interface CapturedState {
  head: string | null;
  headTree: string | null;
  /** The files: tracked and untracked, ignored ones and the excluded paths left out. */
  tree: string;
  /** The real index's tree, or null when it cannot be written (unmerged entries). */
  indexTree: string | null;
  /** The symbolic ref HEAD points to, or null when detached. */
  branch: string | null;
}

/**
 * Captures the worktree's files as a tree, through a temporary index file: the real index is
 * copied (so unchanged files are not hashed again), `git add -A` stages everything into the copy,
 * `git write-tree` writes it. The worktree's index, HEAD and files are never written.
 */
export async function captureState(
  git: Git,
  worktree: string,
  tmpDir: string,
  excluded: readonly string[],
): Promise<CapturedState> {
  await mkdir(tmpDir, { recursive: true });
  const temporaryIndex = join(tmpDir, `capture-${process.pid}-${randomBytes(4).toString('hex')}.index`);
  try {
    const realIndex = await git.text(worktree, [
      'rev-parse',
      '--path-format=absolute',
      '--git-path',
      'index',
    ]);
    let hasIndex = true;
    try {
      await copyFile(realIndex, temporaryIndex);
    } catch {
      hasIndex = false;
    }
    const env = { GIT_INDEX_FILE: temporaryIndex };
    const head = await git.commitOf(worktree, 'HEAD');
    const headTree = head ? await git.text(worktree, ['rev-parse', `${head}^{tree}`]) : null;
    const branchResult = await git.run(worktree, ['symbolic-ref', '-q', 'HEAD'], { allowFailure: true });
    const branch = branchResult.code === 0 ? branchResult.stdout.trim() : null;
    let indexTree: string | null = null;
    if (hasIndex) {
      const written = await git.run(worktree, ['write-tree'], { env, allowFailure: true });
      indexTree = written.code === 0 ? written.stdout.trim() : null;
    }
    await git.run(worktree, ['add', '-A', '--', ...excludePathspecs(excluded)], { env });
    const tree = await git.text(worktree, ['write-tree'], { env });
    return { head, headTree, tree, indexTree, branch };
  } finally {
    await rm(temporaryIndex, { force: true });
  }
}

/** Whether a captured state has anything a snapshot would keep beyond HEAD. */
export function hasChanges(state: CapturedState): boolean {
  return state.tree !== state.headTree || (state.indexTree !== null && state.indexTree !== state.headTree);
}

/** The task's snapshots, oldest first. */
export async function listSnapshots(git: Git, repo: string, taskId: string): Promise<Snapshot[]> {
  const format = [
    '%(refname)',
    '%(objectname)',
    '%(tree)',
    '%(parent)',
    '%(committerdate:unix)',
    '%(contents)',
  ].join('%00');
  const out = await git.text(repo, ['for-each-ref', `--format=${format}%01`, snapshotRefPrefix(taskId)]);
  const snapshots: Snapshot[] = [];
  for (const record of out.split('\x01')) {
    const fields = record.replace(/^\n/, '').split('\0');
    if (fields.length < 6) continue;
    const [ref, commit, tree, parents, date, ...message] = fields as [string, string, string, string, string];
    const n = Number(ref.slice(snapshotRefPrefix(taskId).length));
    if (!Number.isInteger(n) || n < 1) continue;
    const trailers = parseTrailers(message.join('\0'));
    const [head = null, indexParent = null] = parents.split(' ').filter(Boolean);
    snapshots.push({
      n,
      ref,
      commit,
      head: trailers['Maestro-Head'] === 'none' ? null : head,
      tree,
      indexTree: trailers['Maestro-Index'] && indexParent ? trailers['Maestro-Index'] : null,
      reason: trailers['Maestro-Reason'] ?? 'unknown',
      branch:
        trailers['Maestro-Branch'] && trailers['Maestro-Branch'] !== 'detached'
          ? trailers['Maestro-Branch']
          : null,
      createdAt: Number(date) * 1000,
    });
  }
  return snapshots.sort((a, b) => a.n - b.n);
}

function parseTrailers(message: string): Record<string, string> {
  const trailers: Record<string, string> = {};
  for (const line of message.split('\n')) {
    const m = /^(Maestro-[A-Za-z]+): (.*)$/.exec(line);
    if (m) trailers[m[1]!] = m[2]!;
  }
  return trailers;
}

export interface TakeSnapshotInput {
  taskId: string;
  worktree: string;
  /** Where refs are written (the repository; any of its worktrees works, refs are shared). */
  repo: string;
  tmpDir: string;
  excluded: readonly string[];
  reason: string;
  /** Take one even when nothing changed, to pin a HEAD no branch contains. */
  force?: boolean;
}

/**
 * Commits the worktree's changes to `refs/maestro/snapshots/<task>/<n>` without touching its
 * index, HEAD or files. The commit's tree is the files, its first parent HEAD and, when the index
 * held staged changes, its second parent a commit of the index (as `git stash` keeps it). Returns
 * the snapshot and whether it was new: nothing is written when the worktree has no changes, or
 * when the newest snapshot already holds exactly this state.
 */
export async function takeSnapshot(
  git: Git,
  input: TakeSnapshotInput,
): Promise<{ snapshot: Snapshot | null; created: boolean }> {
  const state = await captureState(git, input.worktree, input.tmpDir, input.excluded);
  const existing = await listSnapshots(git, input.repo, input.taskId);
  const latest = existing.at(-1) ?? null;
  const indexTree = state.indexTree !== null && state.indexTree !== state.headTree ? state.indexTree : null;
  if (!hasChanges(state) && !input.force) return { snapshot: null, created: false };
  if (latest && latest.tree === state.tree && latest.head === state.head && latest.indexTree === indexTree)
    return { snapshot: latest, created: false };

  const n = (latest?.n ?? 0) + 1;
  const parents: string[] = [];
  if (state.head) parents.push('-p', state.head);
  if (indexTree) {
    const indexCommit = await git.text(input.repo, [
      'commit-tree',
      indexTree,
      ...(state.head ? ['-p', state.head] : []),
      '-m',
      `index of ${input.taskId} at snapshot ${n}`,
    ]);
    parents.push('-p', indexCommit);
  }
  const message = [
    `maestro snapshot ${input.taskId} #${n} (${input.reason})`,
    '',
    `Maestro-Task: ${input.taskId}`,
    `Maestro-Reason: ${input.reason}`,
    `Maestro-Branch: ${state.branch ?? 'detached'}`,
    `Maestro-Head: ${state.head ?? 'none'}`,
    ...(indexTree ? [`Maestro-Index: ${indexTree}`] : []),
  ].join('\n');
  const commit = await git.text(input.repo, ['commit-tree', state.tree, ...parents, '-m', message]);
  const ref = snapshotRef(input.taskId, n);
  // `create` fails if the ref exists: a snapshot is never overwritten.
  await git.run(input.repo, ['update-ref', '--stdin'], { input: `create ${ref} ${commit}\n` });
  const [snapshot] = (await listSnapshots(git, input.repo, input.taskId)).filter((s) => s.n === n);
  return { snapshot: snapshot!, created: true };
}

/** The snapshot `n`, or the newest one when `n` is null. */
export async function findSnapshot(
  git: Git,
  repo: string,
  taskId: string,
  n: number | null,
): Promise<Snapshot> {
  const snapshots = await listSnapshots(git, repo, taskId);
  const found = n === null ? snapshots.at(-1) : snapshots.find((s) => s.n === n);
  if (!found) throw WorkspaceErrors.snapshotNotFound(taskId, n);
  return found;
}

/**
 * Makes the worktree's files exactly the snapshot's (removing tracked files it does not have;
 * untracked files it does not have stay). HEAD does not move. The index gets the snapshot's staged
 * state when HEAD is still the commit it was taken on, and HEAD's tree otherwise (nothing staged).
 * Callers take a snapshot of the current state first.
 */
export async function applySnapshot(git: Git, worktree: string, snapshot: Snapshot): Promise<void> {
  await git.run(worktree, ['read-tree', '--reset', '-u', snapshot.tree]);
  const head = await git.commitOf(worktree, 'HEAD');
  if (snapshot.indexTree && head === snapshot.head)
    await git.run(worktree, ['read-tree', snapshot.indexTree]);
  else if (head) await git.run(worktree, ['read-tree', head]);
  await git.run(worktree, ['update-index', '-q', '--refresh'], { allowFailure: true });
}
