import * as grpc from '@grpc/grpc-js';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { Authenticator } from '../../src/gateway/auth.js';
import { authenticate } from '../../src/gateway/grpc/context.js';
import type { Logger } from '../../src/gateway/logger.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { MIN_TOKEN_LENGTH } from '../../src/gateway/token.js';
import { tokenMatches } from '../../src/gateway/ws/session-core.js';
import { runCli } from '../support/cli.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';

const homes: { cleanup(): void }[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) h.cleanup();
});

function home(): string {
  const h = tempHome('maestro-auth-');
  homes.push(h);
  return h.home;
}

/** A logger that keeps its warnings, to check what the server said at start. */
function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const log: Logger & { warnings: string[] } = {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (msg) => void warnings.push(msg),
    error: () => undefined,
    child: () => log,
    flush: () => undefined,
  };
  return log;
}

/** The close code of a WebSocket that says `hello` with these fields. */
async function helloCloseCode(
  server: RunningServer,
  hello: Record<string, unknown>,
): Promise<number | 'welcome'> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.http.port}/ws`);
  try {
    return await new Promise((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', clientId: 'probe', ...hello })));
      ws.on('message', (raw: Buffer) => {
        if ((JSON.parse(raw.toString()) as { type: string }).type === 'welcome') resolve('welcome');
      });
      ws.once('close', (code: number) => resolve(code));
      ws.once('error', reject);
    });
  } finally {
    ws.close();
  }
}

describe('authentication cannot be switched off', () => {
  for (const [what, content] of [
    ['empty', ''],
    ['whitespace-only', '  \n\t\n'],
    ['short', 'abc\n'],
  ] as const) {
    it(`an ${what} token file no longer turns authentication off: a new token is made and gRPC and WS hello still require it`, async () => {
      const dir = home();
      writeFileSync(join(dir, 'token'), content, { mode: 0o600 });
      const log = recordingLog();
      const server = await startTestServer(dir, { runner: 'off' }, { log });
      servers.push(server);

      expect(server.token.length).toBeGreaterThanOrEqual(MIN_TOKEN_LENGTH);
      expect(readFileSync(join(dir, 'token'), 'utf8').trim()).toBe(server.token);
      expect(log.warnings.join('\n')).toMatch(/held no usable token .* a new token was generated/);

      const anonymous = TestClient.for(server);
      expect((await failure(anonymous.call('Tasks', 'list', {}, { token: '' }))).code).toBe(
        'unauthenticated',
      );
      expect((await failure(anonymous.call('Tasks', 'list', {}, { token: content.trim() }))).code).toBe(
        'unauthenticated',
      );
      expect(await anonymous.call('Projects', 'list', {})).toMatchObject({ projects: [] });
      anonymous.close();

      expect(await helloCloseCode(server, {})).toBe(4401);
      expect(await helloCloseCode(server, { token: '' })).toBe(4401);
      expect(await helloCloseCode(server, { token: server.token })).toBe('welcome');
    });
  }

  it('a weak MAESTRO_TOKEN is refused at start, naming the variable and never printing the value', async () => {
    for (const weak of ['   ', 'short-token', 'x'.repeat(MIN_TOKEN_LENGTH - 1), `${'y'.repeat(40)} z`]) {
      const refused = await startTestServer(home(), { token: weak, runner: 'off' }).then(
        (s) => (servers.push(s), undefined),
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).key).toBe('MAESTRO_TOKEN');
      if (weak.trim()) expect((refused as Error).message).not.toContain(weak);
    }
    const dir = home();
    const cli = await runCli(['server', 'start', '--http-port', '0', '--grpc-port', '0', '--json'], {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      MAESTRO_HOME: dir,
      MAESTRO_RUNNER: 'off',
      MAESTRO_TOKEN: 'abc',
    });
    expect(cli.code).toBe(2);
    expect(cli.json).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { field: 'MAESTRO_TOKEN' } },
    });
  });

  it('a token file that others may read is refused with what to do, and the server does not start', async () => {
    const dir = home();
    const token = 'k'.repeat(43);
    writeFileSync(join(dir, 'token'), token + '\n');
    chmodSync(join(dir, 'token'), 0o644);
    const refused = await startTestServer(dir, { runner: 'off' }).then(
      (s) => (servers.push(s), undefined),
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toContain('mode 0644');
    expect((refused as Error).message).toContain(`chmod 600 ${join(dir, 'token')}`);
    chmodSync(join(dir, 'token'), 0o600);
    const server = await startTestServer(dir, { runner: 'off' });
    servers.push(server);
    expect(server.token).toBe(token);
  });

  it('authenticate and tokenMatches refuse everything when the expected token is empty or weak', async () => {
    const md = new grpc.Metadata();
    md.set('authorization', 'Bearer ');
    await expect(authenticate(md, new Authenticator(''))).rejects.toThrow(/no usable token/);
    const short = new grpc.Metadata();
    short.set('authorization', 'Bearer abc');
    await expect(authenticate(short, new Authenticator('abc'))).rejects.toThrow(/no usable token/);
    expect(tokenMatches('', '')).toBe(false);
    expect(tokenMatches(undefined, '')).toBe(false);
    expect(tokenMatches('abc', 'abc')).toBe(false);
    const strong = 's'.repeat(MIN_TOKEN_LENGTH);
    expect(tokenMatches(strong, strong)).toBe(true);
  });
});
