#!/usr/bin/env node
// Autopilot benchmark: a graph of --tasks tasks (each waits on up to two of the twenty before it)
// run by the autopilot with a cap of --cap workers, against a `maestro server start` process with
// its own pipe runner. The agents are instant: a shell script that starts and completes its task
// with the real CLI (two calls) and exits. From the event log it measures:
//  - the scheduling delay: from what last made a spawn possible (its task became ready: the
//    autopilot turned on or its last dependency completed; or a worker ended, freeing a slot) to
//    "spawned" (its session created), p50 and p99; and ready -> spawned including waits for the cap;
//  - from spawned to the runner's start of the agent, and the agent's own run time;
//  - the overhead per task: wall time x cap less the agents' run time, per task;
//  - the cap held: the most live workers at once.
// Prints a report, then one JSON line with the figures:
//
//   npm run build && npm run bench:autopilot [-- --tasks 200 --cap 8]
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CLI,
  formatTable,
  latencyStats,
  machineInfo,
  maestroApi,
  connect,
  unary,
  metadataFor,
  parseOptions,
  requireBuild,
  runMain,
  sleep,
  stopServer,
  wholeOption,
  withServerHome,
} from './lib.mjs';

const run = promisify(execFile);

const HELP = `Usage: npm run bench:autopilot -- [options]

  --tasks N   tasks in the graph (default 200)
  --cap N     the autopilot's --max-workers (default 8)
  --help      this text`;

function options() {
  const values = parseOptions(['tasks', 'cap'], HELP);
  return {
    tasks: wholeOption('tasks', values.tasks, 200, 1, 5000),
    cap: wholeOption('cap', values.cap, 8, 1, 64),
  };
}

/** A fixed pseudo-random sequence, so every run builds the same graph. */
function random(seed) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

