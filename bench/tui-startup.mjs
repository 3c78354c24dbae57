#!/usr/bin/env node
// TUI start-up benchmark: how long a person waits, from running `maestro tui` to the first frame
// that shows the board with its tasks, on a project of --tasks tasks (default 1,000).
// Spawns the real server (built CLI, fresh MAESTRO_HOME, loopback only), seeds the tasks over
// gRPC in parallel, then starts `maestro tui` --runs times in a tmux pane of --cols x --rows on a
// tmux server of its own. Two figures per run:
//   - screen: from just before `tmux new-session` until `capture-pane` (polled every 10 ms) shows
//     the loaded board ("PENDING <tasks>" and a seeded title); it includes tmux starting the shell;
//   - self-reported: the TUI's own MAESTRO_TIMING line, ms from its process start to the first
//     frame with the loaded board.
// Prints median, p90, min and max of each, then one JSON line with the figures.
//
//   node bench/tui-startup.mjs [--runs 5] [--warmup 1] [--tasks 1000] [--cols 120] [--rows 40]
//
// Env fallbacks: BENCH_RUNS, BENCH_WARMUP, BENCH_TASKS. Needs tmux and `npm run build`.
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/maestro.js');
const RPC_DEADLINE_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const FRAME_TIMEOUT_MS = 30_000;
const POLL_MS = 10;
const SEED_CONCURRENCY = 16;
const SOCKET = `maestro-bench-tui-${process.pid}`;

const HELP = `Usage: node bench/tui-startup.mjs [options]

  --runs N      timed runs (default 5, BENCH_RUNS)
  --warmup N    untimed runs first (default 1, BENCH_WARMUP)
  --tasks N     tasks seeded into the project over gRPC (default 1000, BENCH_TASKS)
  --cols N      terminal width (default 120)
  --rows N      terminal height (default 40)
  --help        this text`;

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      warmup: { type: 'string' },
      tasks: { type: 'string' },
      cols: { type: 'string' },
      rows: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const env = process.env;
  const whole = (name, raw, fallback, min, max) => {
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, not '${raw}'.`);
    return n;
  };
  return {
    runs: whole('runs', values.runs ?? env.BENCH_RUNS, 5, 1, 100),
    warmup: whole('warmup', values.warmup ?? env.BENCH_WARMUP, 1, 0, 20),
    tasks: whole('tasks', values.tasks ?? env.BENCH_TASKS, 1000, 1, 100_000),
    cols: whole('cols', values.cols, 120, 80, 500),
    rows: whole('rows', values.rows, 40, 24, 200),
  };
}

// ---- server process ------------------------------------------------------------------------

function startServer(home) {
  const env = { ...process.env, MAESTRO_HOME: home, MAESTRO_LOG_LEVEL: 'warn' };
  for (const key of ['MAESTRO_DB_URL', 'MAESTRO_GRPC_ADDR', 'MAESTRO_HTTP_ADDR', 'MAESTRO_TOKEN'])
    delete env[key];
  const logPath = join(home, 'server.log');
  const logFd = openSync(logPath, 'a');
  const args = [CLI, 'server', 'start', '--host', '127.0.0.1', '--http-port', '0', '--grpc-port', '0'];
  const child = spawn(process.execPath, [...args, '--json'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', logFd],
  });
  closeSync(logFd);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`server printed no ready line within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        let parsed;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue;
        }
        clearTimeout(timer);
        if (parsed?.ok === true && typeof parsed.data?.grpc === 'string') resolve(parsed.data);
        else reject(new Error(`server failed to start: ${line}`));
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  const log = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-8000) : '');
  return { child, ready, exited, log };
}

async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return { ...(await server.exited) };
  server.child.kill('SIGTERM');
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
  });
  let result = await Promise.race([server.exited, timeout]);
  clearTimeout(timer);
  if (!result) {
    server.child.kill('SIGKILL');
    result = { ...(await server.exited), killed: true };
  }
  return result;
}

// ---- seeding over gRPC ---------------------------------------------------------------------

function loadMaestro() {
  const descriptor = JSON.parse(readFileSync(join(ROOT, 'src/generated/descriptor.json'), 'utf8'));
  const loaderOptions = JSON.parse(readFileSync(join(ROOT, 'proto/loader-options.json'), 'utf8'));
  return grpc.loadPackageDefinition(fromJSON(descriptor, { ...loaderOptions, longs: Number, enums: String }))
    .maestro.v1;
}

function unary(client, method, request, metadata) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: Date.now() + RPC_DEADLINE_MS }, (error, reply) =>
      error ? reject(error) : resolve(reply),
    );
  });
}

