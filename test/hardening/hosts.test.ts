import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Settings } from '../../src/config/config.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { startTestServer, tempHome } from '../support/server.js';

/**
 * The HTTP side answers only requests addressed to it (issue: an Origin and Host that both named
 * another host, as in DNS rebinding, passed the WebSocket upgrade; /metrics had no Host check;
 * X-Forwarded-Host was trusted without configuration).
 */
const servers: RunningServer[] = [];
const homes: { cleanup(): void }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) h.cleanup();
});

async function serve(overrides: Partial<Settings> = {}): Promise<RunningServer> {
  const home = tempHome();
  homes.push(home);
  const server = await startTestServer(home.home, overrides);
  servers.push(server);
  return server;
}

function get(server: RunningServer, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.http.port, path, headers, method: 'GET' },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function upgrade(server: RunningServer, headers: Record<string, string>) {
  return new Promise<number | 'open'>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.http.port}/ws`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

describe('Host and Origin checks', () => {
  it('DNS rebinding: a Host naming another site is refused on every route, /metrics and the upgrade included', async () => {
    const server = await serve();
    const evil = { host: `evil.example:${server.http.port}` };
    for (const path of ['/', '/metrics', '/healthz', '/readyz', '/index.html']) {
      expect((await get(server, path, evil)).status, path).toBe(403);
    }
    expect(await upgrade(server, { ...evil, origin: `http://evil.example:${server.http.port}` })).toBe(403);
    // By address or localhost it answers.
    expect((await get(server, '/healthz', { host: `127.0.0.1:${server.http.port}` })).status).toBe(200);
    expect((await get(server, '/metrics', { host: `localhost:${server.http.port}` })).status).toBe(200);
    expect(await upgrade(server, { origin: `http://127.0.0.1:${server.http.port}` })).toBe('open');
  });

  it('a configured name is answered, with its subdomains when written *.name', async () => {
    const server = await serve({ allowedHosts: 'maestro.example.com, *.corp.example' });
    expect((await get(server, '/healthz', { host: 'maestro.example.com' })).status).toBe(200);
    expect((await get(server, '/healthz', { host: 'ci.corp.example:8443' })).status).toBe(200);
    expect((await get(server, '/healthz', { host: 'maestro.example.com.evil.example' })).status).toBe(403);
  });

  it('X-Forwarded-Host counts only when trustProxy is set', async () => {
    const plain = await serve({ allowedHosts: 'public.example' });
    const port = plain.http.port;
    // Without trustProxy, a forwarded host does not make a foreign Origin acceptable.
    expect(
      await upgrade(plain, {
        host: `127.0.0.1:${port}`,
        'x-forwarded-host': 'public.example',
        origin: 'https://public.example',
      }),
    ).toBe(403);
    const proxied = await serve({ allowedHosts: 'public.example', trustProxy: true });
    expect(
      await upgrade(proxied, {
        host: `127.0.0.1:${proxied.http.port}`,
        'x-forwarded-host': 'public.example',
        origin: 'https://public.example',
      }),
    ).toBe('open');
    // A trusted proxy still cannot forward a name the server does not answer to.
    expect(
      (await get(proxied, '/healthz', { host: '127.0.0.1', 'x-forwarded-host': 'evil.example' })).status,
    ).toBe(403);
  });

  it('a malformed percent-escape in a path answers 400, not 500', async () => {
    const server = await serve();
    const reply = await get(server, '/%zz', { host: `127.0.0.1:${server.http.port}` });
    expect(reply.status).toBe(400);
  });
});