async function main() {
  requireBuild();
  const { tasks: count, cap } = options();
  await withServerHome({ prefix: 'maestro-bench-autopilot-', budgetMs: 20 * 60_000 }, async (ctx) => {
    const bin = join(ctx.home, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'maestro'),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
    );
    chmodSync(join(bin, 'maestro'), 0o755);
    const agent = join(bin, 'instant-agent');
    writeFileSync(
      agent,
      '#!/bin/sh\nmaestro task start --json >/dev/null && exec maestro task complete --json >/dev/null\n',
    );
    chmodSync(agent, 0o755);
    const workdir = join(ctx.home, 'project');
    mkdirSync(workdir);
    const started = await ctx.start({
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        MAESTRO_RUNNER: 'pipe',
        MAESTRO_AGENT_COMMAND: agent,
        MAESTRO_MAX_SESSIONS: String(Math.max(cap * 2, 16)),
      },
      logToFile: true,
    });
    if (!started) return;
    const { server, target, token } = started;
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      MAESTRO_SERVER: target,
      MAESTRO_TOKEN: token,
      MAESTRO_HOME: ctx.home,
      MAESTRO_ACTOR: 'bench',
    };
    await run(process.execPath, [CLI, 'project', 'create', 'bench', '--dir', workdir, '--json'], {
      env,
      cwd: workdir,
    });

    const api = maestroApi();
    const tasksClient = connect(api.Tasks, target);
    const md = metadataFor(token, 'bench');
    const rand = random(42);
    const ids = [];
    for (let i = 0; i < count; i++) {
      const deps = new Set();
      if (i > 0)
        for (let k = 0; k < 2; k++)
          if (rand() < 0.7) deps.add(ids[Math.max(0, i - 1 - Math.floor(rand() * 20))]);
      const t = await unary(
        tasksClient,
        'Create',
        { projectId: 'bench', title: `Task ${i + 1}`, dependsOn: [...deps] },
        md,
      );
      ids.push(t.id);
    }
    tasksClient.close();

    const t0 = performance.now();
    await run(
      process.execPath,
      [CLI, 'autopilot', 'on', '--project', 'bench', '--max-workers', String(cap), '--json'],
      { env, cwd: workdir },
    );
    const eventsClient = connect(api.Events, target);
    const allEvents = async () => {
      const out = [];
      for (let since = 0; ;) {
        const page = await unary(eventsClient, 'List', { sinceSeq: since, limit: 10_000 }, md);
        out.push(...page.events);
        if (!page.events.length || page.events.at(-1).seq >= page.lastSeq) return out;
        since = page.events.at(-1).seq;
      }
    };
    for (;;) {
      const events = await allEvents();
      const done = events.filter((e) => e.type === 'task.completed').length;
      if (done >= count) break;
      if (performance.now() - t0 > 15 * 60_000) throw new Error(`only ${done} of ${count} tasks completed`);
      await sleep(500);
    }
    const wallMs = performance.now() - t0;
    const events = (await allEvents()).map((e) => ({
      ...e,
      data: JSON.parse(e.dataJson),
      at: Date.parse(e.createdAt),
    }));
    eventsClient.close();

    const onAt = events.find((e) => e.type === 'autopilot.on').at;
    const completedAt = new Map(
      events.filter((e) => e.type === 'task.completed').map((e) => [e.entityId, e.at]),
    );
    const created = new Map();
    const startedAt = new Map();
    const endedAt = new Map();
    let live = 0;
    let maxLive = 0;
    let doubled = 0;
    const liveTasks = new Map();
    /** (time, live workers after it), in log order. */
    const transitions = [];
    for (const e of events) {
      if (e.entityType !== 'session') continue;
      const s = e.data.session;
      if (e.type === 'session.created') {
        if ([...liveTasks.values()].includes(s.taskIds[0])) doubled++;
        liveTasks.set(e.entityId, s.taskIds[0]);
        created.set(s.taskIds[0], { at: e.at, session: e.entityId });
        maxLive = Math.max(maxLive, ++live);
        transitions.push([e.at, live]);
      }
      if (e.type === 'session.running') startedAt.set(e.entityId, e.at);
      if (['session.completed', 'session.failed', 'session.stopped', 'session.lost'].includes(e.type)) {
        endedAt.set(e.entityId, e.at);
        liveTasks.delete(e.entityId);
        live--;
        transitions.push([e.at, live]);
      }
    }
    // Dependencies as created: from the tasks' own records.
    const tasksClient2 = connect(api.Tasks, target);
    const deps = new Map();
    for (let cursor = ''; ;) {
      const page = await unary(
        tasksClient2,
        'List',
        { projectId: 'bench', pageToken: cursor, pageSize: 1000 },
        md,
      ).catch(() => unary(tasksClient2, 'List', { projectId: 'bench' }, md));
      for (const t of page.tasks) deps.set(t.id, t.dependsOn);
      if (!page.nextPageToken) break;
      cursor = page.nextPageToken;
    }
    tasksClient2.close();

    /**
     * What last made a spawn possible: its task became ready, or a worker ended (a slot freed),
     * whichever came later before the spawn. The scheduler reacts to both; this is its reaction time.
     */
    const ends = transitions.filter((t, k) => k > 0 && t[1] < transitions[k - 1][1]).map((t) => t[0]);
    const triggerOf = (ready, spawnedAt) => {
      let last = ready;
      for (const at of ends) if (at <= spawnedAt && at > last) last = at;
      return last;
    };
    const readyToSpawned = [];
    const schedulingDelay = [];
    const spawnedToStarted = [];
    const agentRun = [];
    for (const id of ids) {
      const c = created.get(id);
      if (!c) continue;
      const ready = Math.max(onAt, ...(deps.get(id) ?? []).map((d) => completedAt.get(d) ?? onAt));
      readyToSpawned.push(c.at - ready);
      schedulingDelay.push(c.at - triggerOf(ready, c.at));
      const s = startedAt.get(c.session);
      if (s !== undefined) spawnedToStarted.push(s - c.at);
      const end = endedAt.get(c.session);
      if (s !== undefined && end !== undefined) agentRun.push(end - s);
    }
    const agentMs = agentRun.reduce((a, b) => a + b, 0);
    const overheadPerTaskMs = (wallMs * cap - agentMs) / count;
    const stats = {
      schedulingDelay: latencyStats(schedulingDelay),
      readyToSpawned: latencyStats(readyToSpawned),
      spawnedToStarted: latencyStats(spawnedToStarted),
      agentRun: latencyStats(agentRun),
    };
    const stopped = await stopServer(server);

    const row = (name, s) => [name, String(s.p50), String(s.p99), String(s.max), String(s.mean)];
    console.log(
      `autopilot: ${count} tasks, cap ${cap}, instant agents (two CLI calls each) — ${machineInfo().cpu ?? ''}`,
    );
    for (const line of formatTable(
      ['ms', 'p50', 'p99', 'max', 'mean'],
      [
        row('trigger (ready, or a slot freed) -> spawned', stats.schedulingDelay),
        row('ready -> spawned (incl. waiting for the cap)', stats.readyToSpawned),
        row('spawned -> agent started', stats.spawnedToStarted),
        row('agent run (started -> ended)', stats.agentRun),
      ],
    ))
      console.log(line);
    console.log(
      `  wall time ${(wallMs / 1000).toFixed(1)} s, ${(count / (wallMs / 1000)).toFixed(1)} tasks/s`,
    );
    console.log(
      `  overhead per task (wall x cap - agent run time) / tasks: ${overheadPerTaskMs.toFixed(0)} ms`,
    );
    console.log(
      `  most live workers at once: ${maxLive} (cap ${cap}); two live workers on one task: ${doubled} times`,
    );
    console.log(`  server stopped in ${stopped.ms} ms${stopped.killed ? ' (killed)' : ''}`);
    console.log(
      JSON.stringify({
        tasks: count,
        cap,
        wallMs: Math.round(wallMs),
        overheadPerTaskMs: Math.round(overheadPerTaskMs),
        maxLive,
        doubled,
        ...stats,
      }),
    );
    if (maxLive > cap || doubled > 0) process.exitCode = 1;
  });
}

runMain(main);
