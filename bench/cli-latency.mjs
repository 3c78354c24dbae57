#!/usr/bin/env node
// CLI latency benchmark: how long an agent waits for one `maestro ... --json` call, measured as the
// wall time of a fresh process (spawnSync), next to `node -e 0` (the floor any Node CLI pays).
// Spawns the real server (built CLI, fresh MAESTRO_HOME, loopback only), seeds a project with
// --tasks tasks over gRPC, then times each command --runs times after --warmup untimed runs.
// Prints a table with median, p90 and the ratio to `node -e 0`, then one JSON line with the figures.
//
//   node bench/cli-latency.mjs [--runs 20] [--warmup 3] [--tasks 1000]
//
// Env fallbacks: BENCH_RUNS, BENCH_WARMUP, BENCH_TASKS. Exits 1 if a command fails or returns the
// wrong thing; the 2.5x target for `task get` is reported, not enforced (timing is not a test).
import { spawnSync } from 'node:child_process';
import {
  CLI,
  READY_TIMEOUT_MS,
  STOP_TIMEOUT_MS,
  createWorkspace,
  formatTable,
  machineInfo,
  parseOptions,
  requireBuild,
  runMain,
  runSummary,
  seedProject,
  stopServer,
  wholeOption,
  withServerHome,
} from './lib.mjs';

const RUN_TIMEOUT_MS = 30_000;
const GET_TARGET_RATIO = 2.5;

const HELP = `Usage: node bench/cli-latency.mjs [options]

  --runs N      timed runs per command (default 20, BENCH_RUNS)
  --warmup N    untimed runs per command before timing (default 3, BENCH_WARMUP)
  --tasks N     tasks seeded into the project over gRPC (default 1000, BENCH_TASKS)
  --help        this text

Times: node -e 0, maestro --version (no server call), task get <id> --json,
task list --json (the seeded project), task create "x" --json.`;

function options() {
  const values = parseOptions(['runs', 'warmup', 'tasks'], HELP);
  const env = process.env;
  return {
    runs: wholeOption('runs', values.runs ?? env.BENCH_RUNS, 20, 1, 1000),
    warmup: wholeOption('warmup', values.warmup ?? env.BENCH_WARMUP, 3, 0, 100),
    tasks: wholeOption('tasks', values.tasks ?? env.BENCH_TASKS, 1000, 1, 100_000),
  };
}

// ---- timing --------------------------------------------------------------------------------

/** Runs one process to completion; returns its wall time in ms and its output. */
function timed(args, env, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    env,
    cwd,
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: result.status, signal: result.signal, error: result.error, stdout: result.stdout };
}

// ---- main ----------------------------------------------------------------------------------

