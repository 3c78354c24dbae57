import type { ErrorBody } from '../contract/error-codes.js';
import { ArgumentError } from '../contract/schema.js';
import { MaestroError, internalError } from '../services/errors.js';
import type { Logger } from './logger.js';

/**
 * The one translation of a failure into the error body every wire carries (gRPC metadata,
 * WebSocket acks). A Maestro error keeps its code; an argument refused by the registry's schema is
 * `invalid_argument` naming the field; anything else is `internal`, logged with its stack, and
 * never shown to the caller beyond "an internal error occurred".
 */
export function toErrorBody(error: unknown, log?: Logger): ErrorBody {
  if (error instanceof ArgumentError) {
    return {
      code: 'invalid_argument',
      message: error.message,
      ...(error.accepted ? { hint: `Accepted values: ${error.accepted.join(', ')}.` } : {}),
      details: { field: error.field, ...(error.accepted ? { accepted: [...error.accepted] } : {}) },
    };
  }
  const maestro = error instanceof MaestroError ? error : internalError(error);
  if (maestro.code === 'internal') log?.error('command failed', { error: describeError(error) });
  return maestro.toBody();
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return `${error.stack ?? error.message}${cause ? `\ncaused by: ${describeError(cause)}` : ''}`;
  }
  return String(error);
}
