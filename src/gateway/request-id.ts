import { randomUUID } from 'node:crypto';

/** The gRPC metadata key and HTTP header that carry a request id, both ways. */
export const REQUEST_ID = 'x-request-id';

const ACCEPTED = /^[\w.:/@+=-]{1,128}$/;

/**
 * The id that ties a call's log lines together: the caller's own `x-request-id` when it sent a
 * sane one (so ids from a proxy or a client carry through), else a fresh UUID. Anything else, too
 * long or with characters that would garble a log line, is replaced rather than refused.
 */
export function requestId(given: unknown): string {
  return typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID();
}
