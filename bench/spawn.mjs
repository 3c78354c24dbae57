#!/usr/bin/env node
// Spawn benchmark: the real Claude Code as Maestro workers against the scripted Messages API
// stand-in of test/support (so no network and no model time):
//  1. latency: --runs spawns one after another; the time from `session spawn` being sent to the
//     agent's first request reaching the model (p50, p99), and to the session's end;
//  2. load: --workers headless workers at once, each doing --steps maestro calls before it
//     completes its task; the server's RSS (peak) and CPU while they run.
// Prints a report, then one JSON line with the figures. Run with tsx (the stand-in is TypeScript):
//
//   npm run build && node --import tsx bench/spawn.mjs [--runs 10] [--workers 10] [--steps 5] [--runner pipe]
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AnthropicStandIn, bash, say } from '../test/support/anthropic-stand-in.ts';
import {
  CLI,
  ROOT,
  coreCount,
  cpuSecondsOf,
  formatTable,
  latencyStats,
  machineInfo,
  machineLoadBefore,
  memoryOf,
  parseOptions,
  requireBuild,
  runMain,
  sleep,
  stopServer,
  wholeOption,
  withServerHome,
} from './lib.mjs';

const run = promisify(execFile);

const HELP = `Usage: node --import tsx bench/spawn.mjs [options]

  --runs N      spawns one after another, for the latency figures (default 10)
  --workers N   workers at once, for the load figures (default 10)
  --steps N     maestro calls each worker makes before it completes its task (default 5)
  --runner R    pipe or tmux (default pipe)
  --help        this text`;

const CLAUDE = join(ROOT, 'node_modules/.bin/claude');

function options() {
  const values = parseOptions(['runs', 'workers', 'steps', 'runner'], HELP);
  return {
    runs: wholeOption('runs', values.runs, 10, 1, 1000),
    workers: wholeOption('workers', values.workers, 10, 1, 100),
    steps: wholeOption('steps', values.steps, 5, 1, 100),
    runner: values.runner === 'tmux' ? 'tmux' : 'pipe',
  };
}

/**
 * The model's side of a worker, for any number at once: each call reads which task the worker has
 * (its prompt names it) and how far it got (the turns before), and answers its next step: `steps`
 * maestro calls, then the task's completion, then the end of the turn.
 */
function workerTurn(steps) {
  return (call) => {
    const first = call.body.messages[0];
    const prompt =
      typeof first.content === 'string' ? first.content : first.content.map((b) => b.text ?? '').join('');
    const taskId = /working on task (t_\d+)/.exec(prompt)?.[1];
    const done = call.body.messages.filter((m) => m.role === 'assistant').length;
    if (done === 0) return bash(`maestro task start ${taskId} --json`);
    if (done < steps) return bash(`maestro task get ${taskId} --json`);
    if (done === steps) return bash(`maestro task complete ${taskId} --json`);
    return say('done');
  };
}

async function cli(env, args) {
  const { stdout } = await run(process.execPath, [CLI, ...args, '--json'], { env, cwd: env.MAESTRO_WORKDIR });
  const doc = JSON.parse(stdout);
  if (!doc.ok) throw new Error(`maestro ${args.join(' ')}: ${doc.error.code} ${doc.error.message}`);
  return doc.data;
}

async function waitEnded(env, id) {
  for (;;) {
    const s = await cli(env, ['session', 'info', id]);
    if (['completed', 'failed', 'stopped', 'lost'].includes(s.status)) return s;
    await sleep(50);
  }
}

