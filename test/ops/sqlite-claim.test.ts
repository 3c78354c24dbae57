import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { serverProcesses } from '../support/process.js';

const processes = serverProcesses('maestro-claim-');

describe('one server per SQLite file', () => {
  it('refuses a second server on the same file while the first runs, and takes over after a crash', async () => {
    const home = processes.newHome();
    const env = { PATH: process.env.PATH ?? '', HOME: home, MAESTRO_HOME: home, MAESTRO_RUNNER: 'off' };
    const first = await processes.start(home);
    const claim = join(home, 'maestro.db.server');
    expect(readFileSync(claim, 'utf8')).toBe(String(first.child.pid));

    const second = await runCli(['server', 'start', '--http-port', '0', '--grpc-port', '0', '--json'], env);
    expect(second.code).toBe(1);
    expect(second.json).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(second.json.error!.message).toContain(`Another Maestro server (pid ${first.child.pid})`);
    expect(readFileSync(claim, 'utf8')).toBe(String(first.child.pid));

    // kill -9 leaves the file behind; the next server sees its process is gone and takes over.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(claim)).toBe(true);
    const third = await processes.start(home);
    expect(readFileSync(claim, 'utf8')).toBe(String(third.child.pid));
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(existsSync(claim)).toBe(false);
  });
});
