import { timingSafeEqual } from 'node:crypto';
import { ACCESS_WHO, type Access } from '../contract/operations.js';
import { isSessionToken } from '../contract/session-token.js';
import { MaestroError } from '../services/errors.js';
import { SERVER_PRINCIPAL, type Principal, type SessionPrincipal } from '../services/index.js';
import { isStrongToken } from './token.js';

/** Finds the live session a session token belongs to (the credential service). */
export interface SessionTokens {
  resolve(token: string): Promise<SessionPrincipal | null>;
}

/** Compares a presented token in constant time; never matches when the server's token is weak (or empty). */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!isStrongToken(token)) return false;
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who a presented token is: the server's token is the operator (`server`), a live session
 * credential is that session (`session`), anything else is refused with `unauthenticated`. Every
 * wire (gRPC calls and streams, the WebSocket hello) asks this one place.
 */
export class Authenticator {
  constructor(
    private readonly token: string,
    private readonly sessions?: SessionTokens,
  ) {}

  /** `presented`: the caller sent a credential at all (for the message when it is not one). */
  async principal(given: string | undefined, presented = !!given): Promise<Principal> {
    if (!isStrongToken(this.token)) {
      throw new MaestroError(
        'unauthenticated',
        'The server has no usable token, so it accepts no calls.',
        'Restart the server: it makes a new token in $MAESTRO_HOME/token.',
      );
    }
    if (tokenMatches(given, this.token)) return SERVER_PRINCIPAL;
    if (isSessionToken(given) && this.sessions) {
      const session = await this.sessions.resolve(given);
      if (session) return session;
      throw new MaestroError(
        'unauthenticated',
        "The session token is not valid: its session has ended (a session's token is revoked when it does), or the server never issued it.",
        'A spawned agent gets a new token with each session; outside a session, use the server token ($MAESTRO_HOME/token).',
      );
    }
    throw new MaestroError(
      'unauthenticated',
      presented ? 'The token does not match the server.' : 'The request carries no token.',
      'Set MAESTRO_TOKEN to the contents of $MAESTRO_HOME/token on the server machine.',
    );
  }
}

/** Whether a principal may call an operation of this access level (its project is checked later). */
export function allows(principal: Principal, access: Access): boolean {
  if (principal.kind === 'server') return true;
  if (access === 'read' || access === 'work') return true;
  return access === 'orchestrate' && principal.role === 'orchestrator';
}

/**
 * Refuses an operation the principal's credential is not for, with `permission_denied`. The
 * operation registry's `access` decides; project scoping is the services' (`assertInScope`).
 */
export function authorize(principal: Principal, op: string, access: Access): void {
  if (allows(principal, access)) return;
  const who = principal.kind === 'session' ? `A ${principal.role} session's token` : 'This token';
  throw new MaestroError(
    'permission_denied',
    `${who} may not run '${op}': it is for ${ACCESS_WHO[access]}.`,
    access === 'orchestrate'
      ? 'Ask an orchestrator or the operator to do it.'
      : 'Only the operator, with the server token, may do this.',
    {
      field: 'op',
      op,
      access,
      ...(principal.kind === 'session' ? { role: principal.role, sessionId: principal.sessionId } : {}),
    },
  );
}
