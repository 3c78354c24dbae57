#!/usr/bin/env node
// Abuse benchmark: how the real server (built CLI, fresh MAESTRO_HOME, loopback only) holds up
// against clients that misbehave. Three parts, each with its own figures:
//
//   a. the time to answer a normal call (Tasks.Get, one at a time) before and while another client
//      sends an abusive request: a Tasks.Create with --grpc-labels labels over gRPC, and one with
//      --ws-labels labels over WebSocket; and how long the abusive request itself took, and how it
//      was answered (refused quickly once input limits exist, or run);
//   b. the server's RSS and heap over time while events flow, with --watchers gRPC watchers that
//      stop reading, then with --pipes `maestro events --follow --json | sleep 600` pipes;
//   c. --sockets WebSocket connections that never say hello: how many were accepted, how many
//      refused, and the server's RSS.
//
// Prints a human-readable report and, as its last line, one JSON object with the same figures.
//
//   node bench/abuse.mjs [--grpc-labels 300000] [--ws-labels 100000] [--watchers 10] [--pipes 5]
//                        [--flood 10] [--sockets 4000] [--parts a,b,c]
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import {
  CLI,
  connect,
  createWorkspace,
  formatTable,
  latencyStats,
  machineInfo,
  maestroApi,
  memoryOf,
  metadataFor,
  parseOptions,
  requireBuild,
  resolveProject,
  runMain,
  sleep,
  statsTable,
  stopServer,
  unary,
  wholeOption,
  withServerHome,
} from './lib.mjs';

/** An abusive request may hold the server for minutes on a build without input limits. */
const ABUSE_DEADLINE_MS = 300_000;
const GET_DEADLINE_MS = 300_000;
const BASELINE_MS = 2000;
/** How long Gets go on after the abusive request was answered. */
const AFTER_MS = 1000;
const SAMPLE_MS = 1000;
const FLOOD_WRITERS = 8;
const FLOOD_DESCRIPTION = 'f'.repeat(2000);
const CONNECT_BATCH = 200;
/** After a memory run, how long stalled watchers that read again may take to see their status. */
const ENDINGS_WAIT_MS = 10_000;

const HELP = `Usage: node bench/abuse.mjs [options]

  --grpc-labels N  labels in the abusive gRPC Tasks.Create (default 300000, about 2.6 MB)
  --ws-labels N    labels in the abusive WebSocket task.create (default 100000, under the 1 MiB frame limit)
  --watchers N     gRPC Events.Watch streams that stop reading (default 10)
  --pipes N        \`maestro events --follow --json | sleep 600\` pipes (default 5)
  --flood S        seconds of events for each memory run (default 10)
  --sockets N      WebSocket connections that never say hello (default 4000)
  --parts LIST     which parts to run, of a,b,c (default a,b,c)
  --help           this text

Run \`npm run build\` first: the server is started from bin/maestro.js.`;

function options() {
  const v = parseOptions(
    ['grpc-labels', 'ws-labels', 'watchers', 'pipes', 'flood', 'sockets', 'parts'],
    HELP,
  );
  const parts = new Set((v.parts ?? 'a,b,c').split(',').map((p) => p.trim()));
  for (const p of parts)
    if (!['a', 'b', 'c'].includes(p)) throw new Error(`--parts takes a, b and c, not '${p}'.`);
  return {
    grpcLabels: wholeOption('grpc-labels', v['grpc-labels'], 300_000, 1, 1_000_000),
    wsLabels: wholeOption('ws-labels', v['ws-labels'], 100_000, 1, 110_000),
    watchers: wholeOption('watchers', v.watchers, 10, 0, 1000),
    pipes: wholeOption('pipes', v.pipes, 5, 0, 100),
    floodS: wholeOption('flood', v.flood, 10, 1, 600),
    sockets: wholeOption('sockets', v.sockets, 4000, 0, 15_000),
    parts,
  };
}

const labels = (n) => Array.from({ length: n }, (_, i) => `l${String(i).padStart(6, '0')}`);

