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
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLI,
  READY_TIMEOUT_MS,
  STOP_TIMEOUT_MS,
  createWorkspace,
  machineInfo,
  parseOptions,
  requireBuild,
  runMain,
  runSummary,
  seedProject,
  sleep,
  stopServer,
  wholeOption,
  withServerHome,
} from './lib.mjs';

const FRAME_TIMEOUT_MS = 30_000;
const POLL_MS = 10;
const SOCKET = `maestro-bench-tui-${process.pid}`;

const HELP = `Usage: node bench/tui-startup.mjs [options]

  --runs N      timed runs (default 5, BENCH_RUNS)
  --warmup N    untimed runs first (default 1, BENCH_WARMUP)
  --tasks N     tasks seeded into the project over gRPC (default 1000, BENCH_TASKS)
  --cols N      terminal width (default 120)
  --rows N      terminal height (default 40)
  --help        this text`;

function options() {
  const values = parseOptions(['runs', 'warmup', 'tasks', 'cols', 'rows'], HELP);
  const env = process.env;
  return {
    runs: wholeOption('runs', values.runs ?? env.BENCH_RUNS, 5, 1, 100),
    warmup: wholeOption('warmup', values.warmup ?? env.BENCH_WARMUP, 1, 0, 20),
    tasks: wholeOption('tasks', values.tasks ?? env.BENCH_TASKS, 1000, 1, 100_000),
    cols: wholeOption('cols', values.cols, 120, 80, 500),
    rows: wholeOption('rows', values.rows, 40, 24, 200),
  };
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

// ---- main ----------------------------------------------------------------------------------

async function main() {
  const opts = options();
  requireBuild();
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
  } catch {
    throw new Error('tmux is not installed; this benchmark runs the TUI in a tmux pane.');
  }

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
  };
  const budgetMs =
    READY_TIMEOUT_MS +
    STOP_TIMEOUT_MS +
    60_000 +
    opts.tasks * 20 +
    (opts.runs + opts.warmup) * (FRAME_TIMEOUT_MS + 5000);
  await withServerHome({ prefix: 'maestro-bench-tui-', budgetMs, cleanup }, async ({ home, start }) => {
    // The server's stderr goes to a file: tmux calls (execFileSync) block this process.
    const started = await start({ logToFile: true });
    if (!started) return;
    const { server, target, token } = started;
    const workingDir = createWorkspace(home);
    const { projectId, seedMs } = await seedProject(
      target,
      token,
      workingDir,
      opts.tasks,
      (n) => `Benchmark task ${n}.`,
    );

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
      firstBoardOnScreenMs: runSummary(screen),
      firstBoardSelfReportedMs: self.length ? runSummary(self) : null,
      // Both since the TUI's process start: its data arrived / Ink and React were loaded.
      boardDataLoadedMs: boardLoaded.length ? runSummary(boardLoaded) : null,
      uiCodeLoadedMs: uiLoaded.length ? runSummary(uiLoaded) : null,
      pollMs: POLL_MS,
      server: { exit: { code: stopped.code, signal: stopped.signal, killed: stopped.killed } },
      machine: machineInfo(),
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
  });
}

runMain(main);
