#!/usr/bin/env node
// A stand-in agent that only looks around: it writes where it started, its environment, its
// arguments and its pid to <outDir>/<MAESTRO_SESSION_ID>.json, then exits 0 (`exit`), waits
// until it is killed (`hang`), or waits until <outDir>/<MAESTRO_SESSION_ID>.exit appears and exits
// 0 (`until`). Usage: probe-agent.mjs <promptFile> <outDir> exit|hang|until
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [, , promptFile, outDir, mode = 'exit'] = process.argv;
const report = {
  cwd: process.cwd(),
  env: process.env,
  argv: process.argv.slice(2),
  pid: process.pid,
  promptFile,
};
const out = join(outDir, `${process.env.MAESTRO_SESSION_ID ?? 'unknown'}.json`);
writeFileSync(`${out}.tmp`, JSON.stringify(report));
renameSync(`${out}.tmp`, out);
console.log(`probe agent ${process.env.MAESTRO_SESSION_ID} in ${process.cwd()}`);
if (mode === 'hang') setInterval(() => undefined, 1000);
if (mode === 'until') {
  const exitFile = join(outDir, `${process.env.MAESTRO_SESSION_ID ?? 'unknown'}.exit`);
  setInterval(() => existsSync(exitFile) && process.exit(0), 50);
}
