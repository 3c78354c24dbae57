/* global AbortSignal */
// The image's HEALTHCHECK: exit 0 when the server's /readyz answers 200, 1 otherwise. It asks
// loopback on the port of MAESTRO_HTTP_ADDR (default 4570), since the server listens on 0.0.0.0
// in the container. The slim base image has no curl, so node itself makes the request.
const addr = process.env.MAESTRO_HTTP_ADDR ?? '';
const port = addr.slice(addr.lastIndexOf(':') + 1) || '4570';
try {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
