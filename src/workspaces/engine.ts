import { readdir } from 'node:fs/promises';
import { EngineContext, inspectWorktree, type EngineHooks } from './context.js';
import {
  createWorkspace,
  info,
  type CreateOptions,
  type CreateResult,
  type ProjectRef,
  type TaskRef,
  type WorkspaceInfo,
} from './create.js';
import { treeDiff, type WorkspaceDiff } from './diff.js';
import { WorkspaceErrors } from './errors.js';
import { DEFAULT_IDENTITY, type GitIdentity } from './git.js';
import { checkKey, workspacesRoot } from './layout.js';
import { mergeWorkspace, type MergeOptions, type MergeResult } from './merge.js';
import { DEFAULT_PORT_POOL, type PortPool } from './ports.js';
import { DEFAULT_PRUNE_POLICY, planPrune, type PrunePolicy, type PruneReason } from './prune-policy.js';
import { listRecords, writeRecord, type WorkspaceRecord } from './record.js';
import { recoverProject, type RecoveryReport } from './recover.js';
import { removeWorkspace, requireRecord, type RemoveResult } from './remove.js';
import type { CommandResult } from './run-command.js';
import {
  applySnapshot,
  captureState,
  findSnapshot,
  listSnapshots,
  takeSnapshot,
  type Snapshot,
} from './snapshots.js';
import { uncommittedChanges, workspaceStatus, type WorkspaceStatus } from './status.js';
import { loadWorkspaceFile } from './workspace-file.js';
import { splitNul } from './git.js';

export interface WorkspaceEngineOptions {
  /** The Maestro home: worktrees go to `<home>/workspaces/<project>/<task-id>-<slug>`. */
  home: string;
  /** The environment of git, setup and checks (default process.env). Tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /** The author and committer of the commits Maestro makes. */
  identity?: GitIdentity;
  portPool?: PortPool;
  /** Fault injection for tests. */
  hooks?: EngineHooks;
  now?: () => number;
}

export interface RestoreResult {
  workspace: WorkspaceInfo;
  /** The snapshot brought back. */
  snapshot: Snapshot;
  /** What the worktree held just before, kept as a snapshot of its own (null when it was clean). */
  previous: Snapshot | null;
  /** The worktree was made again (it had been removed). */
  recreated: boolean;
  /** The setup command's result when the worktree was made again. */
  setup: CommandResult | null;
}

export interface SyncResult {
  /** `up_to_date`: the branch has the base already; `conflicted`: resolve `files`, then commit (or `git rebase --continue`). */
  outcome: 'up_to_date' | 'synced' | 'conflicted';
  files: string[];
  snapshot: Snapshot | null;
}

export interface PruneReport {
  removed: (RemoveResult & { projectKey: string; reason: PruneReason; bytes: number })[];
  totalBytes: number;
  bytesAfter: number;
  /** Over the cap even after removing every merged and archived worktree (active ones are never pruned). */
  overCapBytes: number;
}

/**
 * Git worktrees for tasks: create, inspect, snapshot and restore, diff, merge with checks, remove
 * and prune, and recover after a crash. Real git through argument vectors; no database, no
 * network. One engine per Maestro home and process: its locks are in memory, so a task's
 * workspace sees one operation at a time and a project's base branch one merge at a time.
 */
export class WorkspaceEngine {
  private readonly ctx: EngineContext;

  constructor(options: WorkspaceEngineOptions) {
    this.ctx = new EngineContext(
      options.home,
      options.env ?? process.env,
      options.identity ?? DEFAULT_IDENTITY,
      options.portPool ?? DEFAULT_PORT_POOL,
      options.hooks ?? {},
      options.now ?? Date.now,
    );
  }

  /** Makes or finds the task's worktree; see createWorkspace. */
  create(project: ProjectRef, task: TaskRef, options: CreateOptions = {}): Promise<CreateResult> {
    checkKey('projectKey', project.key);
    checkKey('taskId', task.id);
    return this.forTask(project.key, task.id, () => createWorkspace(this.ctx, project, task, options));
  }

  status(projectKey: string, taskId: string): Promise<WorkspaceStatus> {
    return this.forTask(projectKey, taskId, async () =>
      workspaceStatus(this.ctx, await requireRecord(this.ctx, projectKey, taskId)),
    );
  }

