import { rm } from 'node:fs/promises';
import { inspectWorktree, pathExists, type EngineContext } from './context.js';
import { diskUsage } from './disk-usage.js';
import { WorkspaceErrors } from './errors.js';
import { readRecord, writeRecord, type WorkspaceRecord } from './record.js';
import { listSnapshots, takeSnapshot, type Snapshot } from './snapshots.js';

export interface RemoveResult {
  taskId: string;
  /** False when the worktree was already removed. */
  removed: boolean;
  /** The snapshot that holds what the worktree had beyond its branch (null: nothing to keep). */
  snapshot: Snapshot | null;
  /** The branch stays unless it was merged and the caller asked to delete merged branches. */
  branchKept: boolean;
  freedBytes: number;
}

/**
 * Removes a task's worktree, never its work: its changes (tracked and untracked, not ignored) go
 * to a snapshot first, and a HEAD that no branch holds is pinned by one; the branch stays until it
 * is merged. The record notes the snapshot before anything is deleted, so a re-run after a crash
 * half-way through the deletion finishes it without snapshotting the remains.
 */
export async function removeWorkspace(
  ctx: EngineContext,
  record: WorkspaceRecord,
  reason: string,
  options: { deleteMergedBranch?: boolean } = {},
): Promise<RemoveResult> {
  const layout = ctx.layout(record.projectKey);
  if (record.step === 'removed')
    return { taskId: record.taskId, removed: false, snapshot: null, branchKept: true, freedBytes: 0 };

  let snapshot: Snapshot | null = null;
  if (record.step !== 'removing') {
    const state = await inspectWorktree(ctx, record);
    if (state.valid) {
      const head = await ctx.git.commitOf(record.path, 'HEAD');
      const branchTip = await ctx.git.commitOf(record.repoRoot, `refs/heads/${record.branch}`);
      const pinned =
        head !== null &&
        (branchTip === null || !(await ctx.git.isAncestor(record.repoRoot, head, branchTip)));
      snapshot = (
        await takeSnapshot(ctx.git, {
          taskId: record.taskId,
          worktree: record.path,
          repo: record.repoRoot,
          tmpDir: layout.tmpDir,
          excluded: record.excluded,
          reason,
          force: pinned,
        })
      ).snapshot;
    }
    record = { ...record, step: 'removing', removalSnapshot: snapshot?.n ?? null };
    await writeRecord(layout, record);
  } else if (record.removalSnapshot !== null) {
    snapshot =
      (await listSnapshots(ctx.git, record.repoRoot, record.taskId)).find(
        (s) => s.n === record.removalSnapshot,
      ) ?? null;
  }

  await ctx.hook('remove:delete', record);
  const freedBytes = (await diskUsage(record.path)).bytes;
  const unregister = () =>
    ctx.git.run(record.repoRoot, ['worktree', 'remove', '--force', '--force', record.path], {
      allowFailure: true,
    });
  await unregister();
  // What git did not remove (a folder it no longer knew, remains of a killed removal) is covered by the snapshot.
  if (await pathExists(record.path)) {
    await rm(record.path, { recursive: true, force: true });
    await unregister();
  }

  let branchKept = true;
  if (options.deleteMergedBranch) {
    const ref = `refs/heads/${record.branch}`;
    const tip = await ctx.git.commitOf(record.repoRoot, ref);
    const baseTip = await ctx.git.commitOf(record.repoRoot, `refs/heads/${record.baseBranch}`);
    // Every commit of a branch the base contains is kept by the base.
    if (tip && baseTip && (await ctx.git.isAncestor(record.repoRoot, tip, baseTip))) {
      await ctx.git.run(record.repoRoot, ['update-ref', '-d', ref, tip]);
      branchKept = false;
    }
  }
  await writeRecord(layout, { ...record, step: 'removed', removedAt: ctx.now() });
  return { taskId: record.taskId, removed: true, snapshot, branchKept, freedBytes };
}

export async function requireRecord(
  ctx: EngineContext,
  projectKey: string,
  taskId: string,
): Promise<WorkspaceRecord> {
  const record = await readRecord(ctx.layout(projectKey), taskId);
  if (!record) throw WorkspaceErrors.notFound(projectKey, taskId);
  return record;
}
