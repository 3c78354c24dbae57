/**
 * The shapes the server sends over the WebSocket (command results and event payloads): the wire
 * contract in src/contract/views.ts, shared with the server rather than restated.
 */
export type {
  ClaimView,
  ProjectView,
  SessionView,
  SubtaskView,
  TaskDetailView,
  TaskRefView,
  TaskView,
  TimelineEntryView,
} from '../../src/contract/views.js';

export const TASK_STATUSES = ['pending', 'in_progress', 'blocked', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
