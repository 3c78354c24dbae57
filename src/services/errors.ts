import type { ErrorBody, ErrorCode } from '../contract/error-codes.js';

/**
 * A failure the caller can act on. Every service error is one of these, with a stable code from
 * the contract, a message that says what happened, a hint that says what to do, and details a
 * program can read. Adapters (gRPC, WS, CLI) translate it; they never invent their own.
 */
export class MaestroError extends Error {
  override readonly name = 'MaestroError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      details: { ...this.details },
    };
  }
}

export const TaskErrors = {
  notFound: (taskId: string) =>
    new MaestroError(
      'task_not_found',
      `Task '${taskId}' does not exist.`,
      "Run 'maestro task list' to see task ids.",
      {
        taskId,
      },
    ),
  invalidTransition: (taskId: string, from: string, event: string, allowed: string[]) =>
    new MaestroError(
      'invalid_transition',
      `Task '${taskId}' is ${from}; it cannot ${eventVerb(event)}.`,
      allowed.length
        ? `From ${from} a task can: ${allowed.map(eventVerb).join(', ')}.`
        : `A ${from} task accepts no lifecycle commands.`,
      { taskId, from, event: eventVerb(event), allowed: allowed.map(eventVerb) },
    ),
  dependenciesNotMet: (taskId: string, event: string, blocking: { taskId: string; status: string }[]) =>
    new MaestroError(
      'dependencies_not_met',
      `Task '${taskId}' cannot ${eventVerb(event)}: it depends on ${blocking
        .map((b) => `${b.taskId} (${b.status})`)
        .join(', ')}, which ${blocking.length === 1 ? 'is' : 'are'} not completed.`,
      `Complete ${blocking.map((b) => b.taskId).join(', ')} first, or run 'maestro task ready' for tasks that can start now.`,
      { taskId, event: eventVerb(event), blocking },
    ),
  childrenUnfinished: (taskId: string, children: { taskId: string; status: string }[]) =>
    new MaestroError(
      'dependencies_not_met',
      `Task '${taskId}' cannot complete: its child task${children.length === 1 ? '' : 's'} ${children
        .map((c) => `${c.taskId} (${c.status})`)
        .join(', ')} ${children.length === 1 ? 'is' : 'are'} not finished.`,
      `Complete or cancel ${children.map((c) => c.taskId).join(', ')} first.`,
      { taskId, event: 'complete', blocking: [], children },
    ),
  /** `path` is the cycle as shown (cut to a bounded length); `length` counts its edges. */
  dependencyCycle: (taskId: string, dependsOnId: string, path: string[], length: number) =>
    new MaestroError(
      'dependency_cycle',
      `Making ${taskId} depend on ${dependsOnId} would close a cycle of ${length} ${length === 1 ? 'dependency' : 'dependencies'}: ${dependsOnId} already leads back to ${taskId} (the path is in details.cycle).`,
      'Remove one of the dependencies in the cycle, or choose another dependency.',
      { taskId, dependsOnId, cycle: path, cycleLength: length },
    ),
  alreadyClaimed: (taskId: string, holder: string, sessionId: string | null) =>
    new MaestroError(
      'task_already_claimed',
      `Task '${taskId}' is already claimed by ${holder}${sessionId ? ` (session ${sessionId})` : ''}.`,
      "Run 'maestro task claim --next' to claim another ready task.",
      { taskId, holder, sessionId },
    ),
  versionConflict: (taskId: string, expected: number, actual: number) =>
    new MaestroError(
      'version_conflict',
      `Task '${taskId}' is at version ${actual}, not ${expected}: someone changed it first.`,
      `Run 'maestro task get ${taskId}' and retry against the current version.`,
      { taskId, expectedVersion: expected, actualVersion: actual },
    ),
};

