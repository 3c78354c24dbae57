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
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/maestro.js');
const RPC_DEADLINE_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const RUN_TIMEOUT_MS = 30_000;
const SEED_CONCURRENCY = 16;
const GET_TARGET_RATIO = 2.5;

const HELP = `Usage: node bench/cli-latency.mjs [options]

  --runs N      timed runs per command (default 20, BENCH_RUNS)
  --warmup N    untimed runs per command before timing (default 3, BENCH_WARMUP)
  --tasks N     tasks seeded into the project over gRPC (default 1000, BENCH_TASKS)
  --help        this text

Times: node -e 0, maestro --version (no server call), task get <id> --json,
task list --json (the seeded project), task create "x" --json.`;

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      warmup: { type: 'string' },
      tasks: { type: 'string' },
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
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, not '${raw}'.`);
    }
    return n;
  };
  return {
    runs: whole('runs', values.runs ?? env.BENCH_RUNS, 20, 1, 1000),
    warmup: whole('warmup', values.warmup ?? env.BENCH_WARMUP, 3, 0, 100),
    tasks: whole('tasks', values.tasks ?? env.BENCH_TASKS, 1000, 1, 100_000),
  };
}

// ---- server process ------------------------------------------------------------------------

/**
 * Spawns `maestro server start` on loopback, port 0; resolves with its ready line's data. The
 * server's stderr goes to a file: spawnSync blocks this process, so a pipe nobody drains could fill
 * and stall the server mid-measurement.
 */
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
  const log = () => {
    try {
      return readFileSync(logPath, 'utf8').slice(-8000);
    } catch {
      return '';
    }
  };
  return { child, ready, exited, log };
}

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS. */
async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null)
    return { ...(await server.exited), killed: false };
  server.child.kill('SIGTERM');
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
  });
  let result = await Promise.race([server.exited, timeout]);
  clearTimeout(timer);
  let killed = false;
  if (!result) {
    killed = true;
    server.child.kill('SIGKILL');
    result = await server.exited;
  }
  return { ...result, killed };
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

/** Creates the project (resolved from its working directory) and `count` tasks in it. */
async function seed(target, token, workingDir, count) {
  const { Projects, Tasks } = loadMaestro();
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  metadata.set('x-maestro-actor', 'bench-seed');
  const projects = new Projects(target, grpc.credentials.createInsecure());
  const tasks = new Tasks(target, grpc.credentials.createInsecure());
  try {
    const project = await unary(projects, 'Resolve', { workingDir }, metadata);
    const ids = [];
    let next = 0;
    const priorities = ['high', 'medium', 'low'];
    const worker = async () => {
      while (next < count) {
        const n = next++;
        const task = await unary(
          tasks,
          'Create',
          {
            projectId: project.id,
            title: `Seeded task ${n + 1}`,
            description: `Benchmark task ${n + 1}: a description of realistic length for a list row.`,
            priority: priorities[n % 3],
            labels: n % 2 ? ['backend'] : ['frontend'],
          },
          metadata,
        );
        ids[n] = task.id;
      }
    };
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
    return { projectId: project.id, taskIds: ids };
  } finally {
    projects.close();
    tasks.close();
  }
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

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function summary(samples) {
  const sorted = Float64Array.from(samples).sort();
  const round = (ms) => Math.round(ms * 10) / 10;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    runs: sorted.length,
    median: round(median),
    p90: round(percentile(sorted, 0.9)),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
  };
}

function table(header, rows) {
  const lines = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map(
    (l) => '  ' + l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '),
  );
}

// ---- main ----------------------------------------------------------------------------------

async function main() {
  const opts = options();
  if (!existsSync(join(ROOT, 'dist/cli.js')))
    throw new Error('dist/cli.js is missing: run `npm run build` first.');

  const home = mkdtempSync(join(os.tmpdir(), 'maestro-bench-cli-'));
  let server;
  const cleanup = () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null)
      server.child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  // Bounded in time. spawnSync blocks this timer, but every run has its own RUN_TIMEOUT_MS.
  const commandsTimed = 5;
  const budgetMs =
    READY_TIMEOUT_MS +
    STOP_TIMEOUT_MS +
    60_000 +
    opts.tasks * 20 +
    commandsTimed * (opts.runs + opts.warmup) * 2000;
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
      await stopServer(server);
      process.exitCode = 1;
      return;
    }
    const target = info.grpc;
    if (!/^127\.0\.0\.1:\d+$/.test(target)) throw new Error(`server is not on loopback: ${target}`);
    const token = readFileSync(join(home, 'token'), 'utf8').trim();
    const workingDir = join(home, 'workspace');
    mkdirSync(workingDir);

    const seedStarted = process.hrtime.bigint();
    const { projectId, taskIds } = await seed(target, token, workingDir, opts.tasks);
    const seedMs = Number(process.hrtime.bigint() - seedStarted) / 1e6;
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
    const figures = Object.fromEntries(commands.map((c) => [c.name, summary(samples.get(c.name))]));
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
      server: { exit: stopped },
      machine: {
        node: process.version,
        cores: os.availableParallelism?.() ?? os.cpus().length,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        platform: `${os.platform()} ${os.release()}`,
      },
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
        ...table(['command', 'median', 'p90', 'min', 'max', 'vs node -e 0 (median)'], rows),
        '',
        `  target: task get --json <= ${GET_TARGET_RATIO}x node -e 0: ${getRatio}x, ${result.targetMet ? 'met' : 'NOT MET'}`,
        `  server stop: SIGTERM -> exit code ${stopped.code} signal ${stopped.signal}${stopped.killed ? ' (SIGKILLed)' : ''}`,
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify(result));
    if (stopped.killed) process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
    cleanup();
  }
}

main().catch((error) => {
  console.error(`bench: ${error?.stack ?? error}`);
  process.exitCode = 1;
});
