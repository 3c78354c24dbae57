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
