import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { cliEnv, runCli } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';

/** `task list`, `task ready` and `events` answer a page by default; --cursor and --all for more. */
describe('CLI: listings in pages', () => {
  const home = tempHome();
  let server: RunningServer;
  let env: Record<string, string>;
  let projectId: string;
  const created: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(home.home);
    const api = TestClient.for(server);
    projectId = (await api.call<{ id: string }>('Projects', 'create', { name: 'paged' })).id;
    for (let i = 0; i < 130; i++) {
      created.push((await api.call<{ id: string }>('Tasks', 'create', { projectId, title: `T${i}` })).id);
    }
    api.close();
    env = cliEnv(server, home.home, { MAESTRO_PROJECT_ID: projectId });
  });
  afterAll(async () => {
    await server.close();
    home.cleanup();
  });

  type Envelope = { ok: boolean; data: { id: string }[]; nextCursor: string };

  it('task list: the first 100, the next cursor beside them, then the rest with --cursor', async () => {
    const first = await runCli(['task', 'list', '--json'], env);
    expect(first.code).toBe(0);
    const page = first.json as unknown as Envelope;
    expect(page.data.map((t) => t.id)).toEqual(created.slice(0, 100));
    expect(page.nextCursor).not.toBe('');
    const rest = (await runCli(['task', 'list', '--cursor', page.nextCursor, '--json'], env))
      .json as unknown as Envelope;
    expect(rest.data.map((t) => t.id)).toEqual(created.slice(100));
    expect(rest.nextCursor).toBe('');
    const all = (await runCli(['task', 'list', '--all', '--limit', '7', '--json'], env))
      .json as unknown as Envelope;
    expect(all.data.map((t) => t.id)).toEqual(created);
    expect(all.nextCursor).toBe('');
    const ready = (await runCli(['task', 'ready', '--limit', '3', '--json'], env))
      .json as unknown as Envelope;
    expect(ready.data.map((t) => t.id)).toEqual(created.slice(0, 3));
    const human = await runCli(['task', 'list', '--limit', '2'], env);
    const two = (await runCli(['task', 'list', '--limit', '2', '--json'], env)).json as unknown as Envelope;
    expect(human.stdout).toContain(`--cursor ${two.nextCursor}`);
  });

  it('refuses a cursor of another listing with invalid_argument', async () => {
    const page = (await runCli(['task', 'list', '--limit', '5', '--json'], env)).json as unknown as Envelope;
    const bad = await runCli(
      ['task', 'list', '--status', 'blocked', '--cursor', page.nextCursor, '--json'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.json.error).toMatchObject({ code: 'invalid_argument' });
  });

  it('events: a page, the cursor line after a full one, --cursor to go on and --all for every page', async () => {
    const lines = (r: { stdout: string }) =>
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { seq?: number; nextCursor?: string });
    const first = lines(await runCli(['events', '--limit', '50', '--json'], env));
    expect(first).toHaveLength(51);
    const cursor = first[50]!.nextCursor!;
    const next = lines(await runCli(['events', '--limit', '50', '--cursor', cursor, '--json'], env));
    expect(next[0]!.seq).toBe(first[49]!.seq! + 1);
    const all = lines(await runCli(['events', '--all', '--limit', '40', '--json'], env));
    expect(all.every((e) => typeof e.seq === 'number')).toBe(true);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(all.length).toBeGreaterThanOrEqual(131);
  });
});
