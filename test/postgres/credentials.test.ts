import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { ROOT } from '../support/cli.js';
import { createTestDatabase, onPostgres } from '../support/postgres.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const PROBE = join(ROOT, 'test/support/probe-agent.mjs');
const TOKEN = 'credentials-replica-token-of-at-least-32-characters';

describe.runIf(onPostgres)('session credentials on two servers sharing one PostgreSQL database', () => {
  const homeA = tempHome();
  const homeB = tempHome();
  const out = join(homeA.home, 'probe');
  let a: RunningServer;
  let b: RunningServer;
  let apiA: TestClient;
  let projectId: string;
  const opened: TestClient[] = [];

  beforeAll(async () => {
    mkdirSync(out);
    const dbUrl = await createTestDatabase();
    // A starts the agents; B serves the same database without a runner.
    a = await startTestServer(homeA.home, {
      dbUrl,
      token: TOKEN,
      runner: 'pipe',
      agentCommand: `${process.execPath} ${PROBE} {promptFile} ${out} hang`,
    });
    b = await startTestServer(homeB.home, { dbUrl, token: TOKEN, runner: 'off' });
    apiA = TestClient.for(a);
    projectId = (await apiA.call<{ id: string }>('Projects', 'create', { name: 'shared' })).id;
  });
  afterAll(async () => {
    for (const c of [apiA, ...opened]) c.close();
    await Promise.all([a.close(), b.close()]);
    homeA.cleanup();
    homeB.cleanup();
  });

  /** Spawns a worker through A and returns its session id and the token its agent got. */
  async function worker(): Promise<{ id: string; token: string }> {
    const task = await apiA.call<{ id: string }>('Tasks', 'create', { projectId, title: 'work' });
    const { session } = await apiA.call<{ session: { id: string } }>('Sessions', 'spawn', {
      taskId: task.id,
    });
    const file = join(out, `${session.id}.json`);
    const probe = await waitFor(`the agent of ${session.id}`, () => {
      return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { env: Record<string, string> });
    });
    return { id: session.id, token: probe.env.MAESTRO_TOKEN! };
  }

  const client = (server: RunningServer, token: string) => {
    const c = new TestClient(`127.0.0.1:${server.grpc.port}`, token);
    opened.push(c);
    return c;
  };
  const whoami = (c: TestClient) => c.call<{ sessionId: string }>('Server', 'WhoAmI', {});

  it('a token revoked through one server is refused by the other, which had it cached, and by one that never saw it', async () => {
    const first = await worker();
    const onA = client(a, first.token);
    const onB = client(b, first.token);
    // Both servers know the token from the shared table; B now remembers it.
    expect((await whoami(onA)).sessionId).toBe(first.id);
    expect((await whoami(onB)).sessionId).toBe(first.id);

    await apiA.call('Sessions', 'stop', { id: first.id });
    expect((await failure(whoami(onA))).code).toBe('unauthenticated');
    // B forgets it when the session's end reaches its bus from the shared log.
    await waitFor('server B to refuse the revoked token', async () => {
      return (await failure(whoami(onB))).code === 'unauthenticated';
    });

    // The other way round, and a server that never looked the token up reads the revocation.
    const second = await worker();
    const secondOnA = client(a, second.token);
    expect((await whoami(secondOnA)).sessionId).toBe(second.id);
    await client(b, TOKEN).call('Sessions', 'stop', { id: second.id });
    expect((await failure(whoami(client(b, second.token)))).code).toBe('unauthenticated');
    await waitFor('server A to refuse the token B revoked', async () => {
      return (await failure(whoami(secondOnA))).code === 'unauthenticated';
    });
  });
});