/** The project of `workingDir` with `count` tasks, created SEED_CONCURRENCY at a time. */
async function seed(target, token, workingDir, count) {
  const { Projects, Tasks } = loadMaestro();
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  metadata.set('x-maestro-actor', 'bench-seed');
  const projects = new Projects(target, grpc.credentials.createInsecure());
  const tasks = new Tasks(target, grpc.credentials.createInsecure());
  try {
    const project = await unary(projects, 'Resolve', { workingDir }, metadata);
    let next = 0;
    const priorities = ['high', 'medium', 'low'];
    const worker = async () => {
      while (next < count) {
        const n = next++;
        await unary(
          tasks,
          'Create',
          {
            projectId: project.id,
            title: `Seeded task ${n + 1}`,
            description: `Benchmark task ${n + 1}.`,
            priority: priorities[n % 3],
            labels: n % 2 ? ['backend'] : ['frontend'],
          },
          metadata,
        );
      }
    };
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
    return project.id;
  } finally {
    projects.close();
    tasks.close();
  }
}

// ---- one start-up in tmux ------------------------------------------------------------------

const tmux = (...args) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** Starts `maestro tui` in a new tmux session and polls the screen until the loaded board shows. */
async function startOnce(name, env, opts, timingFile, marker) {
  const vars = Object.entries({ ...env, MAESTRO_TUI_TIMING: timingFile })
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ');
  const command = `exec env -u CI ${vars} ${quote(process.execPath)} ${quote(CLI)} tui`;
  const started = process.hrtime.bigint();
  tmux('new-session', '-d', '-s', name, '-x', String(opts.cols), '-y', String(opts.rows), command);
  let screen = '';
  for (;;) {
    try {
      screen = tmux('capture-pane', '-p', '-t', name);
    } catch {
      screen = '';
    }
    if (marker.every((m) => (typeof m === 'string' ? screen.includes(m) : m.test(screen)))) break;
    if (Number(process.hrtime.bigint() - started) / 1e6 > FRAME_TIMEOUT_MS)
      throw new Error(`no board within ${FRAME_TIMEOUT_MS} ms; the screen was:\n${screen}`);
    await sleep(POLL_MS);
  }
  const screenMs = Number(process.hrtime.bigint() - started) / 1e6;
  let self;
  for (let i = 0; i < 100 && self === undefined; i++) {
    if (existsSync(timingFile)) {
      const line = readFileSync(timingFile, 'utf8').trim().split('\n').pop();
      if (line) self = JSON.parse(line);
    }
    if (self === undefined) await sleep(10);
  }
  tmux('send-keys', '-t', name, 'q');
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync('tmux', ['-L', SOCKET, 'has-session', '-t', name], { stdio: 'ignore' });
    } catch {
      break;
    }
    await sleep(20);
  }
  try {
    execFileSync('tmux', ['-L', SOCKET, 'kill-session', '-t', name], { stdio: 'ignore' });
  } catch {
    // it quit on q
  }
  return {
    screenMs,
    selfMs: self?.msSinceStart,
    boardLoadedMs: self?.boardLoadedMs,
    uiLoadedMs: self?.uiLoadedMs,
    tasks: self?.tasks,
  };
}

function summary(samples) {
  const sorted = Float64Array.from(samples).sort();
  const round = (ms) => Math.round(ms * 10) / 10;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  const p90 = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(0.9 * sorted.length) - 1))];
  return {
    runs: sorted.length,
    median: round(median),
    p90: round(p90),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
  };
}

// ---- main ----------------------------------------------------------------------------------

