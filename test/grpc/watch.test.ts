import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { MaestroError } from '../../src/services/errors.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { watch, type WireEvent } from '../support/watch.js';

describe('gRPC: Events.Watch', () => {
  const home = tempHome();
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer(home.home);
    api = TestClient.for(server);
    projectId = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  it('replays then streams live; a client that resumes from its last seq gets every event once, in order', async () => {
    const start = (await api.call<{ lastSeq: number }>('Events', 'list', { sinceSeq: 0, limit: 1 })).lastSeq;
    const write = async (n: number, tag: string) => {
      const writers = Array.from({ length: 5 }, (_, w) =>
        (async () => {
          for (let i = 0; i < n; i++)
            await api.call('Tasks', 'create', { projectId, title: `${tag}-${w}-${i}` });
        })(),
      );
      await Promise.all(writers);
    };
    await write(10, 'before'); // 50 events to replay

    const first = watch(api, start);
    const live = write(20, 'during'); // 100 more while the watcher runs
    await first.until((e) => e.length >= 70);
    first.cancel();
    await live;
    const resumeFrom = first.events.at(-1)!.seq;
    await write(10, 'after'); // 50 more while it is away

    const second = watch(api, resumeFrom);
    const all = await api.call<{ events: WireEvent[] }>('Events', 'list', { sinceSeq: start, limit: 10_000 });
    expect(all.events).toHaveLength(200);
    const lastSeq = all.events.at(-1)!.seq;
    await second.until((e) => e.length > 0 && e.at(-1)!.seq >= lastSeq);
    second.cancel();

    const received = [...first.events.filter((e) => e.seq <= resumeFrom), ...second.events].map((e) => e.seq);
    expect(received).toEqual(all.events.map((e) => e.seq));
    expect(new Set(received).size).toBe(received.length);
    const titles = second.events.map(
      (e) => (JSON.parse(e.dataJson) as { task: { title: string } }).task.title,
    );
    expect(titles.filter((t) => t.startsWith('after'))).toHaveLength(50);
  });

  it('never shows events of a command that rolled back, even when it shared a commit with others', async () => {
    const start = (await api.call<{ lastSeq: number }>('Events', 'list', { sinceSeq: 0, limit: 1 })).lastSeq;
    const watcher = watch(api, start);
    const ctx = { actor: 'tester', sessionId: null };
    const doomed = server.services.runner.run('test.rollback', ctx, async (tx) => {
      await tx.emit('test.phantom', 'task', 't_0', projectId, {});
      throw new MaestroError('invalid_argument', 'refused after writing');
    });
    const crash = server.services.runner.run('test.crash', ctx, async (tx) => {
      await tx.emit('test.phantom', 'task', 't_0', projectId, {});
      throw new Error('a bug');
    });
    const survivors = Array.from({ length: 5 }, (_, i) =>
      api.call('Tasks', 'create', { projectId, title: `kept-${i}` }),
    );
    await expect(doomed).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(crash).rejects.toMatchObject({ code: 'internal' });
    await Promise.all(survivors);
    await watcher.until((e) => e.filter((x) => x.type === 'task.created').length >= 5);
    const marker = await api.call<{ id: string }>('Tasks', 'create', { projectId, title: 'marker' });
    await watcher.until((e) => e.some((x) => x.entityId === marker.id));
    watcher.cancel();

    expect(watcher.events.map((e) => e.type)).not.toContain('test.phantom');
    const log = await api.call<{ events: WireEvent[] }>('Events', 'list', { sinceSeq: start, limit: 100 });
    expect(log.events.map((e) => e.type)).not.toContain('test.phantom');
    expect(log.events.map((e) => e.seq)).toEqual(watcher.events.map((e) => e.seq));
  });
});
