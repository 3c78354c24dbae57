import { ConfigError } from '../src/config/config.js';
import { ArgumentError } from '../src/contract/schema.js';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../src/contract/error-codes.js';

/** A failure the CLI reports in the JSON envelope and maps to its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
  get exitCode(): number {
    return ERROR_CODES[this.body.code].exitCode;
  }
}

export function cliError(
  code: ErrorCode,
  message: string,
  hint?: string,
  details?: Record<string, unknown>,
): CliError {
  return new CliError({ code, message, ...(hint ? { hint } : {}), details: details ?? {} });
}

export function usageError(message: string, usage: string, details: Record<string, unknown> = {}): CliError {
  return cliError('invalid_argument', message, `Usage: ${usage}`, { usage, ...details });
}

/**
 * Any failure as the CLI reports it: a CliError as is, an argument the registry's schema refused
 * as `invalid_argument` naming the field, a bad setting as `invalid_argument`, anything else as
 * `internal`.
 */
export function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ArgumentError) {
    return cliError(
      'invalid_argument',
      error.message,
      error.accepted ? `Accepted values: ${error.accepted.join(', ')}.` : undefined,
      { field: error.field, ...(error.accepted ? { accepted: [...error.accepted] } : {}) },
    );
  }
  if (error instanceof ConfigError)
    return cliError('invalid_argument', error.message, undefined, { field: error.key });
  return cliError('internal', error instanceof Error ? error.message : String(error));
}
