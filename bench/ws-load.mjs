#!/usr/bin/env node
// WebSocket fan-out benchmark: spawns the real server (built CLI, fresh MAESTRO_HOME, loopback only),
// opens N WebSocket clients that each say hello, then produces events over gRPC at a steady rate
// (Tasks.Create and Reports.Report, alternating) and measures how long each event takes to reach each
// client: receive time - the event's createdAt (stamped by the server when the command runs, just
// before its commit; both on this machine's clock, in whole milliseconds). Also checks that every
// client got every event exactly once and in order, and reports the server's RSS and CPU.
// Prints a human-readable report and, as its last line, one JSON object with the same figures.
//
//   node bench/ws-load.mjs [--clients 500] [--rate 200] [--duration 15] [--warmup 2] [--cpu-prof DIR]
//
// Env fallbacks: BENCH_CLIENTS, BENCH_RATE, BENCH_DURATION, BENCH_WARMUP, BENCH_CPU_PROF.
import { createServer } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import {
  READY_TIMEOUT_MS,
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
  sleep,
  statsTable,
  stopServer,
  unary,
  withServerHome,
} from './lib.mjs';

/** Generous: an overloaded server queues commands, and the bench should report that, not fail. */
const RPC_DEADLINE_MS = 60_000;
/** How long, after the last event was produced, clients may take to receive everything. */
const DRAIN_TIMEOUT_MS = 30_000;
// Under the server's cap of 32 connections per address that have not said hello yet (HTTP 429 past it).
const CONNECT_BATCH = 25;
const LOOP_DELAY_RESOLUTION_MS = 10;
const TARGET_P99_MS = 50;
/** Tasks created before the clients connect, for Reports.Report to write to. */
const REPORT_TASKS = 20;

const HELP = `Usage: node bench/ws-load.mjs [options]

  --clients N      WebSocket clients (default 500, BENCH_CLIENTS)
  --rate R         events produced per second (default 200, BENCH_RATE)
  --duration S     measured seconds (default 15, BENCH_DURATION)
  --warmup S       seconds produced at the same rate before measuring; their events must be
                   delivered too, but their latency is not counted (default 2, BENCH_WARMUP)
  --cpu-prof DIR   run the server under node --cpu-prof, writing the .cpuprofile into DIR (BENCH_CPU_PROF)
  --help           this text

Run \`npm run build\` first: the server is started from bin/maestro.js.`;

function options() {
  const values = parseOptions(['clients', 'rate', 'duration', 'warmup', 'cpu-prof'], HELP);
  const env = process.env;
  const clients = numberOption('clients', values.clients ?? env.BENCH_CLIENTS, 500, 1, 5000);
  if (!Number.isInteger(clients)) throw new Error(`--clients must be a whole number, not '${clients}'.`);
  return {
    clients,
    rate: numberOption('rate', values.rate ?? env.BENCH_RATE, 200, 1, 5000),
    durationS: numberOption('duration', values.duration ?? env.BENCH_DURATION, 15, 0.5, 3600),
    warmupS: numberOption('warmup', values.warmup ?? env.BENCH_WARMUP, 2, 0, 600),
    cpuProfDir: values['cpu-prof'] ?? env.BENCH_CPU_PROF ?? null,
  };
}

// ---- server process ------------------------------------------------------------------------

/** A free TCP port on loopback for the server's HTTP address (the WebSocket endpoint is /ws on it). */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// ---- WebSocket clients ---------------------------------------------------------------------

/** The producer's stamp in a title or report message: `bench#<n>@<epoch ms when the RPC was sent>`. */
const STAMP = Buffer.from('bench#');

/** `{"type":"event","seq":` — toEventMessage puts these first and `createdAt` last. */
const EVENT_PREFIX = Buffer.from('{"type":"event","seq":');
const ISO_LENGTH = 24; // 2025-01-01T00:00:00.000Z

/** Latency samples in one growable Float64Array: millions of them, without a GC cost per sample. */
class Samples {
  constructor(capacity = 1 << 20) {
    this.values = new Float64Array(capacity);
    this.length = 0;
  }
  push(v) {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }
  stats() {
    return latencyStats(this.values.subarray(0, this.length), { p999: true });
  }
}

