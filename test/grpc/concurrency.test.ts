import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { TestClient, startTestServer, tempHome, type GrpcFailure } from '../support/server.js';

describe('gRPC: concurrent agents', () => {
  const home = tempHome();
  let server: RunningServer;
  let projectId: string;
  const clients: TestClient[] = [];
  const newClient = () => {
    const c = TestClient.for(server);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer(home.home);
    projectId = (await newClient().call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    home.cleanup();
  });

  it('50 concurrent claims on one task: exactly one winner, 49 task_already_claimed', async () => {
    const task = await newClient().call<{ id: string }>('Tasks', 'create', { projectId, title: 'Contended' });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        newClient().call('Tasks', 'claim', { id: task.id }, { actor: `agent-${i}` }),
      ),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    expect(new Set(losers.map((l) => (l.reason as GrpcFailure).body.code))).toEqual(
      new Set(['task_already_claimed']),
    );

    const detail = await newClient().call<{ task: { status: string; claim: { holder: string } } }>(
      'Tasks',
      'get',
      { id: task.id },
    );
    const winner = (winners[0] as PromiseFulfilledResult<{ task: { claim: { holder: string } } }>).value.task
      .claim.holder;
    expect(detail.task).toMatchObject({ status: 'in_progress', claim: { holder: winner } });
    const events = await newClient().call<{ events: { type: string; entityId: string }[] }>(
      'Events',
      'list',
      { sinceSeq: 0, limit: 10000 },
    );
    expect(events.events.filter((e) => e.entityId === task.id && e.type === 'task.claimed')).toHaveLength(1);
  });

  it('20 clients x 50 updates on one task: every update lands, versions count them', async () => {
    const api = newClient();
    const task = await api.call<{ id: string; version: number }>('Tasks', 'create', {
      projectId,
      title: 'Hot',
    });
    const writers = Array.from({ length: 20 }, (_, w) => {
      const c = newClient();
      return (async () => {
        for (let i = 0; i < 50; i++) {
          await c.call(
            'Tasks',
            'update',
            { id: task.id, description: `writer ${w} update ${i}` },
            { actor: `writer-${w}` },
          );
        }
      })();
    });
    const reports = Array.from({ length: 20 }, (_, w) => {
      const c = newClient();
      return Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          c.call(
            'Reports',
            'report',
            { taskId: task.id, kind: 'progress', message: `w${w}-${i}` },
            { actor: `writer-${w}` },
          ),
        ),
      );
    });
    await Promise.all([...writers, ...reports]);

    const detail = await api.call<{
      task: { version: number; description: string };
      timeline: { kind: string; message: string }[];
    }>('Tasks', 'get', { id: task.id, timelineLimit: 1000 * 3 });
    expect(detail.task.version).toBe(task.version + 1000);
    expect(detail.task.description).toMatch(/^writer \d+ update 49$/);
    expect(detail.timeline.filter((t) => t.kind === 'updated')).toHaveLength(1000);
    const progress = detail.timeline.filter((t) => t.kind === 'progress').map((t) => t.message);
    expect(new Set(progress).size).toBe(1000);

    const log = await api.call<{ events: { type: string; entityId: string; seq: number }[] }>(
      'Events',
      'list',
      { sinceSeq: 0, limit: 10000 },
    );
    const mine = log.events.filter((e) => e.entityId === task.id);
    expect(mine.filter((e) => e.type === 'task.updated')).toHaveLength(1000);
    expect(mine.filter((e) => e.type === 'timeline.reported')).toHaveLength(1000);
    const seqs = log.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
