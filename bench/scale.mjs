#!/usr/bin/env node
// Scaling benchmark: how the server's reads, dependency checks, event replay and memory behave as a
// project grows. For each size it starts the real server (built CLI, fresh MAESTRO_HOME, SQLite,
// loopback only), seeds the store straight into its SQLite file in one transaction (tasks, two
// dependency chains, 100k events), restarts the server on it and measures over gRPC and the CLI.
//
//   node bench/scale.mjs [--sizes 1000,10000,50000] [--events 100000] [--runs 5] [--agents 4]
//                        [--agent-seconds 3] [--pg-url postgres://…/postgres]
//
// With --pg-url the server runs on a new PostgreSQL database per size (dropped at the end), seeded
// with tasks over gRPC (no chains or extra events: those figures are left out).
//
// Prints a table per size and, as its last line, one JSON object with every figure. See
// bench/README.md.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import {
  CLI,
  checkServerStop,
  connect,
  createWorkspace,
  formatTable,
  latencyStats,
  machineInfo,
  machineLoadBefore,
  coreCount,
  maestroApi,
  memoryOf,
  metadataFor,
  parseOptions,
  pgAdmin,
  pgUrlFor,
  requireBuild,
  resolveProject,
  runMain,
  runSummary,
  stopServer,
  unary,
  withServerHome,
  wholeOption,
} from './lib.mjs';

const HELP = `Usage: node bench/scale.mjs [options]

  --sizes LIST       task counts to seed, comma-separated (default 1000,10000,50000; BENCH_SIZES)
  --events N         events seeded into the log (default 100000; BENCH_EVENTS)
  --runs N           timed runs of each read, median reported (default 5; BENCH_RUNS)
  --agents N         agents looping Get/Start/Release (default 4; BENCH_AGENTS)
  --agent-seconds S  seconds of each agents' phase (default 3; BENCH_AGENT_SECONDS)
  --pg-url URL       run on PostgreSQL: a new database per size on this server, seeded over gRPC
                     with tasks only (the URL's role must be able to create databases)
  --help             this text

Per size: a list page of 100, the whole list (every page), status, ready, get, a dependency add at
the end of a 1,000 and a 5,000-task chain and its cycle refusal, the time to the first event of a
replay from 0, the agents' calls/s alone and while another client repeats status / a whole list,
the CLI's task list --json, and the server's RSS.`;

const CHAINS = [1000, 5000];
/** A whole list of 50,000 tasks in one reply is past gRPC's default 4 MiB. */
const CHANNEL = { 'grpc.max_receive_message_length': 256 * 1024 * 1024 };
const DEADLINE_MS = 30_000;

function options() {
  const v = parseOptions(['sizes', 'events', 'runs', 'agents', 'agent-seconds', 'pg-url'], HELP);
  const env = process.env;
  const sizes = String(v.sizes ?? env.BENCH_SIZES ?? '1000,10000,50000')
    .split(',')
    .map((s, i) => wholeOption(`sizes[${i}]`, s.trim(), undefined, 10, 1_000_000));
  return {
    sizes,
    events: wholeOption('events', v.events ?? env.BENCH_EVENTS, 100_000, 0, 1_000_000),
    runs: wholeOption('runs', v.runs ?? env.BENCH_RUNS, 5, 1, 100),
    agents: wholeOption('agents', v.agents ?? env.BENCH_AGENTS, 4, 1, 64),
    agentSeconds: wholeOption('agent-seconds', v['agent-seconds'] ?? env.BENCH_AGENT_SECONDS, 3, 1, 120),
    pgUrl: v['pg-url'] ?? null,
  };
}

/** `size` tasks made over gRPC by 16 clients at once (PostgreSQL: its file cannot be written directly). */
async function seedOverGrpc(target, metadata, projectId, size) {
  let next = 1; // the template task is the first
  const clients = Array.from({ length: 16 }, () => connect(maestroApi().Tasks, target, CHANNEL));
  await Promise.all(
    clients.map(async (client) => {
      while (next < size) {
        const i = next++;
        await unary(
          client,
          'Create',
          { projectId, title: `task ${i}`, priority: ['low', 'medium', 'high'][i % 3] },
          metadata,
        );
      }
    }),
  );
  for (const c of clients) c.close();
}

const ms = (start) => Math.round((performance.now() - start) * 100) / 100;

