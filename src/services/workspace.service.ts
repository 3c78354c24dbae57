import type { EntityManager } from '@mikro-orm/core';
import { formatId } from '../contract/ids.js';
import { WORKSPACE_STATUSES, type ProjectView, type WorkspaceView } from '../contract/views.js';
import { initialState } from '../machines/decide.js';
import {
  WORKSPACE_MACHINE_VERSION,
  workspaceMachine,
  type WorkspaceContext,
  type WorkspaceEvent,
} from '../machines/workspace.machine.js';
import type { CommandRunner, RequestContext, Tx } from './command-runner.js';
import { ProjectSchema, WorkspaceSchema, type WorkspaceRow } from './db/entities.js';
import { appendTimeline } from './db/task-records.js';
import { query } from './db/sql.js';
import { DEFAULT_CHECKS_TIMEOUT_SECONDS } from '../workspaces/workspace-file.js';
import { MaestroError, invalidArgument } from './errors.js';
import { assertInScope } from './scope.js';
import { SYSTEM, loadTask, scopedProjectRow, type TaskService } from './task.service.js';
import { oneOf, requireText } from './validate.js';
import { projectView, workspaceView } from './views.js';
import { WORKSPACE_EVENT_TYPE, applyWorkspaceEvent, workspaceOf } from './workspace-records.js';

/** What the server needs to make a task's worktree: the task, its project and its workspace row. */
export interface WorkspaceTarget {
  taskId: string;
  title: string;
  taskStatus: string;
  project: ProjectView;
  workspace: WorkspaceView | null;
}

/** Output of checks kept on the timeline, at most (the head is cut, the end says why it failed). */
const OUTPUT_ON_TIMELINE = 4000;
const tail = (output: string) =>
  output.length > OUTPUT_ON_TIMELINE ? `…${output.slice(-OUTPUT_ON_TIMELINE)}` : output;

/** A completed task whose project's checks have to pass before it is completed. */
export interface AwaitingChecks {
  taskId: string;
  projectId: string;
  workingDir: string;
  checks: string;
  timeoutSeconds: number;
}

/**
 * Workspaces as the database keeps them: one per task, its lifecycle through the workspace machine
 * (src/machines/workspace.machine.ts), every transition an event and a line on the task's
 * timeline. The git work is the engine's (src/workspaces), done by the server outside any
 * transaction; its results come back here as machine events (`record`).
 */
