import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';

/**
 * Which requests an HTTP server of Maestro answers at all, before any route: the `Host` header
 * must name this server, so that a page on another site whose name resolves to this machine (DNS
 * rebinding) cannot reach the web UI, the WebSocket gateway or /metrics; and a browser's `Origin`
 * must be the host the request was sent to. Proxy headers are believed only when configured.
 */
export interface HostPolicy {
  /** Host names this server also answers to (a proxy's public name); IP addresses and localhost always pass. */
  allowedHosts: readonly string[];
  /** Believe `X-Forwarded-Host` (set by a reverse proxy the operator runs in front). */
  trustProxy: boolean;
}

export const DEFAULT_HOST_POLICY: HostPolicy = { allowedHosts: [], trustProxy: false };

/** `example.com:4570` → `example.com`; `[::1]:4570` → `::1`. Lower-cased. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/**
 * A name the server answers to: an IP address (no DNS is involved, so it cannot be rebound),
 * `localhost`, or a configured name (`*.example.com` allows its subdomains).
 */
export function nameAllowed(name: string, policy: HostPolicy): boolean {
  if (name === '') return false;
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
  return policy.allowedHosts.some((allowed) => {
    const a = allowed.trim().toLowerCase();
    return a.startsWith('*.') ? name.endsWith(a.slice(1)) || name === a.slice(2) : name === a;
  });
}

/** The hosts a request was addressed to: its Host, and the forwarded host when a proxy is trusted. */
function requestHosts(req: IncomingMessage, policy: HostPolicy): string[] {
  const hosts = req.headers.host ? [req.headers.host] : [];
  const forwarded = req.headers['x-forwarded-host'];
  if (policy.trustProxy && typeof forwarded === 'string') hosts.push(...forwarded.split(','));
  return hosts.map((h) => h.trim()).filter(Boolean);
}

/** The request's Host names this server (with a trusted proxy: the forwarded host does). */
export function hostAllowed(req: IncomingMessage, policy: HostPolicy): boolean {
  const hosts = requestHosts(req, policy);
  if (hosts.length === 0) return false;
  // Behind a trusted proxy the forwarded host is the one the browser saw; the proxy's own Host
  // header to us may be anything.
  const seen = policy.trustProxy && hosts.length > 1 ? hosts.slice(1) : hosts;
  return seen.every((h) => nameAllowed(hostName(h), policy));
}

/**
 * A browser's request comes from a page of this server: its Origin names a host the request was
 * sent to, over http or https (behind a TLS-terminating proxy the page is https and the server
 * sees http). Clients that are not browsers send no Origin; they still need the token.
 */
export function originAllowed(req: IncomingMessage, policy: HostPolicy): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (!nameAllowed(url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), policy)) return false;
  return requestHosts(req, policy).some((host) => host.toLowerCase() === url.host);
}

/** Answers a request whose Host this server does not serve; true when it did. */
export function refuseForeignHost(req: IncomingMessage, res: ServerResponse, policy: HostPolicy): boolean {
  if (hostAllowed(req, policy)) return false;
  res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    `This Maestro server does not answer to the host '${String(req.headers.host ?? '').slice(0, 200)}'. ` +
      'Open it by its IP address or localhost, or add the name to allowedHosts (MAESTRO_ALLOWED_HOSTS).\n',
  );
  return true;
}
