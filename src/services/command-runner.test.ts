import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRunner } from './command-runner.js';
import { openDatabase, type Database } from './db/database.js';
import { ProjectSchema } from './db/entities.js';
import { query } from './db/sql.js';

const ctx = { actor: 'test', sessionId: null };

/**
 * The runner flushes a command's unit of work only when it could write something (most commands
 * write with SQL of their own): an entity the command persisted, or one it loaded and changed
 * without flushing itself, must still be written.
 */
describe('CommandRunner: the unit of work of a command', () => {
  let db: Database;
  let runner: CommandRunner;
  let projectId: number;

  beforeAll(async () => {
    db = await openDatabase({ url: 'sqlite::memory:' });
    runner = new CommandRunner(db, { publish: () => undefined });
    projectId = await runner.run('test.project', ctx, async (tx) => {
      const row = tx.em.create(ProjectSchema, {
        name: 'uow',
        description: 'before',
        workingDir: '/tmp',
        createdAt: new Date(tx.now),
        updatedAt: new Date(tx.now),
      });
      tx.em.persist(row);
      await tx.em.flush();
      return row.id;
    });
  });
  afterAll(async () => {
    await runner.idle();
    await db.close();
  });

  const description = () =>
    runner.read(async (em) => (await em.findOneOrFail(ProjectSchema, { id: projectId })).description);

  it('writes an entity the command loaded and changed but did not flush', async () => {
    await runner.run('test.change', ctx, async (tx) => {
      const row = await tx.em.findOneOrFail(ProjectSchema, { id: projectId });
      row.description = 'changed, flushed by the runner';
    });
    expect(await description()).toBe('changed, flushed by the runner');
  });

  it('writes an entity the command persisted but did not flush', async () => {
    await runner.run('test.persist', ctx, async (tx) => {
      tx.em.persist(
        tx.em.create(ProjectSchema, {
          name: 'persisted',
          description: '',
          workingDir: '/tmp',
          createdAt: new Date(tx.now),
          updatedAt: new Date(tx.now),
        }),
      );
    });
    const names = await runner.read((em) =>
      query<{ name: string }>(em, 'select name from projects order by id'),
    );
    expect(names.map((r) => r.name)).toEqual(['uow', 'persisted']);
  });
});
