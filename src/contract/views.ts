/**
 * The shapes every wire carries: gRPC replies (they match proto/maestro/v1), WebSocket acks and
 * event payloads, the CLI's --json data. Services build them (src/services/views.ts); the web UI and
 * the CLI read them. Unset strings are ''.
 */
/** `TaskView.status`: the task lifecycle's states (SPEC section 3). */
export const TASK_STATUSES = ['pending', 'in_progress', 'blocked', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** `TaskView.priority`, highest first (the order `task ready` lists in). */
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** `SessionView.status`: the session lifecycle's states. */
export const SESSION_STATUSES = [
  'spawning',
  'running',
  'stale',
  'completed',
  'failed',
  'stopped',
  'lost',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** Sessions in these states hold no claims and never change again. */
export const SESSION_FINAL_STATUSES: readonly SessionStatus[] = ['completed', 'failed', 'stopped', 'lost'];

/** An event as `Events.Watch` and `Events.List` carry it: its data is JSON text. */
export interface WireEvent {
  seq: number;
  type: string;
  entityType: string;
  entityId: string;
  projectId: string;
  dataJson: string;
  createdAt: string;
}

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
