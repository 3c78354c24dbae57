#!/usr/bin/env node
// gRPC load benchmark: spawns the real server (built CLI, fresh MAESTRO_HOME, loopback only) and runs
// N concurrent clients, each looping Tasks.Create → Tasks.Start → Tasks.Complete on a task of its own.
// Every successful RPC counts as one transition. Prints throughput, latency percentiles (overall and
// per method), errors, the server's RSS and CPU, and finally one JSON line with the same figures.
//
//   node bench/grpc-load.mjs [--clients 16] [--duration 10] [--warmup 2] [--cpu-prof DIR] [--db URL]
//                            [--replicas R]
//
// Env fallbacks: BENCH_CLIENTS, BENCH_DURATION, BENCH_WARMUP, BENCH_CPU_PROF. See bench/README.md.
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  READY_TIMEOUT_MS,
  RPC_DEADLINE_MS,
  STOP_TIMEOUT_MS,
  checkServerStop,
  connect,
  coreCount,
  cpuProfileDir,
  cpuSecondsOf,
  createWorkspace,
  latencyStats,
  machineBusyPercent,
  machineInfo,
  machineJiffies,
  machineLoadBefore,
  maestroApi,
  memoryOf,
  metadataFor,
  numberOption,
  parseOptions,
  requireBuild,
  resolveProject,
  runMain,
  serverCallTimes,
  sleep,
  statsTable,
  stopServer,
  unary,
  withServerHome,
} from './lib.mjs';

const METHODS = ['Tasks.Create', 'Tasks.Start', 'Tasks.Complete'];
/** The same methods as the server's metrics label them. */
const METRIC_METHODS = METHODS.map((m) => `maestro.v1.${m.replace('.', '/')}`);
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
  --replicas R     R servers on that one database (needs --db; default 1), each in its own home;
                   client n talks to server n mod R
  --help           this text

