import type { AutopilotView } from '../contract/autopilot.js';
import type { ErrorBody } from '../contract/error-codes.js';
import type { ServerMessage } from '../contract/ws-messages.js';
import type {
  ProjectView,
  SessionView,
  SubtaskView,
  TaskDetailView,
  TaskRefView,
  TaskView,
  TimelineEntryView,
  TranscriptEntry,
  WireEvent,
} from '../contract/views.js';

/**
 * Checks for what arrives from the server, so that the clients (web UI, TUI, runner) validate a
 * message on arrival instead of trusting `JSON.parse` and a cast. Each guard confirms the fields its
 * readers use; a message that fails is dropped (an event) or reported (a reply).
 */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const has = (v: Json, strings: readonly string[], numbers: readonly string[] = []) =>
  strings.every((k) => isString(v[k])) && numbers.every((k) => isNumber(v[k]));

export const isTaskView = (v: unknown): v is TaskView =>
  isObject(v) &&
  has(v, ['id', 'projectId', 'title', 'status', 'priority'], ['version']) &&
  isStringArray(v.dependsOn) &&
  (v.labels === undefined || isStringArray(v.labels)) &&
  (v.allowedActions === undefined || isStringArray(v.allowedActions));

export const isSessionView = (v: unknown): v is SessionView =>
  isObject(v) && has(v, ['id', 'projectId', 'status'], ['version']) && isStringArray(v.taskIds);

export const isSubtaskView = (v: unknown): v is SubtaskView =>
  isObject(v) && has(v, ['id', 'taskId', 'title', 'status'], ['version']);

export const isTaskRef = (v: unknown): v is TaskRefView => isObject(v) && has(v, ['id', 'title', 'status']);

export const isTimelineEntry = (v: unknown): v is TimelineEntryView =>
  isObject(v) && has(v, ['id', 'taskId', 'kind', 'message']);

export const isProjectView = (v: unknown): v is ProjectView => isObject(v) && has(v, ['id', 'name']);

export const isTranscriptEntry = (v: unknown): v is TranscriptEntry =>
  isObject(v) && isNumber(v.n) && isString(v.kind) && isString(v.text);

export const isAutopilotView = (v: unknown): v is AutopilotView =>
  isObject(v) &&
  has(v, ['projectId', 'reason', 'updatedAt'], ['maxWorkers']) &&
  typeof v.enabled === 'boolean' &&
  isObject(v.budget);

/** The part of a `status` reply the clients read: tasks per status, as grouped counts. */
export interface StatusCounts {
  byStatus: { key: string; count: number }[];
}

export const isStatusCounts = (v: unknown): v is StatusCounts =>
  isObject(v) &&
  Array.isArray(v.byStatus) &&
  v.byStatus.every((c) => isObject(c) && has(c, ['key'], ['count']));

export const isErrorBody = (v: unknown): v is ErrorBody => isObject(v) && has(v, ['code', 'message']);

const listOf = <T>(v: unknown, guard: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.every(guard);

export const isTaskDetail = (v: unknown): v is TaskDetailView =>
  isObject(v) &&
  isTaskView(v.task) &&
  listOf(v.subtasks, isSubtaskView) &&
  listOf(v.dependencies, isTaskRef) &&
  listOf(v.dependents, isTaskRef) &&
  listOf(v.children, isTaskRef) &&
  listOf(v.timeline, isTimelineEntry);

/** `{ tasks: [...] }` and the like: the list replies, each element checked. */
export const isTaskList = (v: unknown): v is { tasks: TaskView[]; nextPageToken?: string } =>
  isObject(v) && listOf(v.tasks, isTaskView);
export const isSessionList = (v: unknown): v is { sessions: SessionView[] } =>
  isObject(v) && listOf(v.sessions, isSessionView);
export const isProjectList = (v: unknown): v is { projects: ProjectView[] } =>
  isObject(v) && listOf(v.projects, isProjectView);

/** A reply that is not the shape its operation promises. */
export class MalformedReply extends Error {
  constructor(readonly op: string) {
    super(`The server's reply to ${op} was not what the client expected.`);
    this.name = 'MalformedReply';
  }
}

/** The reply, or a MalformedReply thrown when it fails its guard. */
export function expectReply<T>(op: string, value: unknown, guard: (v: unknown) => v is T): T {
  if (!guard(value)) throw new MalformedReply(op);
  return value;
}

/**
 * A WebSocket frame from the server, parsed and checked: the core protocol's messages (welcome,
 * event, resync, ack, pong, error) must have their fields; other types (output, transcript, and the
 * runner's spawn/input/stop) pass with a type and their own fields checked by their readers.
 * Anything else is null.
 */
export function parseServerMessage(raw: string): (ServerMessage | ({ type: string } & Json)) | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(value) || !isString(value.type)) return null;
  const m = value;
  switch (m.type) {
    case 'welcome':
      return isNumber(m.seq) ? (m as unknown as ServerMessage) : null;
    case 'resync':
      return isNumber(m.seq) ? (m as unknown as ServerMessage) : null;
    case 'event':
      return isNumber(m.seq) &&
        has(m, ['eventType', 'entityType', 'entityId']) &&
        (m.projectId === undefined || isString(m.projectId)) &&
        isObject(m.data)
        ? (m as unknown as ServerMessage)
        : null;
    case 'ack':
      return isString(m.id) &&
        typeof m.ok === 'boolean' &&
        (m.ok || m.error === undefined || isErrorBody(m.error))
        ? (m as unknown as ServerMessage)
        : null;
    case 'error':
      return isErrorBody(m.error) ? (m as unknown as ServerMessage) : null;
    default:
      return m as { type: string } & Json;
  }
}

/** An event as the board reads it, whichever wire it came over. */
export interface BoardEvent {
  seq: number;
  type: string;
  entityType: string;
  entityId: string;
  projectId: string;
  data: Json;
}

/** A gRPC `Events.Watch` event: its JSON data parsed; null when that data is not an object. */
export function eventFromWire(event: WireEvent): BoardEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(event.dataJson || '{}');
  } catch {
    return null;
  }
  if (!isObject(data)) return null;
  return {
    seq: event.seq,
    type: event.type,
    entityType: event.entityType,
    entityId: event.entityId,
    projectId: event.projectId ?? '',
    data,
  };
}
