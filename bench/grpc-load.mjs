#!/usr/bin/env node
// gRPC load benchmark: spawns the real server (built CLI, fresh MAESTRO_HOME, loopback only) and runs
// N concurrent clients, each looping Tasks.Create → Tasks.Start → Tasks.Complete on a task of its own.
// Every successful RPC counts as one transition. Prints throughput, latency percentiles (overall and
// per method), errors, the server's RSS and CPU, and finally one JSON line with the same figures.
//
//   node bench/grpc-load.mjs [--clients 16] [--duration 10] [--warmup 2] [--cpu-prof DIR] [--db URL]
//
// Env fallbacks: BENCH_CLIENTS, BENCH_DURATION, BENCH_WARMUP, BENCH_CPU_PROF. See bench/README.md.
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const ROOT = new URL('..', import.meta.url).pathname;
const RPC_DEADLINE_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const METHODS = ['Tasks.Create', 'Tasks.Start', 'Tasks.Complete'];
/** A clock that agrees across worker threads (performance.now() has a per-thread origin). */
const now = () => performance.timeOrigin + performance.now();

const HELP = `Usage: node bench/grpc-load.mjs [options]

  --clients N      concurrent clients, each with its own connection and actor (default 16, BENCH_CLIENTS)
  --duration S     measured seconds (default 10, BENCH_DURATION)
  --warmup S       seconds run before measuring, not counted (default 2, BENCH_WARMUP)
  --threads T      spread the clients over T worker threads (default 1: all in the main thread;
                   BENCH_THREADS); one event loop for many clients adds its own queueing to latency
  --cpu-prof DIR   run the server under node --cpu-prof, writing the .cpuprofile into DIR (BENCH_CPU_PROF)
  --db URL         database URL instead of SQLite in the temporary home, e.g. an empty
                   postgres://… database (BENCH_DB_URL)
  --help           this text

Each client loops Tasks.Create -> Tasks.Start -> Tasks.Complete on a new task; every RPC is a transition.`;

function options() {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      threads: { type: 'string' },
      'cpu-prof': { type: 'string' },
      db: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const number = (name, raw, fallback, min, max) => {
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new Error(`--${name} must be a number from ${min} to ${max}, not '${raw}'.`);
    }
    return n;
  };
  const env = process.env;
  const clients = number('clients', values.clients ?? env.BENCH_CLIENTS, 16, 1, 1024);
  const threads = number('threads', values.threads ?? env.BENCH_THREADS, 1, 1, 64);
  if (!Number.isInteger(clients) || !Number.isInteger(threads) || threads > clients) {
    throw new Error('--clients and --threads must be whole numbers, with no more threads than clients.');
  }
  return {
    clients,
    threads,
    durationS: number('duration', values.duration ?? env.BENCH_DURATION, 10, 0.5, 3600),
    warmupS: number('warmup', values.warmup ?? env.BENCH_WARMUP, 2, 0, 600),
    cpuProfDir: values['cpu-prof'] ?? env.BENCH_CPU_PROF ?? null,
    // A database URL (e.g. postgres://…, an empty database) instead of SQLite in the temporary home.
    dbUrl: values.db ?? env.BENCH_DB_URL ?? null,
  };
}

// ---- server process ------------------------------------------------------------------------

/** Spawns `maestro server start` on loopback with port 0 for gRPC and HTTP; resolves on its ready line. */
function startServer(home, cpuProfDir, dbUrl) {
  const env = { ...process.env, MAESTRO_HOME: home, MAESTRO_LOG_LEVEL: 'warn' };
  for (const key of ['MAESTRO_DB_URL', 'MAESTRO_GRPC_ADDR', 'MAESTRO_HTTP_ADDR', 'MAESTRO_TOKEN'])
    delete env[key];
  const nodeArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const args = [
    ...nodeArgs,
    join(ROOT, 'bin/maestro.js'),
    'server',
    'start',
    '--host',
    '127.0.0.1',
    '--http-port',
    '0',
    '--grpc-port',
    '0',
    '--json',
    ...(dbUrl ? ['--db', dbUrl] : []),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8000);
  });
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
  return { child, ready, exited, stderr: () => stderr };
}

