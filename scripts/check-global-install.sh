#!/usr/bin/env bash
# Packs the project, installs the tarball globally into a temporary prefix, and checks that the
# `maestro` on that PATH works: --version, and a server started from it answering `server status`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
tarball=$(npm pack --silent "$root" | tail -n 1)
npm install --global --prefix "$work/prefix" --no-audit --no-fund "$work/$tarball" >/dev/null
export PATH="$work/prefix/bin:$PATH" MAESTRO_HOME="$work/home"
[ "$(command -v maestro)" = "$work/prefix/bin/maestro" ]
maestro --version
maestro server start --http-port 0 --grpc-port 0 --json >"$work/server.out" 2>"$work/server.err" &
server=$!
for _ in $(seq 1 100); do [ -s "$work/server.out" ] && break; sleep 0.1; done
grpc=$(node -e "process.stdout.write(JSON.parse(require('fs').readFileSync('$work/server.out','utf8')).data.grpc)")
MAESTRO_SERVER="$grpc" maestro server status --json
MAESTRO_SERVER="$grpc" maestro task create "Installed globally" --json >/dev/null
# Only the ORM and the database drivers are installed as dependencies; everything else (grpc-js,
# ws, xstate, pino, prom-client, ink) is bundled into dist/. /metrics and the web UI prove it.
http=$(node -e "process.stdout.write(JSON.parse(require('fs').readFileSync('$work/server.out','utf8')).data.http)")
node -e "
  const base = process.argv[1];
  (async () => {
    const metrics = await (await fetch(base + '/metrics')).text();
    if (!metrics.includes('maestro_tasks_by_status{status=\"pending\"} 1')) throw new Error('metrics: ' + metrics.slice(0, 200));
    const page = await fetch(base + '/');
    if (!page.ok) throw new Error('web UI: HTTP ' + page.status);
  })().catch((e) => { console.error(e.message); process.exit(1); });
" "$http"
# The MCP server's chunk (the SDK is bundled too) answers an MCP initialize.
mcp=$(printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"check","version":"0"}}}' | maestro mcp)
grep -q '"serverInfo":{"name":"maestro"' <<<"$mcp"
echo "global install: ok"