/**
 * One client: says hello, then checks each event's seq (must be the previous one + 1) and records its
 * delivery latency. Parses only what it needs from the frame, so that 100k messages/s stay cheap for
 * the bench process (which shares the machine with the server).
 */
class BenchClient {
  constructor(index, url, token, recorder) {
    this.index = index;
    this.recorder = recorder;
    this.welcomeSeq = null;
    this.lastSeq = null;
    this.received = 0;
    this.gaps = 0;
    this.duplicates = 0;
    this.closeCode = null;
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.welcomed = new Promise((resolve, reject) => {
      this.ws.once('open', () =>
        this.ws.send(JSON.stringify({ type: 'hello', clientId: `bench-${index}`, token })),
      );
      this.ws.once('error', reject);
      this.ws.once('close', (code) =>
        reject(new Error(`client ${index} closed with ${code} before welcome`)),
      );
      this.onWelcome = resolve;
    });
    this.ws.on('error', () => undefined);
    this.ws.on('close', (code) => (this.closeCode = code));
    this.ws.on('message', (data) => this.onMessage(data));
  }

  onMessage(data) {
    const now = Date.now();
    if (
      data.length > EVENT_PREFIX.length &&
      data.compare(EVENT_PREFIX, 0, EVENT_PREFIX.length, 0, EVENT_PREFIX.length) === 0
    ) {
      let seq = 0;
      for (let i = EVENT_PREFIX.length; i < data.length; i++) {
        const c = data[i];
        if (c < 48 || c > 57) break;
        seq = seq * 10 + (c - 48);
      }
      const end = data.length - 2; // ..."createdAt":"<iso>"}
      const createdAt = Date.parse(data.toString('latin1', end - ISO_LENGTH, end));
      let n = -1;
      let sentAt = NaN;
      const stamp = data.indexOf(STAMP);
      if (stamp >= 0) {
        const at = data.indexOf(64 /* @ */, stamp);
        if (at >= 0) {
          n = Number(data.toString('latin1', stamp + STAMP.length, at));
          sentAt = Number(data.toString('latin1', at + 1, at + 14));
        }
      }
      this.onEvent(seq, n, createdAt, sentAt, now);
      return;
    }
    const message = JSON.parse(data.toString('utf8'));
    if (message.type === 'welcome') {
      this.welcomeSeq = message.seq;
      this.lastSeq = message.seq;
      this.onWelcome(message.seq);
    } else if (message.type === 'resync' || message.type === 'error') {
      this.recorder.unexpected.push(`client ${this.index}: ${JSON.stringify(message).slice(0, 200)}`);
    }
  }

  onEvent(seq, n, createdAt, sentAt, now) {
    if (this.lastSeq === null || seq <= this.lastSeq) {
      this.duplicates += 1;
      return;
    }
    if (seq !== this.lastSeq + 1) this.gaps += seq - this.lastSeq - 1;
    this.lastSeq = seq;
    this.received += 1;
    this.recorder.record(n, createdAt, sentAt, now);
  }

  close() {
    this.ws.terminate();
  }
}

class Recorder {
  constructor() {
    /** Events of the producer's RPC number n >= measuredFrom count towards latency (the warm-up's do not). */
    this.measuredFrom = Infinity;
    this.delivery = new Samples();
    this.endToEnd = new Samples();
    this.unexpected = [];
  }
  record(n, createdAt, sentAt, now) {
    if (n < this.measuredFrom) return;
    this.delivery.push(now - createdAt);
    if (Number.isFinite(sentAt)) this.endToEnd.push(now - sentAt);
  }
}

async function connectAll(count, url, token, recorder) {
  const clients = [];
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + CONNECT_BATCH); i++)
      batch.push(new BenchClient(i, url, token, recorder));
    await Promise.all(batch.map((c) => c.welcomed));
    clients.push(...batch);
  }
  return clients;
}

// ---- main ----------------------------------------------------------------------------------

