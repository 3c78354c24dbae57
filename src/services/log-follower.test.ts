import { describe, expect, it } from 'vitest';
import type { MaestroEvent } from './event-types.js';
import { EventBus, LogFollower } from './events.js';
import { event } from './events.test-helper.js';

/** A follower over a log held in memory; `reads` counts how often it read the log. */
function world() {
  const bus = new EventBus();
  const log: MaestroEvent[] = [];
  let reads = 0;
  const follower = new LogFollower(
    bus,
    (since, limit) => {
      reads++;
      return Promise.resolve(log.filter((e) => e.seq > since).slice(0, limit));
    },
    (error) => {
      throw error;
    },
  );
  return { bus, log, follower, reads: () => reads };
}

describe('LogFollower: announcements', () => {
  it("reads nothing for its own commit, even when the announcement arrives before the commit's events", async () => {
    const w = world();
    w.log.push(event(1));
    w.follower.committing(1, true);
    await w.follower.poll(1);
    expect(w.reads()).toBe(0);
    w.follower.publish([event(1)]);
    await w.follower.poll(1);
    expect(w.reads()).toBe(0);
    expect(w.bus.lastSeq).toBe(1);
  });

  it("reads another server's commit, and after a failed commit of its own", async () => {
    const w = world();
    w.follower.committing(3, true);
    w.follower.publish([event(1), event(2), event(3)]);
    w.log.push(event(1), event(2), event(3), event(4));
    await w.follower.poll(4);
    expect(w.reads()).toBe(1);
    expect(w.bus.lastSeq).toBe(4);

    // Seq 5 was this server's, but its commit failed: another server's 5 is read.
    w.follower.committing(5, false);
    w.log.push(event(5));
    await w.follower.poll(5);
    expect(w.bus.lastSeq).toBe(5);
    expect(w.reads()).toBe(2);
  });

  it('a poll without a seq (a new connection, the sweep) always reads', async () => {
    const w = world();
    await w.follower.poll(null);
    await w.follower.poll();
    expect(w.reads()).toBe(2);
  });
});
