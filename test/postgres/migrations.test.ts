import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/services/db/database.js';
import { MIGRATIONS_BY_DIALECT } from '../../src/services/db/migrations/index.js';
import { createTestDatabase, onPostgres } from '../support/postgres.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';

const PG = MIGRATIONS_BY_DIALECT.postgresql;

describe.runIf(onPostgres)('PostgreSQL migrations', () => {
  const home = tempHome();
  afterAll(() => home.cleanup());

  it('carry the same names as the SQLite ones', () => {
    expect(PG.map((m) => m.name)).toEqual(MIGRATIONS_BY_DIALECT.sqlite.map((m) => m.name));
  });

  it('upgrade a database made by the first migration in place', async () => {
    const url = await createTestDatabase();
    const old = await openDatabase({ url, migrations: PG.slice(0, 1) });
    expect(await old.appliedMigrations()).toEqual([PG[0]!.name]);
    const conn = old.orm.em.getConnection();
    await conn.execute(
      `insert into projects (name, description, working_dir, created_at, updated_at) values ('legacy', '', null, now(), now())`,
    );
    await conn.execute(
      `insert into tasks (project_id, title, description, status, priority, priority_rank, labels, state, machine_version, version, created_at, updated_at)
       values (1, 'Made before sessions existed', '', 'pending', 'high', 0, '[]', '{"value":"pending","context":{"claim":null,"blockedReason":null}}', 1, 1, now(), now())`,
    );
    await old.close();

    const server = await startTestServer(home.home, { dbUrl: url, runner: 'off' });
    const api = TestClient.for(server);
    try {
      expect(await server.services.db.appliedMigrations()).toEqual(PG.map((m) => m.name));
      const { task } = await api.call<{ task: { title: string; status: string; priority: string } }>(
        'Tasks',
        'get',
        { id: 't_1' },
      );
      expect(task).toMatchObject({
        title: 'Made before sessions existed',
        status: 'pending',
        priority: 'high',
      });
      // The second migration's tables work: the idempotency key of a create is stored and honoured.
      const made = await api.call<{ id: string }>(
        'Tasks',
        'create',
        { projectId: 'p_1', title: 'After the upgrade' },
        { idempotencyKey: 'after-upgrade' },
      );
      const again = await api.call<{ id: string }>(
        'Tasks',
        'create',
        { projectId: 'p_1', title: 'After the upgrade' },
        { idempotencyKey: 'after-upgrade' },
      );
      expect(again.id).toBe(made.id);
    } finally {
      api.close();
      await server.close();
    }
  });
});
