import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { createTestDatabase, onPostgres } from '../support/postgres.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';

type Task = { id: string; title: string; status: string };

/**
 * On PostgreSQL reads run on the pool's connections beside the command queue: a command batch that
 * holds its transaction open (the write lock taken) does not hold up gets, list pages or status,
 * and what a command wrote is in a read that follows its reply.
 */
describe.runIf(onPostgres)('PostgreSQL: reads beside the writer', () => {
  const home = tempHome();
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer(home.home, { dbUrl: await createTestDatabase() });
    api = TestClient.for(server, { actor: 'alice' });
    projectId = (await api.call<{ id: string }>('Projects', 'create', { name: 'reads' })).id;
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  it('a get, a list page and the status counts answer while a command holds the write transaction open', async () => {
    const task = await api.call<Task>('Tasks', 'create', { projectId, title: 'before the hold' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const holding = new Promise<void>((resolve) => (entered = resolve));
    const held = server.services.runner.run('test.hold', { actor: 'test', sessionId: null }, async () => {
      entered();
      await gate;
    });
    await holding;
    // A command sent now waits for the held batch; the reads do not.
    const waiting = api.call<Task>('Tasks', 'create', { projectId, title: 'after the hold' });
    let created = false;
    void waiting.then(() => (created = true));
    const [got, page, status] = await Promise.all([
      api.call<{ task: Task }>('Tasks', 'get', { id: task.id }),
      api.call<{ tasks: Task[] }>('Tasks', 'list', { projectId, pageSize: 10 }),
      api.call<{ byStatus: { key: string; count: number }[] }>('Server', 'status', { projectId }),
    ]);
    expect(got.task.title).toBe('before the hold');
    expect(page.tasks.map((t) => t.title)).toEqual(['before the hold']);
    expect(status.byStatus.find((s) => s.key === 'pending')?.count).toBe(1);
    expect(created).toBe(false);
    release();
    await held;
    const after = await waiting;
    // Read-your-writes: the reply came after the commit, so a read that follows it sees the task.
    const [again, list] = await Promise.all([
      api.call<{ task: Task }>('Tasks', 'get', { id: after.id }),
      api.call<{ tasks: Task[] }>('Tasks', 'list', { projectId, pageSize: 10 }),
    ]);
    expect(again.task.title).toBe('after the hold');
    expect(list.tasks.map((t) => t.title).sort()).toEqual(['after the hold', 'before the hold']);
  });
});
