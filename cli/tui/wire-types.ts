/**
 * What the TUI reads off the gRPC wire: the replies of Tasks, Sessions and Events calls as the CLI's
 * codec decodes them. The shapes are the wire contract (src/contract/views.ts), shared with the
 * server rather than restated; the TUI still reaches the server only through the wire.
 */

export {
  PRIORITIES,
  TASK_STATUSES,
  type ClaimView,
  type SessionView,
  type SubtaskView,
  type TaskDetailView,
  type TaskRefView,
  type TaskStatus,
  type TaskView,
  type TimelineEntryView,
  type WireEvent,
} from '../../src/contract/views.js';
import { SESSION_FINAL_STATUSES } from '../../src/contract/views.js';

export interface ProjectRef {
  id: string;
  name: string;
}

export const SESSION_FINAL = new Set<string>(SESSION_FINAL_STATUSES);
