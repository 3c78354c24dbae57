import { WorkspaceErrors } from './errors.js';

/** `count` ports from `start`: a workspace's dev servers use MAESTRO_PORT … MAESTRO_PORT + count - 1. */
export interface PortRange {
  start: number;
  count: number;
}

/** The ports workspaces are given, inclusive. Above the registered range most tools default to. */
export interface PortPool {
  min: number;
  max: number;
}

export const DEFAULT_PORT_POOL: PortPool = { min: 20_000, max: 29_999 };

/**
 * The lowest range of `count` ports in `pool` that overlaps none of the `live` ranges. Pure: the
 * caller holds the lock and passes the ranges of every workspace whose worktree exists. Linear in
 * the number of live ranges after sorting.
 */
export function allocatePortRange(
  live: readonly PortRange[],
  count: number,
  pool: PortPool = DEFAULT_PORT_POOL,
): PortRange {
  if (!Number.isInteger(count) || count < 1 || count > pool.max - pool.min + 1)
    throw WorkspaceErrors.invalidArgument(
      'ports.count',
      count,
      `a whole number from 1 to ${pool.max - pool.min + 1}`,
    );
  const taken = [...live].filter((r) => r.count > 0).sort((a, b) => a.start - b.start);
  let candidate = pool.min;
  for (const range of taken) {
    const end = range.start + range.count - 1;
    if (end < candidate) continue;
    if (range.start > candidate + count - 1) break;
    candidate = end + 1;
  }
  if (candidate + count - 1 > pool.max)
    throw WorkspaceErrors.portsExhausted(count, pool.min, pool.max, taken.length);
  return { start: candidate, count };
}

export function overlaps(a: PortRange, b: PortRange): boolean {
  return a.start <= b.start + b.count - 1 && b.start <= a.start + a.count - 1;
}

/** The variables a workspace's processes (agent, setup, checks) get. */
export function portEnv(range: PortRange | null): Record<string, string> {
  return range ? { MAESTRO_PORT: String(range.start), MAESTRO_PORT_COUNT: String(range.count) } : {};
}
