import type { EntityManager } from '@mikro-orm/core';
import { formatId } from '../contract/ids.js';
import { decide } from '../machines/decide.js';
import { workspaceMachine, type WorkspaceEvent } from '../machines/workspace.machine.js';
import type { Tx } from './command-runner.js';
import { ProjectSchema, WorkspaceSchema, type WorkspaceRow } from './db/entities.js';
import { appendTimeline } from './db/task-records.js';
import { query } from './db/sql.js';
import { MaestroError } from './errors.js';
import { workspaceView } from './views.js';

/**
 * The workspace rows inside a command: the machine's decision, the row's columns, a line on the
 * task's timeline and one `workspace.*` event per transition. The task service uses these to hand
 * a completed task's workspace over; the workspace service for everything else.
 */

/** The event log's name for each workspace transition. */
export const WORKSPACE_EVENT_TYPE: Record<WorkspaceEvent['type'], string> = {
  CREATED: 'workspace.ready',
  CREATE_FAILED: 'workspace.create_failed',
  RETRY_CREATE: 'workspace.creating',
  SUBMIT: 'workspace.submitted',
  APPROVE: 'workspace.approved',
  REJECT: 'workspace.rejected',
  WITHDRAW: 'workspace.withdrawn',
  MERGE_STARTED: 'workspace.merge_started',
  MERGED: 'workspace.merged',
  CONFLICTED: 'workspace.conflicted',
  CHECKS_FAILED: 'workspace.checks_failed',
  MERGE_ABORTED: 'workspace.merge_aborted',
  RESUME: 'workspace.resumed',
  ARCHIVE: 'workspace.archived',
  REOPEN: 'workspace.reopened',
};

/** States from which a completed task's work goes to review or to the merge queue. */
const SUBMITTABLE = new Set(['ready', 'conflicted', 'checks_failed']);

export async function workspaceOf(em: EntityManager, taskRowId: number): Promise<WorkspaceRow | null> {
  return em.findOne(WorkspaceSchema, { task: taskRowId });
}

/** The task's workspace when completing the task hands its work over (it has not merged). */
export async function submittableWorkspace(
  em: EntityManager,
  taskRowId: number,
): Promise<WorkspaceRow | null> {
  const row = await workspaceOf(em, taskRowId);
  return row && SUBMITTABLE.has(row.status) ? row : null;
}

/**
 * What completing a task hands over, read in one statement: whether it has a workspace, and
 * whether its project has checks. A task without a workspace in a project with checks waits for
 * them (`in_review` until the server has run them in the project's directory).
 */
export async function completionFacts(
  em: EntityManager,
  taskRowId: number,
  projectRowId: number,
): Promise<{ hasWorkspace: boolean; checks: boolean }> {
  const [row] = await query<{ checks: string; ws: number | null }>(
    em,
    'select p.checks, w.id as ws from projects p left join workspaces w on w.task_id = ? where p.id = ?',
    [taskRowId, projectRowId],
  );
  return { hasWorkspace: row?.ws != null, checks: Boolean(row?.checks) };
}

/** The project's review setting decides: review first, or straight to the merge queue. */
export async function submitWorkspace(tx: Tx, row: WorkspaceRow): Promise<WorkspaceRow> {
  const project = await tx.em.findOneOrFail(ProjectSchema, { id: row.project.id });
  return applyWorkspaceEvent(tx, row, { type: 'SUBMIT', reviewRequired: project.review === 'required' });
}

function describe(event: WorkspaceEvent, to: string): string {
  switch (event.type) {
    case 'CREATED':
      return `Workspace ready on branch ${event.branch} (from ${event.baseBranch}) in ${event.path}.`;
    case 'CREATE_FAILED':
      return `Workspace could not be made: ${event.reason}`;
    case 'SUBMIT':
      return to === 'review' ? 'Work submitted for review.' : 'Work queued for merging.';
    case 'APPROVE':
      return 'Approved: queued for merging.';
    case 'REJECT':
      return `Rejected: ${event.reason}`;
    case 'MERGE_STARTED':
      return 'Merging into the base branch (checks run first).';
    case 'MERGED':
      return `Merged into the base branch at ${event.commit.slice(0, 12)}.`;
    case 'CONFLICTED':
      return `Merge conflict in ${event.files.join(', ')}: ${event.message}`;
    case 'CHECKS_FAILED':
      return `Checks failed; the base branch is unchanged. ${event.message}`;
    case 'MERGE_ABORTED':
      return `Merge attempt abandoned, queued again: ${event.reason}`;
    default:
      return `Workspace ${to}.`;
  }
}

/** Runs one event through the workspace machine and persists it, or refuses with invalid_transition. */
export async function applyWorkspaceEvent(
  tx: Tx,
  row: WorkspaceRow,
  event: WorkspaceEvent,
  columns: Partial<Pick<WorkspaceRow, 'path' | 'workingDir' | 'portStart' | 'portCount'>> = {},
): Promise<WorkspaceRow> {
  const taskId = formatId('task', row.task.id);
  const decision = decide(workspaceMachine, row.state, event);
  if (!decision.ok) {
    throw new MaestroError(
      'invalid_transition',
      `The workspace of task '${taskId}' is ${row.status}; it cannot take ${event.type.toLowerCase()}.`,
      decision.allowed.length
        ? `From ${row.status} a workspace takes: ${decision.allowed.map((e) => e.toLowerCase()).join(', ')}.`
        : undefined,
      { taskId, from: row.status, event: event.type.toLowerCase(), allowed: decision.allowed },
    );
  }
  const from = row.status;
  const next = decision.state;
  row.state = next;
  row.status = next.value;
  const context = next.context;
  if (context.branch) row.branch = context.branch;
  if (context.baseBranch) row.baseBranch = context.baseBranch;
  if (context.path) row.path = context.path;
  Object.assign(row, columns);
  if (next.value === 'queued' && from !== 'queued' && from !== 'merging') row.queuedAt = tx.now;
  if (next.value !== 'queued' && next.value !== 'merging') row.queuedAt = null;
  row.updatedAt = new Date(tx.now);
  await tx.em.flush();
  const message = describe(event, next.value);
  await appendTimeline(tx.em, {
    taskId: row.task.id,
    kind: 'workspace',
    message: from === next.value ? message : `workspace ${from} -> ${next.value}: ${message}`,
    actor: tx.ctx.actor,
    sessionId: tx.ctx.sessionId,
    now: tx.now,
  });
  const view = workspaceView(row);
  await tx.emit(WORKSPACE_EVENT_TYPE[event.type], 'workspace', taskId, view.projectId, {
    workspace: view,
    from,
    to: next.value,
  });
  return row;
}
