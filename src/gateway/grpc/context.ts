import type * as grpc from '@grpc/grpc-js';
import { timingSafeEqual } from 'node:crypto';
import { METADATA } from '../../contract/proto.js';
import { MaestroError } from '../../services/errors.js';
import type { RequestContext } from '../../services/index.js';

const first = (metadata: grpc.Metadata, key: string): string | undefined => {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : String(value);
};

/** Checks `authorization: Bearer <token>` in constant time. */
export function authenticate(metadata: grpc.Metadata, token: string): void {
  const header = first(metadata, 'authorization') ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new MaestroError(
      'unauthenticated',
      header ? 'The token does not match the server.' : 'The request carries no token.',
      'Set MAESTRO_TOKEN to the contents of $MAESTRO_HOME/token on the server machine.',
    );
  }
}

/** Who is calling, from request metadata; every field is bounded before a service sees it. */
export function requestContext(metadata: grpc.Metadata): RequestContext {
  const actor = (first(metadata, METADATA.actor) ?? '').trim() || 'anonymous';
  const sessionId = (first(metadata, METADATA.session) ?? '').trim() || null;
  const idempotencyKey = first(metadata, METADATA.idempotencyKey);
  if (actor.length > 200) {
    throw new MaestroError('invalid_argument', 'The actor name is longer than 200 characters.', undefined, {
      field: 'actor',
    });
  }
  return { actor, sessionId, ...(idempotencyKey ? { idempotencyKey } : {}) };
}
