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
echo "global install: ok"
