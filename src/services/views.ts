import type { EntityManager } from '@mikro-orm/core';
import { formatId } from '../contract/ids.js';
import { placeholders, query } from './db/sql.js';
import type { ProjectRow, SessionRow, SubtaskRow, TaskRow, TimelineEntryRow } from './db/entities.js';

/**
 * What services return: plain, JSON-safe objects shaped like the proto messages, so that a stored
 * idempotent response, an event payload and a gRPC reply are the same value. Unset strings are ''.
 */
export interface ClaimView {
  holder: string;
  sessionId: string;
  expiresAt: string;
  claimedAt: string;
}

export interface TaskView {
  id: string;
  projectId: string;
  title: string;
  description: string;
  status: string;
  priority: string;
  parentId: string;
  labels: string[];
  claim: ClaimView | null;
  blockedReason: string;
  version: number;
  dependsOn: string[];
  subtasksTotal: number;
  subtasksCompleted: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string;
}

export interface SubtaskView {
  id: string;
  taskId: string;
  title: string;
  status: string;
  position: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TaskRefView {
  id: string;
  title: string;
  status: string;
}

export interface TimelineEntryView {
  id: string;
  taskId: string;
  kind: string;
  message: string;
  actor: string;
  sessionId: string;
  createdAt: string;
}

export interface TaskDetailView {
  task: TaskView;
  subtasks: SubtaskView[];
  dependencies: TaskRefView[];
  dependents: TaskRefView[];
  children: TaskRefView[];
  timeline: TimelineEntryView[];
  blockedBy: TaskRefView[];
}

export interface ProjectView {
  id: string;
  name: string;
  description: string;
  workingDir: string;
  createdAt: string;
  updatedAt: string;
}

export interface SessionView {
  id: string;
  projectId: string;
  taskIds: string[];
  role: string;
  name: string;
  status: string;
  skill: string;
  pid: number;
  exitCode: number;
  failureReason: string;
  lastHeartbeatAt: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  endedAt: string;
}

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

export function taskRef(row: Pick<TaskRow, 'id' | 'title' | 'status'>): TaskRefView {
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
  };
}

interface TaskExtras {
  dependsOn: string[];
  subtasksTotal: number;
  subtasksCompleted: number;
}

function taskViewWith(row: TaskRow, extras: TaskExtras): TaskView {
  return {
    id: formatId('task', row.id),
    projectId: formatId('project', fk(row.project)),
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    parentId: row.parent ? formatId('task', fk(row.parent)) : '',
    labels: row.labels,
    claim: row.claimHolder
      ? {
          holder: row.claimHolder,
          sessionId: row.claimSessionId ?? '',
          expiresAt: isoMs(row.claimExpiresAt),
          claimedAt: isoMs(row.claimedAt),
        }
      : null,
    blockedReason: row.blockedReason ?? '',
    version: row.version,
    ...extras,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    completedAt: iso(row.completedAt),
  };
}

/** Builds task views for many rows with two batched queries (dependencies, subtask counts). */
export async function taskViews(em: EntityManager, rows: readonly TaskRow[]): Promise<TaskView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const extras = new Map<number, TaskExtras>(
    ids.map((id) => [id, { dependsOn: [], subtasksTotal: 0, subtasksCompleted: 0 }]),
  );
  const marks = placeholders(ids);
  const deps = await query<{ task_id: number; depends_on_id: number }>(
    em,
    `select task_id, depends_on_id from task_dependencies where task_id in (${marks}) order by depends_on_id`,
    ids,
  );
  for (const d of deps) extras.get(d.task_id)?.dependsOn.push(formatId('task', d.depends_on_id));
  const counts = await query<{ task_id: number; total: number; done: number }>(
    em,
    `select task_id, count(*) as total, sum(case when status = 'completed' then 1 else 0 end) as done
       from subtasks where task_id in (${marks}) group by task_id`,
    ids,
  );
  for (const c of counts) {
    const e = extras.get(c.task_id);
    if (e) {
      e.subtasksTotal = Number(c.total);
      e.subtasksCompleted = Number(c.done);
    }
  }
  return rows.map((row) => taskViewWith(row, extras.get(row.id)!));
}

export async function taskView(em: EntityManager, row: TaskRow): Promise<TaskView> {
  const [view] = await taskViews(em, [row]);
  return view!;
}