async function main() {
  const opts = options();
  if (!existsSync(join(ROOT, 'dist/cli.js')))
    throw new Error('dist/cli.js is missing: run `npm run build` first.');
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
  } catch {
    throw new Error('tmux is not installed; this benchmark runs the TUI in a tmux pane.');
  }

  const home = mkdtempSync(join(os.tmpdir(), 'maestro-bench-tui-'));
  let server;
  const cleanup = () => {
    try {
      tmux('kill-server');
    } catch {
      // not started, or already gone
    }
    // tmux leaves its socket file behind.
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, SOCKET), {
      force: true,
    });
    if (server && server.child.exitCode === null && server.child.signalCode === null)
      server.child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  const budgetMs =
    READY_TIMEOUT_MS +
    STOP_TIMEOUT_MS +
    60_000 +
    opts.tasks * 20 +
    (opts.runs + opts.warmup) * (FRAME_TIMEOUT_MS + 5000);
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${budgetMs} ms`);
    cleanup();
    process.exit(2);
  }, budgetMs);
  watchdog.unref();

  try {
    server = startServer(home);
    let info;
    try {
      info = await server.ready;
    } catch (error) {
      console.error(`bench: ${error.message}\n--- server log ---\n${server.log()}`);
      process.exitCode = 1;
      return;
    }
    const target = info.grpc;
    if (!/^127\.0\.0\.1:\d+$/.test(target)) throw new Error(`server is not on loopback: ${target}`);
    const token = readFileSync(join(home, 'token'), 'utf8').trim();
    const workingDir = join(home, 'workspace');
    mkdirSync(workingDir);
    const seedStarted = process.hrtime.bigint();
    const projectId = await seed(target, token, workingDir, opts.tasks);
    const seedMs = Number(process.hrtime.bigint() - seedStarted) / 1e6;

    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      TERM: 'xterm-256color',
      MAESTRO_HOME: home,
      MAESTRO_SERVER: target,
      MAESTRO_PROJECT_ID: projectId,
      MAESTRO_ACTOR: 'bench-person',
      NO_COLOR: '1',
    };
    // The tmux server is started once, outside the timed runs.
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'idle', '-x', '80', '-y', '24', 'sleep 3600');
    // Columns show `PENDING 1000`, the narrow list `── PENDING (1000)`.
    const marker = [new RegExp(`PENDING \\(?${opts.tasks}\\b`), 'Seeded task', '● live'];
    const screen = [];
    const self = [];
    const boardLoaded = [];
    const uiLoaded = [];
    for (let run = 0; run < opts.warmup + opts.runs; run++) {
      const r = await startOnce(`run${run}`, env, opts, join(home, `timing-${run}.jsonl`), marker);
      if (r.tasks !== undefined && r.tasks !== opts.tasks)
        throw new Error(`the TUI loaded ${r.tasks} tasks, not ${opts.tasks}`);
      const timed = run >= opts.warmup;
      console.log(
        `  run ${run + 1}${timed ? '' : ' (warm-up)'}: screen ${r.screenMs.toFixed(1)} ms, self-reported ${r.selfMs ?? '-'} ms (data ${r.boardLoadedMs ?? '-'}, ui ${r.uiLoadedMs ?? '-'})`,
      );
      if (timed) {
        screen.push(r.screenMs);
        if (r.selfMs !== undefined) self.push(r.selfMs);
        if (r.boardLoadedMs !== undefined) boardLoaded.push(r.boardLoadedMs);
        if (r.uiLoadedMs !== undefined) uiLoaded.push(r.uiLoadedMs);
      }
    }
    const stopped = await stopServer(server);
    const result = {
      bench: 'tui-startup',
      tasks: opts.tasks,
      terminal: `${opts.cols}x${opts.rows}`,
      runs: opts.runs,
      warmup: opts.warmup,
      seedMs: Math.round(seedMs),
      firstBoardOnScreenMs: summary(screen),
      firstBoardSelfReportedMs: self.length ? summary(self) : null,
      // Both since the TUI's process start: its data arrived / Ink and React were loaded.
      boardDataLoadedMs: boardLoaded.length ? summary(boardLoaded) : null,
      uiCodeLoadedMs: uiLoaded.length ? summary(uiLoaded) : null,
      pollMs: POLL_MS,
      server: { exit: stopped },
      machine: {
        node: process.version,
        cores: os.availableParallelism?.() ?? os.cpus().length,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        platform: `${os.platform()} ${os.release()}`,
      },
    };
    const row = (name, s) =>
      `  ${name.padEnd(34)} median ${String(s.median).padStart(7)}  p90 ${String(s.p90).padStart(7)}  min ${String(s.min).padStart(7)}  max ${String(s.max).padStart(7)}`;
    console.log('');
    console.log(
      `maestro tui start-up, ${opts.tasks} tasks, ${opts.cols}x${opts.rows} (ms, ${opts.runs} runs)`,
    );
    console.log(row('first board on screen (tmux)', result.firstBoardOnScreenMs));
    if (result.firstBoardSelfReportedMs)
      console.log(row('first board, self-reported', result.firstBoardSelfReportedMs));
    if (result.boardDataLoadedMs) console.log(row('  (board data arrived at)', result.boardDataLoadedMs));
    if (result.uiCodeLoadedMs) console.log(row('  (Ink and React loaded at)', result.uiCodeLoadedMs));
    console.log(
      `  seeding ${opts.tasks} tasks took ${result.seedMs} ms; node ${process.version}, ${result.machine.cores} cores`,
    );
    console.log(JSON.stringify(result));
  } finally {
    clearTimeout(watchdog);
    cleanup();
  }
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
