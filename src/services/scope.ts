import { formatId } from '../contract/ids.js';
import type { RequestContext } from './command-runner.js';
import { MaestroError } from './errors.js';
import type { SessionPrincipal } from './principal.js';

/**
 * Project scoping: a session's credential reaches only its own project's tasks, subtasks, reports,
 * sessions and events. The services check it where they know an entity's project, inside the
 * command's transaction (or the read's unit of work), so no write to another project can slip in
 * between a check and the change.
 */

/** The session principal of a call, or undefined for the server token and the server's own work. */
export function sessionCaller(ctx: RequestContext | undefined): SessionPrincipal | undefined {
  return ctx?.caller?.kind === 'session' ? ctx.caller : undefined;
}

/** Refuses an entity of another project than the caller's session's. */
export function assertInScope(ctx: RequestContext | undefined, projectRow: number, what?: string): void {
  const caller = sessionCaller(ctx);
  if (!caller || caller.projectRowId === projectRow) return;
  throw outOfScope(caller, what ?? `project ${formatId('project', projectRow)}`);
}

/** Refuses a session's credential acting on another session (heartbeats). */
export function assertOwnSession(ctx: RequestContext | undefined, sessionRow: number): void {
  const caller = sessionCaller(ctx);
  if (!caller || caller.sessionRowId === sessionRow) return;
  throw new MaestroError(
    'permission_denied',
    `Session ${caller.sessionId}'s token may act only on its own session, not ${formatId('session', sessionRow)}.`,
    undefined,
    { field: 'id', sessionId: caller.sessionId },
  );
}

export function outOfScope(caller: SessionPrincipal, what: string): MaestroError {
  return new MaestroError(
    'permission_denied',
    `Session ${caller.sessionId}'s token is for project ${caller.projectId}; ${what} is outside it.`,
    'A session acts only on its own project. Ask the operator (the server token) for work elsewhere.',
    { field: 'project', projectId: caller.projectId },
  );
}
