/**
 * The one retry schedule of Maestro: exponential backoff with jitter. The CLI's retries of an
 * unreachable server, the TUI's and the runner's reconnects and the autopilot's retries all read
 * it from here, so "how long until the next try" has one answer.
 */
export interface BackoffPolicy {
  /** Delay before the second attempt. */
  baseMs: number;
  /** No delay is longer than this (before jitter). */
  maxMs: number;
  /** Each attempt's delay is the previous one times this. */
  factor: number;
  /** The delay is multiplied by a random value in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

/** The CLI's default: 100 ms doubling to at most 5 s, with jitter x0.5 to x1.5. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 100, maxMs: 5000, factor: 2, jitter: 0.5 };

/**
 * The WebSocket client's reconnects (web UI, runner): 0.5 to 1.5 s at first, growing x1.6 to at most
 * 10 s; the wide jitter keeps clients that lost the same server from coming back in step.
 */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 10_000, factor: 1.6, jitter: 0.5 };

/**
 * The wait before retry number `attempt` (1 = the first retry). `random` is injectable so tests
 * can check the bounds exactly.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exp = policy.baseMs * policy.factor ** Math.max(0, attempt - 1);
  const capped = Math.min(exp, policy.maxMs);
  return capped * (1 - policy.jitter + 2 * policy.jitter * random());
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