export const SubtaskErrors = {
  notFound: (taskId: string, subtaskId: string) =>
    new MaestroError(
      'subtask_not_found',
      `Subtask '${subtaskId}' does not exist on task '${taskId}'.`,
      `Run 'maestro subtask list ${taskId}' to see its subtasks.`,
      { taskId, subtaskId },
    ),
  invalidTransition: (subtaskId: string, from: string, event: string, allowed: string[]) =>
    new MaestroError(
      'invalid_transition',
      `Subtask '${subtaskId}' is ${from}; it cannot ${eventVerb(event)}.`,
      allowed.length ? `From ${from} a subtask can: ${allowed.map(eventVerb).join(', ')}.` : undefined,
      { subtaskId, from, event: eventVerb(event), allowed: allowed.map(eventVerb) },
    ),
};

export const ProjectErrors = {
  notFound: (projectId: string) =>
    new MaestroError(
      'project_not_found',
      `Project '${projectId}' does not exist.`,
      "Run 'maestro project list' to see project ids.",
      { projectId },
    ),
};

export const SessionErrors = {
  notFound: (sessionId: string) =>
    new MaestroError(
      'session_not_found',
      `Session '${sessionId}' does not exist.`,
      "Run 'maestro session list' to see session ids.",
      { sessionId },
    ),
  invalidTransition: (sessionId: string, from: string, event: string, allowed: string[]) =>
    new MaestroError(
      'invalid_transition',
      `Session '${sessionId}' is ${from}; it cannot ${eventVerb(event)}.`,
      allowed.length
        ? `From ${from} a session can: ${allowed.map(eventVerb).join(', ')}.`
        : 'The session has ended.',
      { sessionId, from, event: eventVerb(event), allowed: allowed.map(eventVerb) },
    ),
  ended: (sessionId: string, status: string) =>
    new MaestroError(
      'invalid_argument',
      `Session '${sessionId}' has ended (${status}); it cannot hold claims.`,
      'Start a new session, or unset MAESTRO_SESSION_ID to act as yourself.',
      { sessionId, status },
    ),
};

export function invalidArgument(field: string, message: string, accepted?: readonly string[]): MaestroError {
  return new MaestroError(
    'invalid_argument',
    message,
    accepted ? `Accepted values for ${field}: ${accepted.join(', ')}.` : undefined,
    { field, ...(accepted ? { accepted: [...accepted] } : {}) },
  );
}

/** The database stopped answering; the command did not run and is safe to retry. */
export function databaseUnavailable(cause: unknown): MaestroError {
  return new MaestroError(
    'server_unavailable',
    'The server cannot reach its database; the command did not run.',
    'Retry shortly; `curl /readyz` on the server reports when the database is back.',
    {},
    { cause },
  );
}

/**
 * The log no longer holds the events right after `afterSeq` (they were pruned, before or during a
 * replay): replaying from there would skip some. Watchers reload their state and start over.
 */
export class EventsPrunedError extends MaestroError {
  constructor(
    readonly afterSeq: number,
    readonly oldestSeq: number,
    readonly lastSeq: number,
  ) {
    super(
      'invalid_argument',
      `Events after ${afterSeq} are no longer kept (the oldest is ${oldestSeq}).`,
      `Reload the state you need, then watch from seq ${lastSeq}.`,
      { field: 'sinceSeq', sinceSeq: afterSeq, oldestSeq, lastSeq },
    );
  }
}

/** The database has no room for the write; the command did not run and is safe to retry. */
export function storageFull(cause: unknown): MaestroError {
  return new MaestroError(
    'storage_full',
    'The server has no room left to store the change (the disk or the database is full); the command did not run.',
    'Retry once space is freed on the server; `curl /readyz` reports `storage: true` again when writes succeed.',
    {},
    { cause },
  );
}

export function internalError(cause: unknown): MaestroError {
  return new MaestroError(
    'internal',
    'An internal error occurred.',
    'Retry; if it persists, check the server log.',
    {},
    { cause },
  );
}

/** Machine event names read as the CLI verbs a user types. */
function eventVerb(event: string): string {
  return event.toLowerCase().replace(/_/g, '-');
}