async function main() {
  const opts = options();
  requireBuild();

  // Bounded in time. spawnSync blocks this timer, but every run has its own RUN_TIMEOUT_MS.
  const commandsTimed = 5;
  const budgetMs =
    READY_TIMEOUT_MS +
    STOP_TIMEOUT_MS +
    60_000 +
    opts.tasks * 20 +
    commandsTimed * (opts.runs + opts.warmup) * 2000;
  await withServerHome({ prefix: 'maestro-bench-cli-', budgetMs }, async ({ home, start }) => {
    // The server's stderr goes to a file: spawnSync blocks this process, so a pipe nobody drains
    // could fill and stall the server mid-measurement.
    const started = await start({ logToFile: true });
    if (!started) return;
    const { server, target, token } = started;
    const workingDir = createWorkspace(home);

    const { projectId, taskIds, seedMs } = await seedProject(
      target,
      token,
      workingDir,
      opts.tasks,
      (n) => `Benchmark task ${n}: a description of realistic length for a list row.`,
    );
    const taskId = taskIds[Math.floor(taskIds.length / 2)];

    // What an agent's shell has: the server, the project, an actor; the token comes from the home.
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      MAESTRO_HOME: home,
      MAESTRO_SERVER: target,
      MAESTRO_PROJECT_ID: projectId,
      MAESTRO_ACTOR: 'bench-agent',
      NO_COLOR: '1',
    };
    const expectJson = (check) => (stdout) => {
      const doc = JSON.parse(stdout);
      if (doc.ok !== true) throw new Error(`not ok: ${stdout.slice(0, 500)}`);
      check(doc.data);
    };
    const commands = [
      { name: 'node -e 0', args: ['-e', '0'], verify: () => {} },
      {
        name: 'maestro --version',
        args: [CLI, '--version'],
        verify: (stdout) => {
          if (!/^\d+\.\d+\.\d+/.test(stdout.trim())) throw new Error(`unexpected output: ${stdout}`);
        },
      },
      {
        name: 'task get <id> --json',
        args: [CLI, 'task', 'get', taskId, '--json'],
        verify: expectJson((data) => {
          if (data?.task?.id !== taskId) throw new Error(`task get returned ${data?.task?.id}`);
        }),
      },
      {
        name: `task list --json (${opts.tasks})`,
        args: [CLI, 'task', 'list', '--json'],
        verify: expectJson((data) => {
          if (!Array.isArray(data) || data.length !== opts.tasks)
            throw new Error(`task list returned ${Array.isArray(data) ? data.length : typeof data} tasks`);
        }),
      },
      {
        name: 'task create "x" --json',
        args: [CLI, 'task', 'create', 'x', '--json'],
        verify: expectJson((data) => {
          if (data?.title !== 'x' || data?.projectId !== projectId)
            throw new Error(`task create returned ${JSON.stringify(data).slice(0, 300)}`);
        }),
      },
    ];
    const run = (command) => {
      const r = timed(command.args, env, workingDir);
      if (r.error || r.status !== 0)
        throw new Error(
          `${command.name} failed (status ${r.status}, signal ${r.signal}, ${r.error?.message ?? ''}): ${r.stdout?.slice(0, 500)}`,
        );
      command.verify(r.stdout);
      return r.ms;
    };

    // Rounds interleave the commands, so drift in machine load touches all of them alike. `task
    // create` runs in rounds of its own afterwards, so that `task list` always sees the seeded count.
    const samples = new Map(commands.map((c) => [c.name, []]));
    const reads = commands.slice(0, 4);
    const create = commands[4];
    for (const phase of [reads, [create]]) {
      for (let round = 0; round < opts.warmup + opts.runs; round++) {
        for (const command of phase) {
          const ms = run(command);
          if (round >= opts.warmup) samples.get(command.name).push(ms);
        }
      }
    }

    const stopped = await stopServer(server);
    const figures = Object.fromEntries(commands.map((c) => [c.name, runSummary(samples.get(c.name))]));
    const base = figures['node -e 0'].median;
    const ratio = (s) => Math.round((s.median / base) * 100) / 100;
    const getRatio = ratio(figures['task get <id> --json']);
    const result = {
      bench: 'cli-latency',
      runs: opts.runs,
      warmup: opts.warmup,
      tasks: opts.tasks,
      seedMs: Math.round(seedMs),
      commands: Object.fromEntries(
        commands.map((c) => [c.name, { ...figures[c.name], ratioToNode: ratio(figures[c.name]) }]),
      ),
      target: { command: 'task get <id> --json', maxRatio: GET_TARGET_RATIO, ratio: getRatio },
      targetMet: getRatio <= GET_TARGET_RATIO,
      server: { exit: { code: stopped.code, signal: stopped.signal, killed: stopped.killed } },
      machine: machineInfo(),
    };

    const rows = commands.map((c) => {
      const s = figures[c.name];
      return [
        c.name,
        String(s.median),
        String(s.p90),
        String(s.min),
        String(s.max),
        `${ratio(s).toFixed(2)}x`,
      ];
    });
    console.log(
      [
        `Maestro CLI latency: ${opts.runs} timed runs per command after ${opts.warmup} warm-ups (wall time of a fresh process, ms)`,
        `  machine: node ${result.machine.node}, ${result.machine.cores} cores (${result.machine.cpu})`,
        `  seeded ${opts.tasks} tasks over gRPC in ${result.seedMs} ms; server on ${target}`,
        '',
        ...formatTable(['command', 'median', 'p90', 'min', 'max', 'vs node -e 0 (median)'], rows),
        '',
        `  target: task get --json <= ${GET_TARGET_RATIO}x node -e 0: ${getRatio}x, ${result.targetMet ? 'met' : 'NOT MET'}`,
        `  server stop: SIGTERM -> exit code ${stopped.code} signal ${stopped.signal}${stopped.killed ? ' (SIGKILLed)' : ''}`,
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify(result));
    if (stopped.killed) process.exitCode = 1;
  });
}

runMain(main);