  /** Every workspace of a project, or of every project. */
  async list(projectKey?: string): Promise<WorkspaceStatus[]> {
    const statuses: WorkspaceStatus[] = [];
    for (const record of await this.records(projectKey))
      statuses.push(
        await this.forTask(record.projectKey, record.taskId, () => workspaceStatus(this.ctx, record)),
      );
    return statuses;
  }

  /** Snapshots the worktree's changes without touching it; `created` is false when nothing changed. */
  snapshot(
    projectKey: string,
    taskId: string,
    reason = 'manual',
  ): Promise<{ snapshot: Snapshot | null; created: boolean }> {
    return this.forTask(projectKey, taskId, async () => {
      const record = await this.onDisk(projectKey, taskId);
      return takeSnapshot(this.ctx.git, {
        taskId,
        worktree: record.path,
        repo: record.repoRoot,
        tmpDir: this.ctx.layout(projectKey).tmpDir,
        excluded: record.excluded,
        reason,
      });
    });
  }

  async snapshots(projectKey: string, taskId: string): Promise<Snapshot[]> {
    const record = await requireRecord(this.ctx, projectKey, taskId);
    return listSnapshots(this.ctx.git, record.repoRoot, taskId);
  }

  /**
   * Brings snapshot `n` (default: the newest) back into the task's worktree, making the worktree
   * again first when it was removed. What the worktree held before is snapshotted, so a restore
   * loses nothing either.
   */
  restore(projectKey: string, taskId: string, n: number | null = null): Promise<RestoreResult> {
    return this.forTask(projectKey, taskId, async () => {
      let record = await requireRecord(this.ctx, projectKey, taskId);
      const snapshot = await findSnapshot(this.ctx.git, record.repoRoot, taskId, n);
      let recreated = false;
      let setup: CommandResult | null = null;
      if (!(await inspectWorktree(this.ctx, record)).valid || record.step !== 'ready') {
        const project = { key: projectKey, dir: record.projectDir, baseBranch: record.baseBranch };
        const created = await createWorkspace(
          this.ctx,
          project,
          { id: taskId },
          { startAt: snapshot.head ?? undefined },
        );
        if (!created.isolated) throw WorkspaceErrors.worktreeMissing(taskId, record.path);
        recreated = !created.reused;
        setup = created.setup;
        record = await requireRecord(this.ctx, projectKey, taskId);
      }
      const { snapshot: previous } = await takeSnapshot(this.ctx.git, {
        taskId,
        worktree: record.path,
        repo: record.repoRoot,
        tmpDir: this.ctx.layout(projectKey).tmpDir,
        excluded: record.excluded,
        reason: 'restore',
      });
      await applySnapshot(this.ctx.git, record.path, snapshot);
      return { workspace: info(this.ctx, record), snapshot, previous, recreated, setup };
    });
  }

  /** Removes the worktree after snapshotting it; the branch stays until merged. See removeWorkspace. */
  remove(
    projectKey: string,
    taskId: string,
    options: { deleteMergedBranch?: boolean } = {},
  ): Promise<RemoveResult> {
    return this.forTask(projectKey, taskId, async () =>
      removeWorkspace(this.ctx, await requireRecord(this.ctx, projectKey, taskId), 'remove', options),
    );
  }

  /** Marks the workspace archived: prune may remove its worktree after archivedRetentionDays (snapshot first). */
  archive(projectKey: string, taskId: string): Promise<void> {
    return this.forTask(projectKey, taskId, async () => {
      const record = await requireRecord(this.ctx, projectKey, taskId);
      await writeRecord(this.ctx.layout(projectKey), {
        ...record,
        archivedAt: record.archivedAt ?? this.ctx.now(),
      });
    });
  }

