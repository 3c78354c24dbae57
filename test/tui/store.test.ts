import { afterEach, describe, expect, it } from 'vitest';
import { cliError } from '../../cli/errors.js';
import { TuiStore, type TuiClient } from '../../cli/tui/store.js';
import type { TaskView, WireEvent } from '../../cli/tui/wire-types.js';
import { waitFor } from '../support/wait.js';
import { task } from './fixtures.js';

/**
 * The store against a scripted client: what the server answers is set per test, so the paths a
 * real server rarely takes (down at start, a resume point it no longer keeps) are exercised.
 */

interface Watch {
  since: number;
  emit(event: Partial<WireEvent> & { data: unknown }): void;
  fail(error: unknown): void;
  end(): void;
}

class ScriptedClient {
  tasks: TaskView[] = [];
  lastSeq = 0;
  /** Calls to fail with server_unavailable before answering. */
  downFor = 0;
  readonly calls: string[] = [];
  readonly watches: Watch[] = [];

  op = async <T>(name: string, request: object): Promise<T> => {
    this.calls.push(name);
    if (this.downFor > 0) {
      this.downFor--;
      throw cliError('server_unavailable', 'The Maestro server at test is not reachable.', 'Start it.');
    }
    const answers: Record<string, unknown> = {
      whoami: { lastSeq: this.lastSeq },
      'task.list': { tasks: this.tasks },
      'session.list': { sessions: [] },
      'task.get': { task: this.tasks.find((t) => t.id === (request as { id: string }).id) },
    };
    return answers[name] as T;
  };

  watch = (sinceSeq: number, onEvent: (e: Record<string, unknown>) => void) => {
    let settle: { resolve(): void; reject(e: unknown): void } | undefined;
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    let seq = sinceSeq;
    this.watches.push({
      since: sinceSeq,
      emit: (e) =>
        onEvent({
          seq: e.seq ?? ++seq,
          type: e.type ?? 'task.updated',
          entityType: 'task',
          entityId: e.entityId ?? '',
          projectId: e.projectId ?? 'p_1',
          dataJson: JSON.stringify(e.data),
          createdAt: '',
        }),
      fail: (error) => settle!.reject(error),
      end: () => settle!.resolve(),
    });
    return { done, cancel: () => settle!.resolve() };
  };

  openStream = () => ({ done: Promise.resolve(), cancel: () => undefined });
}

const stores: TuiStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function storeFor(client: ScriptedClient) {
  const store = new TuiStore({
    client: client as unknown as TuiClient,
    resolveProject: async () => ({ id: 'p_1', name: 'test' }),
    batchMs: 30,
    reconnectBaseMs: 10,
    reconnectMaxMs: 20,
  });
  stores.push(store);
  let changes = 0;
  store.subscribe(() => changes++);
  store.start();
  return { store, changes: () => changes, state: () => store.getSnapshot() };
}

describe('TuiStore', () => {
  it('shows the error while the server is not up yet, and loads once it answers', async () => {
    const client = new ScriptedClient();
    client.tasks = [task('t_1')];
    client.downFor = 3;
    const { state } = storeFor(client);
    await waitFor('a failed attempt', () => state().connection.attempt > 0);
    expect(state().connection).toMatchObject({
      state: 'connecting',
      error: expect.stringContaining('not reachable'),
    });
    await waitFor('the load', () => state().loaded && state().connection.state === 'live');
    expect([...state().tasks.keys()]).toEqual(['t_1']);
  });

  it('applies a burst of events in one change, keeps the newest version and follows deletes', async () => {
    const client = new ScriptedClient();
    client.tasks = [task('t_1', { version: 3 })];
    client.lastSeq = 10;
    const { state, changes } = storeFor(client);
    await waitFor('live', () => state().connection.state === 'live');
    const watch = client.watches[0]!;
    expect(watch.since).toBe(10);
    const before = changes();
    // A replayed older version is ignored; 50 new tasks and a delete arrive together.
    watch.emit({ data: { task: task('t_1', { version: 2, title: 'old' }) } });
    for (let i = 2; i <= 51; i++) watch.emit({ type: 'task.created', data: { task: task(`t_${i}`) } });
    watch.emit({ type: 'task.deleted', entityId: 't_2', data: { taskId: 't_2' } });
    await waitFor('the batch', () => state().tasks.size === 50);
    expect(changes() - before).toBe(1);
    expect(state().tasks.get('t_1')!.title).toBe('Task t_1');
    expect(state().tasks.has('t_2')).toBe(false);
    expect(state().connection.seq).toBe(62);
    // Other projects' events are not this board's.
    watch.emit({
      projectId: 'p_2',
      type: 'task.created',
      data: { task: task('t_99', { projectId: 'p_2' }) },
    });
    // A task of this board sent after it shows that the event was taken in, and left out.
    watch.emit({ type: 'task.created', data: { task: task('t_100') } });
    await waitFor('the later event', () => state().tasks.has('t_100'));
    expect(state().tasks.has('t_99')).toBe(false);
  });

  it('resumes from the last seq it received when the stream breaks', async () => {
    const client = new ScriptedClient();
    client.lastSeq = 5;
    const { state } = storeFor(client);
    await waitFor('live', () => state().connection.state === 'live');
    client.watches[0]!.emit({ seq: 6, data: { task: task('t_1') } });
    client.watches[0]!.emit({ seq: 7, data: { task: task('t_2') } });
    client.watches[0]!.fail(cliError('server_unavailable', 'gone', 'Start it.'));
    await waitFor('a second watch', () => client.watches.length === 2);
    expect(client.watches[1]!.since).toBe(7);
    expect(state().tasks.size).toBe(2);
    // Reconnecting does not reload the board.
    expect(client.calls.filter((c) => c === 'task.list')).toHaveLength(1);
  });

  it('reloads when the server no longer keeps the resume point, then watches from the new seq', async () => {
    const client = new ScriptedClient();
    client.lastSeq = 5;
    const { state } = storeFor(client);
    await waitFor('live', () => state().connection.state === 'live');
    client.tasks = [task('t_8')];
    client.lastSeq = 500;
    client.watches[0]!.fail(
      cliError('invalid_argument', 'Events after 5 are no longer kept (the oldest is 300).', 'Reload.', {
        field: 'sinceSeq',
        oldestSeq: 300,
        lastSeq: 500,
      }),
    );
    await waitFor('the reload', () => client.watches.length === 2);
    expect(client.watches[1]!.since).toBe(500);
    expect([...state().tasks.keys()]).toEqual(['t_8']);
  });
});