/** Sends SIGTERM and waits; SIGKILL after STOP_TIMEOUT_MS. */
async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null)
    return { ...(await server.exited), ms: 0 };
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
  return { ...result, killed, ms: Math.round(performance.now() - started) };
}

/** VmRSS / VmHWM of a process in MiB, from /proc (Linux only; null elsewhere). */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
  } catch {
    return { rssMiB: null, peakRssMiB: null };
  }
}

/** User + system CPU seconds a process has used, from /proc/<pid>/stat (null when unreadable). */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Jiffies the whole machine spent busy and in total so far, from /proc/stat (null when unreadable). */
function machineJiffies() {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - cpu[3] - cpu[4], total };
  } catch {
    return null;
  }
}

/** Share of all cores busy between two machineJiffies() readings, in percent of one core. */
function machineBusyPercent(before, after, cores) {
  if (!before || !after || after.total === before.total) return null;
  return Math.round(((after.busy - before.busy) / (after.total - before.total)) * cores * 1000) / 10;
}

// ---- client --------------------------------------------------------------------------------

function loadMaestro() {
  const descriptor = JSON.parse(readFileSync(join(ROOT, 'src/generated/descriptor.json'), 'utf8'));
  const loaderOptions = JSON.parse(readFileSync(join(ROOT, 'proto/loader-options.json'), 'utf8'));
  return grpc.loadPackageDefinition(fromJSON(descriptor, loaderOptions)).maestro.v1;
}

function unary(client, method, request, metadata) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata.clone(), { deadline: Date.now() + RPC_DEADLINE_MS }, (error, reply) =>
      error ? reject(error) : resolve(reply),
    );
  });
}

function waitForReady(client) {
  return new Promise((resolve, reject) =>
    client.waitForReady(Date.now() + RPC_DEADLINE_MS, (error) => (error ? reject(error) : resolve())),
  );
}

function metadataFor(token, actor) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  metadata.set('x-maestro-actor', actor);
  return metadata;
}

/** Latency samples (ms) per method, kept only for calls that complete inside the measured window. */
class Recorder {
  constructor() {
    this.window = { start: Infinity, end: Infinity };
    this.samples = new Map(METHODS.map((m) => [m, []]));
    this.errors = { warmup: 0, measured: 0, drain: 0 };
    this.errorSamples = [];
    this.cycles = 0;
  }

  phaseAt(t) {
    if (t < this.window.start) return 'warmup';
    return t <= this.window.end ? 'measured' : 'drain';
  }

  /** What a worker thread sends back: plain data, the samples as transferable arrays. */
  toMessage() {
    const samples = Object.fromEntries(METHODS.map((m) => [m, Float64Array.from(this.samples.get(m))]));
    return { samples, errors: this.errors, errorSamples: this.errorSamples, cycles: this.cycles };
  }

  merge(message) {
    for (const m of METHODS) for (const v of message.samples[m]) this.samples.get(m).push(v);
    for (const phase of Object.keys(this.errors)) this.errors[phase] += message.errors[phase];
    this.errorSamples.push(...message.errorSamples.slice(0, 5 - this.errorSamples.length));
    this.cycles += message.cycles;
  }

  ok(method, startedAt, endedAt) {
    if (this.phaseAt(endedAt) === 'measured') this.samples.get(method).push(endedAt - startedAt);
  }

  fail(method, error, endedAt) {
    this.errors[this.phaseAt(endedAt)] += 1;
    if (this.errorSamples.length < 5) {
      const code = error?.metadata?.get?.('maestro-code')?.[0];
      this.errorSamples.push(
        `${method}: ${error?.code ?? ''} ${code ?? ''} ${error?.message ?? error}`.trim(),
      );
    }
  }

