import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CommandRunner, ConcurrentWriteError, type Tx } from '../../src/services/command-runner.js';
import { openDatabase, type Database } from '../../src/services/db/database.js';
import { ProjectSchema, TimelineEntrySchema } from '../../src/services/db/entities.js';
import { defer, query, updateOne } from '../../src/services/db/sql.js';
import { MaestroError } from '../../src/services/errors.js';
import type { MaestroEvent } from '../../src/services/event-types.js';
import { createTestDatabase, onPostgres } from '../support/postgres.js';

const ctx = { actor: 'test', sessionId: null };

/**
 * The PostgreSQL writer shares round trips between statements whose answers are not needed (see
 * src/services/db/pg-writer.ts). What a command did must still be exactly what happened: a failing
 * command leaves nothing behind and takes no `seq`, a deferred write that fails fails its own
 * command only, and an update that finds its row changed is retried.
 */
describe.runIf(onPostgres)('PostgreSQL: the writer shares round trips without blurring outcomes', () => {
  let db: Database;
  let runner: CommandRunner;
  const published: MaestroEvent[] = [];
  let projectId: number;

  beforeAll(async () => {
    db = await openDatabase({ url: await createTestDatabase() });
    runner = new CommandRunner(db, { publish: (events) => void published.push(...events) });
    projectId = await runner.run('test.project', ctx, async (tx) => {
      const [row] = await query<{ id: number }>(
        tx.em,
        'insert into projects (name, description, working_dir, created_at, updated_at) values (?, ?, ?, ?, ?) returning id',
        ['writer', '', '/tmp', new Date(tx.now), new Date(tx.now)],
      );
      return Number(row!.id);
    });
  });
  afterAll(async () => {
    await runner.idle();
    await db.close();
  });
  beforeEach(() => void (published.length = 0));

  /** Runs the commands as one batch: they are queued while another command holds the queue. */
  async function oneBatch(
    commands: ((tx: Tx) => Promise<unknown>)[],
  ): Promise<PromiseSettledResult<unknown>[]> {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const holding = new Promise<void>((resolve) => (entered = resolve));
    const held = runner.run('test.hold', ctx, async () => {
      entered();
      await gate;
    });
    await holding;
    const settled = Promise.allSettled(commands.map((command, i) => runner.run(`test.${i}`, ctx, command)));
    release();
    await held;
    return settled;
  }

  const note = (name: string) => async (tx: Tx) => {
    await tx.emit('test.noted', 'test', name, null, { name });
    return name;
  };

  async function logged(): Promise<{ seq: number; entity_id: string }[]> {
    const rows: { seq: string; entity_id: string }[] = await db.orm.em
      .fork()
      .getConnection()
      .execute('select seq, entity_id from event_log order by seq');
    return rows.map((r) => ({ seq: Number(r.seq), entity_id: r.entity_id }));
  }

  function expectGapFree(rows: { seq: number }[]): void {
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  }

  it('keeps values exactly as given, quotes, backslashes, question marks and all', async () => {
    const text = `it's a \\ "test" ? $1 -- not a comment\n;\tdrop table tasks; ünïcødé ☃`;
    const [row] = await runner.run('test.values', ctx, async (tx) => {
      await defer(
        tx.em,
        'insert into timeline_entries (task_id, kind, message, actor, session_id, created_at) values (?, ?, ?, ?, ?, ?)',
        [await newTask(tx), 'note', text, 'a?b', null, new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678))],
      );
      return query<{ message: string; actor: string; session_id: null; created_at: string }>(
        tx.em,
        'select message, actor, session_id, created_at from timeline_entries order by id desc limit 1',
      );
    });
    expect({ ...row, created_at: new Date(row!.created_at) }).toEqual({
      message: text,
      actor: 'a?b',
      session_id: null,
      created_at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
    });
  });

  it("the ORM's queries see what was deferred before them, and deferred statements see the ORM's writes", async () => {
    const seen = await runner.run('test.orm', ctx, async (tx) => {
      const taskId = await newTask(tx);
      await defer(
        tx.em,
        'insert into timeline_entries (task_id, kind, message, actor, session_id, created_at) values (?, ?, ?, ?, ?, ?)',
        [taskId, 'note', 'deferred, then read by the ORM', 'test', null, new Date(tx.now)],
      );
      const entries = await tx.em.find(TimelineEntrySchema, { task: taskId });
      const project = tx.em.create(ProjectSchema, {
        name: 'made by the ORM',
        workingDir: '/tmp',
        createdAt: new Date(tx.now),
        updatedAt: new Date(tx.now),
      });
      await tx.em.flush();
      // A deferred write that needs the ORM's row (its id) runs after it, then a read sees both.
      await defer(tx.em, 'update projects set description = ? where id = ?', ['then changed', project.id]);
      const [row] = await query<{ description: string }>(
        tx.em,
        'select description from projects where id = ?',
        [project.id],
      );
      return { messages: entries.map((e) => e.message), description: row!.description };
    });
    expect(seen).toEqual({ messages: ['deferred, then read by the ORM'], description: 'then changed' });
  });

  it('reads asked for together each get their own answer, in the order of what was deferred around them', async () => {
    const seen = await runner.run('test.together', ctx, async (tx) => {
      const taskId = await newTask(tx);
      const note = (message: string) =>
        defer(
          tx.em,
          'insert into timeline_entries (task_id, kind, message, actor, session_id, created_at) values (?, ?, ?, ?, ?, ?)',
          [taskId, 'note', message, 'test', null, new Date(tx.now)],
        );
      const count = () =>
        query<{ n: string }>(tx.em, 'select count(*) as n from timeline_entries where task_id = ?', [taskId]);
      await note('before both');
      const [first, title, second] = await Promise.all([
        count(),
        query<{ title: string }>(tx.em, 'select title from tasks where id = ?', [taskId]),
        note('between').then(count),
      ]);
      const [after] = await count();
      return { first: first[0]!.n, title: title[0]!.title, second: second[0]!.n, after: after!.n };
    });
    expect(seen).toEqual({ first: '1', title: 'a task', second: '2', after: '2' });
  });

  it('a command that fails in a batch leaves none of its writes and takes no seq', async () => {
    const before = (await logged()).length;
    const results = await oneBatch([
      note('first'),
      async (tx) => {
        await tx.emit('test.noted', 'test', 'failing', null, {});
        await defer(tx.em, 'update projects set description = ? where id = ?', [
          'changed by the failing one',
          projectId,
        ]);
        throw new MaestroError('invalid_argument', 'This command fails after writing.', 'Nothing.', {});
      },
      note('third'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = (await logged()).slice(before);
    expect(rows.map((r) => r.entity_id)).toEqual(['first', 'third']);
    expectGapFree(await logged());
    expect(published.map((e) => e.entityId)).toEqual(['first', 'third']);
    const [project] = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ description: string }[]>(`select description from projects where id = ${projectId}`);
    expect(project!.description).toBe('');
  });

  it("a deferred write that fails fails its own command, and the batch's others commit", async () => {
    const before = (await logged()).length;
    const results = await oneBatch([
      note('before the bad one'),
      async (tx) => {
        await tx.emit('test.noted', 'test', 'bad', null, {});
        // No task 999999: the foreign key refuses it, but only when the statement is sent.
        await defer(
          tx.em,
          'insert into timeline_entries (task_id, kind, message, actor, session_id, created_at) values (?, ?, ?, ?, ?, ?)',
          [999999, 'note', 'refused', 'test', null, new Date(tx.now)],
        );
        return 'bad';
      },
      note('after the bad one'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refused = (results[1] as PromiseRejectedResult).reason as MaestroError;
    expect(refused.code).toBe('internal');
    expect((await logged()).slice(before).map((r) => r.entity_id)).toEqual([
      'before the bad one',
      'after the bad one',
    ]);
    expectGapFree(await logged());
    expect(published.map((e) => e.entityId)).toEqual(['before the bad one', 'after the bad one']);
  });

  it('commands run again strictly after a failure that could not be placed run strictly, even behind a command that came in meanwhile', async () => {
    let badRuns = 0;
    let newcomer: Promise<unknown> | undefined;
    const results = await oneBatch([
      async (tx) => {
        // Comes in while this batch runs: the next batch's transaction opens early, before the
        // commands of this one are put back to run again strictly.
        newcomer ??= runner.run('test.newcomer', ctx, note('newcomer'));
        return note('first')(tx);
      },
      async (tx) => {
        badRuns++;
        await defer(
          tx.em,
          'insert into timeline_entries (task_id, kind, message, actor, session_id, created_at) values (?, ?, ?, ?, ?, ?)',
          [999999, 'note', 'refused', 'test', null, new Date(tx.now)],
        );
        return 'bad';
      },
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    await expect(newcomer).resolves.toBe('newcomer');
    // Once in the shared batch, once strictly, where its failure is its own: never a third time.
    expect(badRuns).toBe(2);
    expectGapFree(await logged());
  });

  it('an update that finds its row changed is retried from the start, and only its last run counts', async () => {
    const taskId = await runner.run('test.task', ctx, newTask);
    let runs = 0;
    const results = await oneBatch([
      note('beside the retried one'),
      async (tx) => {
        runs++;
        const [row] = await query<{ version: number }>(tx.em, 'select version from tasks where id = ?', [
          taskId,
        ]);
        // The first run writes as if it had read an older version: another writer's change.
        const version = runs === 1 ? row!.version - 1 : row!.version;
        const changed = await updateOne(
          tx.em,
          'update tasks set title = ?, version = version + 1 where id = ? and version = ?',
          [`run ${runs}`, taskId, version],
        );
        if (!changed) throw new ConcurrentWriteError('changed');
        await tx.emit('test.noted', 'test', `updated in run ${runs}`, null, {});
        return runs;
      },
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const last = (results[1] as PromiseFulfilledResult<number>).value;
    expect(last).toBeGreaterThan(1);
    const [task] = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ title: string; version: number }[]>(`select title, version from tasks where id = ${taskId}`);
    expect(task!.title).toBe(`run ${last}`);
    expect(published.map((e) => e.entityId)).toEqual(['beside the retried one', `updated in run ${last}`]);
    expectGapFree(await logged());
  });

  async function newTask(tx: Tx): Promise<number> {
    const [row] = await query<{ id: number }>(
      tx.em,
      `insert into tasks (project_id, title, description, status, priority, priority_rank, labels, state, machine_version, version, created_at, updated_at)
       values (?, ?, '', 'pending', 'medium', 1, '[]', '{"value":"pending","context":{"claim":null,"blockedReason":null}}', 1, 1, ?, ?) returning id`,
      [projectId, 'a task', new Date(tx.now), new Date(tx.now)],
    );
    return Number(row!.id);
  }
});
