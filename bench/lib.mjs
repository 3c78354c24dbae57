// What the benchmarks in bench/ share: options, the real server in a temporary MAESTRO_HOME, gRPC
// calls and seeding, CPU and memory readings from /proc, and the statistics and tables they print.
// Each bench keeps its own workload, figures and report; see bench/README.md.
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  appendFileSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import pg from 'pg';

export const ROOT = new URL('..', import.meta.url).pathname;
export const CLI = join(ROOT, 'bin/maestro.js');
export const READY_TIMEOUT_MS = 30_000;
export const STOP_TIMEOUT_MS = 15_000;
export const RPC_DEADLINE_MS = 10_000;
const SEED_CONCURRENCY = 16;
/** How much of the server's stderr or log a failed start prints. */
const OUTPUT_TAIL = 8000;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs a bench's main(); an error ends it with exit code 1. */
export function runMain(main) {
  main().catch((error) => {
    console.error(`bench: ${error?.stack ?? error}`);
    process.exitCode = 1;
  });
}

// ---- options -------------------------------------------------------------------------------

/** Parses the named string options and --help; --help prints `help` and exits. */
export function parseOptions(names, help) {
  const options = Object.fromEntries(names.map((name) => [name, { type: 'string' }]));
  const { values } = parseArgs({ options: { ...options, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(help);
    process.exit(0);
  }
  return values;
}

/** `raw` (a flag's or an env variable's text) as a number in [min, max]; `fallback` when unset. */
export function numberOption(name, raw, fallback, min, max) {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new Error(`--${name} must be a number from ${min} to ${max}, not '${raw}'.`);
  }
  return n;
}

/** As numberOption, for counts: a whole number in [min, max]. */
export function wholeOption(name, raw, fallback, min, max) {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, not '${raw}'.`);
  }
  return n;
}

// ---- the server in a temporary home --------------------------------------------------------

export function requireBuild() {
  if (!existsSync(join(ROOT, 'dist/cli.js')))
    throw new Error('dist/cli.js is missing: run `npm run build` first.');
}

/**
 * Runs `body({ home, start })` with a fresh temporary MAESTRO_HOME (`home`, named after `prefix`) and
 * removes it when the body ends, on Ctrl-C (exit 130) and when the run overruns `budgetMs` (exit 2).
 * The server started with `start` is killed with it; `cleanup` runs first (clients, tmux).
 */
export async function withServerHome({ prefix, budgetMs, cleanup: before }, body) {
  const home = mkdtempSync(join(os.tmpdir(), prefix));
  let server = null;
  const cleanup = () => {
    before?.();
    if (server && server.child.exitCode === null && server.child.signalCode === null)
      server.child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${budgetMs} ms`);
    cleanup();
    process.exit(2);
  }, budgetMs);
  watchdog.unref();

  const context = {
    home,
    /**
     * Starts the server (see startServer) and waits for its ready line. Resolves with the server, its
     * gRPC address and the token; or, when it did not start, prints why with the tail of its output,
     * stops it, sets exit code 1 and resolves with null.
     */
    async start(options) {
      server = startServer(home, options);
      let info;
      try {
        info = await server.ready;
      } catch (error) {
        console.error(`bench: ${error.message}\n--- server ${server.outputName} ---\n${server.output()}`);
        await stopServer(server);
        process.exitCode = 1;
        return null;
      }
      const target = info.grpc;
      if (!/^127\.0\.0\.1:\d+$/.test(target)) throw new Error(`server is not on loopback: ${target}`);
      const token = readFileSync(join(home, 'token'), 'utf8').trim();
      return { server, pid: server.child.pid, target, token, http: info.http };
    },
  };
  try {
    return await body(context);
  } finally {
    clearTimeout(watchdog);
    cleanup();
  }
}

/**
 * Spawns `maestro server start --json` from the built CLI in `home`, on loopback, gRPC on port 0 and
 * HTTP on `httpPort` (default 0); `ready` resolves with its ready line's data. `env` adds variables;
 * `cpuProfDir` runs it under node --cpu-prof; `dbUrl` replaces SQLite in the home. The server's
 * stderr is kept in memory, or with `logToFile` written to <home>/server.log: a bench that blocks
 * (spawnSync, execFileSync) would leave a pipe undrained, and a full pipe stalls the server.
 */
