import { f } from './schema.js';

/**
 * What an orchestrator waits for (`maestro wait`, the MCP `wait` tool): a task done, a session
 * failed, a task blocked, a question, a task for review; which events are which; and the MCP tool's
 * arguments.
 */

export const WAIT_KINDS = ['done', 'failed', 'blocked', 'question', 'review', 'any'] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

/** The kind an event is, if any. */
export function waitKindOf(e: { type: string }): WaitKind | undefined {
  switch (e.type) {
    case 'task.completed':
      return 'done';
    case 'session.failed':
    case 'session.lost':
      return 'failed';
    case 'task.blocked':
      return 'blocked';
    case 'task.question':
      return 'question';
    case 'task.submitted':
      return 'review';
    default:
      return undefined;
  }
}

/** How long the MCP `wait` tool waits when the call names no timeout, in seconds. */
export const MCP_WAIT_DEFAULT_SECONDS = 600;

/** The MCP `wait` tool's arguments (the CLI's `--for`, `--task` and `--timeout`). */
export const WAIT_TOOL_ARGS = {
  for: f.list(
    f.oneOf(WAIT_KINDS, 'a kind of event'),
    WAIT_KINDS.length,
    'what to wait for: done, failed, blocked, question, review or any (default any)',
  ),
  task: f.list(f.text(64, 'task id'), 200, 'only events of these tasks, or of sessions working on them'),
  timeoutSeconds: f.optInt(
    1,
    3600,
    `give up after this many seconds and return timedOut (default ${MCP_WAIT_DEFAULT_SECONDS})`,
  ),
};
