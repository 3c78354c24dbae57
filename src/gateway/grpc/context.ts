import type * as grpc from '@grpc/grpc-js';
import { isSessionId } from '../../contract/ids.js';
import { METADATA } from '../../contract/proto.js';
import { MaestroError } from '../../services/errors.js';
import { SERVER_PRINCIPAL, type Principal, type RequestContext } from '../../services/index.js';
import type { Authenticator } from '../auth.js';

const first = (metadata: grpc.Metadata, key: string): string | undefined => {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : String(value);
};

/**
 * Who the caller is, from `authorization: Bearer <token>`: the server token, a live session's
 * credential, or `unauthenticated`.
 */
export function authenticate(metadata: grpc.Metadata, auth: Authenticator): Promise<Principal> {
  const header = first(metadata, 'authorization') ?? '';
  return auth.principal(header.startsWith('Bearer ') ? header.slice(7) : '', header !== '');
}

/**
 * Who is calling, from request metadata; every field is bounded before a service sees it. Only a
 * mutating operation (the registry says which) carries its idempotency key on. A session's token
 * pins the session: `x-maestro-session` must be absent (it is then the token's) or the same.
 */
export function requestContext(
  metadata: grpc.Metadata,
  mutates: boolean,
  principal: Principal = SERVER_PRINCIPAL,
): RequestContext {
  const actor = (first(metadata, METADATA.actor) ?? '').trim() || 'anonymous';
  const sessionId = (first(metadata, METADATA.session) ?? '').trim() || null;
  const idempotencyKey = mutates ? first(metadata, METADATA.idempotencyKey) : undefined;
  if (actor.length > 200) {
    throw new MaestroError('invalid_argument', 'The actor name is longer than 200 characters.', undefined, {
      field: 'actor',
    });
  }
  if (sessionId !== null && !isSessionId(sessionId)) {
    throw new MaestroError(
      'invalid_argument',
      `The session id '${String(sessionId).slice(0, 40)}' is not s_<n>.`,
      undefined,
      {
        field: 'x-maestro-session',
      },
    );
  }
  if (principal.kind === 'session') {
    if (sessionId !== null && sessionId !== principal.sessionId) {
      throw new MaestroError(
        'permission_denied',
        `This token belongs to session ${principal.sessionId}; it cannot act as ${sessionId}.`,
        'Inside a session, leave MAESTRO_SESSION_ID as the session set it.',
        { field: 'x-maestro-session', sessionId: principal.sessionId },
      );
    }
    return {
      actor,
      sessionId: principal.sessionId,
      principal: principal.sessionId,
      caller: principal,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
  }
  return {
    actor,
    sessionId,
    principal: 'server',
    caller: principal,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
}
