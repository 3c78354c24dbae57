#!/usr/bin/env node
// Bundles the CLI into dist/. The entry chunk holds only what the --json path needs (argument
// parsing, the gRPC client, the proto descriptor); the server and its ORM load on `server start`.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'cli/entry.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  // Native or dynamically-loaded packages stay in node_modules.
  external: ['@mikro-orm/*', 'knex', 'better-sqlite3', 'pg', 'ink', 'react', 'react-devtools-core'],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
if (process.argv.includes('--analyze')) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    const inputs = Object.entries(output.inputs)
      .map(([name, i]) => [name.replace(/^node_modules\/((@[^/]+\/)?[^/]+).*/, '$1'), i.bytesInOutput])
      .reduce((m, [name, bytes]) => m.set(name, (m.get(name) ?? 0) + bytes), new Map());
    console.log(file, output.bytes, [...inputs].sort((a, b) => b[1] - a[1]).slice(0, 8));
  }
}
