import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../src/services/db/database.js';
import { createServices, type MaestroEvent, type Services } from '../../src/services/index.js';
import type { MaestroError } from '../../src/services/errors.js';
import { createTestDatabase, onPostgres } from '../support/postgres.js';

/**
 * A batch of lifecycle commands reads the task rows they name in one statement, before the first
 * of them runs. What each command answers must still be exactly what it would answer alone: rows
 * changed earlier in the batch are read again, a command that may change rows otherwise makes them
 * all stale, and a refusal given on a row read ahead is the one a read of its own gives.
 * Runs on SQLite, and on PostgreSQL in the postgres project (where it saves round trips).
 */
describe(`tasks read ahead for a batch (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let dir: string;
  let db: Database;
  let s: Services;
  let projectId: string;
  const events: MaestroEvent[] = [];
  const user = { actor: 'alice', sessionId: null };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maestro-ahead-'));
    db = await openDatabase({ url: onPostgres ? await createTestDatabase() : `sqlite:${join(dir, 'm.db')}` });
    s = await createServices(db);
    s.bus.subscribe((batch) => events.push(...batch));
    projectId = (await s.projects.resolve(user, dir)).id;
  });
  afterAll(async () => {
    await s.runner.idle();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the calls as one batch: they are made while another command holds the runner. */
  async function oneBatch(calls: (() => Promise<unknown>)[]): Promise<PromiseSettledResult<unknown>[]> {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const holding = new Promise<void>((resolve) => (entered = resolve));
    const held = s.runner.run('test.hold', user, async () => {
      entered();
      await gate;
    });
    await holding;
    const settled = Promise.allSettled(calls.map((call) => call()));
    release();
    await held;
    return settled;
  }

  const task = (title: string, dependsOn: string[] = []) =>
    s.tasks.create(user, { projectId, title, dependsOn });
  const value = (result: PromiseSettledResult<unknown> | undefined) => {
    if (result?.status !== 'fulfilled') throw new Error(`expected an answer, got ${String(result?.status)}`);
    return result.value as { id: string; status: string; version: number; title: string };
  };
  const refusal = (result: PromiseSettledResult<unknown> | undefined) => {
    if (result?.status !== 'rejected') throw new Error(`expected a refusal, got ${String(result?.status)}`);
    return (result.reason as MaestroError).toBody();
  };

  it('commands on rows read ahead answer as they would alone, and a second command on a row reads it again', async () => {
    const [a, b, c] = [await task('a'), await task('b'), await task('c')];
    const before = { ...s.runner.readsAhead };
    const results = await oneBatch([
      () => s.tasks.start(user, a.id),
      () => s.tasks.start(user, b.id),
      () => s.tasks.start(user, c.id),
      () => s.tasks.complete(user, a.id),
      () => s.tasks.block(user, b.id, 'waiting on a review'),
      () => s.tasks.release(user, c.id, 2),
    ]);
    expect(s.runner.readsAhead.batches).toBe(before.batches + 1);
    expect(s.runner.readsAhead.taken).toBe(before.taken + 3);
    expect(results.map((r) => value(r).status)).toEqual([
      'in_progress',
      'in_progress',
      'in_progress',
      'completed',
      'blocked',
      'pending',
    ]);
    // Each command saw the version the one before it left.
    expect(results.map((r) => value(r).version)).toEqual([2, 2, 2, 3, 3, 3]);
    const stored = await Promise.all([a, b, c].map((t) => s.tasks.get(t.id)));
    expect(stored.map(({ task }) => [task.status, task.version])).toEqual([
      ['completed', 3],
      ['blocked', 3],
      ['pending', 3],
    ]);
  });

  it('a refusal on a row read ahead is given as a read of its own gives it, and writes nothing', async () => {
    const gate = await task('gate');
    const [a, b] = [await task('free'), await task('waits', [gate.id])];
    const before = { ...s.runner.readsAhead };
    const results = await oneBatch([
      () => s.tasks.start(user, a.id),
      () => s.tasks.start(user, b.id),
      () => s.tasks.complete(user, a.id, 1),
    ]);
    expect(s.runner.readsAhead.taken).toBeGreaterThan(before.taken);
    expect(value(results[0]).status).toBe('in_progress');
    expect(refusal(results[1])).toMatchObject({
      code: 'dependencies_not_met',
      details: { taskId: b.id, blocking: [{ taskId: gate.id, status: 'pending' }] },
    });
    // The version given was read before the batch began: the row moved on, and the refusal says so.
    expect(refusal(results[2])).toMatchObject({
      code: 'version_conflict',
      details: { expectedVersion: 1, actualVersion: 2 },
    });
    expect((await s.tasks.get(b.id)).task.status).toBe('pending');
    expect((await s.tasks.get(a.id)).task.status).toBe('in_progress');
  });

  it('creates find their project read ahead, and one naming a project that is not there is refused', async () => {
    const a = await task('a');
    const before = { ...s.runner.readsAhead };
    const results = await oneBatch([
      () => s.tasks.create(user, { projectId, title: 'one' }),
      () => s.tasks.create(user, { projectId: 'p_999', title: 'nowhere' }),
      () => s.tasks.start(user, a.id),
      () => s.tasks.create(user, { projectId, title: 'two' }),
    ]);
    expect(s.runner.readsAhead.batches).toBe(before.batches + 1);
    // The project once for each create that names it, and the task once.
    expect(s.runner.readsAhead.taken).toBe(before.taken + 3);
    expect(value(results[0])).toMatchObject({ title: 'one', status: 'pending', version: 1 });
    expect(refusal(results[1])).toMatchObject({ code: 'project_not_found', details: { projectId: 'p_999' } });
    expect(value(results[2]).status).toBe('in_progress');
    expect(value(results[3])).toMatchObject({ title: 'two', status: 'pending' });
  });

  it('tasks created in one batch get distinct ids in the order asked, each stored with its own row, also past a refused create', async () => {
    const results = await oneBatch([
      () => s.tasks.create(user, { projectId, title: 'first' }),
      () => s.tasks.create(user, { projectId, title: 'broken', dependsOn: ['t_999999'] }),
      () => s.tasks.create(user, { projectId, title: 'second' }),
      () => s.tasks.create(user, { projectId, title: 'third' }),
    ]);
    expect(refusal(results[1]).code).toBe('task_not_found');
    const made = [results[0], results[2], results[3]].map(value);
    const numbers = made.map((t) => Number(t.id.replace(/\D/g, '')));
    expect(new Set(numbers).size).toBe(3);
    expect([...numbers].sort((x, y) => x - y)).toEqual(numbers);
    for (const t of made) expect((await s.tasks.get(t.id)).task.title).toBe(t.title);
    const later = await task('later');
    expect(Number(later.id.replace(/\D/g, ''))).toBeGreaterThan(numbers[2]!);
  });

  it("what is read ahead of a task's children and dependencies does not outlive a change to them", async () => {
    const parent = await task('parent');
    const child = await s.tasks.create(user, { projectId, title: 'child', parentId: parent.id });
    const dep = await task('dependency');
    const dependent = await task('dependent', [dep.id]);
    for (const t of [child, dep]) {
      await s.tasks.start(user, t.id);
      await s.tasks.complete(user, t.id);
    }
    for (const t of [parent, dependent]) await s.tasks.start(user, t.id);
    const before = { ...s.runner.readsAhead };
    // When the batch began, the child and the dependency were completed; the batch reopens both.
    const results = await oneBatch([
      () => s.tasks.reopen(user, child.id),
      () => s.tasks.reopen(user, dep.id),
      () => s.tasks.complete(user, parent.id),
      () => s.tasks.complete(user, dependent.id),
    ]);
    expect(s.runner.readsAhead.batches).toBe(before.batches + 1);
    expect(results.slice(0, 2).map((r) => value(r).status)).toEqual(['in_progress', 'in_progress']);
    expect(refusal(results[2])).toMatchObject({
      code: 'dependencies_not_met',
      details: { taskId: parent.id, children: [{ taskId: child.id, status: 'in_progress' }] },
    });
    expect(refusal(results[3])).toMatchObject({
      code: 'dependencies_not_met',
      details: { taskId: dependent.id, blocking: [{ taskId: dep.id, status: 'in_progress' }] },
    });
    // Read ahead and still true, they answer the command: with no open child, the parent completes.
    await s.tasks.complete(user, child.id);
    const filler = await task('filler');
    const done = await oneBatch([
      () => s.tasks.start(user, filler.id),
      () => s.tasks.complete(user, parent.id),
    ]);
    expect(done.map((r) => value(r).status)).toEqual(['in_progress', 'completed']);
  });

  it('a command that may change rows otherwise comes between: what follows it reads afresh', async () => {
    const [a, b, c] = [await task('a'), await task('b'), await task('c')];
    const results = await oneBatch([
      () => s.tasks.start(user, a.id),
      () => s.tasks.start(user, c.id),
      () => s.tasks.update(user, { id: b.id, title: 'b, renamed' }),
      () => s.tasks.addDependency(user, b.id, a.id),
      () => s.tasks.start(user, b.id),
      () => s.tasks.complete(user, a.id),
      () => s.tasks.start(user, b.id),
    ]);
    expect(value(results[2]).title).toBe('b, renamed');
    // b depends on a, which is in progress until the batch completes it.
    expect(refusal(results[4])).toMatchObject({ code: 'dependencies_not_met' });
    expect(value(results[5]).status).toBe('completed');
    expect(value(results[6])).toMatchObject({ title: 'b, renamed', status: 'in_progress' });
    // Delivery to subscribers comes on the next turn of the event loop.
    await vi.waitFor(() =>
      expect(events.filter((e) => e.entityId === b.id).map((e) => e.type)).toEqual([
        'task.created',
        'task.updated',
        'task.dependency_added',
        'task.started',
      ]),
    );
  });
});