export function startServer(home, { httpPort = 0, env: extra = {}, cpuProfDir, dbUrl, logToFile } = {}) {
  const env = { ...process.env, MAESTRO_HOME: home, MAESTRO_LOG_LEVEL: 'warn', ...extra };
  for (const key of ['MAESTRO_DB_URL', 'MAESTRO_GRPC_ADDR', 'MAESTRO_HTTP_ADDR', 'MAESTRO_TOKEN'])
    delete env[key];
  const args = [
    ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
    ...(process.env.BENCH_SERVER_NODE_ARGS
      ? process.env.BENCH_SERVER_NODE_ARGS.split(/\s+/).filter(Boolean)
      : []),
    CLI,
    'server',
    'start',
    '--host',
    '127.0.0.1',
    '--http-port',
    String(httpPort),
    '--grpc-port',
    '0',
    '--json',
    ...(dbUrl ? ['--db', dbUrl] : []),
  ];

  let child;
  let output;
  if (logToFile) {
    const logPath = join(home, 'server.log');
    const logFd = openSync(logPath, 'a');
    child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', logFd] });
    closeSync(logFd);
    output = () => {
      try {
        return readFileSync(logPath, 'utf8').slice(-OUTPUT_TAIL);
      } catch {
        return '';
      }
    };
  } else {
    child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-OUTPUT_TAIL);
    });
    output = () => stderr;
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const ready = new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`server printed no ready line within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      if (process.env.BENCH_SERVER_STDOUT) appendFileSync(process.env.BENCH_SERVER_STDOUT, chunk);
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
        if (parsed?.ok === true && typeof parsed.data?.grpc === 'string') {
          clearTimeout(timer);
          resolve(parsed.data);
        } else if (parsed?.ok === false) {
          clearTimeout(timer);
          reject(new Error(`server failed to start: ${line}`));
        }
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  return { child, ready, exited, output, outputName: logToFile ? 'log' : 'stderr' };
}

/**
 * The server's time for unary calls of the given methods (`maestro_grpc_request_duration_seconds`
 * at `http`/metrics: from a call's arrival to its status): `{ count, sumS, buckets: Map(le -> count) }`,
 * summed over the methods. Subtract two readings for a window.
 */
export async function serverCallTimes(http, methods) {
  const text = await (await fetch(`${http}/metrics`)).text();
  const out = { count: 0, sumS: 0, buckets: new Map() };
  const metric = /^maestro_grpc_request_duration_seconds_(bucket|sum|count)\{([^}]*)\} (\S+)$/;
  for (const line of text.split('\n')) {
    const m = metric.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (!methods.includes(labels.method)) continue;
    const value = Number(m[3]);
    if (m[1] === 'count') out.count += value;
    else if (m[1] === 'sum') out.sumS += value;
    else out.buckets.set(labels.le, (out.buckets.get(labels.le) ?? 0) + value);
  }
  return out;
}

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS. Resolves with `{ code, signal, ms, killed }`. */
export async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null)
    return { ...(await server.exited), ms: 0, killed: false };
  const started = performance.now();
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
  return { ...result, ms: Math.round(performance.now() - started), killed };
}

/**
 * Exit code 1, with a line on stderr, when the server was killed or exited with an error, or when it
 * ran under --cpu-prof (`profiled`) and wrote no profile.
 */
export function checkServerStop(stopped, { profiled = false, profile = null } = {}) {
  if (stopped.killed || (stopped.code !== 0 && stopped.code !== null)) {
    console.error(`bench: server did not stop cleanly (code ${stopped.code}, killed ${stopped.killed})`);
    process.exitCode = 1;
  }
  if (profiled && !profile) {
    console.error('bench: the server wrote no .cpuprofile on SIGTERM');
    process.exitCode = 1;
  }
}

/**
 * The folder a server profiled with --cpu-prof writes into (null when not profiling): created, and
 * the profiles already there remembered, so `written()` finds the new one.
 */
export function cpuProfileDir(dir) {
  if (!dir) return null;
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  return {
    dir,
    /**
     * The bundle's chunk names carry content hashes; keeps the source maps of the chunks the server
     * loaded next to its profile, so bench/analyze-cpuprofile.mjs can map frames after a rebuild.
     */
    keepBundle() {
      cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    },
    /** The .cpuprofile the server wrote on exit, or null. */
    written() {
      const fresh = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
      return fresh.length ? join(dir, fresh[0]) : null;
    },
  };
}

// ---- gRPC ----------------------------------------------------------------------------------

let api = null;

/** The maestro.v1 services, loaded as src/contract/proto-options.ts does (once per thread). */
export function maestroApi() {
  if (!api) {
    const descriptor = JSON.parse(readFileSync(join(ROOT, 'src/generated/descriptor.json'), 'utf8'));
    const loaderOptions = JSON.parse(readFileSync(join(ROOT, 'proto/loader-options.json'), 'utf8'));
    // The JSON file cannot hold the Number and String constructors.
    const options = { ...loaderOptions, longs: Number, enums: String };
    api = grpc.loadPackageDefinition(fromJSON(descriptor, options)).maestro.v1;
  }
  return api;
}

/** A client of `Service` on the loopback server, without TLS. */
export function connect(Service, target, channelOptions) {
  return new Service(target, grpc.credentials.createInsecure(), channelOptions);
}

export function unary(client, method, request, metadata, deadlineMs = RPC_DEADLINE_MS) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: Date.now() + deadlineMs }, (error, reply) =>
      error ? reject(error) : resolve(reply),
    );
  });
}

export function metadataFor(token, actor) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  metadata.set('x-maestro-actor', actor);
  return metadata;
}

/** Creates <home>/workspace, the folder the bench's project is resolved from. */
export function createWorkspace(home) {
  const workingDir = join(home, 'workspace');
  mkdirSync(workingDir);
  return workingDir;
}

/** The project of `workingDir`, resolved (created) over gRPC. */
export async function resolveProject(target, metadata, workingDir, deadlineMs) {
  const projects = connect(maestroApi().Projects, target);
  try {
    return await unary(projects, 'Resolve', { workingDir }, metadata, deadlineMs);
  } finally {
    projects.close();
  }
}

/**
 * Resolves the project of `workingDir` and creates `count` tasks in it, SEED_CONCURRENCY at a time,
 * the n-th (from 1) described by `describe(n)`. `seedMs` is the wall time of all of it.
 */
export async function seedProject(target, token, workingDir, count, describe) {
  const started = process.hrtime.bigint();
  const metadata = metadataFor(token, 'bench-seed');
  const project = await resolveProject(target, metadata, workingDir);
  const tasks = connect(maestroApi().Tasks, target);
  try {
    const taskIds = [];
    let next = 0;
    const priorities = ['high', 'medium', 'low'];
    const worker = async () => {
      while (next < count) {
        const n = next++;
        const request = {
          projectId: project.id,
          title: `Seeded task ${n + 1}`,
          description: describe(n + 1),
          priority: priorities[n % 3],
          labels: n % 2 ? ['backend'] : ['frontend'],
        };
        taskIds[n] = (await unary(tasks, 'Create', request, metadata)).id;
      }
    };
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
    return { projectId: project.id, taskIds, seedMs: Number(process.hrtime.bigint() - started) / 1e6 };
  } finally {
    tasks.close();
  }
}

// ---- processes and the machine (Linux /proc; null elsewhere) -------------------------------

export const coreCount = () => os.availableParallelism?.() ?? os.cpus().length;

/** What the figures were measured on. */
export function machineInfo() {
  return {
    node: process.version,
    cores: coreCount(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** VmRSS and VmHWM (peak) of a process in MiB, to 0.1. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const mib = (n) => Math.round((n / 1024) * 10) / 10;
    return { rssMiB: mib(kib('VmRSS')), peakRssMiB: mib(kib('VmHWM')) };
  } catch {
    return { rssMiB: null, peakRssMiB: null };
  }
}

/** User + system CPU seconds a process has used, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Jiffies the whole machine spent busy and in total so far, from /proc/stat. */
export function machineJiffies() {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - cpu[3] - cpu[4], total };
  } catch {
    return null;
  }
}

/** Share of all cores busy between two machineJiffies() readings, in percent of one core. */
export function machineBusyPercent(before, after, cores) {
  if (!before || !after || after.total === before.total) return null;
  return Math.round(((after.busy - before.busy) / (after.total - before.total)) * cores * 1000) / 10;
}

/**
 * How busy the machine is before a run: other work skews every figure, so the 1-minute load average
 * and a one-second reading of all cores, for the report.
 */
export async function machineLoadBefore(cores) {
  const loadAverage1mBefore = Math.round(os.loadavg()[0] * 100) / 100;
  const probe = machineJiffies();
  await sleep(1000);
  return {
    loadAverage1mBefore,
    busyPercentOfOneCoreBefore: machineBusyPercent(probe, machineJiffies(), cores),
  };
}

// ---- figures -------------------------------------------------------------------------------

/** The nearest-rank q-quantile of ascending `sorted`. */
export function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Count, p50/p90/p99 (and p999 when asked), max and mean of latencies in ms, to 0.01 ms. */
export function latencyStats(values, { p999 = false } = {}) {
  if (values.length === 0) {
    return {
      count: 0,
      p50: null,
      p90: null,
      p99: null,
      ...(p999 ? { p999: null } : {}),
      max: null,
      mean: null,
    };
  }
  const sorted = Float64Array.from(values).sort();
  const round = (ms) => Math.round(ms * 100) / 100;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    p99: round(percentile(sorted, 0.99)),
    ...(p999 ? { p999: round(percentile(sorted, 0.999)) } : {}),
    max: round(sorted[sorted.length - 1]),
    mean: round(sum / sorted.length),
  };
}

/** Runs, median, p90, min and max of a few timed runs in ms, to 0.1 ms. */
export function runSummary(samples) {
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

/** Report lines of a table of strings: the first column left-aligned, the others right-aligned. */
export function formatTable(header, rows) {
  const lines = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map(
    (l) => '  ' + l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '),
  );
}

/** formatTable of `[name, stats]` rows: the header after the first names the stats' fields. */
export function statsTable(header, rows) {
  return formatTable(
    header,
    rows.map(([name, s]) => [name, ...header.slice(1).map((k) => String(s[k] ?? '-'))]),
  );
}

/** `base` (a PostgreSQL URL) naming another database on the same server. */
export function pgUrlFor(base, database) {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs SQL on the PostgreSQL server of `url` (creating and dropping databases, a schema). */
export async function pgAdmin(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
