/**
 * The shapes the server sends over the WebSocket (command results and event payloads): the wire
 * contract in src/contract/views.ts, shared with the server rather than restated.
 */
export {
  PRIORITIES,
  TASK_STATUSES,
  type ClaimView,
  type Priority,
  type ProjectView,
  type SessionView,
  type SubtaskView,
  type TaskDetailView,
  type TaskRefView,
  type TaskStatus,
  type TaskView,
  type TimelineEntryView,
  type TranscriptEntry,
  type WorkspaceView,
} from '../../src/contract/views.js';
