import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../cli/sqlite-file.js';
import { runCli } from '../support/cli.js';
import { serverProcesses, type ServerProcess } from '../support/process.js';
import { TestClient } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const processes = serverProcesses('maestro-backup-');
const { newHome } = processes;

const start = (home: string) => processes.start(home, { MAESTRO_LOG_LEVEL: 'warn' });

async function stop(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}

const cliEnv = (home: string) => ({
  PATH: process.env.PATH ?? '',
  HOME: home,
  MAESTRO_HOME: home,
  NO_COLOR: '1',
});

interface BackupData {
  path: string;
  source: string;
  bytes: number;
  migrations: string[];
  lastSeq: number;
  tasks: number;
}

describe('maestro backup and restore', () => {
  it('backs up while the server writes; the restored home has every task acknowledged before the backup', async () => {
    const home = newHome();
    const server = await start(home);
    const api = new TestClient(server.grpc, server.token);
    const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home });
    const acknowledged: string[] = [];
    let stopWriting = false;
    const writers = Array.from({ length: 4 }, (_, w) =>
      (async () => {
        for (let i = 0; !stopWriting; i++) {
          const task = await api.call<{ id: string }>('Tasks', 'create', {
            projectId: project.id,
            title: `w${w}-${i}`,
            description: 'x'.repeat(2000), // pages enough that the backup takes more than one step
          });
          acknowledged.push(task.id);
        }
      })(),
    );
    await waitFor('300 acknowledged writes', () => acknowledged.length >= 300, { intervalMs: 5 });

    const beforeBackup = [...acknowledged];
    const out = join(newHome(), 'maestro-backup.db');
    const backup = await runCli(['backup', '--out', out, '--json'], cliEnv(home));
    const duringBackup = acknowledged.length - beforeBackup.length;
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    const data = backup.json.data as BackupData;
    expect(data).toMatchObject({ path: out, source: join(home, 'maestro.db') });
    expect(data.migrations.length).toBeGreaterThanOrEqual(2);
    expect(data.tasks).toBeGreaterThanOrEqual(beforeBackup.length);
    expect(duringBackup).toBeGreaterThan(0); // the server really was writing while the backup ran

    // Restoring over the home of a running server is refused, and changes nothing.
    const refused = await runCli(['restore', '--from', out, '--json'], cliEnv(home));
    expect(refused.code).toBe(2);
    expect(refused.json.error).toMatchObject({ code: 'invalid_argument', details: { field: 'force' } });
    expect(existsSync(join(home, 'maestro.db.pre-restore'))).toBe(false);

    stopWriting = true;
    await Promise.all(writers);
    api.close();
    await stop(server);

    // Restore into a new home and start a server on it.
    const restoredHome = newHome();
    const restored = await runCli(['restore', '--from', out, '--json'], cliEnv(restoredHome));
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(restored.json.data).toMatchObject({
      db: join(restoredHome, 'maestro.db'),
      previous: '',
      tasks: data.tasks,
      lastSeq: data.lastSeq,
    });
    const second = await start(restoredHome);
    const after = new TestClient(second.grpc, second.token);
    const { tasks } = await after.call<{ tasks: { id: string }[] }>('Tasks', 'list', {
      projectId: project.id,
    });
    const present = new Set(tasks.map((t) => t.id));
    expect(beforeBackup.filter((id) => !present.has(id))).toEqual([]);
    expect(tasks).toHaveLength(data.tasks);
    // The restored server carries on: its seq continues from the backup's.
    const next = await after.call<{ id: string }>('Tasks', 'create', {
      projectId: project.id,
      title: 'after',
    });
    const log = await after.call<{ events: { seq: number; entityId: string }[] }>('Events', 'list', {
      sinceSeq: data.lastSeq,
      limit: 10,
    });
    expect(log.events).toMatchObject([{ seq: data.lastSeq + 1, entityId: next.id }]);
    after.close();
    await stop(second);

    const db = openSqlite(join(restoredHome, 'maestro.db'), { readonly: true, fileMustExist: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('restores over a stopped home, keeping the database it replaces', async () => {
    const home = newHome();
    const server = await start(home);
    const api = new TestClient(server.grpc, server.token);
    const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home });
    await api.call('Tasks', 'create', { projectId: project.id, title: 'in the backup' });
    const out = join(newHome(), 'b.db');
    expect((await runCli(['backup', '--out', out, '--json'], cliEnv(home))).code).toBe(0);
    await api.call('Tasks', 'create', { projectId: project.id, title: 'after the backup' });
    api.close();
    await stop(server);

    const result = await runCli(['restore', '--from', out, '--json'], cliEnv(home));
    expect(result.code, result.stdout).toBe(0);
    expect(result.json.data).toMatchObject({ previous: join(home, 'maestro.db.pre-restore'), tasks: 1 });
    for (const suffix of ['-wal', '-shm']) expect(existsSync(join(home, `maestro.db${suffix}`))).toBe(false);
    const titles = (file: string) => {
      const db = openSqlite(file, { readonly: true, fileMustExist: true });
      const rows = db.prepare('select title from tasks order by id').all() as { title: string }[];
      db.close();
      return rows.map((r) => r.title);
    };
    expect(titles(join(home, 'maestro.db'))).toEqual(['in the backup']);
    expect(titles(join(home, 'maestro.db.pre-restore'))).toEqual(['in the backup', 'after the backup']);
  });

  it('refuses a file that is not a Maestro database, and PostgreSQL URLs', async () => {
    const home = newHome();
    const notSqlite = join(home, 'notes.txt');
    writeFileSync(notSqlite, 'not a database\n'.repeat(100));
    const text = await runCli(['restore', '--from', notSqlite, '--json'], cliEnv(home));
    expect(text.code).toBe(2);
    expect(text.json.error).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('is not a Maestro database'),
      details: { field: 'from' },
    });
    const other = join(home, 'other.db');
    const db = openSqlite(other);
    db.exec('create table t (x)');
    db.close();
    const plain = await runCli(['restore', '--from', other, '--json'], cliEnv(home));
    expect(plain.json.error).toMatchObject({ code: 'invalid_argument', details: { field: 'from' } });
    expect(existsSync(join(home, 'maestro.db'))).toBe(false);

    const pg = await runCli(
      ['backup', '--out', join(home, 'x.db'), '--db', 'postgres://db/maestro', '--json'],
      {
        ...cliEnv(home),
      },
    );
    expect(pg.code).toBe(2);
    expect(pg.json.error).toMatchObject({
      code: 'invalid_argument',
      hint: expect.stringContaining('pg_dump'),
    });
    const missing = await runCli(['backup', '--out', join(home, 'x.db'), '--json'], cliEnv(home));
    expect(missing.json.error).toMatchObject({ code: 'invalid_argument', details: { field: 'db' } });
  });
});