export class WorkspaceService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly tasks: TaskService,
  ) {}

  // ---- queries ---------------------------------------------------------------------------

  get(taskId: string, ctx?: RequestContext): Promise<WorkspaceView | null> {
    return this.runner.read(async (em) => {
      const task = await loadTask(em, taskId, ctx);
      const row = await workspaceOf(em, task.id);
      return row ? workspaceView(row) : null;
    });
  }

  list(
    input: { projectId?: string; status?: readonly string[] },
    ctx?: RequestContext,
  ): Promise<WorkspaceView[]> {
    return this.runner.read(async (em) => {
      const where: Record<string, unknown> = {};
      const project = await scopedProjectRow(em, ctx, input.projectId);
      if (project !== undefined) where.project = project;
      if (input.status?.length)
        where.status = { $in: input.status.map((s) => oneOf('status', s, WORKSPACE_STATUSES)) };
      return (await em.find(WorkspaceSchema, where, { orderBy: { id: 'asc' } })).map(workspaceView);
    });
  }

  /** The merge queue: queued and merging workspaces, oldest first (per project and base branch). */
  queue(projectId?: string, ctx?: RequestContext): Promise<WorkspaceView[]> {
    return this.runner.read(async (em) => {
      const where: Record<string, unknown> = { status: { $in: ['queued', 'merging'] } };
      const project = await scopedProjectRow(em, ctx, projectId);
      if (project !== undefined) where.project = project;
      return (await em.find(WorkspaceSchema, where, { orderBy: { queuedAt: 'asc', id: 'asc' } })).map(
        workspaceView,
      );
    });
  }

  target(taskId: string, ctx?: RequestContext): Promise<WorkspaceTarget> {
    return this.runner.read((em) => targetOf(em, taskId, ctx));
  }

  /**
   * Completed tasks waiting for their project's checks: `in_review` with no workspace, in a
   * project with checks, oldest first. The status is the queue, so it survives a restart.
   */
  awaitingChecks(): Promise<AwaitingChecks[]> {
    return this.runner.read(async (em) => {
      const rows = await query<{
        id: number;
        project_id: number;
        working_dir: string | null;
        checks: string;
        timeout: number;
      }>(
        em,
        `select t.id, t.project_id, p.working_dir, p.checks, p.checks_timeout_seconds as timeout
           from tasks t join projects p on p.id = t.project_id
          where t.status = 'in_review' and p.checks <> ''
            and not exists (select 1 from workspaces w where w.task_id = t.id)
          order by t.updated_at, t.id`,
        [],
      );
      return rows.map((r) => ({
        taskId: formatId('task', Number(r.id)),
        projectId: formatId('project', Number(r.project_id)),
        workingDir: r.working_dir ?? '',
        checks: r.checks,
        timeoutSeconds: Number(r.timeout) || DEFAULT_CHECKS_TIMEOUT_SECONDS,
      }));
    });
  }

  /**
   * What the checks of a task without a workspace said: passed, it is completed; failed, it is
   * pending again with the reason, ready for a worker. Their output goes on its timeline. A task
   * that left `in_review` meanwhile (cancelled) is left as it is.
   */
  recordChecks(taskId: string, result: { ok: boolean; summary: string; output: string }): Promise<void> {
    return this.runner.run('task.checks', SYSTEM, async (tx) => {
      const task = await loadTask(tx.em, taskId);
      if (task.status !== 'in_review' || (await workspaceOf(tx.em, task.id)) !== null) return;
      await this.tasks.note(
        tx,
        taskId,
        'checks',
        `Checks ${result.ok ? 'passed' : 'failed'} (${result.summary}).${result.output ? `\n${tail(result.output)}` : ''}`,
      );
      await this.tasks.applyIn(
        tx,
        taskId,
        result.ok
          ? { type: 'CHECKED' }
          : { type: 'RETURN', reason: `the checks failed (${result.summary}); fix and complete again.` },
      );
    });
  }

  // ---- commands --------------------------------------------------------------------------

  /**
   * Before a worker starts: the task's workspace row, made in `creating` (or a merged or archived
   * one reopened, a failed one retried). A retried or resumed worker finds its row as it is.
   */
  begin(taskId: string): Promise<WorkspaceTarget> {
    return this.runner.run('workspace.begin', SYSTEM, async (tx) => {
      const task = await loadTask(tx.em, taskId);
      let row = await workspaceOf(tx.em, task.id);
      if (!row) {
        const state = initialState<WorkspaceContext>(workspaceMachine);
        row = tx.em.create(WorkspaceSchema, {
          project: task.projectId,
          task: task.id,
          status: state.value,
          state,
          machineVersion: WORKSPACE_MACHINE_VERSION,
          branch: '',
          baseBranch: '',
          path: '',
          workingDir: '',
          portStart: null,
          portCount: null,
          queuedAt: null,
          createdAt: new Date(tx.now),
          updatedAt: new Date(tx.now),
        });
        await tx.em.flush();
        await appendTimeline(tx.em, {
          taskId: task.id,
          kind: 'workspace',
          message: 'Making the workspace (a git worktree of its own).',
          actor: tx.ctx.actor,
          sessionId: null,
          now: tx.now,
        });
        const view = workspaceView(row);
        await tx.emit('workspace.creating', 'workspace', view.taskId, view.projectId, {
          workspace: view,
          from: '',
          to: 'creating',
        });
      } else if (row.status === 'merged' || row.status === 'archived') {
        await applyWorkspaceEvent(tx, row, { type: 'REOPEN' });
      } else if (row.status === 'create_failed') {
        await applyWorkspaceEvent(tx, row, { type: 'RETRY_CREATE' });
      }
      return targetOf(tx.em, taskId);
    });
  }

  /**
   * An engine result, as its machine event, with what follows for the task: merged work completes
   * it; a conflict or failed checks return it (pending, ready for a worker) with the reason and the
   * checks' output on its timeline.
   */
  record(
    taskId: string,
    event: WorkspaceEvent,
    extra: {
      columns?: Partial<Pick<WorkspaceRow, 'path' | 'workingDir' | 'portStart' | 'portCount'>>;
      output?: string;
    } = {},
  ): Promise<WorkspaceView> {
    return this.runner.run('workspace.record', SYSTEM, async (tx) => {
      const task = await loadTask(tx.em, taskId);
      const row = await requireRow(tx.em, task.id, taskId);
      await applyWorkspaceEvent(tx, row, event, extra.columns);
      if (extra.output) await this.tasks.note(tx, taskId, 'checks', `Checks output:\n${tail(extra.output)}`);
      const status = await this.tasks.statusOf(tx, taskId);
      if (status === 'in_review') {
        if (event.type === 'MERGED') await this.tasks.applyIn(tx, taskId, { type: 'MERGED' });
        if (event.type === 'CONFLICTED')
          await this.tasks.applyIn(tx, taskId, {
            type: 'RETURN',
            reason: `its branch conflicts with the base in ${event.files.join(', ')}; resolve and complete again.`,
          });
        if (event.type === 'CHECKS_FAILED')
          await this.tasks.applyIn(tx, taskId, {
            type: 'RETURN',
            reason: `the checks failed (${event.message}); fix and complete again.`,
          });
      }
      return workspaceView(row);
    });
  }

  /**
   * The next merge of a queue: the workspace goes to `merging` (one attempt counted). A task that
   * is no longer in review (cancelled meanwhile) takes its work out of the queue instead; null then.
   */
  startMerge(taskId: string): Promise<WorkspaceView | null> {
    return this.runner.run('workspace.merge', SYSTEM, async (tx) => {
      const task = await loadTask(tx.em, taskId);
      const row = await requireRow(tx.em, task.id, taskId);
      if (row.status !== 'queued') return null;
      if (task.status !== 'in_review') {
        await applyWorkspaceEvent(
          tx,
          row,
          task.status === 'cancelled' ? { type: 'ARCHIVE' } : { type: 'WITHDRAW' },
        );
        return null;
      }
      await applyWorkspaceEvent(tx, row, { type: 'MERGE_STARTED' });
      return workspaceView(row);
    });
  }

  /** A line on a task's timeline from the server's workspace work (a prune, a restore). */
  note(taskId: string, message: string): Promise<void> {
    return this.runner.run('workspace.note', SYSTEM, (tx) =>
      this.tasks.note(tx, taskId, 'workspace', message),
    );
  }

  /** A reviewer approves: the work goes to the merge queue. */
  approve(ctx: RequestContext, taskId: string): Promise<WorkspaceView> {
    return this.runner.run('task.approve', ctx, async (tx) => {
      const { row } = await this.reviewable(tx, taskId);
      await applyWorkspaceEvent(tx, row, { type: 'APPROVE' });
      return workspaceView(row);
    });
  }

  /** A reviewer rejects: the task is pending again (ready for a worker), the comment on its timeline. */
  reject(ctx: RequestContext, taskId: string, comment: string): Promise<WorkspaceView> {
    return this.runner.run('task.reject', ctx, async (tx) => {
      const reason = requireText('comment', comment, 5000);
      const { row } = await this.reviewable(tx, taskId);
      await applyWorkspaceEvent(tx, row, { type: 'REJECT', reason });
      await this.tasks.note(tx, taskId, 'review', `Rejected by ${tx.ctx.actor}: ${reason}`);
      await this.tasks.applyIn(tx, taskId, { type: 'RETURN', reason: `rejected in review: ${reason}` });
      return workspaceView(row);
    });
  }

  /** A review comment on the task's timeline (optionally about a file and line). */
  comment(
    ctx: RequestContext,
    input: { taskId: string; comment: string; file?: string; line?: number },
  ): Promise<{ message: string; taskId: string }> {
    return this.runner.run('task.review', ctx, async (tx) => {
      const task = await loadTask(tx.em, input.taskId, tx.ctx);
      const text = requireText('comment', input.comment, 5000);
      if (input.line !== undefined && !input.file) throw invalidArgument('line', 'A line needs --file.');
      const where = input.file ? `${input.file}${input.line ? `:${input.line}` : ''}: ` : '';
      const message = `Review by ${tx.ctx.actor}: ${where}${text}`;
      const taskId = formatId('task', task.id);
      await this.tasks.note(tx, taskId, 'review', message);
      return { message, taskId };
    });
  }

  private async reviewable(tx: Tx, taskId: string): Promise<{ row: WorkspaceRow }> {
    const task = await loadTask(tx.em, taskId, tx.ctx);
    const row = await requireRow(tx.em, task.id, taskId);
    if (row.status !== 'review' || task.status !== 'in_review') {
      throw new MaestroError(
        'invalid_transition',
        `Task '${formatId('task', task.id)}' is not waiting for review (task ${task.status}, workspace ${row.status}).`,
        "Review applies to a task in_review of a project with 'review: required'.",
        { taskId: formatId('task', task.id), from: row.status, event: 'review', allowed: [] },
      );
    }
    return { row };
  }
}

async function requireRow(em: EntityManager, taskRowId: number, taskId: string): Promise<WorkspaceRow> {
  const row = await workspaceOf(em, taskRowId);
  if (!row) {
    throw new MaestroError(
      'workspace_not_found',
      `Task '${taskId}' has no workspace.`,
      'A workspace is made when a worker is spawned for a task of a git project.',
      { taskId },
    );
  }
  return row;
}

async function targetOf(em: EntityManager, taskId: string, ctx?: RequestContext): Promise<WorkspaceTarget> {
  const task = await loadTask(em, taskId, ctx);
  assertInScope(ctx, task.projectId);
  const project = await em.findOneOrFail(ProjectSchema, { id: task.projectId });
  const row = await workspaceOf(em, task.id);
  return {
    taskId: formatId('task', task.id),
    title: task.title,
    taskStatus: task.status,
    project: projectView(project),
    workspace: row ? workspaceView(row) : null,
  };
}

export { WORKSPACE_EVENT_TYPE };
