import type * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { cliEnv, runCli } from '../support/cli.js';
import { TestClient, startTestServer, tempHome, type GrpcFailure } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/**
 * A full disk, made deterministic: SQLite's `max_page_count` caps the file at the pages it has, so
 * the next write that needs a page fails with SQLITE_FULL, as on a disk with no room left.
 */
describe('disk full', () => {
  const home = tempHome('maestro-full-');
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;
  const pragma = (sql: string) =>
    server.services.runner.read((em) => em.getConnection().execute<{ [k: string]: number }[]>(sql));
  const readyz = async () => {
    const res = await fetch(`http://127.0.0.1:${server.http.port}/readyz`);
    return { status: res.status, body: (await res.json()) as { checks: Record<string, boolean> } };
  };
  const healthStatus = () =>
    new Promise<string>((resolve, reject) => {
      const health = api.client('Health') as unknown as {
        check(req: object, cb: (e: grpc.ServiceError | null, r: { status: string }) => void): void;
      };
      health.check({ service: '' }, (error, reply) => (error ? reject(error) : resolve(reply.status)));
    });
  const bigTask = (title: string) =>
    api.call<{ id: string }>('Tasks', 'create', { projectId, title, description: 'x'.repeat(19_000) });

  beforeAll(async () => {
    // The probe that notices room again runs at the sweep's pace.
    server = await startTestServer(
      home.home,
      { runner: 'off', dbUrl: `sqlite:${home.home}/maestro.db` },
      {
        sweepIntervalMs: 50,
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

  // Regression: a full disk was answered `internal` (exit 1, no retry) while /readyz said ready.
  it('is storage_full (RESOURCE_EXHAUSTED, exit 5), readiness and health say so until a write fits again', async () => {
    expect((await readyz()).status).toBe(200);
    const [{ page_count: pages }] = (await pragma('PRAGMA page_count')) as [{ page_count: number }];
    await pragma(`PRAGMA max_page_count = ${pages}`);

    const refused = (await bigTask('does not fit').catch((e: unknown) => e)) as GrpcFailure;
    expect(refused.body).toMatchObject({ code: 'storage_full' });
    expect(refused.grpcCode).toBe(8); // RESOURCE_EXHAUSTED
    expect(refused.body).toMatchObject({ code: 'storage_full' });
    expect(refused.body.hint).toContain('/readyz');

    const ready = await readyz();
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toMatchObject({ storage: false, database: true, accepting: true });
    expect(await healthStatus()).toBe('NOT_SERVING');
    // Reads still answer.
    expect((await api.call<{ tasks: unknown[] }>('Tasks', 'list', { projectId })).tasks).toEqual([]);

    const cli = await runCli(
      ['task', 'create', 'from the CLI', '--desc', 'y'.repeat(19_000), '--project', projectId, '--json'],
      cliEnv(server, home.home),
    );
    expect(cli.code, cli.stdout + cli.stderr).toBe(5);
    expect(cli.json).toMatchObject({ ok: false, error: { code: 'storage_full' } });

    // Room again: the server's probe finds it without a client having to write.
    await pragma(`PRAGMA max_page_count = ${pages * 1000}`);
    await waitFor('readiness to come back', async () => (await readyz()).status === 200);
    expect((await readyz()).body.checks.storage).toBe(true);
    expect(await healthStatus()).toBe('SERVING');
    const stored = await bigTask('fits now');
    expect(stored.id).toMatch(/^t_/);
  });
});