  cycle(endedAt) {
    if (this.phaseAt(endedAt) === 'measured') this.cycles += 1;
  }
}

async function runClient(index, { Tasks, target, token, projectId, recorder }) {
  const actor = `bench-client-${index + 1}`;
  const client = new Tasks(target, grpc.credentials.createInsecure(), {
    // A connection per client, as separate agent processes would have.
    'grpc.use_local_subchannel_pool': 1,
  });
  const metadata = metadataFor(token, actor);
  await waitForReady(client);
  const call = async (method, request) => {
    const startedAt = now();
    try {
      const reply = await unary(client, method.slice('Tasks.'.length), request, metadata);
      recorder.ok(method, startedAt, now());
      return reply;
    } catch (error) {
      recorder.fail(method, error, now());
      return null;
    }
  };
  let n = 0;
  try {
    while (now() < recorder.window.end) {
      n += 1;
      const task = await call('Tasks.Create', { projectId, title: `${actor} task ${n}` });
      if (!task) continue;
      if (!(await call('Tasks.Start', { id: task.id }))) continue;
      if (await call('Tasks.Complete', { id: task.id })) recorder.cycle(now());
    }
  } finally {
    client.close();
  }
}

/** Runs the given clients in this thread; resolves with their recorder once every loop has ended. */
async function runClients(indices, { target, token, projectId, window }) {
  const { Tasks } = loadMaestro();
  const recorder = new Recorder();
  recorder.window = window;
  await Promise.all(indices.map((i) => runClient(i, { Tasks, target, token, projectId, recorder })));
  return recorder;
}

/** Runs the given clients in a worker thread; resolves with what its recorder measured. */
function runClientsInWorker(indices, shared) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { indices, ...shared } });
    let result = null;
    worker.once('message', (message) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`client thread exited with code ${code} and no result`)),
    );
  });
}

// ---- figures -------------------------------------------------------------------------------

function percentiles(samples) {
  if (samples.length === 0) return { count: 0, p50: null, p90: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const round = (ms) => Math.round(ms * 100) / 100;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1]),
    mean: round(sum / sorted.length),
  };
}

