import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';

type Task = { id: string; status: string; priority: string; labels: string[]; parentId: string };
type Page = { tasks: Task[]; nextPageToken: string };

/**
 * Keyset pagination of Tasks.List and Events.List, the status counts from grouped counts, and the
 * cycle check in the database: on a real server (SQLite here, PostgreSQL in the postgres project).
 */
describe('gRPC: pages, counts and dependency checks at scale', () => {
  const home = tempHome();
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;
  const priorities = ['high', 'medium', 'low'];

  const create = (title: string, extra: object = {}) =>
    api.call<Task>('Tasks', 'create', { projectId, title, ...extra });

  /** Every page of a list, in order, with the page size given. */
  async function allPages(request: object, pageSize: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await api.call<Page>('Tasks', 'list', { ...request, pageSize, pageToken });
      expect(page.tasks.length).toBeLessThanOrEqual(pageSize);
      ids.push(...page.tasks.map((t) => t.id));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    return { ids, pages };
  }

  beforeAll(async () => {
    server = await startTestServer(home.home);
    api = TestClient.for(server, { actor: 'alice' });
    projectId = (await api.call<{ id: string }>('Projects', 'create', { name: 'big', workingDir: home.home }))
      .id;
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  it('pages through a list whole, in the same order as one big page, for every filter', async () => {
    const parent = await create('Parent');
    for (let i = 0; i < 45; i++) {
      await create(`Task ${i}`, {
        priority: priorities[i % 3],
        labels: i % 2 ? ['odd'] : ['even'],
        parentId: i % 5 === 0 ? parent.id : '',
      });
    }
    const filters: object[] = [
      { projectId },
      { projectId, priority: ['low', 'high'] },
      { projectId, label: 'odd' },
      { projectId, parentId: parent.id },
      { projectId, ready: true },
      { projectId, sort: 'created' },
      {},
    ];
    for (const filter of filters) {
      const whole = await api.call<Page>('Tasks', 'list', { ...filter, pageSize: 1000 });
      expect(whole.nextPageToken).toBe('');
      const paged = await allPages(filter, 7);
      expect(paged.ids).toEqual(whole.tasks.map((t) => t.id));
      expect(paged.pages).toBe(Math.floor(whole.tasks.length / 7) + 1);
    }
    const odd = await api.call<Page>('Tasks', 'list', { projectId, label: 'odd', pageSize: 1000 });
    expect(odd.tasks).toHaveLength(22);
    expect(odd.tasks.every((t) => t.labels.includes('odd'))).toBe(true);
    const low = await api.call<Page>('Tasks', 'list', { projectId, priority: ['low'], pageSize: 1000 });
    expect(low.tasks).toHaveLength(15);
    expect(low.tasks.every((t) => t.priority === 'low')).toBe(true);
  });

  it('misses and repeats no task across pages while tasks are created and change', async () => {
    const before = (await api.call<Page>('Tasks', 'list', { projectId, pageSize: 1000 })).tasks.map(
      (t) => t.id,
    );
    let stop = false;
    let writes = 0;
    const writer = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const id = before[(n * 17 + i * 7) % before.length]!;
        await create(`New ${n}-${i}`, { priority: priorities[i % 3] });
        await api.call('Tasks', 'update', { id, title: `Renamed ${n}-${i}` });
        const started = await api.call<Task>('Tasks', 'start', { id }).catch(() => null);
        if (started) await api.call('Tasks', 'release', { id }).catch(() => null);
        writes++;
      }
    };
    const writers = [0, 1, 2].map(writer);
    const seen = new Map<string, number>();
    try {
      for (const sort of ['priority', 'created']) {
        seen.clear();
        let pageToken = '';
        do {
          const page = await api.call<Page>('Tasks', 'list', { projectId, pageSize: 10, pageToken, sort });
          for (const t of page.tasks) seen.set(t.id, (seen.get(t.id) ?? 0) + 1);
          pageToken = page.nextPageToken;
          // Let the writers in between pages.
          await new Promise((r) => setImmediate(r));
        } while (pageToken);
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
        for (const id of before) expect(seen.has(id)).toBe(true);
      }
    } finally {
      stop = true;
      await Promise.all(writers);
    }
    expect(writes).toBeGreaterThan(0);
  });

  it('under the created sort, a task whose priority changes mid-listing is still listed once', async () => {
    const ids = (await allPages({ projectId, sort: 'created' }, 1000)).ids;
    const first = await api.call<Page>('Tasks', 'list', { projectId, pageSize: 10, sort: 'created' });
    // Everything after the first page moves to the top of the priority order and back.
    for (const id of ids.slice(10, 30)) await api.call('Tasks', 'update', { id, priority: 'high' });
    const seen = [...first.tasks.map((t) => t.id)];
    let pageToken = first.nextPageToken;
    while (pageToken) {
      const page = await api.call<Page>('Tasks', 'list', {
        projectId,
        pageSize: 10,
        sort: 'created',
        pageToken,
      });
      seen.push(...page.tasks.map((t) => t.id));
      pageToken = page.nextPageToken;
    }
    expect(seen).toEqual(ids);
  });

  it('refuses a page token that is not one, or that belongs to another query', async () => {
    const page = await api.call<Page>('Tasks', 'list', { projectId, pageSize: 3 });
    expect(page.nextPageToken).not.toBe('');
    for (const request of [
      { projectId, pageToken: 'not-a-token' },
      { projectId, pageToken: Buffer.from('{"v":9,"k":[1,2],"q":"x"}').toString('base64url') },
      { projectId, pageToken: page.nextPageToken, status: ['pending'] },
      { projectId, pageToken: page.nextPageToken, sort: 'created' },
      { pageToken: page.nextPageToken },
    ]) {
      const refused = await failure(api.call('Tasks', 'list', request));
      expect(refused.code).toBe('invalid_argument');
      expect(refused.details).toMatchObject({ field: 'pageToken' });
    }
    const bad = await failure(api.call('Tasks', 'list', { projectId, sort: 'random' }));
    expect(bad).toMatchObject({ code: 'invalid_argument', details: { field: 'sort' } });
    // The same token, same query: the next page.
    const next = await api.call<Page>('Tasks', 'list', {
      projectId,
      pageSize: 3,
      pageToken: page.nextPageToken,
    });
    expect(next.tasks.map((t) => t.id)).not.toContain(page.tasks[0]!.id);
  });

  it('pages the event log with tokens: contiguous, each event once', async () => {
    const first = await api.call<{ events: { seq: number }[]; nextPageToken: string }>('Events', 'list', {
      sinceSeq: 0,
      limit: 50,
    });
    expect(first.events).toHaveLength(50);
    expect(first.nextPageToken).not.toBe('');
    const seqs = first.events.map((e) => e.seq);
    let pageToken = first.nextPageToken;
    while (pageToken) {
      const page = await api.call<{ events: { seq: number }[]; nextPageToken: string; lastSeq: number }>(
        'Events',
        'list',
        { limit: 50, pageToken },
      );
      seqs.push(...page.events.map((e) => e.seq));
      pageToken = page.nextPageToken;
    }
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
    const refused = await failure(api.call('Events', 'list', { pageToken: 'zz' }));
    expect(refused).toMatchObject({ code: 'invalid_argument', details: { field: 'pageToken' } });
  });

  it('counts by status and priority, and ready work, as the lists do', async () => {
    const other = (await api.call<{ id: string }>('Projects', 'create', { name: 'counted' })).id;
    const a = await api.call<Task>('Tasks', 'create', { projectId: other, title: 'A', priority: 'high' });
    const b = await api.call<Task>('Tasks', 'create', { projectId: other, title: 'B', dependsOn: [a.id] });
    await api.call<Task>('Tasks', 'create', { projectId: other, title: 'C', dependsOn: [a.id, b.id] });
    const d = await api.call<Task>('Tasks', 'create', { projectId: other, title: 'D', priority: 'low' });
    await api.call('Tasks', 'start', { id: d.id });
    type Status = { byStatus: { key: string; count: number }[]; byPriority: unknown[]; ready: number };
    const status = await api.call<Status>('Server', 'status', { projectId: other });
    expect(status.byStatus).toEqual([
      { key: 'in_progress', count: 1 },
      { key: 'pending', count: 3 },
    ]);
    expect(status.byPriority).toEqual([
      { key: 'high', count: 1 },
      { key: 'low', count: 1 },
      { key: 'medium', count: 2 },
    ]);
    expect(status.ready).toBe(1);
    await api.call('Tasks', 'start', { id: a.id });
    await api.call('Tasks', 'complete', { id: a.id });
    const after = await api.call<Status>('Server', 'status', { projectId: other });
    expect(after.ready).toBe(1); // B; C still waits for B
    const ready = await api.call<Page>('Tasks', 'list', { projectId: other, ready: true });
    expect(ready.tasks.map((t) => t.id)).toEqual([b.id]);
  });

  it('refuses a cycle through a long chain at once, naming a bounded path and its length', async () => {
    const chain: string[] = [];
    for (let i = 0; i < 40; i++) {
      chain.push(
        (await create(`Link ${i}`, { dependsOn: chain.length ? [chain[chain.length - 1]] : [] })).id,
      );
    }
    const head = chain[0]!;
    const tail = chain[chain.length - 1]!;
    const refused = await failure(api.call('Tasks', 'addDependency', { taskId: head, dependsOnId: tail }));
    expect(refused.code).toBe('dependency_cycle');
    const cycle = refused.details!.cycle as string[];
    expect(refused.details).toMatchObject({ taskId: head, dependsOnId: tail, cycleLength: 40 });
    expect(cycle.length).toBeLessThanOrEqual(11);
    expect(cycle.slice(0, 5)).toEqual([head, tail, chain[38], chain[37], chain[36]]);
    expect(cycle[cycle.length - 1]).toBe(head);
    expect(cycle[5]).toMatch(/more/);
    // The path is not repeated in the message.
    expect(refused.message).not.toContain(chain[20]);
    // A legal edge along the chain still goes in.
    const fresh = await create('After the chain');
    const linked = await api.call<Task & { dependsOn: string[] }>('Tasks', 'addDependency', {
      taskId: fresh.id,
      dependsOnId: tail,
    });
    expect(linked.dependsOn).toEqual([tail]);
  });
});
