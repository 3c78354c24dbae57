import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../cli/sqlite-file.js';
import { MIGRATIONS } from '../../src/services/db/migrations/index.js';
import { ROOT, runCli } from '../support/cli.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { tempHome } from '../support/server.js';

/**
 * The upgrade procedure of docs/operations.md, end to end with the built CLI: back up, start the
 * new version on a database made by the first migration, use it, and go back by restoring.
 */
const homes: { cleanup(): void }[] = [];
const children: ServerProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  for (const h of homes.splice(0)) h.cleanup();
});

function migrationsIn(file: string): string[] {
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select name from mikro_orm_migrations order by id').all() as { name: string }[]).map(
      (r) => r.name,
    );
  } finally {
    db.close();
  }
}

describe('upgrade across a migration', () => {
  it('maestro server start migrates a first-migration database; old data reads and new data writes through the CLI', async () => {
    const h = tempHome('maestro-upgrade-');
    homes.push(h);
    const db = join(h.home, 'maestro.db');
    copyFileSync(join(ROOT, 'test/fixtures/maestro-v1.db'), db);
    const all = MIGRATIONS.map((m) => m.name);
    expect(migrationsIn(db)).toEqual(all.slice(0, 1));

    // 1. Back up before the upgrade.
    const env = { PATH: process.env.PATH ?? '', HOME: h.home, MAESTRO_HOME: h.home, NO_COLOR: '1' };
    const backupFile = join(h.home, 'before-upgrade.db');
    const backup = await runCli(['backup', '--out', backupFile, '--json'], env);
    expect(backup.code, backup.stdout).toBe(0);
    expect(backup.json.data).toMatchObject({ migrations: all.slice(0, 1), tasks: 2, lastSeq: 5 });

    // 2. Start the new version: it applies the missing migrations and says so.
    const server = await startServerProcess(h.home);
    children.push(server);
    expect(server.logs().find((l) => l.msg === 'server started')).toMatchObject({ migrations: all });
    const ready = await fetch(`http://${server.http}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { migrations: true } });

    // 3. What the old version wrote reads through the CLI.
    const cli = { ...env, MAESTRO_SERVER: server.grpc, MAESTRO_ACTOR: 'operator' };
    const data = async <T>(args: string[]): Promise<T> => {
      const result = await runCli([...args, '--json'], cli);
      expect(result.code, `${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(0);
      return result.json.data as T;
    };
    expect(await data(['project', 'list'])).toMatchObject([
      { id: 'p_1', name: 'legacy', workingDir: '/srv/legacy' },
    ]);
    const old = await data<{ task: { title: string; status: string }; subtasks: { title: string }[] }>([
      'task',
      'get',
      't_1',
    ]);
    expect(old.task).toMatchObject({ title: 'Made before sessions existed', status: 'in_progress' });
    expect(old.subtasks.map((s) => s.title)).toEqual(['An old subtask']);

    // 4. New data writes, including into the tables the second migration made.
    const created = await data<{ id: string }>(['task', 'create', 'After the upgrade', '--project', 'p_1']);
    expect(created.id).toBe('t_3');
    await data(['task', 'dep', 'add', created.id, 't_2']);
    expect(await data(['session', 'list', '--project', 'p_1'])).toEqual([]);
    const events = await runCli(['events', '--since', '5', '--json'], cli);
    expect(
      events.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { seq: number }).seq)[0],
    ).toBe(6);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(migrationsIn(db)).toEqual(all);

    // 5. Going back is restoring the backup taken before the upgrade.
    const back = await runCli(['restore', '--from', backupFile, '--json'], env);
    expect(back.code, back.stdout).toBe(0);
    expect(migrationsIn(db)).toEqual(all.slice(0, 1));
    const restored = openSqlite(db, { readonly: true, fileMustExist: true });
    expect(restored.prepare('select count(*) as n from tasks').get()).toEqual({ n: 2 });
    expect(restored.pragma('integrity_check', { simple: true })).toBe('ok');
    restored.close();
  });
});
