import type { Budget } from './autopilot.js';
/**
 * The shapes every wire carries: gRPC replies (they match proto/maestro/v1), WebSocket acks and
 * event payloads, the CLI's --json data. Services build them (src/services/views.ts); the web UI and
 * the CLI read them. Unset strings are ''.
 */
/** `TaskView.status`: the task lifecycle's states. */
export const TASK_STATUSES = [
  'pending',
  'in_progress',
  'blocked',
  'in_review',
  'completed',
  'cancelled',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** `TaskView.priority`, highest first (the order `task ready` lists in). */
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** `SessionView.status`: the session lifecycle's states. */
export const SESSION_STATUSES = [
  'spawning',
  'running',
  'stale',
  'paused',
  'completed',
  'failed',
  'stopped',
  'lost',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** Sessions in these states hold no claims and never change again. */
export const SESSION_FINAL_STATUSES: readonly SessionStatus[] = ['completed', 'failed', 'stopped', 'lost'];

/**
 * A session the autopilot's cap counts (docs/autopilot.md): a worker that has not ended (spawning,
 * running, stale or paused). The scheduler and the boards that show "live workers" read this.
 */
export const isLiveWorker = (s: { role: string; status: string }): boolean =>
  s.role === 'worker' && !SESSION_FINAL_STATUSES.includes(s.status as SessionStatus);

/** Live worker sessions (spawning, running, stale, paused): what the autopilot's cap counts. */
export function liveWorkerCount(sessions: Iterable<{ role: string; status: string }>): number {
  let n = 0;
  for (const s of sessions) if (isLiveWorker(s)) n++;
  return n;
}

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
  /** Its caps on spend: in `task get` (null when it has none); absent elsewhere. */
  budget?: Budget | null;
  /**
   * The lifecycle operations its state accepts (`task.start`, `task.block`, …), as the task machine
   * says: what a board offers. Dependencies aside: a gated one is refused while they are unfinished.
   */
  allowedActions: string[];
  /** Those of `allowedActions` refused while the task's dependencies are unfinished. */
  gatedActions: string[];
  /** The status each of `allowedActions` leads to, in the same order. */
  actionTargets: string[];
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
  /** What every session of the task used, summed. */
  usage: UsageRollup;
  /** Where its workers run: `worktree` (its own workspace) or why not (`none: …`). */
  isolation?: string;
  /** Its workspace, once one was made. */
  workspace?: WorkspaceView | null;
}

/** `WorkspaceView.status`: the workspace lifecycle's states (docs/workspaces.md). */
export const WORKSPACE_STATUSES = [
  'creating',
  'create_failed',
  'ready',
  'review',
  'queued',
  'merging',
  'merged',
  'conflicted',
  'checks_failed',
  'archived',
] as const;

/** A task's workspace as the database keeps it: its lifecycle, branch, folder and ports. */
export interface WorkspaceView {
  taskId: string;
  projectId: string;
  status: string;
  branch: string;
  baseBranch: string;
  path: string;
  workingDir: string;
  portStart: number;
  portCount: number;
  /** Why it last came back (a rejection, a conflict, failed checks) or failed to be made. */
  failureKind: string;
  failureMessage: string;
  failureFiles: string[];
  mergeAttempts: number;
  mergedCommit: string;
  /** When it joined the merge queue ('' when not queued). */
  queuedAt: string;
  createdAt: string;
  updatedAt: string;
}

/** Usage summed over sessions (a task's, a project's). */
export interface UsageRollup extends SessionUsage {
  sessions: number;
}

export interface ProjectView {
  id: string;
  name: string;
  description: string;
  workingDir: string;
  /** `worktree`, `none`, or '' (a worktree per task when the directory is in git). */
  isolation: string;
  /** The branch workspaces start from and merge into ('': the workspace file's, else the checked-out one). */
  baseBranch: string;
  /** `auto` or `required`: whether completed work waits for `task approve` before the merge queue. */
  review: string;
  /**
   * The project's checks command ('' none): run before a workspace's work merges (in place of the
   * workspace file's), and before a task without a workspace is completed.
   */
  checks: string;
  /** Seconds the checks may run. */
  checksTimeoutSeconds: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * Where a session's agent runs, as its runner reported it at start: `maestro session attach` uses
 * it rather than guessing from its own settings.
 */
export interface TerminalAddress {
  /** `tmux` or `pipe` (a pipe has nothing to attach to). */
  backend: string;
  /** The runner's machine (its host name). */
  host: string;
  /** tmux: the server's socket path (`tmux -S`). */
  socket: string;
  /** tmux: the window (`@<n>`). */
  target: string;
}

/** What a session's agent used, as its harness reported it (docs/agents.md, "What is recorded"). */
export interface SessionUsage {
  /** Model calls. */
  turns: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** As the harness reports it; 0 when it reports none (Codex). */
  costUsd: number;
  /** Time the harness says it worked, in milliseconds. */
  durationMs: number;
}

export const EMPTY_USAGE: SessionUsage = {
  turns: 0,
  toolCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
  durationMs: 0,
};

/** Adds usage figures; cost and duration add too (each session's are its own). */
export function addUsage(a: SessionUsage, b: Partial<SessionUsage>): SessionUsage {
  const out = { ...a };
  for (const key of Object.keys(EMPTY_USAGE) as (keyof SessionUsage)[]) out[key] = a[key] + (b[key] ?? 0);
  out.costUsd = Math.round(out.costUsd * 1e9) / 1e9;
  return out;
}

/** A usage or rate limit a harness reported. */
export interface UsageLimit {
  kind: 'usage' | 'rate';
  /** When it lifts (ISO time), '' when the harness did not say. */
  resetsAt: string;
  message: string;
}

/** What came of a session. */
export const SESSION_OUTCOMES = [
  'task_completed',
  'task_incomplete',
  'failed',
  'usage_limited',
  'spawn_failed',
  'stopped',
  'lost',
] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

/** One entry of a session's transcript (`maestro session transcript`), from its harness's structured output. */
export interface TranscriptEntry {
  /** Position in the session's transcript, from 1. */
  n: number;
  at: string;
  kind: 'system' | 'assistant' | 'tool_call' | 'tool_result' | 'user' | 'error' | 'result' | 'output';
  text: string;
  /** tool_call and tool_result: the tool's name (tool_result: when known). */
  tool: string;
  /** tool_call: its input as JSON, cut to a bounded size. */
  input: string;
  isError: boolean;
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
  /** Null until the runner reports the agent started. */
  terminal: TerminalAddress | null;
  /** The agent profile it runs, and how (headless or interactive). */
  agent: string;
  mode: string;
  /** The harness's own id of its conversation (`session resume` continues it). */
  harnessSessionId: string;
  /** The session it continues, when started by `session resume`. */
  resumedFrom: string;
  /** '' while it runs; then what came of it (SESSION_OUTCOMES). */
  outcome: string;
  usage: SessionUsage;
  /** The harness's final answer. */
  resultText: string;
  usageLimit: UsageLimit | null;
  /** Paused at a limit: when its agent is started again ('' otherwise). */
  pausedUntil: string;
  /** Times its agent was started again after a pause. */
  resumes: number;
}
