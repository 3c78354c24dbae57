/**
 * What the TUI reads off the gRPC wire: the replies of Tasks, Sessions and Events calls as the CLI's
 * codec decodes them. They mirror the server's views; the CLI talks to the server only through the
 * wire, so they are restated here rather than imported.
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

export interface ProjectRef {
  id: string;
  name: string;
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

/** One `Events.Watch` message: the payload is a JSON object in `dataJson`. */
export interface WireEvent {
  seq: number;
  type: string;
  entityType: string;
  entityId: string;
  projectId: string;
  dataJson: string;
  createdAt: string;
}

export const TASK_STATUSES = ['pending', 'in_progress', 'blocked', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export const SESSION_FINAL = new Set(['completed', 'failed', 'stopped', 'lost']);
