import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './db/database.js';
import { createServices, type MaestroEvent, type Services } from './index.js';
import type { MaestroError } from './errors.js';

/** Services over a real SQLite file with a clock the test moves. */
describe('claims, leases and sessions', () => {
  let dir: string;
  let db: Database;
  let s: Services;
  let now: number;
  let projectId: string;
  const events: MaestroEvent[] = [];
  const user = { actor: 'alice', sessionId: null };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maestro-claims-'));
    db = await openDatabase({ url: `sqlite:${join(dir, 'm.db')}` });
    now = Date.parse('2026-01-01T00:00:00Z');
    s = await createServices(db, {
      clock: () => now,
      tasks: { defaultLeaseMs: 60_000 },
      sessions: { staleAfterMs: 10_000, lostAfterMs: 30_000 },
    });
    s.bus.subscribe((batch) => events.push(...batch));
    projectId = (await s.projects.resolve(user, dir)).id;
  });
  afterEach(async () => {
    events.length = 0;
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Live delivery happens on the next turn of the event loop. */
  const settle = () => new Promise((r) => setImmediate(r));
  const error = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return (e as MaestroError).toBody();
    }
    throw new Error('expected a failure');
  };

  it('a claim outside a session lapses when its lease runs out, and claiming again renews it', async () => {
    const task = await s.tasks.create(user, { projectId, title: 'Leased' });
    const claimed = await s.tasks.claim(user, { id: task.id, leaseSeconds: 30 });
    expect(claimed.task?.claim).toMatchObject({
      holder: 'alice',
      expiresAt: new Date(now + 30_000).toISOString(),
    });

    now += 20_000;
    const renewed = await s.tasks.claim(user, { id: task.id, leaseSeconds: 30 });
    expect(renewed.task?.claim?.expiresAt).toBe(new Date(now + 30_000).toISOString());
    expect(renewed.task?.claim?.claimedAt).toBe(claimed.task?.claim?.claimedAt);

    now += 29_000;
    expect(await s.tasks.expireLeases()).toEqual([]);
    now += 2_000;
    expect(await s.tasks.expireLeases()).toEqual([task.id]);
    const after = await s.tasks.get(task.id);
    expect(after.task).toMatchObject({ status: 'pending', claim: null });
    await settle();
    expect(events.filter((e) => e.type === 'task.claim_expired').map((e) => e.entityId)).toEqual([task.id]);
    expect((await s.tasks.ready(projectId)).map((t) => t.id)).toContain(task.id);
    expect(await error(s.tasks.claim(user, { id: task.id, leaseSeconds: 0.5 }))).toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('a session that stops heartbeating goes stale, then lost, and its claims return to ready', async () => {
    const task = await s.tasks.create(user, { projectId, title: 'Worked by an agent' });
    const session = await s.sessions.create(user, { projectId, taskIds: [task.id], role: 'worker' });
    expect(session).toMatchObject({
      status: 'spawning',
      name: `worker-${session.id.slice(2)}`,
      taskIds: [task.id],
    });
    await s.sessions.reportProcess(user, { id: session.id, kind: 'started', pid: 4242 });
    const agent = { actor: 'worker-1', sessionId: session.id };
    const claimed = await s.tasks.claim(agent, { id: task.id });
    expect(claimed.task?.claim).toMatchObject({ holder: 'worker-1', sessionId: session.id, expiresAt: '' });

    now += 9_000;
    expect(await s.sessions.sweep()).toEqual([]);
    now += 2_000;
    expect(await s.sessions.sweep()).toEqual([session.id]);
    expect((await s.sessions.get(session.id)).status).toBe('stale');
    await s.sessions.heartbeat(agent, session.id);
    expect((await s.sessions.get(session.id)).status).toBe('running');

    now += 11_000;
    await s.sessions.sweep();
    now += 20_000;
    expect(await s.sessions.sweep()).toEqual([session.id]);
    const lost = await s.sessions.get(session.id);
    expect(lost).toMatchObject({ status: 'lost', pid: 4242 });
    expect((await s.tasks.get(task.id)).task).toMatchObject({ status: 'pending', claim: null });
    await settle();
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['session.running', 'session.stale', 'session.lost', 'task.released']),
    );
    expect(await error(s.tasks.claim(agent, { id: task.id }))).toMatchObject({ code: 'invalid_argument' });
    expect(await error(s.sessions.heartbeat(agent, session.id))).toMatchObject({
      code: 'invalid_transition',
    });
  });

  it('ending a session releases what it held; exit codes decide completed or failed', async () => {
    const a = await s.tasks.create(user, { projectId, title: 'A' });
    const b = await s.tasks.create(user, { projectId, title: 'B' });
    const one = await s.sessions.create(user, { projectId, taskIds: [a.id] });
    const two = await s.sessions.create(user, {
      projectId,
      taskIds: [b.id],
      role: 'orchestrator',
      name: 'lead',
    });
    await s.sessions.reportProcess(user, { id: one.id, kind: 'started', pid: 1 });
    await s.sessions.reportProcess(user, { id: two.id, kind: 'started', pid: 2 });
    await s.tasks.start({ actor: 'w1', sessionId: one.id }, a.id);
    await s.tasks.start({ actor: 'w2', sessionId: two.id }, b.id);

    const failed = await s.sessions.reportProcess(user, { id: one.id, kind: 'exited', exitCode: 3 });
    expect(failed).toMatchObject({
      status: 'failed',
      exitCode: 3,
      failureReason: expect.stringContaining('3'),
    });
    expect((await s.tasks.get(a.id)).task.status).toBe('pending');
    const stopped = await s.sessions.stop(user, two.id);
    expect(stopped.status).toBe('stopped');
    expect((await s.tasks.get(b.id)).task.status).toBe('pending');

    const three = await s.sessions.create(user, { projectId, taskIds: [a.id] });
    const refused = await s.sessions.reportProcess(user, {
      id: three.id,
      kind: 'failed',
      reason: 'claude: not found',
    });
    expect(refused).toMatchObject({ status: 'failed', failureReason: 'claude: not found' });
    const four = await s.sessions.create(user, { projectId, taskIds: [a.id] });
    await s.sessions.reportProcess(user, { id: four.id, kind: 'started', pid: 9 });
    expect((await s.sessions.reportProcess(user, { id: four.id, kind: 'exited', exitCode: 0 })).status).toBe(
      'completed',
    );

    expect((await s.sessions.list({ projectId, status: ['failed'] })).map((x) => x.id)).toEqual([
      one.id,
      three.id,
    ]);
    expect(await error(s.sessions.get('s_999'))).toMatchObject({ code: 'session_not_found' });
    expect(await error(s.sessions.reportProcess(user, { id: one.id, kind: 'started' }))).toMatchObject({
      code: 'invalid_transition',
    });
    expect(await error(s.sessions.reportProcess(user, { id: one.id, kind: 'vanished' }))).toMatchObject({
      code: 'invalid_argument',
      details: { accepted: ['started', 'exited', 'failed', 'stopped'] },
    });
    expect(await error(s.tasks.start({ actor: 'ghost', sessionId: 's_404' }, a.id))).toMatchObject({
      code: 'session_not_found',
    });
  });

  it('an idempotency key returns the first result until it is pruned, then runs anew', async () => {
    const keyed = { ...user, idempotencyKey: 'create-once' };
    const first = await s.tasks.create(keyed, { projectId, title: 'Once' });
    now += 60_000;
    await s.runner.pruneIdempotencyKeys(now - 120_000);
    expect((await s.tasks.create(keyed, { projectId, title: 'Once' })).id).toBe(first.id);
    await s.runner.pruneIdempotencyKeys(now);
    const second = await s.tasks.create(keyed, { projectId, title: 'Once' });
    expect(second.id).not.toBe(first.id);
    expect((await s.tasks.list({ projectId })).tasks.filter((t) => t.title === 'Once')).toHaveLength(2);
  });

  it('projects, subtasks, status and deletes', async () => {
    const web = await s.projects.create(user, { name: 'web', workingDir: join(dir, 'web') });
    expect((await s.projects.resolve(user, join(dir, 'web', 'src'))).id).toBe(web.id);
    expect((await s.projects.resolve(user, '/elsewhere')).name).toBe('default');
    expect(await error(s.projects.create(user, { name: 'web' }))).toMatchObject({ code: 'invalid_argument' });

    const parent = await s.tasks.create(user, { projectId: web.id, title: 'Parent', labels: ['ui'] });
    const child = await s.tasks.create(user, {
      projectId: web.id,
      title: 'Child',
      parentId: parent.id,
      priority: 'high',
    });
    const dependent = await s.tasks.create(user, {
      projectId: web.id,
      title: 'Dependent',
      dependsOn: [child.id],
      priority: 'low',
    });
    const st = await s.subtasks.create(user, child.id, 'step');
    await s.subtasks.create(user, child.id, 'second step');
    expect((await s.subtasks.list(child.id)).map((x) => x.position)).toEqual([1, 2]);
    expect(await error(s.subtasks.complete(user, parent.id, st.id))).toMatchObject({
      code: 'subtask_not_found',
    });
    expect((await s.subtasks.delete(user, child.id, st.id)).id).toBe(st.id);
    expect((await s.subtasks.list(child.id)).length).toBe(1);

    expect((await s.tasks.list({ projectId: web.id, label: 'ui' })).tasks.map((t) => t.id)).toEqual([
      parent.id,
    ]);
    expect((await s.tasks.list({ projectId: web.id, parentId: parent.id })).tasks.map((t) => t.id)).toEqual([
      child.id,
    ]);
    expect((await s.tasks.list({ projectId: web.id, priority: ['low'] })).tasks.map((t) => t.id)).toEqual([
      dependent.id,
    ]);
    const updated = await s.tasks.update(user, {
      id: parent.id,
      priority: 'low',
      addLabels: ['x'],
      removeLabels: ['ui'],
    });
    expect(updated).toMatchObject({ priority: 'low', labels: ['x'] });
    expect(await error(s.tasks.update(user, { id: parent.id }))).toMatchObject({ code: 'invalid_argument' });

    const status = await s.status.status(web.id);
    expect(status.byStatus).toEqual([{ key: 'pending', count: 3 }]);
    expect(status.byPriority).toEqual([
      { key: 'high', count: 1 },
      { key: 'low', count: 2 },
    ]);
    expect(status.ready).toBe(2);

    expect(await error(s.tasks.delete(user, parent.id, false))).toMatchObject({ code: 'invalid_argument' });
    expect(await error(s.tasks.delete(user, child.id, false))).toMatchObject({
      code: 'invalid_argument',
      details: { dependents: [dependent.id] },
    });
    expect((await s.tasks.delete(user, parent.id, true)).deletedIds).toEqual([parent.id, child.id]);
    expect((await s.tasks.get(dependent.id)).task.dependsOn).toEqual([]);
    expect(await error(s.projects.delete(user, web.id, false))).toMatchObject({ code: 'invalid_argument' });
    expect(await s.projects.delete(user, web.id, true)).toEqual({ id: web.id, deletedTasks: 1 });
    expect(await error(s.projects.get(web.id))).toMatchObject({ code: 'project_not_found' });
    expect((await s.projects.list()).map((p) => p.name)).toEqual(['default']);

    const page = await s.events.list(0, 5);
    expect(page.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(page.lastSeq).toBe(s.bus.lastSeq);
    expect(await s.events.firstSeq()).toBe(1);
  });

  it('regression: block then unblock cannot start a task whose dependencies are unfinished', async () => {
    const first = await s.tasks.create(user, { projectId, title: 'First' });
    const second = await s.tasks.create(user, { projectId, title: 'Second', dependsOn: [first.id] });
    await s.tasks.block(user, second.id, 'Not yet');
    expect(await error(s.tasks.unblock(user, second.id))).toMatchObject({
      code: 'dependencies_not_met',
      details: { blocking: [{ taskId: first.id, status: 'pending' }] },
    });
    expect((await s.tasks.get(second.id)).task.status).toBe('blocked');
  });

  it('regression: a blocked task held by a session that ends loses the claim and stays blocked', async () => {
    const task = await s.tasks.create(user, { projectId, title: 'Stuck' });
    const session = await s.sessions.create(user, { projectId, taskIds: [task.id] });
    await s.sessions.reportProcess(user, { id: session.id, kind: 'started', pid: 7 });
    await s.tasks.start({ actor: 'w', sessionId: session.id }, task.id);
    await s.tasks.block({ actor: 'w', sessionId: session.id }, task.id, 'Needs a key');
    await s.sessions.stop(user, session.id);
    expect((await s.tasks.get(task.id)).task).toMatchObject({
      status: 'blocked',
      claim: null,
      blockedReason: 'Needs a key',
    });
    const resumed = await s.tasks.unblock(user, task.id);
    expect(resumed).toMatchObject({ status: 'in_progress', claim: { holder: 'alice', sessionId: '' } });
  });
});
