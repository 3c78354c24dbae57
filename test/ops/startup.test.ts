import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/contract/error-codes.js';
import { runServerStart, serverProcesses } from '../support/process.js';

const processes = serverProcesses('maestro-startup-');
const held: Server[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Another program on a loopback port: what an operator meets when the port is taken. */
async function takenPort(): Promise<number> {
  const server = createServer();
  held.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function envelope(stdout: string): {
  ok: boolean;
  error?: { code: string; message: string; details?: object };
} {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as { ok: boolean; error?: { code: string; message: string } };
}

describe('maestro server start: a port already taken', () => {
  // Regression: the error was printed and the process then hung (gRPC bound and serving, or the
  // listener left open), and the first SIGTERM only resolved a promise nobody awaited.
  it('its gRPC port taken: exits by itself with address_in_use and the documented exit code', async () => {
    const home = processes.newHome();
    const port = await takenPort();
    const run = await runServerStart(home, ['--grpc-port', String(port), '--http-port', '0']);
    expect(run.code, run.stderr).toBe(ERROR_CODES.address_in_use.exitCode);
    expect(run.code).toBe(7);
    const body = envelope(run.stdout);
    expect(body).toMatchObject({
      ok: false,
      error: { code: 'address_in_use', details: { field: 'grpcAddr', address: `127.0.0.1:${port}` } },
    });
    expect(body.error!.message).toContain(`127.0.0.1:${port} is already in use`);
    // The database was closed and its claim released: the next start on this home works.
    expect(existsSync(join(home, 'maestro.db.server'))).toBe(false);
    const next = await processes.start(home);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });

  it('its HTTP port taken: exits by itself, and does not leave gRPC serving without HTTP', async () => {
    const home = processes.newHome();
    const port = await takenPort();
    const run = await runServerStart(home, ['--http-port', String(port), '--grpc-port', '0']);
    expect(run.code, run.stderr).toBe(7);
    expect(envelope(run.stdout)).toMatchObject({
      ok: false,
      error: { code: 'address_in_use', details: { field: 'httpAddr', address: `127.0.0.1:${port}` } },
    });
    const logs = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string });
    expect(logs.map((l) => l.msg)).toContain('server did not start');
    expect(logs.map((l) => l.msg)).not.toContain('server started');
    expect(existsSync(join(home, 'maestro.db.server'))).toBe(false);
  });

  it('a host it cannot listen on: exits by itself with invalid_argument (exit 2)', async () => {
    const home = processes.newHome();
    // TEST-NET-1 (RFC 5737): never an address of this machine.
    const run = await runServerStart(home, ['--host', '192.0.2.1', '--http-port', '0', '--grpc-port', '0']);
    expect(run.code, run.stderr).toBe(2);
    expect(envelope(run.stdout)).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { field: 'grpcAddr' } },
    });
  });
});
