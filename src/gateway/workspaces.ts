import type { TaskDiffResult, WorkspaceListEntry, WorkspacePruneResult } from '../contract/operations.js';
import type { SessionView, WorkspaceView } from '../contract/views.js';
import { MaestroError } from '../services/errors.js';
import type { RequestContext, Services } from '../services/index.js';
import type { AwaitingChecks, WorkspaceTarget } from '../services/workspace.service.js';
import { Background } from '../shared/background.js';
import { isolationOf } from '../shared/git-dir.js';
import {
  loadWorkspaceFile,
  runCommand,
  WorkspaceEngine,
  WorkspaceError,
  workspaceEventFor,
  type EngineHooks,
  type ProjectRef,
} from '../workspaces/index.js';
import type { Logger } from './logger.js';

export interface WorkspaceCoordinatorOptions {
  home: string;
  /** A cap on the disk all worktrees take: `status` warns near it, prune keeps under it. null: none. */
  maxTotalBytes: number | null;
  /** Fault injection (tests). */
  hooks?: EngineHooks;
  env?: NodeJS.ProcessEnv;
}

type WorkspaceEventOf = NonNullable<ReturnType<typeof workspaceEventFor>>;

/** Where a spawned worker runs when its task has a workspace. */
export interface PreparedWorkspace {
  cwd: string;
  env: Record<string, string>;
}

const SYSTEM: RequestContext = { actor: 'maestro', sessionId: null };

/** The engine's errors as Maestro's (docs/errors.md). */
export function toMaestroError(error: unknown): unknown {
  if (!(error instanceof WorkspaceError)) return error;
  const details = { ...error.details, engineCode: error.code };
  switch (error.code) {
    case 'workspace_file_invalid':
    case 'workspace_invalid_argument':
      return new MaestroError('invalid_argument', error.message, error.hint, {
        field: 'workspace',
        ...details,
      });
    case 'workspace_not_found':
      return new MaestroError('workspace_not_found', error.message, error.hint, details);
    case 'snapshot_not_found':
      return new MaestroError('snapshot_not_found', error.message, error.hint, details);
    case 'git_failed':
      return error;
    default:
      return new MaestroError('workspace_failed', error.message, error.hint, details);
  }
}

