import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../shared/clock.js';
import { openDatabase, type Database } from './db/database.js';
import { createServices, type Services } from './index.js';

const STALE_MS = 10_000;
const LOST_MS = 30_000;

/**
 * Lease expiry and the stale and lost deadlines, to the millisecond: the services read a
 * ManualClock, so time moves only when the test moves it and nothing sleeps.
 */
describe('leases and heartbeats on a manual clock', () => {
  let dir: string;
  let db: Database;
  let s: Services;
  let clock: ManualClock;
  let projectId: string;
  const user = { actor: 'alice', sessionId: null };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maestro-leases-'));
    db = await openDatabase({ url: `sqlite:${join(dir, 'm.db')}` });
    clock = new ManualClock();
    s = await createServices(db, {
      clock: clock.now,
      tasks: { defaultLeaseMs: 60_000 },
      sessions: { staleAfterMs: STALE_MS, lostAfterMs: LOST_MS },
    });
    projectId = (await s.projects.resolve(user, dir)).id;
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const running = async (taskIds: string[] = []) => {
    const session = await s.sessions.create(user, { projectId, taskIds, role: 'worker' });
    await s.sessions.reportProcess(user, { id: session.id, kind: 'started', pid: 4242 });
    return session.id;
  };
  const status = async (id: string) => (await s.sessions.get(id)).status;

  it('a lease lapses at its expiry, not a millisecond before', async () => {
    const task = await s.tasks.create(user, { projectId, title: 'Leased' });
    const claimed = await s.tasks.claim(user, { id: task.id, leaseSeconds: 30 });
    expect(claimed.task?.claim?.expiresAt).toBe(clock.iso(30_000));
    clock.advance(29_999);
    expect(await s.tasks.expireLeases()).toEqual([]);
    expect((await s.tasks.get(task.id)).task?.claim?.holder).toBe('alice');
    clock.advance(1);
    expect(await s.tasks.expireLeases()).toEqual([task.id]);
    expect((await s.tasks.get(task.id)).task).toMatchObject({ status: 'pending', claim: null });
  });

  it('the default lease applies when the claim names none, and a renewal counts from the renewal', async () => {
    const task = await s.tasks.create(user, { projectId, title: 'Default lease' });
    await s.tasks.claim(user, { id: task.id });
    clock.advance(50_000);
    const renewed = await s.tasks.claim(user, { id: task.id });
    expect(renewed.task?.claim?.expiresAt).toBe(clock.iso(60_000));
    clock.advance(59_999);
    expect(await s.tasks.expireLeases()).toEqual([]);
    clock.advance(1);
    expect(await s.tasks.expireLeases()).toEqual([task.id]);
  });

  it('a running session goes stale after its silence reaches the deadline, counted from the last heartbeat', async () => {
    const id = await running();
    clock.advance(STALE_MS - 1);
    expect(await s.sessions.sweep()).toEqual([]);
    await s.sessions.heartbeat(user, id);
    clock.advance(STALE_MS - 1);
    expect(await s.sessions.sweep()).toEqual([]);
    expect(await status(id)).toBe('running');
    clock.advance(1);
    expect(await s.sessions.sweep()).toEqual([id]);
    expect(await status(id)).toBe('stale');
  });

  it('a stale session is lost at the lost deadline after its last heartbeat, and only its own claims return', async () => {
    const held = await s.tasks.create(user, { projectId, title: 'Held by the session' });
    const leased = await s.tasks.create(user, { projectId, title: 'Leased by bob' });
    const id = await running([held.id]);
    await s.tasks.claim({ actor: 'worker', sessionId: id }, { id: held.id });
    await s.tasks.claim({ actor: 'bob', sessionId: null }, { id: leased.id, leaseSeconds: 3600 });

    clock.advance(STALE_MS);
    expect(await s.sessions.sweep()).toEqual([id]);
    // Lost counts from the last heartbeat, not from going stale.
    clock.advance(LOST_MS - STALE_MS - 1);
    expect(await s.sessions.sweep()).toEqual([]);
    expect(await status(id)).toBe('stale');
    clock.advance(1);
    expect(await s.sessions.sweep()).toEqual([id]);
    expect(await status(id)).toBe('lost');
    expect((await s.tasks.get(held.id)).task).toMatchObject({ status: 'pending', claim: null });
    expect((await s.tasks.get(leased.id)).task?.claim?.holder).toBe('bob');
    expect(await s.tasks.expireLeases()).toEqual([]);
  });

  it('a heartbeat brings a stale session back and starts both deadlines again', async () => {
    const id = await running();
    clock.advance(STALE_MS);
    await s.sessions.sweep();
    expect(await status(id)).toBe('stale');
    clock.advance(LOST_MS - STALE_MS - 1);
    await s.sessions.heartbeat(user, id);
    expect(await status(id)).toBe('running');
    // Past where the old heartbeat's lost deadline was: only stale again, at the new stale deadline.
    clock.advance(STALE_MS - 1);
    expect(await s.sessions.sweep()).toEqual([]);
    clock.advance(1);
    expect(await s.sessions.sweep()).toEqual([id]);
    clock.advance(LOST_MS - STALE_MS);
    expect(await s.sessions.sweep()).toEqual([id]);
    expect(await status(id)).toBe('lost');
  });

  it('time moves only forward', () => {
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(clock.advance(0)).toBe(clock.now());
  });
});
