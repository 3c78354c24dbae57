/**
 * The stable error codes of Maestro's contract (docs/errors.md) and how each one surfaces on every
 * wire: the gRPC status a server sends and the exit code the CLI returns. The server, the CLI and
 * the WebSocket gateway all read this one table, so a code means the same thing everywhere.
 */
export const ERROR_CODES = {
  task_not_found: { grpcStatus: 5, exitCode: 3 },
  subtask_not_found: { grpcStatus: 5, exitCode: 3 },
  session_not_found: { grpcStatus: 5, exitCode: 3 },
  project_not_found: { grpcStatus: 5, exitCode: 3 },
  workspace_not_found: { grpcStatus: 5, exitCode: 3 },
  snapshot_not_found: { grpcStatus: 5, exitCode: 3 },
  invalid_argument: { grpcStatus: 3, exitCode: 2 },
  invalid_transition: { grpcStatus: 9, exitCode: 4 },
  dependencies_not_met: { grpcStatus: 9, exitCode: 4 },
  dependency_cycle: { grpcStatus: 9, exitCode: 4 },
  task_already_claimed: { grpcStatus: 6, exitCode: 4 },
  version_conflict: { grpcStatus: 10, exitCode: 4 },
  workspace_failed: { grpcStatus: 9, exitCode: 4 },
  unauthenticated: { grpcStatus: 16, exitCode: 6 },
  permission_denied: { grpcStatus: 7, exitCode: 6 },
  server_unavailable: { grpcStatus: 14, exitCode: 5 },
  storage_full: { grpcStatus: 8, exitCode: 5 },
  too_slow: { grpcStatus: 8, exitCode: 5 },
  address_in_use: { grpcStatus: 9, exitCode: 7 },
  spawn_failed: { grpcStatus: 9, exitCode: 1 },
  budget_exceeded: { grpcStatus: 9, exitCode: 4 },
  internal: { grpcStatus: 13, exitCode: 1 },
} as const satisfies Record<string, { grpcStatus: number; exitCode: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The JSON shape of an error on every wire (CLI `--json`, gRPC `maestro-error-bin`, WS `ack`). */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** gRPC trailing-metadata keys that carry a Maestro error next to the gRPC status. */
export const ERROR_METADATA_CODE = 'maestro-code';
export const ERROR_METADATA_BODY = 'maestro-error-bin';
