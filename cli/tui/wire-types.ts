/**
 * What the TUI reads off the gRPC wire: the replies of Tasks, Sessions and Events calls as the CLI's
 * codec decodes them. The shapes are the wire contract (src/contract/views.ts), shared with the
 * server rather than restated; the TUI still reaches the server only through the wire.
 */

export type {
  ClaimView,
  SessionView,
  SubtaskView,
  TaskDetailView,
  TaskRefView,
  TaskView,
  TimelineEntryView,
} from '../../src/contract/views.js';

export interface ProjectRef {
  id: string;
  name: string;
}

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
