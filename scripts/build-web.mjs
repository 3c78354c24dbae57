#!/usr/bin/env node
// Bundles the web UI (web/src) into web/dist: index.html, app.js and app.css, which the server
// serves at `/`. The asset URLs carry a content hash, since the server lets browsers cache them.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
  // The graph view and the terminal are loaded when first shown, as chunks of their own.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
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
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.contents);
  hash.update(file.contents);
}
const version = hash.digest('hex').slice(0, 12);
const html = readFileSync(new URL('../web/src/index.html', import.meta.url), 'utf8');
writeFileSync(new URL('index.html', out), html.replaceAll('__VERSION__', version));

/**
 * favicon.ico: a 32×32 icon (the accent blue square with a white "M"), drawn here as a BMP inside an
 * ICO so that no binary file is kept in the repository and `/favicon.ico` is never a 404.
 */
function favicon() {
  const size = 32;
  const header = Buffer.alloc(6 + 16 + 40);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // an icon
  header.writeUInt16LE(1, 4); // one image
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(size * 4); // the AND mask: 32 rows of 32 bits, all opaque
  const inM = (x, y) => {
    if (y < 8 || y > 23) return false;
    if (x >= 7 && x <= 10) return true;
    if (x >= 21 && x <= 24) return true;
    // The two diagonals meeting in the middle.
    const d = y - 8;
    return (Math.abs(x - (11 + d * 0.45)) < 1.6 || Math.abs(x - (20 - d * 0.45)) < 1.6) && y <= 17;
  };
  for (let row = 0; row < size; row++) {
    const y = size - 1 - row; // BMP rows run bottom-up
    for (let x = 0; x < size; x++) {
      const corner = Math.min(x, size - 1 - x) + Math.min(y, size - 1 - y) < 4;
      const [r, g, b, a] = corner ? [0, 0, 0, 0] : inM(x, y) ? [255, 255, 255, 255] : [47, 111, 222, 255];
      pixels.set([b, g, r, a], (row * size + x) * 4);
    }
  }
  const bytes = 40 + pixels.length + mask.length;
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(bytes, 14);
  header.writeUInt32LE(22, 18);
  header.writeUInt32LE(40, 22);
  header.writeInt32LE(size, 26);
  header.writeInt32LE(size * 2, 30); // XOR and AND masks
  header.writeUInt16LE(1, 34);
  header.writeUInt16LE(32, 36);
  return Buffer.concat([header, pixels, mask]);
}
writeFileSync(new URL('favicon.ico', out), favicon());
