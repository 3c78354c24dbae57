import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempHome } from '../support/server.js';

/**
 * A bad setting stops `maestro server start` before anything starts, from whichever source it
 * comes: exit 2 and an `invalid_argument` envelope naming the source and what it accepts.
 */
const homes: { cleanup(): void }[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup();
});

function home(config?: Record<string, unknown>): { home: string; env: Record<string, string> } {
  const h = tempHome('maestro-config-');
  homes.push(h);
  if (config) writeFileSync(join(h.home, 'config.json'), JSON.stringify(config));
  return {
    home: h.home,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: h.home,
      MAESTRO_HOME: h.home,
      MAESTRO_RUNNER: 'off',
      MAESTRO_LOG_LEVEL: 'silent',
      NO_COLOR: '1',
    },
  };
}

const START = ['server', 'start', '--http-port', '0', '--grpc-port', '0', '--json'];

async function refused(args: string[], env: Record<string, string>, field: string, message: string) {
  const result = await runCli(args, env);
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stdout.trim().split('\n')).toHaveLength(1);
  expect(result.json).toEqual({
    ok: false,
    error: { code: 'invalid_argument', message, details: { field } },
  });
  // Nothing was started: no token was made, no database was opened.
  expect(existsSync(join(env.MAESTRO_HOME!, 'token'))).toBe(false);
  expect(existsSync(join(env.MAESTRO_HOME!, 'maestro.db'))).toBe(false);
}

describe('maestro server start refuses bad settings', () => {
  it('from the environment', async () => {
    const { env } = home();
    await refused(
      START,
      { ...env, MAESTRO_SHUTDOWN_TIMEOUT_SECONDS: 'soon' },
      'MAESTRO_SHUTDOWN_TIMEOUT_SECONDS',
      "MAESTRO_SHUTDOWN_TIMEOUT_SECONDS must be a whole number from 1 to 3600, not 'soon'.",
    );
    await refused(
      START,
      { ...env, MAESTRO_DB_URL: 'mysql://db/maestro' },
      'MAESTRO_DB_URL',
      "MAESTRO_DB_URL must be sqlite:PATH, a file path, or postgres://USER:PASSWORD@HOST:PORT/DB (also postgresql://), not 'mysql://db/maestro'.",
    );
  });

  it('from the config file, including a key it does not know', async () => {
    await refused(
      START,
      home({ logLevel: 'loud' }).env,
      'config.json logLevel',
      "config.json logLevel must be one of debug, info, warn, error, silent, not 'loud'.",
    );
    const typo = await runCli(START, home({ sessionStaleSecond: 30 }).env);
    expect(typo.code).toBe(2);
    expect(typo.json.error).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining(
        "config.json has an unknown key 'sessionStaleSecond' (did you mean 'sessionStaleSeconds'?)",
      ),
      details: { field: 'config.json sessionStaleSecond' },
    });
  });

  it('from a flag', async () => {
    const { env } = home();
    await refused(
      [...START, '--db', 'mysql://db/maestro'],
      env,
      '--db',
      "--db must be sqlite:PATH, a file path, or postgres://USER:PASSWORD@HOST:PORT/DB (also postgresql://), not 'mysql://db/maestro'.",
    );
    await refused(
      [...START, '--host', 'not a host'],
      env,
      'host',
      "--host must be a host name or an IP address, not 'not a host'.",
    );
  });

  it('without --json: the message on stderr, nothing on stdout, exit 2', async () => {
    const { env } = home();
    const result = await runCli(['server', 'start'], { ...env, MAESTRO_LEASE_SECONDS: '0' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "error: MAESTRO_LEASE_SECONDS must be a whole number from 1 to 86400, not '0'.\n",
    );
  });
});
