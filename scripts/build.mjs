#!/usr/bin/env node
// Bundles the CLI into dist/. The entry chunk holds only what the --json path needs (argument
// parsing, the gRPC client, the proto descriptor); the server and its ORM load on `server start`.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** Ink imports react-devtools-core only when DEV=true; it is not installed, so that import gets a stub. */
const reactDevtoolsStub = {
  name: 'react-devtools-core-stub',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: 'react-devtools-core',
      namespace: 'stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export default { initialize() {}, connectToDevTools() {} };',
      loader: 'js',
    }));
  },
};
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
  // Native or dynamically-loaded packages stay in node_modules. Ink and React are bundled into the
  // chunk `maestro tui` loads on demand: resolving their hundred-odd modules one by one took longer
  // than the rest of the TUI's start-up. React's production build is the one bundled.
  external: ['@mikro-orm/*', 'knex', 'better-sqlite3', 'pg'],
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [reactDevtoolsStub],
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
