/**
 * The shapes every wire carries: gRPC replies (they match proto/maestro/v1), WebSocket acks and
 * event payloads, the CLI's --json data. Services build them (src/services/views.ts); the web UI and
 * the CLI read them. Unset strings are ''.
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