  /** The task's changes from where its branch left the base, uncommitted changes included. */
  diff(
    projectKey: string,
    taskId: string,
    options: { patch?: boolean; maxPatchBytes?: number } = {},
  ): Promise<WorkspaceDiff> {
    return this.forTask(projectKey, taskId, async () => {
      const record = await requireRecord(this.ctx, projectKey, taskId);
      const git = this.ctx.git;
      const onDisk = record.step !== 'removed' && (await inspectWorktree(this.ctx, record)).valid;
      let head: string | null;
      let tree: string;
      if (onDisk) {
        const state = await captureState(
          git,
          record.path,
          this.ctx.layout(projectKey).tmpDir,
          record.excluded,
        );
        head = state.head;
        tree = state.tree;
      } else {
        head = await git.commitOf(record.repoRoot, `refs/heads/${record.branch}`);
        if (!head) throw WorkspaceErrors.worktreeMissing(taskId, record.path);
        tree = await git.text(record.repoRoot, ['rev-parse', `${head}^{tree}`]);
      }
      const base = `refs/heads/${record.baseBranch}`;
      // Merged work with nothing after it: what the merge brought onto the base, not an empty diff.
      const merged =
        record.mergedFrom &&
        record.mergedCommit &&
        head === record.mergedCommit &&
        tree === (await git.text(record.repoRoot, ['rev-parse', `${head}^{tree}`]));
      const mergeBase = merged
        ? record.mergedFrom!
        : head
          ? (
              await git.run(record.repoRoot, ['merge-base', base, head], { allowFailure: true })
            ).stdout.trim() || record.createdFrom
          : record.createdFrom;
      const changes = await treeDiff(git, record.repoRoot, mergeBase, tree, {
        patch: options.patch ?? false,
        maxPatchBytes: options.maxPatchBytes,
      });
      return { base: record.baseBranch, mergeBase, head: head ?? mergeBase, tree, ...changes };
    });
  }

  /**
   * Merges the task's work into its base branch if its checks pass; see mergeWorkspace. Strategy
   * and checks default to the project's workspace file. Merges of one base run one at a time.
   */
  async merge(projectKey: string, taskId: string, options: Partial<MergeOptions> = {}): Promise<MergeResult> {
    const record = await requireRecord(this.ctx, projectKey, taskId);
    const file =
      options.strategy && options.checks !== undefined ? null : await loadWorkspaceFile(record.projectDir);
    const resolved: MergeOptions = {
      strategy: options.strategy ?? file!.mergeStrategy,
      checks: options.checks !== undefined ? options.checks : file!.checks,
      message: options.message,
    };
    return this.ctx.locks.run(EngineContext.baseKey(projectKey, record.baseBranch), () =>
      this.forTask(projectKey, taskId, async () =>
        mergeWorkspace(this.ctx, await requireRecord(this.ctx, projectKey, taskId), resolved),
      ),
    );
  }

  /**
   * Brings the current base into the task's branch in its worktree, for a worker to resolve a
   * conflict: `git merge` (or `git rebase` with the rebase strategy) that stops on conflicts and
   * leaves them in the files. Snapshots first.
   */
  syncWithBase(projectKey: string, taskId: string, strategy?: MergeOptions['strategy']): Promise<SyncResult> {
    return this.forTask(projectKey, taskId, async () => {
      const record = await this.onDisk(projectKey, taskId);
      const git = this.ctx.git;
      const state = await inspectWorktree(this.ctx, record);
      if (state.operation) throw WorkspaceErrors.busy(taskId, record.path, state.operation);
      const how = strategy ?? (await loadWorkspaceFile(record.projectDir)).mergeStrategy;
      const base = `refs/heads/${record.baseBranch}`;
      const { snapshot } = await takeSnapshot(git, {
        taskId,
        worktree: record.path,
        repo: record.repoRoot,
        tmpDir: this.ctx.layout(projectKey).tmpDir,
        excluded: record.excluded,
        reason: 'sync',
      });
      const baseTip = (await git.commitOf(record.repoRoot, base))!;
      if (await git.isAncestor(record.path, baseTip, 'HEAD'))
        return { outcome: 'up_to_date', files: [], snapshot };
      const args = how === 'merge' ? ['merge', '--no-edit', '-q', baseTip] : ['rebase', '-q', baseTip];
      const ran = await git.run(record.path, args, { allowFailure: true });
      if (ran.code === 0) return { outcome: 'synced', files: [], snapshot };
      const files = splitNul(await git.text(record.path, ['diff', '--name-only', '--diff-filter=U', '-z']));
      if (files.length === 0) throw WorkspaceErrors.gitFailed(args, record.path, ran.code, ran.stderr);
      return { outcome: 'conflicted', files: files.sort(), snapshot };
    });
  }