function table(rows) {
  const header = ['rpc', 'count', 'p50', 'p90', 'p99', 'max', 'mean'];
  const lines = [
    header,
    ...rows.map(([name, s]) => [name, ...header.slice(1).map((k) => String(s[k] ?? '-'))]),
  ];
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
  if (opts.cpuProfDir) mkdirSync(opts.cpuProfDir, { recursive: true });
  const profilesBefore = opts.cpuProfDir ? new Set(readdirSync(opts.cpuProfDir)) : null;

  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const loadBefore = Math.round(os.loadavg()[0] * 100) / 100;
  // Other work on the machine skews every figure; measure it for a second before starting.
  const idleProbe = machineJiffies();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const busyBefore = machineBusyPercent(idleProbe, machineJiffies(), cores);
  const home = mkdtempSync(join(os.tmpdir(), 'maestro-bench-'));
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

  // Bounded in time: whatever happens, give up well after the planned run.
  const budgetMs = (opts.warmupS + opts.durationS) * 1000 + READY_TIMEOUT_MS + STOP_TIMEOUT_MS + 30_000;
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${budgetMs} ms`);
    cleanup();
    process.exit(2);
  }, budgetMs);
  watchdog.unref();

  try {
    server = startServer(home, opts.cpuProfDir, opts.dbUrl);
    let info;
    try {
      info = await server.ready;
    } catch (error) {
      console.error(`bench: ${error.message}\n--- server stderr ---\n${server.stderr()}`);
      await stopServer(server);
      process.exitCode = 1;
      return;
    }
    const pid = server.child.pid;
    // The bundle's chunk names carry content hashes; keep the source maps of the chunks this server
    // loaded next to its profile, so bench/analyze-cpuprofile.mjs can map frames after a rebuild.
    if (opts.cpuProfDir) cpSync(join(ROOT, 'dist'), join(opts.cpuProfDir, 'dist'), { recursive: true });
    const target = info.grpc;
    if (!/^127\.0\.0\.1:\d+$/.test(target)) throw new Error(`server is not on loopback: ${target}`);
    const token = readFileSync(join(home, 'token'), 'utf8').trim();

    const { Projects } = loadMaestro();
    const projects = new Projects(target, grpc.credentials.createInsecure());
    const workingDir = join(home, 'workspace');
    mkdirSync(workingDir);
    const project = await unary(projects, 'Resolve', { workingDir }, metadataFor(token, 'bench-setup'));
    projects.close();

    // Phases are timed from here; client threads start up during the warm-up.
    const t0 = now();
    const window = { start: t0 + opts.warmupS * 1000, end: t0 + (opts.warmupS + opts.durationS) * 1000 };
    const shared = { target, token, projectId: project.id, window };
    const groups = Array.from({ length: opts.threads }, (_, t) =>
      Array.from({ length: opts.clients }, (_, i) => i).filter((i) => i % opts.threads === t),
    );
    const runs =
      opts.threads === 1
        ? [runClients(groups[0], shared).then((r) => r.toMessage())]
        : groups.map((indices) => runClientsInWorker(indices, shared));
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
    await sleep(window.start - now());
    const serverCpu0 = cpuSecondsOf(pid);
    const clientCpu0 = process.cpuUsage();
    const machine0 = machineJiffies();
    await sleep(window.end - now());
    const serverCpu1 = cpuSecondsOf(pid);
    const clientCpu1 = process.cpuUsage(clientCpu0);
    const machineBusy = machineBusyPercent(machine0, machineJiffies(), cores);
    const elapsedS = (now() - window.start) / 1000;
    const recorder = new Recorder();
    for (const message of await Promise.all(runs)) recorder.merge(message);

    const memory = memoryOf(pid);
    const stopped = await stopServer(server);
    let profile = null;
    if (opts.cpuProfDir) {
      const fresh = readdirSync(opts.cpuProfDir).filter(
        (f) => f.endsWith('.cpuprofile') && !profilesBefore.has(f),
      );
      profile = fresh.length ? join(opts.cpuProfDir, fresh[0]) : null;
    }

    const perMethod = Object.fromEntries(METHODS.map((m) => [m, percentiles(recorder.samples.get(m))]));
    const overall = percentiles(METHODS.flatMap((m) => recorder.samples.get(m)));
    const transitions = overall.count;
    const serverCpuS = serverCpu0 !== null && serverCpu1 !== null ? serverCpu1 - serverCpu0 : null;
    const clientCpuS = (clientCpu1.user + clientCpu1.system) / 1e6;
    const errors = recorder.errors.warmup + recorder.errors.measured + recorder.errors.drain;
    const cpuShare = {
      server: serverCpuS === null ? null : Math.round((serverCpuS / elapsedS) * 1000) / 10,
      clients: Math.round((clientCpuS / elapsedS) * 1000) / 10,
    };
    const result = {
      bench: 'grpc-load',
      workload:
        'Tasks.Create -> Tasks.Start -> Tasks.Complete per client; every successful RPC is one transition',
      clients: opts.clients,
      clientThreads: opts.threads,
      warmupS: opts.warmupS,
      durationS: Math.round(elapsedS * 1000) / 1000,
      transitions,
      transitionsPerSecond: Math.round(transitions / elapsedS),
      cyclesPerSecond: Math.round(recorder.cycles / elapsedS),
      latencyMs: { overall, ...perMethod },
      errors,
      errorsByPhase: recorder.errors,
      server: {
        pid,
        rssMiB: memory.rssMiB === null ? null : Math.round(memory.rssMiB * 10) / 10,
        peakRssMiB: memory.peakRssMiB === null ? null : Math.round(memory.peakRssMiB * 10) / 10,
        cpuPercentOfOneCore: cpuShare.server,
        exit: { code: stopped.code, signal: stopped.signal, ms: stopped.ms, killed: Boolean(stopped.killed) },
        cpuProfile: profile,
      },
      benchClientCpuPercentOfOneCore: cpuShare.clients,
      machineCpuPercentOfOneCore: machineBusy,
      // Everything else: other processes, kernel threads (loopback networking, disk writeback).
      otherCpuPercentOfOneCore:
        machineBusy === null || cpuShare.server === null
          ? null
          : Math.round((machineBusy - cpuShare.server - cpuShare.clients) * 10) / 10,
      machine: {
        loadAverage1mBefore: loadBefore,
        busyPercentOfOneCoreBefore: busyBefore,
        node: process.version,
        cores,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        platform: `${os.platform()} ${os.release()}`,
      },
    };

    const out = [
      `Maestro gRPC load: ${opts.clients} clients on ${opts.threads} thread(s), ${opts.warmupS} s warm-up (not counted), ${result.durationS} s measured`,
      `  machine: node ${result.machine.node}, ${cores} cores (${result.machine.cpu}); before the run: load average ${loadBefore}, ${busyBefore}% of one core busy`,
      `  workload: each client loops Tasks.Create -> Tasks.Start -> Tasks.Complete on its own new task;`,
      `            every successful RPC counts as one transition (3 per task cycle)`,
      '',
      `  transitions:     ${transitions} (${recorder.cycles} full task cycles)`,
      `  transitions/s:   ${result.transitionsPerSecond}  (${result.cyclesPerSecond} cycles/s)`,
      `  errors:          ${errors} (warm-up ${recorder.errors.warmup}, measured ${recorder.errors.measured}, drain ${recorder.errors.drain})`,
      ...recorder.errorSamples.map((e) => `    ${e}`),
      `  server RSS:      ${result.server.rssMiB} MiB at the end (peak ${result.server.peakRssMiB} MiB)`,
      `  CPU (% of one core, ${cores * 100}% = all):  server ${result.server.cpuPercentOfOneCore}%, bench clients ${result.benchClientCpuPercentOfOneCore}%, whole machine ${machineBusy}% (others ${result.otherCpuPercentOfOneCore}%)`,
      `  server stop:     SIGTERM -> exit code ${stopped.code} signal ${stopped.signal} in ${stopped.ms} ms${stopped.killed ? ' (SIGKILLed)' : ''}`,
      ...(opts.cpuProfDir ? [`  cpu profile:     ${profile ?? 'NOT WRITTEN'}`] : []),
      '',
      '  latency per RPC (ms):',
      ...table([['overall', overall], ...METHODS.map((m) => [m, perMethod[m]])]),
      '',
    ];
    console.log(out.join('\n'));
    console.log(JSON.stringify(result));

    if (errors > 0 || transitions === 0) process.exitCode = 1;
    if (stopped.killed || (stopped.code !== 0 && stopped.code !== null)) {
      console.error(`bench: server did not stop cleanly (code ${stopped.code}, killed ${stopped.killed})`);
      process.exitCode = 1;
    }
    if (opts.cpuProfDir && !profile) {
      console.error('bench: the server wrote no .cpuprofile on SIGTERM');
      process.exitCode = 1;
    }
  } finally {
    clearTimeout(watchdog);
    cleanup();
  }
}

if (isMainThread) {
  main().catch((error) => {
    console.error(`bench: ${error?.stack ?? error}`);
    process.exitCode = 1;
  });
} else {
  const recorder = await runClients(workerData.indices, workerData);
  const message = recorder.toMessage();
  parentPort.postMessage(
    message,
    Object.values(message.samples).map((a) => a.buffer),
  );
}
