#!/usr/bin/env node
// Summarises a V8 .cpuprofile written by `node --cpu-prof` (e.g. by `bench/grpc-load.mjs --cpu-prof DIR`):
// self and inclusive time by area (npm package, src/ folder, node internals, native code, GC) and the
// top functions. Frames in the esbuild bundle (dist/) are mapped back to their sources through the
// bundle's source maps, so bundled packages (@grpc/grpc-js, xstate, protobufjs) and src/ show apart.
//
//   node bench/analyze-cpuprofile.mjs PROFILE.cpuprofile [--skip S] [--until S] [--top N] [--inclusive RE]
//
// --skip/--until keep only samples from S seconds after the profile starts (drop startup, warm-up);
// --inclusive ranks the functions whose "name  file:line" matches RE by inclusive time (default: src/, cli/).
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    skip: { type: 'string' },
    until: { type: 'string' },
    top: { type: 'string' },
    inclusive: { type: 'string' },
  },
});
if (positionals.length !== 1) {
  console.error(
    'Usage: node bench/analyze-cpuprofile.mjs PROFILE.cpuprofile [--skip S] [--until S] [--top N]',
  );
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const skipUs = Number(values.skip ?? 0) * 1e6;
const untilUs = values.until === undefined ? Infinity : Number(values.until) * 1e6;
const TOP = Number(values.top ?? 25);
// Which functions get an inclusive-time ranking: by default the project's own code.
const INCLUSIVE = new RegExp(values.inclusive ?? '  (src|cli)/');

// ---- where a frame comes from --------------------------------------------------------------

const maps = new Map();
/**
 * The source map of a bundle chunk: first the copy grpc-load.mjs keeps next to the profile (dist/ may
 * have been rebuilt since), then the chunk's own. Chunk names carry a content hash, so a map found
 * under the same name belongs to the same code.
 */
function sourceMapFor(path) {
  if (!maps.has(path)) {
    const inDist = relative(join(ROOT, 'dist'), path);
    const candidates = [join(dirname(resolve(positionals[0])), 'dist', `${inDist}.map`), `${path}.map`];
    const found = candidates.find((c) => existsSync(c));
    maps.set(path, found ? new SourceMap(JSON.parse(readFileSync(found, 'utf8'))) : null);
    if (!found) unmapped.add(relative(ROOT, path));
  }
  return maps.get(path);
}
const unmapped = new Set();

/** The original file (relative to the project) and line of a frame, through source maps for dist/. */
function originOf(callFrame) {
  const { url, lineNumber, columnNumber } = callFrame;
  if (!url.startsWith('file://')) return { file: url, line: lineNumber + 1 };
  const path = fileURLToPath(url);
  const map = path.startsWith(join(ROOT, 'dist/')) ? sourceMapFor(path) : null;
  if (map) {
    const entry = map.findEntry(lineNumber, columnNumber);
    if (entry?.originalSource) {
      const original = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : resolve(dirname(path), entry.originalSource);
      return { file: relative(ROOT, original), line: entry.originalLine + 1, bundled: true };
    }
  }
  return { file: relative(ROOT, path), line: lineNumber + 1 };
}

/** A coarse bucket: an npm package, a src/ or cli/ folder, a node: module, or a V8 pseudo-frame. */
function areaOf(file) {
  const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1];
  if (file.startsWith('node:')) {
    const m = /^node:(?:internal\/(?:deps\/)?)?([^/]+)/.exec(file);
    return `node:${m?.[1] ?? file}`;
  }
  const app = /^(src\/[^/]+|cli|bin|dist)/.exec(file);
  if (app) return app[1];
  return file || '(native)';
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const PSEUDO = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);
const frames = new Map();
function frameOf(id) {
  let frame = frames.get(id);
  if (frame) return frame;
  const node = byId.get(id);
  const { functionName, url } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (PSEUDO.has(functionName)) {
    frame = { name, where: '', area: functionName };
  } else if (!url) {
    // Native code (better-sqlite3 statements, V8 builtins): charge it to the JS area that called it.
    let parent = parentOf.get(id);
    while (parent !== undefined && !byId.get(parent).callFrame.url) parent = parentOf.get(parent);
    const caller = parent === undefined ? null : frameOf(parent);
    const sqlite = caller && /knex\/lib\/dialects\/better-sqlite3|command-runner|db\/sql/.test(caller.where);
    frame = {
      name: `${name} [native]`,
      where: caller ? `called from ${caller.where}` : '',
      area: sqlite ? 'better-sqlite3 (native)' : `native <- ${caller?.area ?? '?'}`,
    };
  } else {
    const origin = originOf(node.callFrame);
    frame = { name, where: `${origin.file}:${origin.line}`, area: areaOf(origin.file) };
  }
  frames.set(id, frame);
  return frame;
}

// ---- aggregate -----------------------------------------------------------------------------

const selfByArea = new Map();
const inclByArea = new Map();
const selfByFunction = new Map();
const inclByFunction = new Map();
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);

let t = 0;
let totalUs = 0;
let busyUs = 0;
for (let i = 0; i < profile.samples.length; i += 1) {
  t += profile.timeDeltas[i] ?? 0;
  if (t < skipUs || t > untilUs) continue;
  const us = profile.timeDeltas[i + 1] ?? 0;
  totalUs += us;
  const leaf = frameOf(profile.samples[i]);
  if (leaf.area !== '(idle)') busyUs += us;
  add(selfByArea, leaf.area, us);
  add(selfByFunction, `${leaf.name}  ${leaf.where}`, us);
  const areas = new Set();
  const ranked = new Set();
  for (let id = profile.samples[i]; id !== undefined; id = parentOf.get(id)) {
    const frame = frameOf(id);
    if (frame.area === '(root)' || frame.area === '(idle)') continue;
    areas.add(frame.area);
    const key = `${frame.name}  ${frame.where}`;
    if (INCLUSIVE.test(key)) ranked.add(key);
  }
  for (const area of areas) add(inclByArea, area, us);
  for (const fn of ranked) add(inclByFunction, fn, us);
}

const ms = (us) => (us / 1000).toFixed(0).padStart(7);
const pct = (us, of) => `${((100 * us) / of).toFixed(1).padStart(5)}%`;
function print(title, map, of, limit) {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`  ${ms(us)} ms ${pct(us, of)}  ${key}`);
  }
}

const wallS = (profile.endTime - profile.startTime) / 1e6;
console.log(`profile: ${positionals[0]}`);
console.log(
  `window: ${(skipUs / 1e6).toFixed(1)} s .. ${Number.isFinite(untilUs) ? (untilUs / 1e6).toFixed(1) : wallS.toFixed(1)} s of ${wallS.toFixed(1)} s; sampled ${ms(totalUs).trim()} ms, busy (not idle) ${ms(busyUs).trim()} ms = ${pct(busyUs, totalUs).trim()} of the main thread`,
);
console.log('percentages below are of busy time');
const busySelfByArea = new Map([...selfByArea].filter(([k]) => k !== '(idle)'));
print('self time by area', busySelfByArea, busyUs, 40);
print('inclusive time by area (a sample counts once per area on its stack)', inclByArea, busyUs, 25);
print(`top ${TOP} functions by self time`, selfByFunction, busyUs, TOP);
print(`top ${TOP} functions matching /${INCLUSIVE.source}/ by inclusive time`, inclByFunction, busyUs, TOP);
if (unmapped.size) console.log(`\nno source map for ${[...unmapped].join(', ')}: their frames show as dist`);
