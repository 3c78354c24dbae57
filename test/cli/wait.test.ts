import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../support/cli.js';
import { openWatches } from '../support/prometheus.js';
import { startTestServer, tempHome } from '../support/server.js';

describe('maestro wait', () => {
  const homes: ReturnType<typeof tempHome>[] = [];
  afterEach(() => {
    for (const h of homes.splice(0)) h.cleanup();
  });

  it('a server that stops while it waits is server_unavailable (exit 5), never a timeout', async () => {
    const home = tempHome('maestro-wait-');
    homes.push(home);
    const server = await startTestServer(home.home, { runner: 'off' });
    let closed = false;
    try {
      const waiting = runCli(
        ['wait', '--for', 'done', '--timeout', '600', '--json'],
        cliEnv(server, home.home),
      );
      await expect.poll(() => openWatches(server), { timeout: 15_000 }).toBe(1);
      await server.close();
      closed = true;
      const result = await waiting;
      expect(result.code, result.stdout + result.stderr).toBe(5);
      expect(result.json).toMatchObject({ ok: false, error: { code: 'server_unavailable' } });
    } finally {
      if (!closed) await server.close();
    }
  });
});
