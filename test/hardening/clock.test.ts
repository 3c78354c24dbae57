import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { ManualClock } from '../../src/shared/clock.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/**
 * The server's own sweeps and the heartbeat that a call from inside a session counts as read the
 * clock the server was given (issue: no fake or injected clock in the lease and heartbeat paths,
 * so their tests slept). Time here moves only by `clock.advance`; the sweep runs every 20 ms.
 */
const system = { actor: 'maestro', sessionId: null };
let server: RunningServer;
let api: TestClient;
let home: { home: string; cleanup(): void };
let clock: ManualClock;
let projectId: string;

beforeAll(async () => {
  home = tempHome();
  clock = new ManualClock();
  server = await startTestServer(
    home.home,
    { runner: 'off', sessionStaleSeconds: 10, sessionLostSeconds: 30 },
    { clock: clock.now, sweepIntervalMs: 20 },
  );
  api = TestClient.for(server);
  projectId = (await api.call<{ id: string }>('Projects', 'Resolve', { workingDir: home.home })).id;
});
afterAll(async () => {
  api.close();
  await server.close();
  home.cleanup();
});

const sessionStatus = async (id: string) => (await server.services.sessions.get(id)).status;

describe('the server on an injected clock', () => {
  it('expires a lease when the clock passes it, and not before', async () => {
    const { id } = await api.call<{ id: string }>('Tasks', 'Create', { projectId, title: 'Leased' });
    await api.call('Tasks', 'Claim', { id, leaseSeconds: 30 }, { actor: 'alice' });
    clock.advance(29_000);
    // A sweep at this time releases nothing...
    expect(await server.services.tasks.expireLeases()).toEqual([]);
    expect((await server.services.tasks.get(id)).task?.claim?.holder).toBe('alice');
    // ...and the server's own sweep releases it once the clock passes the expiry.
    clock.advance(1_000);
    await waitFor(
      'the lease to lapse',
      async () => (await server.services.tasks.get(id)).task?.claim === null,
    );
  });

  it('marks a silent session stale, and a call from inside it is a heartbeat at most every 5 s of its clock', async () => {
    const session = await server.services.sessions.create(system, { projectId, taskIds: [], role: 'worker' });
    await server.services.sessions.reportProcess(system, { id: session.id, kind: 'started', pid: 4242 });
    const call = () => api.call('Projects', 'Get', { id: projectId }, { session: session.id });

    clock.advance(10_000);
    await waitFor('the session to go stale', async () => (await sessionStatus(session.id)) === 'stale');
    await call();
    await waitFor(
      'the call to count as a heartbeat',
      async () => (await sessionStatus(session.id)) === 'running',
    );

    // Ten seconds later on the server's clock (milliseconds of real time) the next call counts again.
    clock.advance(10_000);
    await waitFor('stale again', async () => (await sessionStatus(session.id)) === 'stale');
    await call();
    await waitFor('the second heartbeat', async () => (await sessionStatus(session.id)) === 'running');

    // Silent past the lost deadline: lost, by the server's sweep.
    clock.advance(30_000);
    await waitFor('the session to be lost', async () => (await sessionStatus(session.id)) === 'lost');
  });
});
