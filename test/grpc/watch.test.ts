import type * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../src/contract/error-codes.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { MaestroError } from '../../src/services/errors.js';
import { TestClient, asMaestroError, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';
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

type RawEvent = WireEvent;

/** A Watch stream the test can pause (stop reading), resume, and see end. */
function rawWatch(api: TestClient, sinceSeq: number) {
  const client = api.client('Events') as unknown as {
    watch(req: object, md: grpc.Metadata): grpc.ClientReadableStream<RawEvent>;
  };
  const stream = client.watch({ sinceSeq }, api.metadata());
  const events: RawEvent[] = [];
  let ended: { code: number; body?: ErrorBody } | undefined;
  let closed = false;
  stream.on('data', (e: RawEvent) => events.push(e));
  stream.on('close', () => (closed = true));
  stream.on('error', (error: grpc.ServiceError) => {
    ended = { code: error.code, body: asMaestroError(error).body };
  });
  stream.on('status', (status: grpc.StatusObject) => (ended ??= { code: status.code }));
  return {
    stream,
    events,
    seqs: () => events.map((e) => e.seq),
    ended: () => ended,
    /** The end, once every message that came before it has been read too. */
    finished: () => (closed ? ended : undefined),
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    cancel: () => stream.cancel(),
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('gRPC: Events.Watch flow control', () => {
  const home = tempHome();
  const maxBufferedBytes = 64 * 1024;
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer(home.home, {}, { watch: { maxBufferedBytes, cutoffGraceMs: 3000 } });
    api = TestClient.for(server);
    projectId = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  // Regression: call.write() ignored back-pressure, so every event for a watcher that stopped
  // reading stayed in the server's memory (ten such watchers took it from 238 to 597 MB RSS).
  it('cuts off watchers that stop reading, holding at most its bound for them; others get every event', async () => {
    const since = (await api.call<{ lastSeq: number }>('Events', 'list', { sinceSeq: 0, limit: 1 })).lastSeq;
    const reader = rawWatch(api, since);
    const resumer = rawWatch(api, since);
    const silent = rawWatch(api, since);
    resumer.pause();
    silent.pause();
    await waitFor('three watchers', () => server.eventStreams.stats.watchers === 3);

    // One event at a time (each about 2.4 KB), so the server's figures move in small steps.
    const description = 'd'.repeat(2000);
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      ids.push(
        (await api.call<{ id: string }>('Tasks', 'create', { projectId, title: `flood-${i}`, description }))
          .id,
      );
    }
    const newest = since + 150;
    await waitFor('both silent watchers cut off', () => server.eventStreams.stats.cutOff === 2);
    const stats = server.eventStreams.stats;
    expect(stats.watchers).toBe(1);
    expect(stats.peakBufferedBytes).toBeGreaterThan(maxBufferedBytes);
    expect(stats.peakBufferedBytes).toBeLessThan(maxBufferedBytes + 4 * 1024); // the bound and one event
    // Other calls keep answering while they are stalled.
    expect((await api.call<{ task: { id: string } }>('Tasks', 'get', { id: ids[0] })).task.id).toBe(ids[0]);
    await waitFor('the reader to have every event', () => reader.events.at(-1)?.seq === newest);
    expect(reader.seqs()).toEqual(range(since + 1, newest));
    expect(server.eventStreams.stats.bufferedBytes).toBe(0);

    // A client that reads again gets what was on the stream, then too_slow naming the last seq.
    resumer.resume();
    const end = await waitFor('the cut-off status', () => resumer.ended());
    expect(end.code).toBe(8); // RESOURCE_EXHAUSTED
    expect(end.body).toMatchObject({ code: 'too_slow', details: { maxBufferedBytes } });
    const lastSeq = (end.body!.details as { lastSeq: number }).lastSeq;
    expect(resumer.seqs()).toEqual(range(since + 1, lastSeq));
    expect(lastSeq).toBeLessThan(newest);
    // ...and resuming from there misses nothing.
    const again = rawWatch(api, lastSeq);
    await waitFor('the rest', () => again.events.at(-1)?.seq === newest);
    expect(again.seqs()).toEqual(range(lastSeq + 1, newest));

    // One that never reads again has its stream reset once the grace period is over.
    await waitFor('the silent stream to be reset', () => server.eventStreams.stats.reset === 1, {
      timeoutMs: 15_000,
    });
    silent.resume();
    expect((await waitFor('the silent stream to end', () => silent.ended())).code).toBe(1); // CANCELLED
    reader.cancel();
    again.cancel();
  });
});

describe('gRPC: Events.Watch and the retention', () => {
  const home = tempHome();
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;

  beforeAll(async () => {
    // No prune of its own (the sweep never comes): the test prunes when it wants to.
    server = await startTestServer(
      home.home,
      {},
      {
        eventRetention: 50,
        sweepIntervalMs: 3_600_000,
        watch: { maxBufferedBytes: 16 * 1024 },
      },
    );
    api = TestClient.for(server);
    projectId = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  const create = async (n: number, tag: string) => {
    const description = 'r'.repeat(1000);
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = w; i < n; i += 8)
            await api.call('Tasks', 'create', { projectId, title: `${tag}-${i}`, description });
        })(),
      ),
    );
  };

  // Regression: a watcher that resumed at the oldest kept seq and read slowly while the prune passed
  // its replay cursor silently missed the pruned events. Now it gets every event up to the gap, then
  // an error saying the events are gone.
  it('ends a slow replay with "no longer kept" when the prune passes its cursor, never a gap', async () => {
    await create(650, 'old');
    const newest = server.services.bus.lastSeq;
    await server.services.events.prune(600);
    const oldest = newest - 599;
    const slow = rawWatch(api, oldest - 1);
    slow.pause();
    // The replay stops at its first page, waiting for the client to read.
    await waitFor(
      'the replay to wait for the client',
      () => server.eventStreams.stats.bufferedBytes > 16 * 1024,
    );
    await create(20, 'during');
    await server.services.events.prune(50);

    slow.resume();
    const end = await waitFor('the end of the stream', () => slow.finished());
    expect(end.code).toBe(3); // INVALID_ARGUMENT
    const details = end.body!.details as { sinceSeq: number; oldestSeq: number; lastSeq: number };
    expect(end.body).toMatchObject({ code: 'invalid_argument', details: { field: 'sinceSeq' } });
    expect(details.oldestSeq).toBe(server.services.bus.lastSeq - 49);
    // Every event up to where the log was cut, in order, and none after.
    expect(slow.seqs()).toEqual(range(oldest, details.sinceSeq));
    expect(details.sinceSeq).toBe(oldest + 499);
  });

  it('refuses a resume point older than the log keeps at once', async () => {
    const stale = rawWatch(api, 3);
    const end = await waitFor('the refusal', () => stale.ended());
    expect(end.code).toBe(3);
    expect(end.body).toMatchObject({ code: 'invalid_argument', details: { field: 'sinceSeq', sinceSeq: 3 } });
    expect(stale.events).toEqual([]);
  });
});
