import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';

type Task = {
  id: string;
  status: string;
  version: number;
  dependsOn: string[];
  claim: { holder: string } | null;
  blockedReason: string;
};

describe('gRPC: a whole task lifecycle', () => {
  const home = tempHome();
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer(home.home);
    api = TestClient.for(server, { actor: 'alice' });
    projectId = (await api.call<{ id: string }>('Projects', 'create', { name: 'web', workingDir: home.home }))
      .id;
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  it('runs tasks with subtasks and dependencies from creation to completion', async () => {
    const schema = await api.call<Task>('Tasks', 'create', {
      projectId,
      title: 'Design the schema',
      priority: 'high',
    });
    const api2 = await api.call<Task>('Tasks', 'create', {
      projectId,
      title: 'Build the API',
      dependsOn: [schema.id],
      labels: ['backend'],
    });
    expect(api2).toMatchObject({
      status: 'pending',
      priority: 'medium',
      dependsOn: [schema.id],
      labels: ['backend'],
    });
    // Times are ISO strings on both databases (PostgreSQL hands timestamptz over as text).
    for (const t of [schema, api2] as unknown as { createdAt: string; updatedAt: string }[]) {
      expect(Math.abs(Date.parse(t.createdAt) - Date.now())).toBeLessThan(60_000);
      expect(t.updatedAt).toBe(t.createdAt);
    }

    const ready1 = await api.call<{ tasks: Task[] }>('Tasks', 'ready', { projectId });
    expect(ready1.tasks.map((t) => t.id)).toEqual([schema.id]);

    const gated = await failure(api.call('Tasks', 'start', { id: api2.id }));
    expect(gated.code).toBe('dependencies_not_met');
    expect(gated.details).toMatchObject({ blocking: [{ taskId: schema.id, status: 'pending' }] });

    const started = await api.call<Task>('Tasks', 'start', { id: schema.id });
    expect(started).toMatchObject({ status: 'in_progress', claim: { holder: 'alice' } });

    const s1 = await api.call<{ id: string }>('Subtasks', 'create', { taskId: schema.id, title: 'Tables' });
    const s2 = await api.call<{ id: string }>('Subtasks', 'create', { taskId: schema.id, title: 'Indexes' });
    await api.call('Subtasks', 'complete', { taskId: schema.id, subtaskId: s1.id });
    const reopened = await api.call<{ status: string }>('Subtasks', 'reopen', {
      taskId: schema.id,
      subtaskId: s1.id,
    });
    expect(reopened.status).toBe('pending');
    await api.call('Subtasks', 'complete', { taskId: schema.id, subtaskId: s1.id });
    await api.call('Subtasks', 'complete', { taskId: schema.id, subtaskId: s2.id });

    const blocked = await api.call<Task>('Tasks', 'block', { id: schema.id, reason: 'Waiting for the DBA' });
    expect(blocked).toMatchObject({ status: 'blocked', blockedReason: 'Waiting for the DBA' });
    const unblocked = await api.call<Task>('Tasks', 'unblock', { id: schema.id });
    expect(unblocked).toMatchObject({ status: 'in_progress', blockedReason: '', claim: { holder: 'alice' } });

    const report = await api.call<{ entry: { kind: string; message: string } }>('Reports', 'report', {
      taskId: schema.id,
      kind: 'progress',
      message: 'Tables done',
    });
    expect(report.entry).toMatchObject({ kind: 'progress', message: 'Tables done' });

    const done = await api.call<Task>('Tasks', 'complete', { id: schema.id });
    expect(done).toMatchObject({ status: 'completed', claim: null, subtasksTotal: 2, subtasksCompleted: 2 });

    const ready2 = await api.call<{ tasks: Task[] }>('Tasks', 'ready', { projectId });
    expect(ready2.tasks.map((t) => t.id)).toEqual([api2.id]);

    const detail = await api.call<{
      task: Task;
      subtasks: { status: string }[];
      dependents: { id: string; status: string }[];
      timeline: { kind: string; message: string }[];
    }>('Tasks', 'get', { id: schema.id });
    expect(detail.subtasks.map((s) => s.status)).toEqual(['completed', 'completed']);
    expect(detail.dependents).toEqual([{ id: api2.id, title: 'Build the API', status: 'pending' }]);
    expect(detail.timeline.map((t) => t.kind)).toContain('progress');
    expect(detail.timeline.at(-1)!.message).toContain('in_progress -> completed');

    const completedSchema = await api.call<{ task: { completedAt: string } }>('Tasks', 'get', {
      id: schema.id,
    });
    expect(Math.abs(Date.parse(completedSchema.task.completedAt) - Date.now())).toBeLessThan(60_000);
    const apiDetail = await api.call<{ blockedBy: unknown[]; dependencies: { status: string }[] }>(
      'Tasks',
      'get',
      { id: api2.id },
    );
    expect(apiDetail.blockedBy).toEqual([]);
    expect(apiDetail.dependencies).toEqual([
      { id: schema.id, title: 'Design the schema', status: 'completed' },
    ]);

    const claimed = await api.call<{ claimed: boolean; task: Task }>(
      'Tasks',
      'claim',
      { next: true, projectId },
      { actor: 'bob' },
    );
    expect(claimed).toMatchObject({
      claimed: true,
      task: { id: api2.id, status: 'in_progress', claim: { holder: 'bob' } },
    });
    const none = await api.call<{ claimed: boolean; task: Task | null }>(
      'Tasks',
      'claim',
      { next: true, projectId },
      { actor: 'carol' },
    );
    expect(none).toMatchObject({ claimed: false, task: null });
  });

  it('rejects a dependency that closes a cycle, naming the path', async () => {
    const a = await api.call<Task>('Tasks', 'create', { projectId, title: 'A' });
    const b = await api.call<Task>('Tasks', 'create', { projectId, title: 'B', dependsOn: [a.id] });
    const c = await api.call<Task>('Tasks', 'create', { projectId, title: 'C', dependsOn: [b.id] });
    const cycle = await failure(api.call('Tasks', 'addDependency', { taskId: a.id, dependsOnId: c.id }));
    expect(cycle.code).toBe('dependency_cycle');
    expect(cycle.details).toMatchObject({ cycle: [a.id, c.id, b.id, a.id] });
    const self = await failure(api.call('Tasks', 'addDependency', { taskId: a.id, dependsOnId: a.id }));
    expect(self.code).toBe('dependency_cycle');
    const after = await api.call<{ task: Task }>('Tasks', 'get', { id: a.id });
    expect(after.task.dependsOn).toEqual([]);

    const removed = await api.call<Task>('Tasks', 'removeDependency', { taskId: c.id, dependsOnId: b.id });
    expect(removed.dependsOn).toEqual([]);
    const added = await api.call<Task>('Tasks', 'addDependency', { taskId: a.id, dependsOnId: c.id });
    expect(added.dependsOn).toEqual([c.id]);
  });

  it('refuses invalid transitions with the state, the event and the allowed events', async () => {
    const t = await api.call<Task>('Tasks', 'create', { projectId, title: 'Refusals' });
    const complete = await failure(api.call('Tasks', 'complete', { id: t.id }));
    expect(complete).toMatchObject({
      code: 'invalid_transition',
      details: { from: 'pending', event: 'complete', allowed: ['block', 'cancel', 'claim', 'start'] },
    });
    await api.call('Tasks', 'cancel', { id: t.id });
    const start = await failure(api.call('Tasks', 'start', { id: t.id }));
    expect(start).toMatchObject({
      code: 'invalid_transition',
      details: { from: 'cancelled', allowed: ['reopen'] },
    });
    const reopened = await api.call<Task>('Tasks', 'reopen', { id: t.id });
    expect(reopened.status).toBe('pending');

    await api.call('Tasks', 'start', { id: t.id }, { actor: 'alice' });
    const stolen = await failure(api.call('Tasks', 'start', { id: t.id }, { actor: 'mallory' }));
    expect(stolen).toMatchObject({ code: 'task_already_claimed', details: { holder: 'alice' } });

    const missing = await failure(api.call('Tasks', 'get', { id: 't_999999' }));
    expect(missing).toMatchObject({
      code: 'task_not_found',
      hint: expect.stringContaining('maestro task list'),
    });
    const badPriority = await failure(
      api.call('Tasks', 'create', { projectId, title: 'x', priority: 'urgent' }),
    );
    expect(badPriority).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'priority', accepted: ['high', 'medium', 'low'] },
    });
    const emptyTitle = await failure(api.call('Tasks', 'create', { projectId, title: '   ' }));
    expect(emptyTitle).toMatchObject({ code: 'invalid_argument', details: { field: 'title' } });
    const stale = await failure(api.call('Tasks', 'update', { id: t.id, title: 'new', expectedVersion: 1 }));
    expect(stale.code).toBe('version_conflict');
    const noProject = await failure(api.call('Tasks', 'create', { projectId: 'p_424242', title: 'x' }));
    expect(noProject.code).toBe('project_not_found');
  });

  it('returns the first result for a repeated idempotency key and changes nothing', async () => {
    const before = await api.call<{ tasks: Task[] }>('Tasks', 'list', { projectId });
    const first = await api.call<Task>(
      'Tasks',
      'create',
      { projectId, title: 'Once' },
      { idempotencyKey: 'create-once' },
    );
    const second = await api.call<Task>(
      'Tasks',
      'create',
      { projectId, title: 'Once' },
      { idempotencyKey: 'create-once' },
    );
    expect(second).toEqual(first);
    const after = await api.call<{ tasks: Task[] }>('Tasks', 'list', { projectId });
    expect(after.tasks.length).toBe(before.tasks.length + 1);
    const misuse = await failure(
      api.call('Tasks', 'start', { id: first.id }, { idempotencyKey: 'create-once' }),
    );
    expect(misuse.code).toBe('invalid_argument');
  });

  it('refuses calls without the token but serves health without one', async () => {
    const anonymous = new TestClient(api.address, 'wrong-token');
    const refused = await failure(anonymous.call('Tasks', 'list', { projectId }));
    expect(refused.code).toBe('unauthenticated');
    const none = await failure(anonymous.call('Tasks', 'list', { projectId }, { token: '' }));
    expect(none.code).toBe('unauthenticated');
    const health = await anonymous.call<{ status: string }>('Health', 'check', { service: '' });
    expect(health.status).toBe('SERVING');
    anonymous.close();
  });

  it('answers /healthz and /readyz over HTTP', async () => {
    const base = `http://127.0.0.1:${server.http.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: true, migrations: true, storage: true, grpc: true, accepting: true },
    });
  });
});