async function engineCall<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toMaestroError(error);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Ties the git engine (src/workspaces) to the database: makes a worker's worktree before it
 * starts, runs the merge queue (one serialized queue per project and base branch, persisted as
 * the workspaces' `queued` state), recovers after a crash, and serves the workspace operations.
 * Git is slow: it always runs here, outside any transaction, and each result goes back to the
 * workspace service as one machine event.
 */
export class WorkspaceCoordinator {
  readonly engine: WorkspaceEngine;
  private readonly jobs: Background;
  private readonly draining = new Set<string>();
  private readonly drainAgain = new Set<string>();
  private readonly unsubscribe: () => void;
  private closed = false;
  private disk: {
    at: number;
    value: Promise<{ totalBytes: number; maxTotalBytes: number; workspaces: number; warning: string }>;
  } | null = null;

  constructor(
    private readonly services: Services,
    private readonly options: WorkspaceCoordinatorOptions,
    private readonly log: Logger,
  ) {
    this.engine = new WorkspaceEngine({ home: options.home, hooks: options.hooks, env: options.env });
    this.jobs = new Background((what, error) => log.error(`${what} failed`, { error: String(error) }));
    this.unsubscribe = services.bus.subscribe((events) => {
      if (
        events.some(
          (e) =>
            e.type === 'workspace.submitted' ||
            e.type === 'workspace.approved' ||
            e.type === 'workspace.merge_aborted',
        )
      )
        this.kick();
      // A completed task without a workspace whose project has checks waits in review for them.
      if (events.some((e) => e.type === 'task.submitted')) this.kickChecks();
    });
  }

  /**
   * Stops taking new merges. One in flight is not waited for: a merge is journaled, and the
   * next start finishes or rolls it back (recover).
   */
  close(): void {
    this.closed = true;
    this.unsubscribe();
  }

  private ref(project: WorkspaceTarget['project']): ProjectRef {
    return { key: project.id, dir: project.workingDir, baseBranch: project.baseBranch || null };
  }

  /**
   * Before a worker of a task starts: its worktree, made (or found again) by the engine, recorded
   * on its workspace row. Null when the task's project keeps today's behaviour (not in git, or
   * isolation none): the agent then runs in the project's directory.
   */
  async prepare(session: SessionView): Promise<PreparedWorkspace | null> {
    if (session.role !== 'worker' || session.taskIds.length !== 1) return null;
    const taskId = session.taskIds[0]!;
    const target = await this.services.workspaces.target(taskId);
    if (isolationOf(target.project, target.workspace !== null) !== 'worktree') return null;
    const file = await engineCall(() => loadWorkspaceFile(target.project.workingDir));
    if (file.isolation === 'none' && target.workspace === null) return null;
    const begun = await this.services.workspaces.begin(taskId);
    const status = begun.workspace?.status ?? 'creating';
    let created;
    try {
      created = await this.engine.create(
        this.ref(begun.project),
        { id: taskId, title: begun.title },
        { file },
      );
    } catch (error) {
      const failure = toMaestroError(error);
      if (status === 'creating')
        await this.services.workspaces.record(taskId, { type: 'CREATE_FAILED', reason: messageOf(failure) });
      throw failure;
    }
    if (!created.isolated) {
      const reason = `The project is not isolated (${created.reason}).`;
      if (status === 'creating')
        await this.services.workspaces.record(taskId, { type: 'CREATE_FAILED', reason });
      throw new MaestroError('spawn_failed', reason);
    }
    const ws = created.workspace;
    const columns = {
      path: ws.path,
      workingDir: ws.workingDir,
      portStart: ws.ports?.start ?? null,
      portCount: ws.ports?.count ?? null,
    };
    if (status === 'creating') {
      const event = workspaceEventFor({ kind: 'create', result: created })!;
      await this.services.workspaces.record(taskId, event, {
        columns,
        output: created.ready ? undefined : created.setup?.output,
      });
      if (!created.ready)
        throw new MaestroError(
          'spawn_failed',
          `The workspace's setup command failed: ${event.type === 'CREATE_FAILED' ? event.reason : ''}`,
        );
    } else if (status === 'conflicted') {
      // The conflict is brought into the worktree for the worker to resolve.
      const sync = await engineCall(() => this.engine.syncWithBase(begun.project.id, taskId));
      await this.services.workspaces.record(taskId, { type: 'RESUME' }, { columns });
      if (sync.outcome === 'conflicted')
        this.log.info('workspace conflict brought into the worktree', { taskId, files: sync.files });
    } else if (status === 'checks_failed') {
      await this.services.workspaces.record(taskId, { type: 'RESUME' }, { columns });
    }
    return { cwd: ws.workingDir, env: ws.env };
  }

  /** At start: finishes or rolls back merges a crash interrupted, then resumes the queues. */
  async recover(): Promise<void> {
    const report = await this.engine.recover();
    for (const merge of report.merges) {
      const row = await this.services.workspaces.get(merge.taskId).catch(() => null);
      if (row?.status !== 'merging') continue;
      const event = workspaceEventFor({ kind: 'recovered', result: merge })!;
      await this.services.workspaces.record(merge.taskId, event);
      this.log.warn('recovered an interrupted merge', {
        taskId: merge.taskId,
        step: merge.step,
        outcome: merge.outcome,
        base: merge.base,
      });
    }
    // Rows still merging had no journal left: the attempt ended (merged or not) before its result was recorded.
    for (const row of await this.services.workspaces.list({ status: ['merging'] })) {
      const status = await this.engine.status(row.projectId, row.taskId).catch(() => null);
      await this.services.workspaces.record(
        row.taskId,
        status?.merged
          ? { type: 'MERGED', commit: status.head ?? '' }
          : {
              type: 'MERGE_ABORTED',
              reason: 'The server stopped during the merge; the base branch was not changed.',
            },
      );
    }
    this.kick();
    this.kickChecks();
  }

  /**
   * Runs the checks of completed tasks without a workspace (projects with `checks` set), one at a
   * time per project, in the project's directory: passed, the task is completed; failed, it is
   * pending again with their output on its timeline.
   */
  kickChecks(): void {
    if (this.closed) return;
    this.jobs.run('completion checks', async () => {
      const projects = new Set((await this.services.workspaces.awaitingChecks()).map((w) => w.projectId));
      for (const projectId of projects)
        this.jobs.run('completion checks', () =>
          this.serially(`checks\u0000${projectId}`, async () => {
            const done = new Set<string>();
            while (!this.closed) {
              const next = (await this.services.workspaces.awaitingChecks()).find(
                (w) => w.projectId === projectId && !done.has(w.taskId),
              );
              if (!next) break;
              done.add(next.taskId);
              await this.services.workspaces.recordChecks(next.taskId, await this.runChecks(next));
            }
          }),
        );
    });
  }

  private async runChecks(w: AwaitingChecks): Promise<{ ok: boolean; summary: string; output: string }> {
    if (!w.workingDir) return { ok: false, summary: 'the project has no working directory', output: '' };
    try {
      const result = await runCommand(
        { command: w.checks, timeoutSeconds: w.timeoutSeconds },
        { cwd: w.workingDir, env: { ...(this.options.env ?? process.env), MAESTRO_TASK_ID: w.taskId } },
      );
      const summary = result.timedOut
        ? `timed out after ${w.timeoutSeconds} s`
        : result.signal
          ? `killed by ${result.signal}`
          : `exit ${result.exitCode}`;
      return { ok: result.ok, summary: `\`${w.checks.slice(0, 200)}\` ${summary}`, output: result.output };
    } catch (error) {
      return { ok: false, summary: `the checks could not run: ${messageOf(error)}`, output: '' };
    }
  }

  /** One body at a time per key; a call while one runs makes it run once more after. */
  private async serially(key: string, body: () => Promise<void>): Promise<void> {
    if (this.draining.has(key)) {
      this.drainAgain.add(key);
      return;
    }
    this.draining.add(key);
    try {
      do {
        this.drainAgain.delete(key);
        await body();
      } while (this.drainAgain.has(key) && !this.closed);
    } finally {
      this.draining.delete(key);
    }
  }

  /** Works through every queue that has work (each queue one merge at a time). */
  kick(): void {
    if (this.closed) return;
    this.jobs.run('merge queue', async () => {
      const queued = await this.services.workspaces.queue();
      const keys = new Map<string, { projectId: string; base: string }>();
      for (const w of queued)
        keys.set(`${w.projectId}\u0000${w.baseBranch}`, { projectId: w.projectId, base: w.baseBranch });
      for (const [key, q] of keys) this.jobs.run('merge queue', () => this.drain(key, q.projectId, q.base));
    });
  }

  private drain(key: string, projectId: string, base: string): Promise<void> {
    return this.serially(key, async () => {
      const aborted = new Set<string>();
      while (!this.closed) {
        const next = (await this.services.workspaces.queue(projectId)).find(
          (w) => w.baseBranch === base && w.status === 'queued' && !aborted.has(w.taskId),
        );
        if (!next) break;
        if (!(await this.services.workspaces.startMerge(next.taskId))) continue;
        const { event, output } = await this.mergeOne(projectId, next.taskId);
        await this.services.workspaces.record(next.taskId, event, { output });
        // The base moved under it three times: it waits for the next kick instead of spinning.
        if (event.type === 'MERGE_ABORTED') aborted.add(next.taskId);
      }
    });
  }

  private async mergeOne(
    projectId: string,
    taskId: string,
  ): Promise<{ event: WorkspaceEventOf; output?: string }> {
    try {
      // The project's checks, when it sets them, take the place of the workspace file's.
      const { project } = await this.services.workspaces.target(taskId);
      const result = await this.engine.merge(
        projectId,
        taskId,
        project.checks
          ? { checks: { command: project.checks, timeoutSeconds: project.checksTimeoutSeconds } }
          : {},
      );
      return {
        event: workspaceEventFor({ kind: 'merge', result })!,
        output: result.outcome === 'checks_failed' ? result.checks.output : undefined,
      };
    } catch (error) {
      this.log.warn('a merge could not run', { taskId, error: messageOf(error) });
      return {
        event: {
          type: 'CHECKS_FAILED',
          message: `The merge could not run: ${messageOf(toMaestroError(error))}`,
        },
      };
    }
  }

  // ---- operations ------------------------------------------------------------------------

  async list(
    projectId: string | undefined,
    ctx: RequestContext,
  ): Promise<{
    workspaces: WorkspaceListEntry[];
    totalBytes: number;
    maxTotalBytes: number;
  }> {
    const rows = await this.services.workspaces.list({ projectId }, ctx);
    const entries: WorkspaceListEntry[] = [];
    let totalBytes = 0;
    for (const row of rows) {
      const status = row.path ? await this.engine.status(row.projectId, row.taskId).catch(() => null) : null;
      if (status?.onDisk) totalBytes += status.sizeBytes;
      entries.push({
        workspace: row,
        onDisk: status?.onDisk ?? false,
        sizeBytes: status?.sizeBytes ?? 0,
        ageSeconds: Math.max(0, Math.round((Date.now() - Date.parse(row.createdAt)) / 1000)),
        ahead: status?.ahead ?? 0,
        behind: status?.behind ?? 0,
        dirty: status?.dirty ?? false,
        changes: status?.changeCount ?? 0,
        snapshots: status?.snapshots ?? 0,
      });
    }
    return { workspaces: entries, totalBytes, maxTotalBytes: this.options.maxTotalBytes ?? 0 };
  }

  async prune(input: { keepMergedDays?: number; maxTotalBytes?: number }): Promise<WorkspacePruneResult> {
    const report = await engineCall(() =>
      this.engine.prune({
        ...(input.keepMergedDays !== undefined ? { mergedRetentionDays: input.keepMergedDays } : {}),
        maxTotalBytes: input.maxTotalBytes ?? this.options.maxTotalBytes,
      }),
    );
    for (const removed of report.removed)
      await this.services.workspaces
        .note(
          removed.taskId,
          `Worktree removed by prune (${removed.reason}); ${removed.snapshot ? `its changes are in snapshot ${removed.snapshot.n}` : 'it had no changes to keep'}.`,
        )
        .catch(() => undefined);
    return {
      removed: report.removed.map((r) => ({
        taskId: r.taskId,
        projectId: r.projectKey,
        reason: r.reason,
        bytes: r.bytes,
        snapshot: r.snapshot?.n ?? 0,
        branchKept: r.branchKept,
      })),
      totalBytes: report.totalBytes,
      bytesAfter: report.bytesAfter,
      overCapBytes: report.overCapBytes,
    };
  }

  async restore(
    ctx: RequestContext,
    taskId: string,
    snapshot: number | undefined,
  ): Promise<{ workspace: WorkspaceView; snapshot: number; previousSnapshot: number; recreated: boolean }> {
    const row = await this.requireWorkspace(taskId, ctx);
    const result = await engineCall(() => this.engine.restore(row.projectId, row.taskId, snapshot ?? null));
    await this.services.workspaces.note(
      row.taskId,
      `Snapshot ${result.snapshot.n} restored into the worktree by ${ctx.actor}${result.previous ? ` (what it held is snapshot ${result.previous.n})` : ''}.`,
    );
    return {
      workspace: (await this.services.workspaces.get(row.taskId))!,
      snapshot: result.snapshot.n,
      previousSnapshot: result.previous?.n ?? 0,
      recreated: result.recreated,
    };
  }

  async diff(ctx: RequestContext, taskId: string, stat: boolean): Promise<TaskDiffResult> {
    const row = await this.requireWorkspace(taskId, ctx);
    const diff = await engineCall(() => this.engine.diff(row.projectId, row.taskId, { patch: !stat }));
    return {
      taskId: row.taskId,
      base: diff.base,
      mergeBase: diff.mergeBase,
      head: diff.head,
      files: diff.files.map((f) => ({
        path: f.path,
        oldPath: f.oldPath ?? '',
        status: f.status,
        additions: f.additions ?? -1,
        deletions: f.deletions ?? -1,
        binary: f.binary,
      })),
      filesTruncated: diff.filesTruncated,
      totals: diff.totals,
      stat: diff.stat,
      patch: diff.patch ?? '',
      patchTruncated: diff.patchTruncated,
    };
  }

  /** Disk used by every worktree, for the metric and the `status` warning. */
  async diskUsage(): Promise<{ totalBytes: number; workspaces: number; maxTotalBytes: number | null }> {
    return { ...(await this.engine.diskUsage()), maxTotalBytes: this.options.maxTotalBytes };
  }

  /** For `status`: the disk in use against the cap, measured at most every 30 s; a warning past 80%. */
  diskStatus(): Promise<{ totalBytes: number; maxTotalBytes: number; workspaces: number; warning: string }> {
    if (!this.disk || Date.now() - this.disk.at > 30_000) {
      this.disk = {
        at: Date.now(),
        value: this.engine.diskUsage().then(({ totalBytes, workspaces }) => {
          const cap = this.options.maxTotalBytes ?? 0;
          const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`;
          const warning =
            cap > 0 && totalBytes >= cap * 0.8
              ? `Workspaces take ${mib(totalBytes)} of the ${mib(cap)} cap: run 'maestro workspace prune'.`
              : '';
          return { totalBytes, maxTotalBytes: cap, workspaces, warning };
        }),
      };
      this.disk.value.catch(() => (this.disk = null));
    }
    return this.disk.value;
  }

  private async requireWorkspace(taskId: string, ctx: RequestContext): Promise<WorkspaceView> {
    const row = await this.services.workspaces.get(taskId, ctx);
    if (!row) {
      throw new MaestroError(
        'workspace_not_found',
        `Task '${taskId}' has no workspace.`,
        'A workspace is made when a worker is spawned for a task of a project in git.',
        { taskId },
      );
    }
    return row;
  }
}

export { SYSTEM as WORKSPACE_SYSTEM };
