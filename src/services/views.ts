import { formatId } from '../contract/ids.js';
import { EMPTY_USAGE } from '../contract/views.js';
import type {
  ProjectView,
  SessionView,
  SubtaskView,
  TaskRefView,
  TaskView,
  TimelineEntryView,
  WorkspaceView,
} from '../contract/views.js';
import { taskActions } from '../machines/task.machine.js';
import type { TaskRecord } from './db/task-records.js';
import type { ProjectRow, SessionRow, SubtaskRow, TimelineEntryRow, WorkspaceRow } from './db/entities.js';
import { DEFAULT_CHECKS_TIMEOUT_SECONDS } from '../workspaces/workspace-file.js';

/**
 * Builds what services return: plain, JSON-safe objects shaped like the proto messages, so that a stored
 * idempotent response, an event payload and a gRPC reply are the same value. Unset strings are ''.
 */
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : '');
const isoMs = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : '');
/** Reads a foreign key without loading the row it points to. */
const fk = (ref: { id: number } | null | undefined) => ref?.id ?? 0;

export function projectView(row: ProjectRow): ProjectView {
  return {
    id: formatId('project', row.id),
    name: row.name,
    description: row.description,
    workingDir: row.workingDir ?? '',
    isolation: row.isolation ?? '',
    baseBranch: row.baseBranch ?? '',
    review: row.review || 'auto',
    checks: row.checks ?? '',
    checksTimeoutSeconds: row.checksTimeoutSeconds || DEFAULT_CHECKS_TIMEOUT_SECONDS,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function subtaskView(row: SubtaskRow): SubtaskView {
  return {
    id: formatId('subtask', row.id),
    taskId: formatId('task', fk(row.task)),
    title: row.title,
    status: row.status,
    position: row.position,
    version: row.version,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function timelineView(row: TimelineEntryRow): TimelineEntryView {
  return {
    id: formatId('timeline', row.id),
    taskId: formatId('task', fk(row.task)),
    kind: row.kind,
    message: row.message,
    actor: row.actor,
    sessionId: row.sessionId ?? '',
    createdAt: iso(row.createdAt),
  };
}

export function taskRef(row: { id: number; title: string; status: string }): TaskRefView {
  return { id: formatId('task', row.id), title: row.title, status: row.status };
}

export function sessionView(row: SessionRow): SessionView {
  const ctx = row.state.context;
  return {
    id: formatId('session', row.id),
    projectId: formatId('project', fk(row.project)),
    taskIds: row.taskIds,
    role: row.role,
    name: row.name,
    status: row.status,
    skill: row.skill,
    pid: ctx.pid ?? 0,
    exitCode: ctx.exitCode ?? 0,
    failureReason: ctx.failureReason ?? '',
    lastHeartbeatAt: isoMs(row.heartbeatAt),
    version: row.version,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    endedAt: iso(row.endedAt),
    terminal: row.terminal ?? null,
    agent: row.agent ?? '',
    mode: row.mode ?? 'headless',
    harnessSessionId: row.harnessSessionId ?? '',
    resumedFrom: row.resumedFrom ?? '',
    outcome: row.outcome ?? '',
    usage: { ...EMPTY_USAGE, ...(row.usage ?? {}) },
    resultText: row.resultText ?? '',
    usageLimit: row.usageLimit ?? null,
    pausedUntil: isoMs(row.pausedUntil),
    resumes: row.resumes ?? 0,
  };
}

/** The task as every wire shows it. */
export function taskView(r: TaskRecord): TaskView {
  const claim = r.state.context.claim;
  return {
    id: formatId('task', r.id),
    projectId: formatId('project', r.projectId),
    title: r.title,
    description: r.description,
    status: r.status,
    priority: r.priority,
    parentId: r.parentId ? formatId('task', r.parentId) : '',
    labels: r.labels,
    claim: claim
      ? {
          holder: claim.holder,
          sessionId: claim.sessionId ?? '',
          expiresAt: isoMs(claim.expiresAt),
          claimedAt: isoMs(claim.claimedAt),
        }
      : null,
    blockedReason: r.state.context.blockedReason ?? '',
    version: r.version,
    dependsOn: r.dependsOn.map((d) => formatId('task', d)),
    subtasksTotal: r.subtasksTotal,
    subtasksCompleted: r.subtasksCompleted,
    createdAt: isoMs(r.createdAt),
    updatedAt: isoMs(r.updatedAt),
    completedAt: isoMs(r.completedAt),
    ...actionsOf(r),
  };
}

function actionsOf(r: TaskRecord): Pick<TaskView, 'allowedActions' | 'gatedActions' | 'actionTargets'> {
  const { allowed, gated, targets } = taskActions(r.state);
  return { allowedActions: allowed, gatedActions: gated, actionTargets: targets };
}

export type {
  ClaimView,
  ProjectView,
  SessionView,
  SubtaskView,
  TaskDetailView,
  TaskRefView,
  TaskView,
  TimelineEntryView,
} from '../contract/views.js';

export function workspaceView(row: WorkspaceRow): WorkspaceView {
  const context = row.state.context;
  return {
    taskId: formatId('task', fk(row.task)),
    projectId: formatId('project', fk(row.project)),
    status: row.status,
    branch: row.branch,
    baseBranch: row.baseBranch,
    path: row.path,
    workingDir: row.workingDir,
    portStart: row.portStart ?? 0,
    portCount: row.portCount ?? 0,
    failureKind: context.failure?.kind ?? '',
    failureMessage: context.failure?.message ?? '',
    failureFiles: context.failure?.files ?? [],
    mergeAttempts: context.mergeAttempts,
    mergedCommit: context.mergedCommit ?? '',
    queuedAt: isoMs(row.queuedAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
