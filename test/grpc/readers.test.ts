import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import type { ReadPool } from '../../src/services/db/read-pool.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

type Task = { id: string; status: string; labels: string[] };
type Page = { tasks: Task[]; nextPageToken: string };
type Status = { byStatus: { key: string; count: number }[]; ready: number; lastSeq: number };

/**
 * The heavy reads (list pages, status, event pages) run on reader threads with their own SQLite
 * connection: a read that follows a reply sees what the command wrote, a reader thread that dies
 * costs the read it was running at most and is replaced, and the server's stop ends them.
 */
describe('gRPC: reads on reader threads beside the writer (SQLite)', () => {
  const home = tempHome();
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;
  let pool: ReadPool;

  beforeAll(async () => {
    server = await startTestServer(home.home, { sqliteReaders: 2 });
    api = TestClient.for(server, { actor: 'alice' });
    projectId = (await api.call<{ id: string }>('Projects', 'create', { name: 'rw', workingDir: home.home }))
      .id;
    pool = server.services.db.readers!;
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  it('reads on reader threads, not on the writer', async () => {
    expect(pool).toBeDefined();
    await api.call<Page>('Tasks', 'list', { projectId });
    expect(pool.workers.length).toBeGreaterThan(0);
  });

  it('sees each command at once: create, then list, status and the log right after, many times', async () => {
    // Four clients at once, so reads on both threads interleave with batched commits.
    await Promise.all(
      [0, 1, 2, 3].map(async (client) => {
        for (let i = 0; i < 40; i++) {
          const label = `rw-${client}-${i}`;
          const task = await api.call<Task>('Tasks', 'create', { projectId, title: label, labels: [label] });
          const [page, ready, status] = await Promise.all([
            api.call<Page>('Tasks', 'list', { projectId, label }),
            api.call<Page>('Tasks', 'list', { projectId, label, ready: true }),
            api.call<Status>('Server', 'status', { projectId }),
          ]);
          expect(page.tasks.map((t) => t.id)).toEqual([task.id]);
          expect(ready.tasks.map((t) => t.id)).toEqual([task.id]);
          const pending = status.byStatus.find((s) => s.key === 'pending')?.count ?? 0;
          expect(pending).toBeGreaterThanOrEqual(i + 1);
          const log = await api.call<{ events: { type: string; entityId: string }[] }>('Events', 'list', {
            sinceSeq: Math.max(status.lastSeq - 200, 0),
            limit: 10_000,
          });
          expect(log.events.some((e) => e.type === 'task.created' && e.entityId === task.id)).toBe(true);
        }
      }),
    );
    const all = await api.call<Page>('Tasks', 'list', { projectId });
    expect(all.tasks).toHaveLength(160);
  });

  it('starting then listing by status shows the new status at once', async () => {
    for (let i = 0; i < 30; i++) {
      const task = await api.call<Task>('Tasks', 'create', { projectId, title: `s${i}`, labels: ['moves'] });
      await api.call('Tasks', 'start', { id: task.id });
      const started = await api.call<Page>('Tasks', 'list', {
        projectId,
        label: 'moves',
        status: ['in_progress'],
      });
      expect(started.tasks.map((t) => t.id)).toContain(task.id);
      await api.call('Tasks', 'release', { id: task.id });
      const back = await api.call<Page>('Tasks', 'list', {
        projectId,
        label: 'moves',
        status: ['in_progress'],
      });
      expect(back.tasks.map((t) => t.id)).not.toContain(task.id);
    }
  });

  it('status shows live sessions read on a reader thread as the ORM reads them', async () => {
    const task = await api.call<Task>('Tasks', 'create', { projectId, title: 'worked on' });
    const session = await api.call<{ id: string }>('Sessions', 'create', {
      projectId,
      taskIds: [task.id],
      role: 'worker',
      name: 'worker-1',
    });
    await api.call('Sessions', 'reportProcess', { id: session.id, kind: 'started', pid: 4242 });
    const status = await api.call<{ activeSessions: Record<string, unknown>[]; usage: { sessions: number } }>(
      'Server',
      'status',
      { projectId },
    );
    const own = await api.call<Record<string, unknown>>('Sessions', 'get', { id: session.id });
    expect(own).toMatchObject({ status: 'running', pid: 4242 });
    expect(status.activeSessions).toEqual([own]);
    expect(status.usage.sessions).toBe(1);
  });

  it('a reader thread that crashes fails only the read it held, and the next read gets a new one', async () => {
    const before = pool.started;
    // A unit of reads that loses its thread between two statements.
    const lost = server.services.runner.readRows(async (reader) => {
      await reader.rows('select 1 as one', []);
      // A message the program cannot read throws outside its handler: the threads die as on a crash.
      for (const worker of pool.workers) worker.postMessage(null);
      await reader.rows('select 2 as two', []);
    });
    await expect(lost).rejects.toMatchObject({ code: 'server_unavailable' });
    await waitFor('the dead threads to leave the pool', () => pool.workers.length === 0);
    const page = await api.call<Page>('Tasks', 'list', { projectId, label: 'rw-0-0' });
    expect(page.tasks).toHaveLength(1);
    const status = await api.call<Status>('Server', 'status', { projectId });
    expect(status.byStatus.length).toBeGreaterThan(0);
    expect(pool.started).toBeGreaterThan(before);
    // Commands never used the threads.
    const task = await api.call<Task>('Tasks', 'create', { projectId, title: 'after the crash' });
    expect(task.status).toBe('pending');
  });

  it('a statement that fails or would write is the usual structured error, and the thread lives on', async () => {
    const started = pool.started;
    const bad = server.services.runner.readRows((reader) => reader.rows('select * from no_such_table', []));
    await expect(bad).rejects.toMatchObject({ code: 'internal' });
    const write = server.services.runner.readRows((reader) =>
      reader.rows("delete from tasks where title = 'after the crash'", []),
    );
    await expect(write).rejects.toMatchObject({ code: 'internal' });
    const page = await api.call<Page>('Tasks', 'list', { projectId, label: 'rw-0-0' });
    expect(page.tasks).toHaveLength(1);
    const kept = await api.call<Page>('Tasks', 'list', { projectId, pageSize: 1000 });
    expect(kept.tasks.some((t) => (t as unknown as { title: string }).title === 'after the crash')).toBe(
      true,
    );
    expect(pool.started).toBe(started);
    // A refusal of the service itself (a bad page token) is still its own code.
    expect(await failure(api.call('Tasks', 'list', { projectId, pageToken: 'zz' }))).toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('the server stop ends the reader threads', async () => {
    const own = tempHome();
    const other = await startTestServer(own.home, { sqliteReaders: 2 });
    const client = TestClient.for(other, { actor: 'bob' });
    const id = (
      await client.call<{ id: string }>('Projects', 'create', { name: 'stop', workingDir: own.home })
    ).id;
    await client.call<Page>('Tasks', 'list', { projectId: id });
    const readers = other.services.db.readers!;
    const workers = [...readers.workers];
    expect(workers.length).toBeGreaterThan(0);
    const exited = workers.map((w) => new Promise<number>((resolve) => w.once('exit', resolve)));
    client.close();
    const started = Date.now();
    expect(await other.close({ timeoutMs: 5000 })).toEqual({ forced: false });
    await Promise.all(exited);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(readers.workers).toHaveLength(0);
    own.cleanup();
  });
});
