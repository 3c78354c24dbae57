#!/usr/bin/env node
// Bundles the CLI into dist/. The entry chunk holds only what the --json path needs (argument
// parsing, the gRPC client, the proto descriptor); the server and its ORM load on `server start`.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'cli/entry.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  // Native or dynamically-loaded packages stay in node_modules.
  external: ['@mikro-orm/*', 'knex', 'better-sqlite3', 'pg', 'ink', 'react', 'react-devtools-core'],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