runMain(async () => {
  const opts = options();
  requireBuild();
  const load = await machineLoadBefore(coreCount());
  await withServerHome({ prefix: 'maestro-bench-spawn-', budgetMs: 30 * 60_000 }, async (ctx) => {
    const home = ctx.home;
    const bin = join(home, 'bin');
    mkdirSync(bin);
    symlinkSync(CLAUDE, join(bin, 'claude'));
    writeFileSync(
      join(bin, 'maestro'),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
    );
    chmodSync(join(bin, 'maestro'), 0o755);
    const workdir = join(home, 'project');
    mkdirSync(workdir);
    const standIn = await AnthropicStandIn.start([]);
    const arrivals = [];
    const started0 = await ctx.start({
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: home,
        MAESTRO_RUNNER: opts.runner,
        MAESTRO_MAX_SESSIONS: String(Math.max(4, opts.workers)),
        ANTHROPIC_BASE_URL: standIn.url,
        ANTHROPIC_API_KEY: 'sk-ant-bench-000000000000000000000000',
      },
    });
    if (!started0) return;
    const { server, target, token } = started0;
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      MAESTRO_HOME: home,
      MAESTRO_SERVER: target,
      MAESTRO_TOKEN: token,
      MAESTRO_WORKDIR: workdir,
    };
    await cli(env, ['project', 'create', 'bench', '--dir', workdir]);
    const pid = server.child.pid;
    try {
      // 1. latency, one spawn at a time
      const toFirstRequest = [];
      const toEnd = [];
      for (let i = 0; i < opts.runs; i++) {
        const task = await cli(env, ['task', 'create', `latency ${i}`]);
        const calls = standIn.calls.length;
        standIn.push(...Array.from({ length: 3 }, () => workerTurn(1)));
        const sent = performance.now();
        const session = await cli(env, ['session', 'spawn', '--task', task.id]);
        while (standIn.calls.length === calls) await sleep(2);
        toFirstRequest.push(performance.now() - sent);
        const end = await waitEnded(env, session.id);
        toEnd.push(performance.now() - sent);
        if (end.outcome !== 'task_completed') throw new Error(`${session.id} ended ${end.outcome}`);
      }
      // 2. load: workers at once
      const tasks = [];
      for (let i = 0; i < opts.workers; i++) tasks.push(await cli(env, ['task', 'create', `load ${i}`]));
      standIn.push(...Array.from({ length: opts.workers * (opts.steps + 2) }, () => workerTurn(opts.steps)));
      const cpuBefore = cpuSecondsOf(pid);
      const rssBefore = memoryOf(pid).rssMiB;
      const started = performance.now();
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rssMiB ?? 0)), 100);
      const sessions = await Promise.all(tasks.map((t) => cli(env, ['session', 'spawn', '--task', t.id])));
      const ends = await Promise.all(sessions.map((s) => waitEnded(env, s.id)));
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      const cpu = cpuSecondsOf(pid) - cpuBefore;
      arrivals.push(...ends.map((e) => e.outcome));
      const lat = latencyStats(toFirstRequest);
      const endStats = latencyStats(toEnd);
      console.log(`spawn benchmark: real Claude Code, ${opts.runner} runner`);
      console.log(`machine ${JSON.stringify(machineInfo())}; before: ${JSON.stringify(load)}`);
      console.log(
        formatTable(
          ['figure', 'p50', 'p99', 'max'],
          [
            ['spawn -> first model request (ms)', lat.p50, lat.p99, lat.max].map(String),
            ['spawn -> session ended, 1 call (ms)', endStats.p50, endStats.p99, endStats.max].map(String),
          ],
        ).join('\n'),
      );
      const completed = arrivals.filter((o) => o === 'task_completed').length;
      console.log(
        `${opts.workers} workers at once, ${opts.steps} maestro calls each: ${seconds.toFixed(1)} s, ` +
          `${completed}/${opts.workers} task_completed; server CPU ${cpu.toFixed(2)} s ` +
          `(${((cpu / seconds) * 100).toFixed(0)} % of one core), RSS ${rssBefore} -> peak ${peak} MiB`,
      );
      console.log(
        JSON.stringify({
          runner: opts.runner,
          firstRequestMs: lat,
          endMs: endStats,
          workers: opts.workers,
          steps: opts.steps,
          loadSeconds: seconds,
          serverCpuSeconds: cpu,
          serverRssMiB: { before: rssBefore, peak },
          completed,
        }),
      );
    } finally {
      await stopServer(server);
      await standIn.close();
    }
  });
});