  /**
   * Removes worktrees by policy (see planPrune): merged and archived ones past their retention,
   * then oldest first while over the disk cap. Active workspaces are never pruned; every removal
   * snapshots first and keeps unmerged branches.
   */
  async prune(policy: Partial<PrunePolicy> = {}): Promise<PruneReport> {
    const full = { ...DEFAULT_PRUNE_POLICY, ...policy };
    const statuses = (await this.list()).filter((s) => s.onDisk);
    const keyOf = (s: { projectKey: string; taskId: string }) => `${s.projectKey}/${s.taskId}`;
    const plan = planPrune(
      statuses.map((s) => ({
        key: keyOf(s),
        kind: s.merged ? 'merged' : s.archivedAt !== null ? 'archived' : 'active',
        since: s.merged ? (s.mergedAt ?? this.ctx.now()) : (s.archivedAt ?? s.createdAt),
        bytes: s.sizeBytes,
      })),
      full,
      this.ctx.now(),
    );
    const removed: PruneReport['removed'] = [];
    for (const { key, reason } of plan.remove) {
      const status = statuses.find((s) => keyOf(s) === key)!;
      const result = await this.forTask(status.projectKey, status.taskId, async () =>
        removeWorkspace(this.ctx, await requireRecord(this.ctx, status.projectKey, status.taskId), 'prune'),
      );
      removed.push({ ...result, projectKey: status.projectKey, reason, bytes: status.sizeBytes });
    }
    return {
      removed,
      totalBytes: plan.totalBytes,
      bytesAfter: plan.bytesAfter,
      overCapBytes: plan.overCapBytes,
    };
  }

  /** Disk used by all worktrees on disk, for the metric and the `status` warning. */
  async diskUsage(): Promise<{ totalBytes: number; workspaces: number }> {
    const onDisk = (await this.list()).filter((s) => s.onDisk);
    return { totalBytes: onDisk.reduce((sum, s) => sum + s.sizeBytes, 0), workspaces: onDisk.length };
  }

  /** Finishes or rolls back what a crash interrupted, for one project or all; run at start. */
  async recover(projectKey?: string): Promise<RecoveryReport> {
    const report: RecoveryReport = { merges: [], removals: [], temporaryFiles: 0 };
    for (const key of projectKey ? [checkKey('projectKey', projectKey)] : await this.projectKeys()) {
      const one = await recoverProject(this.ctx, key);
      report.merges.push(...one.merges);
      report.removals.push(...one.removals);
      report.temporaryFiles += one.temporaryFiles;
    }
    return report;
  }

  /** Whether the task's worktree has uncommitted changes (cheaper than status). */
  async dirty(projectKey: string, taskId: string): Promise<boolean> {
    const record = await this.onDisk(projectKey, taskId);
    return (await uncommittedChanges(this.ctx, record)).length > 0;
  }

  private forTask<T>(projectKey: string, taskId: string, body: () => Promise<T>): Promise<T> {
    return this.ctx.locks.run(EngineContext.taskKey(projectKey, taskId), body);
  }

  private async onDisk(projectKey: string, taskId: string): Promise<WorkspaceRecord> {
    const record = await requireRecord(this.ctx, projectKey, taskId);
    if (record.step === 'removed' || !(await inspectWorktree(this.ctx, record)).valid)
      throw WorkspaceErrors.worktreeMissing(taskId, record.path);
    return record;
  }

  private async projectKeys(): Promise<string[]> {
    try {
      return (await readdir(workspacesRoot(this.ctx.home)))
        .filter((k) => /^[A-Za-z0-9_-]{1,64}$/.test(k))
        .sort();
    } catch {
      return [];
    }
  }

  private async records(projectKey?: string): Promise<WorkspaceRecord[]> {
    const keys = projectKey ? [checkKey('projectKey', projectKey)] : await this.projectKeys();
    const records: WorkspaceRecord[] = [];
    for (const key of keys) records.push(...(await listRecords(this.ctx.layout(key))));
    return records;
  }
}