async function timed(runs, fn) {
  const samples = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await fn();
    samples.push(performance.now() - t);
  }
  return { ...runSummary(samples), last };
}

// ---- seeding -------------------------------------------------------------------------------

/**
 * Seeds `size` tasks into the project (row `projectRow`) in one transaction: the first 1,000 form a
 * chain (each depends on the one before), the next 5,000 another when the size allows; of the rest
 * a fifth are completed. Plus `events` rows in the event log. Returns the chains' task row ids.
 */
function seed(dbPath, projectRow, size, events) {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  const template = db
    .prepare('select state, machine_version from tasks where project_id = ? limit 1')
    .get(projectRow);
  const pending = JSON.parse(template.state);
  const completed = JSON.stringify({ ...pending, value: 'completed' });
  const pendingJson = JSON.stringify(pending);
  const insertTask = db.prepare(
    `insert into tasks (project_id, title, description, status, priority, priority_rank, parent_id, labels, state,
       machine_version, version, created_at, updated_at, completed_at) values (?, ?, ?, ?, ?, ?, null, ?, ?, ?, 1, ?, ?, ?)`,
  );
  const insertDep = db.prepare(
    'insert into task_dependencies (task_id, depends_on_id, created_at) values (?, ?, ?)',
  );
  const insertEvent = db.prepare(
    `insert into event_log (type, entity_type, entity_id, project_id, data, created_at) values (?, 'task', ?, ?, ?, ?)`,
  );
  const priorities = ['high', 'medium', 'low'];
  const chains = [];
  const now = Date.now();
  db.transaction(() => {
    let made = 0;
    for (const length of CHAINS) {
      if (made + length > size) break;
      const ids = [];
      for (let i = 0; i < length; i++) {
        const info = insertTask.run(
          projectRow,
          `Chain ${length} step ${i + 1}`,
          '',
          'pending',
          'medium',
          1,
          '["chain"]',
          pendingJson,
          template.machine_version,
          now,
          now,
          null,
        );
        const id = Number(info.lastInsertRowid);
        if (ids.length) insertDep.run(id, ids[ids.length - 1], now);
        ids.push(id);
      }
      chains.push({ length, ids });
      made += length;
    }
    for (let n = made; n < size; n++) {
      const done = n % 5 === 0;
      const p = n % 3;
      insertTask.run(
        projectRow,
        `Seeded task ${n + 1}`,
        `Work item ${n + 1}: a description of moderate length.`,
        done ? 'completed' : 'pending',
        priorities[p],
        p,
        n % 2 ? '["backend"]' : '["frontend"]',
        done ? completed : pendingJson,
        template.machine_version,
        now,
        now,
        done ? now : null,
      );
    }
    const data = JSON.stringify({ actor: 'bench-seed', changes: { title: 'x'.repeat(200) } });
    for (let e = 0; e < events; e++)
      insertEvent.run('task.updated', `t_${(e % size) + 1}`, `p_${projectRow}`, data, now);
  })();
  db.close();
  return chains.map((c) => ({
    length: c.length,
    head: `t_${c.ids[0]}`,
    tail: `t_${c.ids[c.ids.length - 1]}`,
  }));
}

// ---- measurements --------------------------------------------------------------------------

/** Every page of Tasks.List; a server without pages answers everything at once. */
async function wholeList(tasks, metadata, projectId, pageSize) {
  let pageToken = '';
  let count = 0;
  let pages = 0;
  do {
    const reply = await unary(tasks, 'List', { projectId, pageSize, pageToken }, metadata, DEADLINE_MS);
    count += reply.tasks.length;
    pages++;
    pageToken = reply.nextPageToken ?? '';
  } while (pageToken);
  return { count, pages };
}

function cli(args, env) {
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    child.stdout.on('data', (c) => (bytes += c.length));
    child.stderr.resume();
    child.on('exit', (code) => resolve({ code, bytes, ms: performance.now() - t }));
  });
}

/**
 * The other client (`load`: `status` or `list`, a whole list) runs in a thread of its own, as a
 * client of its own would: decoding a 1,000-task page takes a while, and in the agents' thread it
 * would hold them up as much as the server does. Resolves once it is connected; `stop` resolves with
 * how many loads it completed.
 */
