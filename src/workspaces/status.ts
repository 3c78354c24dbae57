import { join } from 'node:path';
import { inspectWorktree, type EngineContext } from './context.js';
import { diskUsage } from './disk-usage.js';
import { excludePathspecs, splitNul } from './git.js';
import type { PortRange } from './ports.js';
import { writeRecord, type RecordStep, type WorkspaceRecord } from './record.js';
import { listSnapshots } from './snapshots.js';

/** One uncommitted change, as `git status --porcelain` names it (`M`, `A`, `D`, `R`, `??`, `UU`). */
export interface WorkspaceChange {
  path: string;
  /** Index and worktree status letters, e.g. ' M', '??', 'UU'. */
  code: string;
}

export interface WorkspaceStatus {
  projectKey: string;
  taskId: string;
  branch: string;
  baseBranch: string;
  path: string;
  step: RecordStep;
  /** The worktree is on disk and git works in it. */
  onDisk: boolean;
  /** The commit checked out, and the branch (null when detached). */
  head: string | null;
  headBranch: string | null;
  createdAt: number;
  ageMs: number;
  /** Commits on the branch the base does not have, and the other way round. */
  ahead: number;
  behind: number;
  /** The branch's work is on the base (merged by Maestro, or by hand). */
  merged: boolean;
  mergedAt: number | null;
  archivedAt: number | null;
  dirty: boolean;
  /** The first STATUS_LIMITS.changes uncommitted changes; `changeCount` counts them all. */
  changes: WorkspaceChange[];
  changeCount: number;
  /** A rebase or merge stopped half-way in the worktree. */
  operation: 'rebase' | 'merge' | null;
  /** Disk used by the worktree and its git folder (not following symlinks: a linked node_modules is free). */
  sizeBytes: number;
  ports: PortRange | null;
  snapshots: number;
}

export const STATUS_LIMITS = { changes: 200 } as const;

/** Reads everything `workspace list` shows of one record. Records a merge done by hand as merged. */
export async function workspaceStatus(ctx: EngineContext, record: WorkspaceRecord): Promise<WorkspaceStatus> {
  const git = ctx.git;
  const worktree = record.step === 'removed' ? null : await inspectWorktree(ctx, record);
  const onDisk = worktree?.valid ?? false;
  const branchRef = `refs/heads/${record.branch}`;
  const baseRef = `refs/heads/${record.baseBranch}`;
  const branchTip = await git.commitOf(record.repoRoot, branchRef);
  const baseTip = await git.commitOf(record.repoRoot, baseRef);

  let ahead = 0;
  let behind = 0;
  if (branchTip && baseTip) {
    const counts = await git.text(record.repoRoot, [
      'rev-list',
      '--left-right',
      '--count',
      `${baseTip}...${branchTip}`,
    ]);
    const [left = '0', right = '0'] = counts.split(/\s+/);
    behind = Number(left);
    ahead = Number(right);
  }
  const merged = await isMerged(ctx, record, branchTip, baseTip);
  if (merged && record.mergedAt === null) {
    record = { ...record, mergedAt: ctx.now(), mergedCommit: branchTip };
    await writeRecord(ctx.layout(record.projectKey), record);
  }

  let changes: WorkspaceChange[] = [];
  let head: string | null = branchTip;
  let sizeBytes = 0;
  if (onDisk && worktree) {
    head = await git.commitOf(record.path, 'HEAD');
    changes = await uncommittedChanges(ctx, record);
    sizeBytes =
      (await diskUsage(record.path)).bytes + (worktree.gitDir ? (await diskUsage(worktree.gitDir)).bytes : 0);
  }
  const snapshots = await listSnapshots(git, record.repoRoot, record.taskId);
  return {
    projectKey: record.projectKey,
    taskId: record.taskId,
    branch: record.branch,
    baseBranch: record.baseBranch,
    path: record.path,
    step: record.step,
    onDisk,
    head,
    headBranch: worktree?.headRef?.replace(/^refs\/heads\//, '') ?? null,
    createdAt: record.createdAt,
    ageMs: Math.max(0, ctx.now() - record.createdAt),
    ahead,
    behind,
    merged,
    mergedAt: record.mergedAt,
    archivedAt: record.archivedAt,
    dirty: changes.length > 0,
    changes: changes.slice(0, STATUS_LIMITS.changes),
    changeCount: changes.length,
    operation: worktree?.operation ?? null,
    sizeBytes,
    ports: record.ports,
    snapshots: snapshots.length,
  };
}

/**
 * Whether the task's work is on the base branch: Maestro merged it, or the branch has commits of
 * its own and they are all in the base (merged by hand). A fresh branch with no commits is not.
 */
export async function isMerged(
  ctx: EngineContext,
  record: WorkspaceRecord,
  branchTip: string | null,
  baseTip: string | null,
): Promise<boolean> {
  if (record.mergedAt !== null && (branchTip === null || branchTip === record.mergedCommit)) return true;
  if (!branchTip || !baseTip || branchTip === record.createdFrom) return false;
  return ctx.git.isAncestor(record.repoRoot, branchTip, baseTip);
}

/** `git status` of the worktree, without the provisioned paths and without taking the index lock. */
export async function uncommittedChanges(
  ctx: EngineContext,
  record: WorkspaceRecord,
): Promise<WorkspaceChange[]> {
  const out = await ctx.git.text(join(record.path), [
    '--no-optional-locks',
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=all',
    '--',
    ...excludePathspecs(record.excluded),
  ]);
  const fields = splitNul(out);
  const changes: WorkspaceChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const code = field.slice(0, 2);
    changes.push({ code, path: field.slice(3) });
    // A rename or copy is followed by its old path.
    if (code[0] === 'R' || code[0] === 'C') i++;
  }
  return changes;
}