async function main() {
  const opts = options();
  requireBuild();
  const profiler = cpuProfileDir(opts.cpuProfDir);

  const cores = coreCount();
  const before = await machineLoadBefore(cores);

  let clients = [];
  const budgetMs =
    (opts.warmupS + opts.durationS) * 1000 + READY_TIMEOUT_MS + DRAIN_TIMEOUT_MS + STOP_TIMEOUT_MS + 60_000;
  const cleanup = () => {
    for (const c of clients) c.close();
  };
  await withServerHome({ prefix: 'maestro-bench-ws-', budgetMs, cleanup }, async ({ home, start }) => {
    const httpPort = await freePort();
    // The server's own agent runner is off: it would be one more WebSocket client.
    const started = await start({
      httpPort,
      cpuProfDir: opts.cpuProfDir,
      env: { MAESTRO_RUNNER: 'off' },
    });
    if (!started) return;
    const { server, pid, target, token } = started;
    profiler?.keepBundle();
    const memoryAtStart = memoryOf(pid);

    const { Tasks, Reports, Events } = maestroApi();
    const metadata = metadataFor(token, 'bench-producer');
    const rpc = (client, method, request) => unary(client, method, request, metadata, RPC_DEADLINE_MS);
    const tasks = connect(Tasks, target);
    const reports = connect(Reports, target);
    const events = connect(Events, target);
    const workingDir = createWorkspace(home);
    const project = await resolveProject(target, metadata, workingDir, RPC_DEADLINE_MS);
    const reportTasks = [];
    for (let i = 0; i < REPORT_TASKS; i++)
      reportTasks.push(
        (await rpc(tasks, 'Create', { projectId: project.id, title: `report target ${i}` })).id,
      );
    const lastSeq = async () => (await rpc(events, 'List', { sinceSeq: 0, limit: 1 })).lastSeq;

    // Clients.
    const recorder = new Recorder();
    const connectStarted = performance.now();
    clients = await connectAll(opts.clients, `ws://127.0.0.1:${httpPort}/ws`, token, recorder);
    const connectMs = Math.round(performance.now() - connectStarted);
    const memoryConnected = memoryOf(pid);
    const serverCpuConnected = cpuSecondsOf(pid);
    const startSeq = await lastSeq();
    const welcomeSeqs = new Set(clients.map((c) => c.welcomeSeq));

    // Producer: `rate` RPCs per second, each committing one event; Create and Report alternate.
    const errors = [];
    let produced = 0;
    let failed = 0;
    const inFlight = new Set();
    const produce = () => {
      const n = produced++;
      const stamp = `bench#${n}@${Date.now()}`;
      const call =
        n % 2 === 0
          ? rpc(tasks, 'Create', { projectId: project.id, title: stamp })
          : rpc(reports, 'Report', {
              taskId: reportTasks[n % REPORT_TASKS],
              kind: 'progress',
              message: stamp,
            });
      const tracked = call.then(
        () => undefined,
        (error) => {
          failed += 1;
          if (errors.length < 5) errors.push(`${error.code ?? ''} ${error.message ?? error}`);
        },
      );
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
    };
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
    const t0 = performance.now();
    const measureStart = t0 + opts.warmupS * 1000;
    const end = measureStart + opts.durationS * 1000;
    let measuring = false;
    let serverCpu0 = null;
    let benchCpu0 = null;
    let machine0 = null;
    while (performance.now() < end) {
      const now = performance.now();
      if (!measuring && now >= measureStart) {
        measuring = true;
        // RPCs sent from here on count; the warm-up's events are only checked for delivery.
        recorder.measuredFrom = produced;
        serverCpu0 = cpuSecondsOf(pid);
        benchCpu0 = process.cpuUsage();
        machine0 = machineJiffies();
        loopDelay.enable();
      }
      const due = Math.floor(((now - t0) / 1000) * opts.rate);
      while (produced < due) produce();
      await sleep(2);
    }
    const measuredS = (performance.now() - measureStart) / 1000;
    const serverCpu1 = cpuSecondsOf(pid);
    const benchCpu1 = process.cpuUsage(benchCpu0 ?? undefined);
    const machineBusy = machineBusyPercent(machine0, machineJiffies(), cores);
    // An overloaded server is still working through queued commands; wait for their replies.
    const inFlightAtEnd = inFlight.size;
    await Promise.all([...inFlight]);
    const produceEnd = performance.now();
    const backlogMs = Math.round(produceEnd - end);
    const endSeq = await lastSeq();

    // Delivery: wait until every client has the newest event (or the drain timeout passes).
    const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
    while (clients.some((c) => c.lastSeq < endSeq) && performance.now() < drainDeadline) await sleep(20);
    const drainMs = Math.round(performance.now() - produceEnd);
    loopDelay.disable();
    const memoryAtEnd = memoryOf(pid);
    const serverCpuDrained = cpuSecondsOf(pid);

    const expectedPerClient = endSeq - startSeq;
    const delivered = clients.reduce((n, c) => n + c.received, 0);
    const expected = expectedPerClient * clients.length;
    const incomplete = clients.filter((c) => c.received !== expectedPerClient || c.lastSeq !== endSeq);
    const gaps = clients.reduce((n, c) => n + c.gaps, 0);
    const duplicates = clients.reduce((n, c) => n + c.duplicates, 0);
    const closedEarly = clients.filter((c) => c.closeCode !== null).map((c) => c.closeCode);

    for (const c of clients) c.close();
    clients = [];
    tasks.close();
    reports.close();
    events.close();
    const stopped = await stopServer(server);
    const profile = profiler?.written() ?? null;

    const delivery = recorder.delivery.stats();
    const endToEnd = recorder.endToEnd.stats();
    const serverCpuS = serverCpu0 !== null && serverCpu1 !== null ? serverCpu1 - serverCpu0 : null;
    // CPU time per delivered message barely depends on what else runs on the machine, unlike latency:
    // it says how many events/s to how many clients one server core can carry.
    const usPerDelivery =
      serverCpuConnected !== null && serverCpuDrained !== null && delivered > 0
        ? Math.round((((serverCpuDrained - serverCpuConnected) * 1e6) / delivered) * 10) / 10
        : null;
    const sustainableRate = usPerDelivery ? Math.round(1e6 / (usPerDelivery * opts.clients)) : null;
    const benchCpuS = (benchCpu1.user + benchCpu1.system) / 1e6;
    // The histogram records whole timer intervals; what exceeds the resolution is the delay.
    const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - LOOP_DELAY_RESOLUTION_MS) * 100) / 100);
    const result = {
      bench: 'ws-load',
      workload:
        'gRPC Tasks.Create and Reports.Report alternating at a steady rate; every committed event fans out to every WebSocket client',
      clients: opts.clients,
      ratePerSecond: opts.rate,
      warmupS: opts.warmupS,
      durationS: Math.round(measuredS * 1000) / 1000,
      produced,
      producerErrors: failed,
      events: { startSeq, endSeq, perClient: expectedPerClient },
      delivered,
      expected,
      allDelivered: delivered === expected && incomplete.length === 0 && gaps === 0 && duplicates === 0,
      incompleteClients: incomplete.length,
      gaps,
      duplicates,
      clientsClosedEarly: closedEarly.length,
      latencyMs: { delivery, endToEnd },
      targetP99Ms: TARGET_P99_MS,
      targetMet: delivery.p99 !== null && delivery.p99 < TARGET_P99_MS,
      rpcsInFlightAtEnd: inFlightAtEnd,
      rpcBacklogMs: backlogMs,
      drainMs,
      connectMs,
      server: {
        pid,
        rssMiBAtStart: memoryAtStart.rssMiB,
        rssMiBConnected: memoryConnected.rssMiB,
        rssMiBAtEnd: memoryAtEnd.rssMiB,
        peakRssMiB: memoryAtEnd.peakRssMiB,
        cpuPercentOfOneCore: serverCpuS === null ? null : Math.round((serverCpuS / measuredS) * 1000) / 10,
        cpuMicrosecondsPerDeliveredEvent: usPerDelivery,
        eventsPerSecondOneCoreCouldFanOut: sustainableRate,
        exit: stopped,
        cpuProfile: profile,
      },
      benchProcess: {
        cpuPercentOfOneCore: Math.round((benchCpuS / measuredS) * 1000) / 10,
        eventLoopDelayMs: {
          p50: ms(loopDelay.percentile(50)),
          p99: ms(loopDelay.percentile(99)),
          max: ms(loopDelay.max),
        },
      },
      machineCpuPercentOfOneCore: machineBusy,
      machine: { ...before, ...machineInfo() },
    };

    const out = [
      `Maestro WebSocket fan-out: ${opts.clients} clients, ${opts.rate} events/s, ${opts.warmupS} s warm-up (delivery checked, latency not counted), ${result.durationS} s measured`,
      `  machine: node ${process.version}, ${cores} cores (${result.machine.cpu}); before the run: load average ${before.loadAverage1mBefore}, ${before.busyPercentOfOneCoreBefore}% of one core busy`,
      `  workload: gRPC Tasks.Create / Reports.Report alternating; each commits one event that every client receives`,
      '',
      `  clients connected: ${opts.clients} in ${connectMs} ms (welcome seq ${[...welcomeSeqs].join(', ')})`,
      `  produced:          ${produced} RPCs, ${failed} failed${errors.length ? `: ${errors.join('; ')}` : ''}; ${inFlightAtEnd} still in flight when production stopped, answered ${backlogMs} ms later`,
      `  events:            seq ${startSeq + 1}..${endSeq} = ${expectedPerClient} per client`,
      `  delivered:         ${delivered} of ${expected} expected (${incomplete.length} clients incomplete, ${gaps} gaps, ${duplicates} duplicates, ${closedEarly.length} closed early${closedEarly.length ? `: codes ${[...new Set(closedEarly)].join(', ')}` : ''}); all delivered ${drainMs} ms after the last RPC returned`,
      ...recorder.unexpected.slice(0, 5).map((u) => `    unexpected: ${u}`),
      `  server RSS (MiB):  ${memoryAtStart.rssMiB} at start, ${memoryConnected.rssMiB} with clients connected, ${memoryAtEnd.rssMiB} at the end (peak ${memoryAtEnd.peakRssMiB})`,
      `  CPU (% of one core, ${cores * 100}% = all): server ${result.server.cpuPercentOfOneCore}%, bench ${result.benchProcess.cpuPercentOfOneCore}%, whole machine ${machineBusy}%`,
      `  server CPU per delivered event: ${usPerDelivery} us (commands, fan-out and gRPC included) -> one core carries about ${sustainableRate} events/s to ${opts.clients} clients`,
      `  bench event-loop delay (ms): p50 ${result.benchProcess.eventLoopDelayMs.p50}, p99 ${result.benchProcess.eventLoopDelayMs.p99}, max ${result.benchProcess.eventLoopDelayMs.max} (adds to the measured latency)`,
      `  server stop:       SIGTERM -> exit code ${stopped.code} signal ${stopped.signal} in ${stopped.ms} ms${stopped.killed ? ' (SIGKILLed)' : ''}`,
      ...(opts.cpuProfDir ? [`  cpu profile:       ${profile ?? 'NOT WRITTEN'}`] : []),
      '',
      ...statsTable(
        ['latency (ms)', 'count', 'p50', 'p90', 'p99', 'p999', 'max', 'mean'],
        [
          ['delivery (receive - createdAt)', delivery],
          ['end to end (receive - RPC sent)', endToEnd],
        ],
      ),
      '',
      `  target: delivery p99 < ${TARGET_P99_MS} ms -> ${result.targetMet ? 'met' : 'MISSED'}`,
      '',
    ];
    console.log(out.join('\n'));
    console.log(JSON.stringify(result));

    if (!result.allDelivered || failed > 0) process.exitCode = 1;
    checkServerStop(stopped, { profiled: Boolean(opts.cpuProfDir), profile });
  });
}

runMain(main);