function startLoad(load, target, token, projectId) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { load, target, token, projectId } });
  let calls;
  const ready = new Promise((resolve, reject) => {
    worker.on('message', (m) => (m.ready ? resolve() : (calls = m.calls)));
    worker.once('error', reject);
  });
  const done = new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) =>
      calls === undefined ? reject(new Error(`load thread exited with code ${code}`)) : resolve(calls),
    );
  });
  return ready.then(() => ({
    stop() {
      worker.postMessage('stop');
      return done;
    },
  }));
}

async function loadThread({ load, target, token, projectId }) {
  let stop = false;
  parentPort.once('message', () => (stop = true));
  const metadata = metadataFor(token, 'bench-reader');
  const client = connect(load === 'status' ? maestroApi().Server : maestroApi().Tasks, target, CHANNEL);
  parentPort.postMessage({ ready: true });
  let calls = 0;
  while (!stop) {
    if (load === 'status') await unary(client, 'Status', { projectId }, metadata, DEADLINE_MS);
    else await wholeList(client, metadata, projectId, 1000);
    calls++;
  }
  client.close();
  parentPort.postMessage({ calls });
}

/** The agents loop Get/Start/Release on tasks of their own for `seconds`, while `load` runs. */
async function agentsPhase(target, token, agentTasks, seconds, load, projectId) {
  const latencies = [];
  let calls = 0;
  let errors = 0;
  let stop = false;
  let loadCalls = 0;
  const clients = agentTasks.map(() => connect(maestroApi().Tasks, target, CHANNEL));
  const agent = async (i) => {
    const metadata = metadataFor(token, `bench-agent-${i}`);
    const id = agentTasks[i];
    while (!stop) {
      for (const method of ['Get', 'Start', 'Release']) {
        const t = performance.now();
        try {
          await unary(clients[i], method, { id }, metadata, DEADLINE_MS);
          calls++;
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }
  };
  const loader = load ? await startLoad(load, target, token, projectId) : null;
  const started = performance.now();
  const runs = agentTasks.map((_, i) => agent(i));
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stop = true;
  await Promise.all(runs);
  if (loader) loadCalls = await loader.stop();
  const elapsed = (performance.now() - started) / 1000;
  for (const c of clients) c.close();
  const stats = latencyStats(latencies);
  return {
    callsPerSecond: Math.round(calls / elapsed),
    p50: stats.p50,
    p99: stats.p99,
    errors,
    loadCalls,
  };
}

async function measureSize(size, opts) {
  if (!opts.pgUrl) return measureOn(size, opts, null);
  const database = `maestro_bench_scale_${process.pid}_${size}`;
  await pgAdmin(opts.pgUrl, `create database "${database}"`);
  try {
    return await measureOn(size, opts, pgUrlFor(opts.pgUrl, database));
  } finally {
    await pgAdmin(opts.pgUrl, `drop database if exists "${database}"`).catch(() => undefined);
  }
}

async function measureOn(size, opts, dbUrl) {
  return withServerHome({ prefix: 'maestro-bench-scale-', budgetMs: 3_600_000 }, async ({ home, start }) => {
    const workingDir = createWorkspace(home);
    let s = await start({ logToFile: true, dbUrl });
    if (!s) return null;
    let metadata = metadataFor(s.token, 'bench');
    const project = await resolveProject(s.target, metadata, workingDir);
    {
      const tasks = connect(maestroApi().Tasks, s.target, CHANNEL);
      await unary(tasks, 'Create', { projectId: project.id, title: 'template' }, metadata);
      tasks.close();
    }
    const seedStart = performance.now();
    if (dbUrl) await seedOverGrpc(s.target, metadata, project.id, size);
    checkServerStop(await stopServer(s.server));
    const projectRow = Number(project.id.replace(/^p_/, ''));
    const chains = dbUrl ? [] : seed(join(home, 'maestro.db'), projectRow, size, opts.events);
    const seedMs = ms(seedStart);

    s = await start({ logToFile: true, dbUrl });
    if (!s) return null;
    metadata = metadataFor(s.token, 'bench');
    const rssIdle = memoryOf(s.pid);
    const tasks = connect(maestroApi().Tasks, s.target, CHANNEL);
    const server = connect(maestroApi().Server, s.target, CHANNEL);
    const eventsApi = connect(maestroApi().Events, s.target, CHANNEL);
    const projectId = project.id;
    const result = { size, seedMs, rssIdleMiB: rssIdle.rssMiB };
    try {
      await unary(tasks, 'List', { projectId, pageSize: 100 }, metadata, DEADLINE_MS); // warm-up
      const page = await timed(opts.runs, () =>
        unary(tasks, 'List', { projectId, pageSize: 100 }, metadata, DEADLINE_MS),
      );
      result.listPage100Ms = page.median;
      result.listPageCount = page.last.tasks.length;
      const whole = await timed(Math.min(opts.runs, 3), () => wholeList(tasks, metadata, projectId, 1000));
      result.wholeListMs = whole.median;
      result.wholeListCount = whole.last.count;
      result.wholeListPages = whole.last.pages;
      const status = await timed(opts.runs, () =>
        unary(server, 'Status', { projectId }, metadata, DEADLINE_MS),
      );
      result.statusMs = status.median;
      const ready = await timed(opts.runs, () => unary(tasks, 'Ready', { projectId }, metadata, DEADLINE_MS));
      result.readyMs = ready.median;
      result.readyCount = ready.last.tasks.length;
      const readyPage = await timed(opts.runs, () =>
        unary(tasks, 'List', { projectId, ready: true, pageSize: 100 }, metadata, DEADLINE_MS),
      );
      result.readyPage100Ms = readyPage.median;
      result.readyPageCount = readyPage.last.tasks.length;
      const get = await timed(opts.runs, () => unary(tasks, 'Get', { id: 't_1' }, metadata, DEADLINE_MS));
      result.getMs = get.median;

      for (const chain of chains) {
        // A legal edge: a fresh task depends on the chain's end (the check walks the whole chain).
        const fresh = await unary(tasks, 'Create', { projectId, title: `after ${chain.length}` }, metadata);
        let t = performance.now();
        await unary(
          tasks,
          'AddDependency',
          { taskId: fresh.id, dependsOnId: chain.tail },
          metadata,
          DEADLINE_MS,
        );
        result[`depAdd${chain.length}Ms`] = ms(t);
        // The cycle: the chain's head would depend on its end. On a connection of its own: a refusal
        // too big for the HTTP/2 trailers can leave its connection stuck.
        const own = connect(maestroApi().Tasks, s.target, {
          ...CHANNEL,
          'grpc.use_local_subchannel_pool': 1,
        });
        t = performance.now();
        let refusal = 'accepted?!';
        let refusalBytes = 0;
        try {
          await unary(
            own,
            'AddDependency',
            { taskId: chain.head, dependsOnId: chain.tail },
            metadata,
            DEADLINE_MS,
          );
        } catch (error) {
          refusalBytes =
            Buffer.byteLength(error.details ?? '') +
            Object.values(error.metadata?.getMap() ?? {}).reduce((n, v) => n + String(v).length, 0);
          refusal =
            error.code === 4
              ? 'deadline exceeded'
              : (error.metadata?.get('maestro-code')?.[0] ?? `code ${error.code}`);
        }
        result[`cycleRefusal${chain.length}Ms`] = ms(t);
        own.close();
        result[`cycleRefusal${chain.length}`] = String(refusal);
        result[`cycleRefusal${chain.length}Bytes`] = refusalBytes;
      }

      // Replay from 0: time to the first event.
      {
        const t = performance.now();
        const first = await new Promise((resolve) => {
          const call = eventsApi.Watch({ sinceSeq: 0 }, metadata, { deadline: Date.now() + DEADLINE_MS });
          call.once('data', () => {
            resolve(ms(t));
            call.cancel();
          });
          call.on('error', (e) => resolve(e.code === 1 ? ms(t) : `failed: ${e.code} ${e.details}`));
        });
        result.replayFirstEventMs = first;
      }

      // Agents: tasks of their own, pending without dependencies.
      const agentTasks = [];
      for (let i = 0; i < opts.agents; i++)
        agentTasks.push((await unary(tasks, 'Create', { projectId, title: `agent ${i}` }, metadata)).id);
      const phase = (load) => agentsPhase(s.target, s.token, agentTasks, opts.agentSeconds, load, projectId);
      result.agentsAlone = await phase(null);
      result.agentsWithStatus = await phase('status');
      result.agentsWithList = await phase('list');

      // The CLI: the default `task list --json`, and every task.
      const env = {
        ...process.env,
        MAESTRO_HOME: home,
        MAESTRO_SERVER: s.target,
        MAESTRO_PROJECT_ID: projectId,
      };
      delete env.MAESTRO_TOKEN;
      const cliDefault = await cli(['task', 'list', '--json'], env);
      result.cliListMs = Math.round(cliDefault.ms);
      result.cliListBytes = cliDefault.bytes;
      const cliAll = await cli(['task', 'list', '--all', '--json'], env);
      result.cliListAllMs = cliAll.code === 0 ? Math.round(cliAll.ms) : `exit ${cliAll.code}`;
      result.cliListAllBytes = cliAll.bytes;

      const mem = memoryOf(s.pid);
      result.rssEndMiB = mem.rssMiB;
      result.rssPeakMiB = mem.peakRssMiB;
    } finally {
      tasks.close();
      server.close();
      eventsApi.close();
      checkServerStop(await stopServer(s.server));
    }
    return result;
  });
}

async function main() {
  requireBuild();
  const opts = options();
  const before = await machineLoadBefore(coreCount());
  const results = [];
  for (const size of opts.sizes) {
    console.log(`scale: ${size} tasks, ${opts.events} events ...`);
    try {
      const r = await measureSize(size, opts);
      if (!r) return;
      results.push(r);
    } catch (error) {
      // One size failing (a call past its deadline) still leaves the others' figures.
      console.error(`scale: ${size} tasks failed: ${error?.stack ?? error}`);
      process.exitCode = 1;
    }
  }
  const fmt = (v) => (v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const rows = [
    ['seed (ms, SQL, one transaction)', 'seedMs'],
    ['Tasks.List page of 100 (ms)', 'listPage100Ms'],
    ['  tasks in that reply', 'listPageCount'],
    ['whole list, every page (ms)', 'wholeListMs'],
    ['  tasks / pages', (r) => `${r.wholeListCount}/${r.wholeListPages}`],
    ['Server.Status (ms)', 'statusMs'],
    ['Tasks.Ready (ms)', 'readyMs'],
    ['  ready tasks in that reply', 'readyCount'],
    ['Tasks.List ready page of 100 (ms)', 'readyPage100Ms'],
    ['Tasks.Get (ms)', 'getMs'],
    ['dep add after 1,000 chain (ms)', 'depAdd1000Ms'],
    ['cycle refusal 1,000 chain (ms)', 'cycleRefusal1000Ms'],
    ['  answered / bytes', (r) => `${fmt(r.cycleRefusal1000)}/${fmt(r.cycleRefusal1000Bytes)}`],
    ['dep add after 5,000 chain (ms)', 'depAdd5000Ms'],
    ['cycle refusal 5,000 chain (ms)', 'cycleRefusal5000Ms'],
    ['  answered / bytes', (r) => `${fmt(r.cycleRefusal5000)}/${fmt(r.cycleRefusal5000Bytes)}`],
    ['replay from 0: first event (ms)', 'replayFirstEventMs'],
    ['agents alone (calls/s, p99 ms)', (r) => `${r.agentsAlone.callsPerSecond}, ${r.agentsAlone.p99}`],
    ['agents + repeated status', (r) => `${r.agentsWithStatus.callsPerSecond}, ${r.agentsWithStatus.p99}`],
    ['agents + repeated whole list', (r) => `${r.agentsWithList.callsPerSecond}, ${r.agentsWithList.p99}`],
    ['CLI task list --json (ms / bytes)', (r) => `${r.cliListMs}/${r.cliListBytes}`],
    ['CLI task list --all --json (ms / bytes)', (r) => `${r.cliListAllMs}/${r.cliListAllBytes}`],
    ['server RSS idle after seed (MiB)', 'rssIdleMiB'],
    ['server RSS at end / peak (MiB)', (r) => `${r.rssEndMiB}/${r.rssPeakMiB}`],
  ];
  console.log(
    `\nmachine: node ${process.version}, ${coreCount()} cores; before: load ${before.loadAverage1mBefore}, ` +
      `${before.busyPercentOfOneCoreBefore}% of one core busy; ${opts.events} events, ${opts.agents} agents, ` +
      `median of ${opts.runs} runs`,
  );
  const table = formatTable(
    ['figure', ...results.map((r) => `${r.size} tasks`)],
    rows.map(([name, key]) => [
      name,
      ...results.map((r) => fmt(typeof key === 'function' ? key(r) : r[key])),
    ]),
  );
  for (const line of table) console.log(line);
  console.log(JSON.stringify({ bench: 'scale', machine: machineInfo(), before, options: opts, results }));
}

if (isMainThread) runMain(main);
else await loadThread(workerData);
