import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DEFAULT_HOST_POLICY, refuseForeignHost, type HostPolicy } from './http-guard.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * The HTTP side of the gateway: `/healthz` says the process is alive, `/readyz` runs every
 * readiness check (database, migrations, gRPC, not draining) and answers 503 naming the failures.
 * Other routes (WebSocket upgrade, metrics, the web UI) are added by their owners. Every route,
 * probes included, answers only requests whose Host names this server (src/gateway/http-guard.ts).
 */
export function createHttpServer(
  checks: readonly ReadinessCheck[],
  routes: HttpRoute[] = [],
  hosts: HostPolicy = DEFAULT_HOST_POLICY,
): Server {
  return createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { status: 'error' });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (refuseForeignHost(req, res, hosts)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const results = await Promise.all(
        checks.map(async (c) => {
          try {
            return [c.name, await c.check()] as const;
          } catch {
            return [c.name, false] as const;
          }
        }),
      );
      const ready = results.every(([, ok]) => ok);
      return json(res, ready ? 200 : 503, {
        status: ready ? 'ready' : 'not_ready',
        checks: Object.fromEntries(results),
      });
    }
    for (const route of routes) if (await route(req, res)) return;
    json(res, 404, { status: 'not_found' });
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
