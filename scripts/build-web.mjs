#!/usr/bin/env node
// Bundles the web UI (web/src) into web/dist: index.html, app.js and app.css, which the server
// serves at `/`. The asset URLs carry a content hash, since the server lets browsers cache them.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = new URL('../web/dist/', import.meta.url);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'web/src/main.tsx' },
  outdir: 'web/dist',
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
});
const hash = createHash('sha256');
for (const file of result.outputFiles) {
  writeFileSync(file.path, file.contents);
  hash.update(file.contents);
}
const version = hash.digest('hex').slice(0, 12);
const html = readFileSync(new URL('../web/src/index.html', import.meta.url), 'utf8');
writeFileSync(new URL('index.html', out), html.replaceAll('__VERSION__', version));