Each client loops Tasks.Create -> Tasks.Start -> Tasks.Complete on a new task; every RPC is a transition.`;

function options() {
  const values = parseOptions(
    ['clients', 'duration', 'warmup', 'threads', 'cpu-prof', 'db', 'replicas'],
    HELP,
  );
  const env = process.env;
  const clients = numberOption('clients', values.clients ?? env.BENCH_CLIENTS, 16, 1, 1024);
  const threads = numberOption('threads', values.threads ?? env.BENCH_THREADS, 1, 1, 64);
  if (!Number.isInteger(clients) || !Number.isInteger(threads) || threads > clients) {
    throw new Error('--clients and --threads must be whole numbers, with no more threads than clients.');
  }
  const replicas = numberOption('replicas', values.replicas, 1, 1, 8);
  const dbUrl = values.db ?? env.BENCH_DB_URL ?? null;
  if (!Number.isInteger(replicas) || (replicas > 1 && !dbUrl)) {
    throw new Error('--replicas must be a whole number, and more than one needs --db (a shared database).');
  }
  return {
    clients,
    threads,
    replicas,
    durationS: numberOption('duration', values.duration ?? env.BENCH_DURATION, 10, 0.5, 3600),
    warmupS: numberOption('warmup', values.warmup ?? env.BENCH_WARMUP, 2, 0, 600),
    cpuProfDir: values['cpu-prof'] ?? env.BENCH_CPU_PROF ?? null,
    // A database URL (e.g. postgres://…, an empty database) instead of SQLite in the temporary home.
    dbUrl,
  };
}

// ---- client --------------------------------------------------------------------------------

function waitForReady(client) {
  return new Promise((resolve, reject) =>
    client.waitForReady(Date.now() + RPC_DEADLINE_MS, (error) => (error ? reject(error) : resolve())),
  );
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

async function runClient(index, { Tasks, replicas, projectId, recorder }) {
  const actor = `bench-client-${index + 1}`;
  const { target, token } = replicas[index % replicas.length];
  const client = connect(Tasks, target, {
    // A connection per client, as separate agent processes would have.
    'grpc.use_local_subchannel_pool': 1,
  });
  const metadata = metadataFor(token, actor);
  await waitForReady(client);
  const call = async (method, request) => {
    const startedAt = now();
    try {
      const reply = await unary(client, method.slice('Tasks.'.length), request, metadata.clone());
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
async function runClients(indices, { replicas, projectId, window }) {
  const { Tasks } = maestroApi();
  const recorder = new Recorder();
  recorder.window = window;
  await Promise.all(indices.map((i) => runClient(i, { Tasks, replicas, projectId, recorder })));
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

// ---- main ----------------------------------------------------------------------------------

async function main() {
  const opts = options();
  requireBuild();
  const profiler = cpuProfileDir(opts.cpuProfDir);

  const cores = coreCount();
  const before = await machineLoadBefore(cores);
  // Bounded in time: whatever happens, give up well after the planned run.
  const budgetMs = (opts.warmupS + opts.durationS) * 1000 + READY_TIMEOUT_MS + STOP_TIMEOUT_MS + 30_000;
  await withHomes(opts.replicas, budgetMs, async (homes) => {
    // One after the other: the first migrates the shared database.
    const replicas = [];
    for (const h of homes) {
      const started = await h.start({ cpuProfDir: opts.cpuProfDir, dbUrl: opts.dbUrl });
      if (!started) return;
      replicas.push(started);
    }
    const { home } = homes[0];
    const { server, pid, target, token } = replicas[0];
    const pids = replicas.map((r) => r.pid);
    profiler?.keepBundle();

    const workingDir = createWorkspace(home);
    const project = await resolveProject(target, metadataFor(token, 'bench-setup'), workingDir);

    // Phases are timed from here; client threads start up during the warm-up.
    const t0 = now();
    const window = { start: t0 + opts.warmupS * 1000, end: t0 + (opts.warmupS + opts.durationS) * 1000 };
    const shared = {
      replicas: replicas.map((r) => ({ target: r.target, token: r.token })),
      projectId: project.id,
      window,
    };
    const groups = Array.from({ length: opts.threads }, (_, t) =>
      Array.from({ length: opts.clients }, (_, i) => i).filter((i) => i % opts.threads === t),
    );
    const runs =
      opts.threads === 1
        ? [runClients(groups[0], shared).then((r) => r.toMessage())]
        : groups.map((indices) => runClientsInWorker(indices, shared));
    await sleep(window.start - now());
    const serversCpu = () => {
      const each = pids.map(cpuSecondsOf);
      return each.includes(null) ? null : each.reduce((a, b) => a + b, 0);
    };
    // The servers' own time for the calls (arrival to status, from their metrics) over the window.
    const callTimes = () => Promise.all(replicas.map((r) => serverCallTimes(r.http, METRIC_METHODS)));
    const serverTimes0 = await callTimes();
    const serverCpu0 = serversCpu();
    const clientCpu0 = process.cpuUsage();
    const machine0 = machineJiffies();
    await sleep(window.end - now());
    const serverCpu1 = serversCpu();
    const clientCpu1 = process.cpuUsage(clientCpu0);
    const serverTimes1 = await callTimes();
    const machineBusy = machineBusyPercent(machine0, machineJiffies(), cores);
    const elapsedS = (now() - window.start) / 1000;
    const recorder = new Recorder();
    for (const message of await Promise.all(runs)) recorder.merge(message);

    const memory = memoryOf(pid);
    const others = [];
    for (const r of replicas.slice(1)) others.push({ ...memoryOf(r.pid), exit: await stopServer(r.server) });
    const stopped = await stopServer(server);
    const profile = profiler?.written() ?? null;

    const perMethod = Object.fromEntries(METHODS.map((m) => [m, latencyStats(recorder.samples.get(m))]));
    const allSamples = METHODS.flatMap((m) => recorder.samples.get(m));
    const overall = latencyStats(allSamples);
    const handled = windowOf(serverTimes0, serverTimes1);
    const share = (n, of) => (of > 0 ? Math.round((n / of) * 1000) / 10 : null);
    const serverSide = {
      calls: handled.count,
      meanMs: handled.count > 0 ? Math.round((handled.sumS / handled.count) * 1e5) / 100 : null,
      percentWithin10Ms: share(handled.buckets.get('0.01') ?? 0, handled.count),
      percentWithin25Ms: share(handled.buckets.get('0.025') ?? 0, handled.count),
    };
    const clientWithin25Ms = share(allSamples.filter((v) => v <= 25).length, allSamples.length);
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
      replicas: opts.replicas,
      warmupS: opts.warmupS,
      durationS: Math.round(elapsedS * 1000) / 1000,
      transitions,
      transitionsPerSecond: Math.round(transitions / elapsedS),
      cyclesPerSecond: Math.round(recorder.cycles / elapsedS),
      latencyMs: { overall, ...perMethod },
      clientPercentWithin25Ms: clientWithin25Ms,
      // The servers' own time for the same methods over the window: the rest of a call's latency is
      // outside the handler (sockets, either side's event loop and collector).
      serverSide,
      errors,
      errorsByPhase: recorder.errors,
      server: {
        pid,
        rssMiB: memory.rssMiB,
        peakRssMiB: memory.peakRssMiB,
        cpuPercentOfOneCore: cpuShare.server,
        exit: stopped,
        cpuProfile: profile,
        // The other replicas (their CPU is in cpuPercentOfOneCore, the sum over every server).
        ...(others.length > 0 ? { otherReplicas: others } : {}),
      },
      benchClientCpuPercentOfOneCore: cpuShare.clients,
      machineCpuPercentOfOneCore: machineBusy,
      // Everything else: other processes, kernel threads (loopback networking, disk writeback).
      otherCpuPercentOfOneCore:
        machineBusy === null || cpuShare.server === null
          ? null
          : Math.round((machineBusy - cpuShare.server - cpuShare.clients) * 10) / 10,
      machine: { ...before, ...machineInfo() },
    };

    const out = [
      `Maestro gRPC load: ${opts.clients} clients on ${opts.threads} thread(s)${opts.replicas > 1 ? ` against ${opts.replicas} servers on one database` : ''}, ${opts.warmupS} s warm-up (not counted), ${result.durationS} s measured`,
      `  machine: node ${result.machine.node}, ${cores} cores (${result.machine.cpu}); before the run: load average ${before.loadAverage1mBefore}, ${before.busyPercentOfOneCoreBefore}% of one core busy`,
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
      `  server side:     mean ${serverSide.meanMs} ms from a call's arrival to its status, ${serverSide.percentWithin10Ms}% within 10 ms, ${serverSide.percentWithin25Ms}% within 25 ms (${serverSide.calls} calls; the servers' metrics)`,
      `                   against the clients' mean ${overall.mean} ms, ${clientWithin25Ms}% within 25 ms`,
      '',
      '  latency per RPC (ms):',
      ...statsTable(
        ['rpc', 'count', 'p50', 'p90', 'p99', 'max', 'mean'],
        [['overall', overall], ...METHODS.map((m) => [m, perMethod[m]])],
      ),
      '',
    ];
    console.log(out.join('\n'));
    console.log(JSON.stringify(result));

    if (errors > 0 || transitions === 0) process.exitCode = 1;
    checkServerStop(stopped, { profiled: Boolean(opts.cpuProfDir), profile });
    for (const o of others) checkServerStop(o.exit, { profiled: false, profile: null });
  });
}

/** What the servers' call times add up to between two readings of `serverCallTimes` (one per server). */
function windowOf(before, after) {
  const out = { count: 0, sumS: 0, buckets: new Map() };
  after.forEach((a, i) => {
    const b = before[i];
    out.count += a.count - b.count;
    out.sumS += a.sumS - b.sumS;
    for (const [le, n] of a.buckets)
      out.buckets.set(le, (out.buckets.get(le) ?? 0) + n - (b.buckets.get(le) ?? 0));
  });
  return out;
}

/** Runs `body(homes)` with `n` server homes of withServerHome (one per replica), each removed after. */
function withHomes(n, budgetMs, body, homes = []) {
  if (homes.length === n) return body(homes);
  return withServerHome({ prefix: 'maestro-bench-', budgetMs }, (h) =>
    withHomes(n, budgetMs, body, [...homes, h]),
  );
}

if (isMainThread) {
  runMain(main);
} else {
  const recorder = await runClients(workerData.indices, workerData);
  const message = recorder.toMessage();
  parentPort.postMessage(
    message,
    Object.values(message.samples).map((a) => a.buffer),
  );
}
