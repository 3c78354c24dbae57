/**
 * Where Maestro reads the time: epoch milliseconds. The command runner, and through it leases,
 * heartbeats and the sweeps of stale and lost sessions, read one clock, so a test can move time
 * instead of sleeping.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock that moves only when told to: `now` is what services and the server are given. */
export class ManualClock {
  private ms: number;

  constructor(start: number | string = '2026-01-01T00:00:00Z') {
    this.ms = typeof start === 'string' ? Date.parse(start) : start;
  }

  readonly now: Clock = () => this.ms;

  /** Moves time forward by `ms` (never backward: a clock that runs back is a different bug). */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`a clock moves forward, not by ${ms} ms`);
    this.ms += ms;
    return this.ms;
  }

  /** `now` as an ISO string, as views show it. */
  iso(offsetMs = 0): string {
    return new Date(this.ms + offsetMs).toISOString();
  }
}
