import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/services/db/migrations/index.js';
import { openDatabase } from '../../src/services/db/database.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const homes: { cleanup(): void }[] = [];
const newHome = () => {
  const h = tempHome();
  homes.push(h);
  return h.home;
};
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup();
});

describe('persistence', () => {
  it('a restarted server keeps its state, its token and its seq', async () => {
    const home = newHome();
    const first = await startTestServer(home);
    const api = TestClient.for(first);
    const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home });
    const task = await api.call<{ id: string }>('Tasks', 'create', {
      projectId: project.id,
      title: 'Survives restarts',
    });
    await api.call('Tasks', 'start', { id: task.id });
    const before = await api.call<{ lastSeq: number }>('Events', 'list', { sinceSeq: 0, limit: 1 });
    api.close();
    await first.close();
    expect(statSync(join(home, 'token')).mode & 0o777).toBe(0o600);

    const second = await startTestServer(home);
    expect(second.token).toBe(first.token);
    const again = TestClient.for(second);
    const detail = await again.call<{ task: { status: string; claim: { holder: string } } }>('Tasks', 'get', {
      id: task.id,
    });
    expect(detail.task).toMatchObject({ status: 'in_progress', claim: { holder: 'tester' } });
    const next = await again.call<{ id: string }>('Tasks', 'create', {
      projectId: project.id,
      title: 'After restart',
    });
    const log = await again.call<{ events: { seq: number; entityId: string }[] }>('Events', 'list', {
      sinceSeq: before.lastSeq,
      limit: 10,
    });
    expect(log.events).toHaveLength(1);
    expect(log.events[0]).toMatchObject({ seq: before.lastSeq + 1, entityId: next.id });
    again.close();
    await second.close();
  });

  it('upgrades a database made by the first migration in place', async () => {
    const home = newHome();
    const path = join(home, 'maestro.db');
    copyFileSync(join(ROOT, 'test/fixtures/maestro-v1.db'), path);
    const old = await openDatabase({ url: `sqlite:${path}`, migrations: MIGRATIONS.slice(0, 1) });
    expect(await old.appliedMigrations()).toEqual([MIGRATIONS[0]!.name]);
    await old.close();

    const server = await startTestServer(home);
    const api = TestClient.for(server);
    const ready = await fetch(`http://127.0.0.1:${server.http.port}/readyz`);
    expect(ready.status).toBe(200);
    const projects = await api.call<{ projects: { id: string; name: string }[] }>('Projects', 'list');
    expect(projects.projects).toMatchObject([{ id: 'p_1', name: 'legacy' }]);
    const detail = await api.call<{
      task: { title: string; status: string };
      subtasks: { title: string }[];
      dependents: { id: string }[];
    }>('Tasks', 'get', { id: 't_1' });
    expect(detail.task).toMatchObject({ title: 'Made before sessions existed', status: 'in_progress' });
    expect(detail.subtasks.map((s) => s.title)).toEqual(['An old subtask']);
    expect(detail.dependents.map((d) => d.id)).toEqual(['t_2']);
    // Tables of the second migration work on the upgraded file.
    const session = await api.call<{ id: string; status: string }>('Sessions', 'create', {
      projectId: 'p_1',
      taskIds: ['t_2'],
    });
    expect(session.status).toBe('spawning');
    const once = await api.call('Tasks', 'create', { projectId: 'p_1', title: 'x' }, { idempotencyKey: 'k' });
    expect(
      await api.call('Tasks', 'create', { projectId: 'p_1', title: 'x' }, { idempotencyKey: 'k' }),
    ).toEqual(once);
    const log = await api.call<{ events: { seq: number }[] }>('Events', 'list', { sinceSeq: 0, limit: 100 });
    expect(log.events.map((e) => e.seq)).toEqual(log.events.map((_, i) => i + 1));
    api.close();
    await server.close();
  });

  it('after kill -9 while clients write, every acknowledged write is there', async () => {
    const home = newHome();
    const env = { ...process.env, MAESTRO_HOME: home, MAESTRO_LOG_LEVEL: 'silent' };
    const start = async (): Promise<{ child: ChildProcess; grpc: string }> => {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'bin/maestro.js'), 'server', 'start', '--http-port', '0', '--grpc-port', '0', '--json'],
        {
          env,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      return { child, grpc: (JSON.parse(line) as { data: { grpc: string } }).data.grpc };
    };

    const first = await start();
    const token = readFileSync(join(home, 'token'), 'utf8').trim();
    const api = new TestClient(first.grpc, token);
    const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home });
    const acknowledged: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; !stop; i++) {
          try {
            const t = await api.call<{ id: string }>('Tasks', 'create', {
              projectId: project.id,
              title: `w${w}-${i}`,
            });
            acknowledged.push(t.id);
          } catch {
            return; // the server is gone: this write was never acknowledged
          }
        }
      })(),
    );
    await waitFor('300 acknowledged writes', () => acknowledged.length >= 300, { intervalMs: 5 });
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await new Promise((r) => first.child.once('exit', r));
    api.close();

    const second = await start();
    const after = new TestClient(second.grpc, token);
    const tasks = await after.call<{ tasks: { id: string }[] }>('Tasks', 'list', { projectId: project.id });
    const present = new Set(tasks.tasks.map((t) => t.id));
    const lost = acknowledged.filter((id) => !present.has(id));
    expect(lost).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    const missing = await failure(after.call('Tasks', 'get', { id: 't_999999' }));
    expect(missing.code).toBe('task_not_found');
    after.close();
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  });
});
