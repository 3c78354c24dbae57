import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus, MAX_PACE_MS } from './events.js';
import { event } from './events.test-helper.js';

/** Lets the bus's pending `setImmediate` run (fake timers leave it to us). */
const turn = () => vi.advanceTimersToNextTimerAsync();

/**
 * Live views (watches) are paced: with many watchers, batches are merged over a short interval so
 * that each socket gets one write for them; the server's own listeners are not. Either way every
 * event arrives once, in order.
 */
describe('EventBus: paced watchers', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    clock = 0;
  });
  afterEach(() => vi.useRealTimers());

  function world(watchers: number) {
    const bus = new EventBus(() => clock);
    const paced = Array.from({ length: watchers }, () => [] as number[][]);
    const stops = paced.map((got) =>
      bus.subscribe((b) => void got.push(b.map((e) => e.seq)), { paced: true }),
    );
    const own: number[][] = [];
    bus.subscribe((b) => void own.push(b.map((e) => e.seq)));
    return { bus, paced, own, stops };
  }

  it('merges batches published within the interval for many watchers, and delays the server itself not at all', async () => {
    const w = world(500);
    for (let seq = 1; seq <= 10; seq++) {
      w.bus.publish([event(seq)]);
      await vi.advanceTimersByTimeAsync(0); // the bus's turn
      clock += 2;
    }
    // The server's own listener got each batch on its turn; the watchers the first at once and
    // the rest held back until the interval (25 ms for 500 watchers) has passed.
    expect(w.own).toEqual([[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]);
    for (const got of w.paced) expect(got).toEqual([[1]]);
    clock = MAX_PACE_MS;
    await vi.advanceTimersByTimeAsync(MAX_PACE_MS);
    for (const got of w.paced) expect(got).toEqual([[1], [2, 3, 4, 5, 6, 7, 8, 9, 10]]);
  });

  it('holds nothing back for a few watchers', async () => {
    const w = world(2);
    for (let seq = 1; seq <= 3; seq++) {
      w.bus.publish([event(seq)]);
      await turn();
      clock += 1;
    }
    for (const got of w.paced) expect(got).toEqual([[1], [2], [3]]);
  });

  it('stops delivering to a watcher that unsubscribed, also what was held back for it', async () => {
    const w = world(500);
    w.bus.publish([event(1)]);
    await turn();
    clock += 1;
    w.bus.publish([event(2)]);
    await turn();
    w.stops[0]!();
    clock = MAX_PACE_MS;
    await vi.advanceTimersByTimeAsync(MAX_PACE_MS);
    expect(w.paced[0]).toEqual([[1]]);
    expect(w.paced[1]).toEqual([[1], [2]]);
  });
});
