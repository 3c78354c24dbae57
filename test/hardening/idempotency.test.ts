import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';

/**
 * Idempotency keys belong to their caller (issue: another actor reusing a key got the first
 * actor's stored reply, a task it never created).
 */
let server: RunningServer;
let api: TestClient;
let home: { home: string; cleanup(): void };

beforeAll(async () => {
  home = tempHome();
  server = await startTestServer(home.home);
  api = TestClient.for(server);
});
afterAll(async () => {
  api.close();
  await server.close();
  home.cleanup();
});

describe('idempotency keys are scoped to the caller', () => {
  it('another actor reusing a key runs its own command; the same actor gets its first reply', async () => {
    const { id: projectId } = await api.call<{ id: string }>('Projects', 'Resolve', {
      workingDir: home.home,
    });
    const key = 'shared-key-1';
    const alice = await api.call<{ id: string; title: string }>(
      'Tasks',
      'Create',
      { projectId, title: 'Alice’s' },
      { actor: 'alice', idempotencyKey: key },
    );
    const bob = await api.call<{ id: string; title: string }>(
      'Tasks',
      'Create',
      { projectId, title: 'Bob’s' },
      { actor: 'bob', idempotencyKey: key },
    );
    expect(bob.id).not.toBe(alice.id);
    expect(bob.title).toBe('Bob’s');
    const again = await api.call<{ id: string }>(
      'Tasks',
      'Create',
      { projectId, title: 'Alice’s' },
      { actor: 'alice', idempotencyKey: key },
    );
    expect(again.id).toBe(alice.id);
  });

  it('a key is sent on by mutations only: a read with a key stores nothing under it', async () => {
    const { id: projectId } = await api.call<{ id: string }>('Projects', 'Resolve', {
      workingDir: home.home,
    });
    await api.call('Tasks', 'List', { projectId }, { idempotencyKey: 'read-key' });
    // The same key then works for a mutation (a stored read would make this invalid_argument).
    const task = await api.call<{ title: string }>(
      'Tasks',
      'Create',
      { projectId, title: 'after a read' },
      { idempotencyKey: 'read-key' },
    );
    expect(task.title).toBe('after a read');
  });
});