/** The server's heap in MiB, from its own /metrics (prom-client's nodejs_heap_size_used_bytes). */
async function heapOf(http) {
  try {
    const text = await (await fetch(`${http}/metrics`)).text();
    const used = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
    return used === undefined ? null : Math.round((Number(used) / 1024 / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

const grpcCode = (error) =>
  error?.metadata?.get('maestro-code')[0]?.toString() ?? grpc.status[error?.code] ?? String(error);

/** Tasks.Get one at a time until `stop()` says so; latencies in ms, and the calls that failed. */
function getLoop(target, metadata, taskId) {
  const tasks = connect(maestroApi().Tasks, target);
  const latencies = [];
  let failures = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        await unary(tasks, 'Get', { id: taskId }, metadata, GET_DEADLINE_MS);
        latencies.push(performance.now() - started);
      } catch {
        failures++;
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      tasks.close();
      return { ...latencyStats(latencies), failures };
    },
  };
}

/** Part a: a normal call's latency before and during each abusive request. */
async function abusiveRequests(ctx, opts) {
  const { target, metadata, projectId, taskId, http, token } = ctx;
  const baselineLoop = getLoop(target, metadata, taskId);
  await sleep(BASELINE_MS);
  const baseline = await baselineLoop.stop();

  const during = async (what, send) => {
    const loop = getLoop(target, metadata, taskId);
    await sleep(200);
    const started = performance.now();
    const outcome = await send();
    const abusiveMs = Math.round(performance.now() - started);
    await sleep(AFTER_MS);
    return { what, abusiveMs, outcome, gets: await loop.stop() };
  };

  const grpcRun = await during(`gRPC Tasks.Create, ${opts.grpcLabels} labels`, async () => {
    const tasks = connect(maestroApi().Tasks, target, { 'grpc.max_send_message_length': 64 * 1024 * 1024 });
    try {
      await unary(
        tasks,
        'Create',
        { projectId, title: 'abusive', labels: labels(opts.grpcLabels) },
        metadata,
        ABUSE_DEADLINE_MS,
      );
      return 'created';
    } catch (error) {
      return `refused: ${grpcCode(error)}`;
    } finally {
      tasks.close();
    }
  });

  const wsRun = await during(
    `WebSocket task.create, ${opts.wsLabels} labels`,
    () =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${http.replace(/^http/, 'ws')}/ws`, { perMessageDeflate: false });
        const finish = (outcome) => {
          ws.terminate();
          resolve(outcome);
        };
        ws.on('error', (error) => finish(`error: ${error.message}`));
        ws.on('close', (code) => finish(`closed: ${code}`));
        ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', clientId: 'abuser', token })));
        ws.on('message', (data) => {
          const m = JSON.parse(String(data));
          if (m.type === 'welcome') {
            ws.send(
              JSON.stringify({
                type: 'command',
                id: 'abuse',
                op: 'task.create',
                args: { projectId, title: 'abusive', labels: labels(opts.wsLabels) },
              }),
            );
          } else if (m.type === 'ack') finish(m.ok ? 'created' : `refused: ${m.error.code}`);
        });
      }),
  );
  return { baseline, runs: [grpcRun, wsRun] };
}

/** Writers that create tasks (about 2.4 KB of event each) until `stop()`. */
function flood(target, metadata, projectId) {
  let stopped = false;
  let created = 0;
  const writers = Array.from({ length: FLOOD_WRITERS }, (_, w) =>
    (async () => {
      const tasks = connect(maestroApi().Tasks, target);
      for (let i = 0; !stopped; i++) {
        try {
          await unary(
            tasks,
            'Create',
            { projectId, title: `flood-${w}-${i}`, description: FLOOD_DESCRIPTION },
            metadata,
            60_000,
          );
          created++;
        } catch {
          // counted by what was created
        }
      }
      tasks.close();
    })(),
  );
  return {
    async stop() {
      stopped = true;
      await Promise.all(writers);
      return created;
    },
  };
}

/** Samples the server (and `others`, e.g. the CLI processes) every second while `body` runs. */
async function sampled(ctx, seconds, others = () => []) {
  const { target, metadata, projectId, taskId, pid, http } = ctx;
  const writers = flood(target, metadata, projectId);
  const tasks = connect(maestroApi().Tasks, target);
  const samples = [];
  const started = performance.now();
  for (let s = 0; s <= seconds; s++) {
    const t0 = performance.now();
    let getMs = null;
    try {
      await unary(tasks, 'Get', { id: taskId }, metadata, 30_000);
      getMs = Math.round((performance.now() - t0) * 10) / 10;
    } catch {
      getMs = 'failed';
    }
    const clientRss = others().map((p) => memoryOf(p).rssMiB);
    samples.push({
      s: Math.round((performance.now() - started) / 100) / 10,
      rssMiB: memoryOf(pid).rssMiB,
      heapMiB: await heapOf(http),
      getMs,
      ...(clientRss.length
        ? { clientsRssMiB: Math.round(clientRss.reduce((a, b) => a + (b ?? 0), 0) * 10) / 10 }
        : {}),
    });
    await sleep(Math.max(0, SAMPLE_MS - (performance.now() - t0)));
  }
  const created = await writers.stop();
  tasks.close();
  return { samples, created };
}

/** Part b1: gRPC watchers that stop reading. */
async function stalledWatchers(ctx, opts) {
  const events = connect(maestroApi().Events, ctx.target);
  // From the newest event: live watchers, as a dashboard that stopped reading would be. (A replay
  // waits for its reader instead, and holds one page.)
  const { lastSeq } = await unary(events, 'List', { sinceSeq: 0, limit: 1 }, ctx.metadata);
  const ends = [];
  const streams = Array.from({ length: opts.watchers }, () => {
    const stream = events.Watch({ sinceSeq: lastSeq }, ctx.metadata);
    const end = { code: null };
    ends.push(end);
    stream.on('error', (error) => (end.code = grpcCode(error)));
    stream.on('status', (status) => (end.code ??= grpc.status[status.code]));
    stream.on('data', () => undefined);
    stream.pause();
    return stream;
  });
  const run = await sampled(ctx, opts.floodS);
  // A paused stream shows no status; read again and see how each one was ended.
  for (const s of streams) s.resume();
  const deadline = performance.now() + ENDINGS_WAIT_MS;
  while (ends.some((e) => e.code === null) && performance.now() < deadline) await sleep(100);
  const endings = {};
  for (const e of ends) endings[e.code ?? 'still open'] = (endings[e.code ?? 'still open'] ?? 0) + 1;
  for (const s of streams) s.cancel();
  events.close();
  return { ...run, endings };
}

/** Part b2: `maestro events --follow --json | sleep 600`, the reader never reading. */
async function stalledPipes(ctx, opts) {
  const pipes = Array.from({ length: opts.pipes }, () => {
    const sleeper = spawn('sleep', ['600'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const cli = spawn(process.execPath, [CLI, 'events', '--follow', '--json'], {
      env: { ...process.env, MAESTRO_SERVER: ctx.target, MAESTRO_TOKEN: ctx.token, MAESTRO_HOME: ctx.home },
      stdio: ['ignore', sleeper.stdin, 'ignore'],
    });
    return { sleeper, cli };
  });
  try {
    return await sampled(ctx, opts.floodS, () => pipes.map((p) => p.cli.pid));
  } finally {
    for (const p of pipes) {
      p.cli.kill('SIGKILL');
      p.sleeper.kill('SIGKILL');
    }
  }
}

/** Part c: sockets that never say hello. */
async function silentSockets(ctx, opts) {
  const before = memoryOf(ctx.pid).rssMiB;
  const outcomes = { accepted: 0, refused429: 0, refusedOther: 0, failed: 0 };
  const open = [];
  const connectOne = () =>
    new Promise((resolve) => {
      const ws = new WebSocket(`${ctx.http.replace(/^http/, 'ws')}/ws`, { perMessageDeflate: false });
      let settled = false;
      const settle = (outcome) => {
        if (settled) return;
        settled = true;
        outcomes[outcome]++;
        resolve();
      };
      ws.on('error', () => settle('failed'));
      ws.once('open', () => {
        open.push(ws);
        settle('accepted');
      });
      ws.once('unexpected-response', (_req, res) => {
        settle(res.statusCode === 429 ? 'refused429' : 'refusedOther');
        ws.terminate();
      });
    });
  const started = performance.now();
  for (let i = 0; i < opts.sockets; i += CONNECT_BATCH) {
    await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, opts.sockets - i) }, connectOne));
  }
  const connectMs = Math.round(performance.now() - started);
  const held = memoryOf(ctx.pid).rssMiB;
  const stillOpen = open.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  for (const ws of open) ws.terminate();
  return { ...outcomes, connectMs, stillOpenAtEnd: stillOpen, rssBeforeMiB: before, rssWithSocketsMiB: held };
}

async function main() {
  const opts = options();
  requireBuild();
  const machine = machineInfo();
  await withServerHome({ prefix: 'maestro-bench-abuse-', budgetMs: 30 * 60_000 }, async ({ home, start }) => {
    const started = await start();
    if (!started) return;
    const { server, pid, target, token } = started;
    const { http } = await server.ready;
    const metadata = metadataFor(token, 'bench-abuse');
    const project = await resolveProject(target, metadata, createWorkspace(home));
    const tasks = connect(maestroApi().Tasks, target);
    const task = await unary(
      tasks,
      'Create',
      { projectId: project.id, title: 'the normal call reads this' },
      metadata,
    );
    tasks.close();
    const ctx = { home, pid, target, token, http, metadata, projectId: project.id, taskId: task.id };
    const result = { machine, options: { ...opts, parts: [...opts.parts] } };
    const lines = [`abuse bench: node ${machine.node}, ${machine.cores} cores, ${machine.cpu}`];

    if (opts.parts.has('a')) {
      const a = await abusiveRequests(ctx, opts);
      result.abusiveRequests = a;
      lines.push('', 'a. Tasks.Get (ms) before and during an abusive request');
      lines.push(
        ...statsTable(
          ['phase', 'count', 'p50', 'p99', 'max', 'failures'],
          [['baseline', a.baseline], ...a.runs.map((r) => [`during ${r.what}`, r.gets])],
        ),
      );
      for (const r of a.runs) lines.push(`  ${r.what}: answered in ${r.abusiveMs} ms, ${r.outcome}`);
    }
    if (opts.parts.has('b')) {
      const table = (samples, extra) =>
        formatTable(
          ['t (s)', 'server RSS MiB', 'heap MiB', 'Tasks.Get ms', ...(extra ? ['CLIs RSS MiB'] : [])],
          samples.map((s) => [
            String(s.s),
            String(s.rssMiB),
            String(s.heapMiB),
            String(s.getMs),
            ...(extra ? [String(s.clientsRssMiB)] : []),
          ]),
        );
      const calm = await sampled(ctx, opts.floodS);
      result.floodAlone = calm;
      lines.push(
        '',
        `b0. the same flood with no stalled client, ${calm.created} tasks created in ${opts.floodS} s`,
      );
      lines.push(...table(calm.samples, false));
      const watchers = await stalledWatchers(ctx, opts);
      result.stalledWatchers = watchers;
      lines.push(
        '',
        `b1. ${opts.watchers} gRPC watchers that stop reading, ${watchers.created} tasks created in ${opts.floodS} s`,
      );
      lines.push(...table(watchers.samples, false));
      lines.push(`  how the watchers ended: ${JSON.stringify(watchers.endings)}`);
      const pipes = await stalledPipes(ctx, opts);
      result.stalledPipes = pipes;
      lines.push(
        '',
        `b2. ${opts.pipes} \`maestro events --follow --json | sleep 600\` pipes, ${pipes.created} tasks created in ${opts.floodS} s`,
      );
      lines.push(...table(pipes.samples, true));
    }
    if (opts.parts.has('c')) {
      const c = await silentSockets(ctx, opts);
      result.silentSockets = c;
      lines.push('', `c. ${opts.sockets} WebSocket connections that never say hello`);
      lines.push(
        `  accepted ${c.accepted}, refused with 429 ${c.refused429}, refused otherwise ${c.refusedOther}, failed ${c.failed} (in ${c.connectMs} ms); still open at the end ${c.stillOpenAtEnd}`,
      );
      lines.push(`  server RSS ${c.rssBeforeMiB} MiB before, ${c.rssWithSocketsMiB} MiB with them`);
    }
    const stopped = await stopServer(server);
    result.stop = stopped;
    lines.push(
      '',
      `server stopped: code ${stopped.code}, ${stopped.ms} ms${stopped.killed ? ' (killed)' : ''}`,
    );
    console.log(lines.join('\n'));
    console.log(JSON.stringify(result));
  });
}

runMain(main);
