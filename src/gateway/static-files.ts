import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenMatches } from './ws/session-core.js';
import { TOKEN_COOKIE } from './ws/ws-server.js';
import type { HttpRoute } from './http-server.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Where the built web UI lives: `web/dist` at the package root (two levels above this module). */
export const DEFAULT_WEB_ROOT = new URL('../../web/dist/', import.meta.url).pathname;

/**
 * Serves the web UI. `/?token=T` with the right token sets an HttpOnly cookie and redirects to `/`
 * (the way notebook servers hand a browser its credentials), so the token never stays in the URL.
 */
export function staticFiles(root: string, token: string): HttpRoute {
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const given = url.searchParams.get('token');
    if (url.pathname === '/' && given !== null) {
      if (!tokenMatches(given, token)) {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('The token in this link does not match the server.');
        return true;
      }
      // The rest of the link (`&project=p-2`) stays: it names the board to open.
      url.searchParams.delete('token');
      res.writeHead(302, {
        location: `/${url.search}`,
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end();
      return true;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The path has a malformed percent-escape.\n');
      return true;
    }
    const path = normalize(join(base, url.pathname === '/' ? 'index.html' : decoded));
    if (!path.startsWith(base) || !existsSync(path) || !statSync(path).isFile()) return false;
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': path.endsWith('index.html') ? 'no-cache' : 'public, max-age=300',
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(path));
    return true;
  };
}
