import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView, TranscriptEntry } from '../../src/contract/views.js';
import {
  AnthropicStandIn,
  bash,
  gatewayToken,
  requestText,
  say,
  toolResults,
  usageLimitError,
  type ModelCall,
  type Turn,
} from '../support/anthropic-stand-in.js';
import { CLI, cliData, runCli } from '../support/cli.js';
import { serverProcesses, type ServerProcess } from '../support/process.js';
import { waitFor } from '../support/wait.js';
import { CLAUDE_BIN, requireHarness } from '../harness/harness-process.js';

/**
 * The real Claude Code (pinned in package.json) as a Maestro worker, with the default
 * configuration: nothing configured, only `claude` (and `maestro`) on the server's PATH. Only the
 * model is fake (the scripted Messages API stand-in). Runs as whoever runs the tests — root in CI.
 */
const servers = serverProcesses('maestro-claude-worker-');
const standIns: AnthropicStandIn[] = [];

afterEach(async () => {
  for (const s of standIns.splice(0)) await s.close();
});

beforeAll(() => {
  requireHarness(CLAUDE_BIN, '2.1.328 (Claude Code)');
});

interface World {
  server: ServerProcess;
  env: Record<string, string>;
  home: string;
  workdir: string;
  standIn: AnthropicStandIn;
}

/** A bin folder with `claude` and `maestro` on it, as a user's PATH would have them. */
function binDir(home: string): string {
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(CLAUDE_BIN, join(bin, 'claude'));
  writeFileSync(
    join(bin, 'maestro'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
  );
  chmodSync(join(bin, 'maestro'), 0o755);
  return bin;
}

async function world(
  runner: 'tmux' | 'pipe',
  script: Turn[],
  credentials: 'api-key' | 'gateway' = 'api-key',
): Promise<World> {
  const home = servers.newHome();
  const standIn = await AnthropicStandIn.start(script);
  standIns.push(standIn);
  const workdir = join(home, 'project');
  mkdirSync(workdir);
  const server = await servers.start(home, {
    PATH: `${binDir(home)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    MAESTRO_RUNNER: runner,
    MAESTRO_TMUX_SOCKET: `claude-worker-${process.pid}-${Date.now().toString(36)}`,
    ANTHROPIC_BASE_URL: standIn.url,
    ...(credentials === 'api-key'
      ? { ANTHROPIC_API_KEY: 'sk-ant-stand-in-0000000000000000000000' }
      : { ANTHROPIC_AUTH_TOKEN: gatewayToken() }),
  });
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    MAESTRO_HOME: home,
    MAESTRO_SERVER: server.grpc,
    MAESTRO_TOKEN: server.token,
    MAESTRO_ACTOR: 'tester',
    NO_COLOR: '1',
  };
  await cliData(['project', 'create', 'app', '--dir', workdir], env, workdir);
  return { server, env, home, workdir, standIn };
}

async function taskWithSubtasks(w: World, title: string): Promise<{ id: string; subtasks: string[] }> {
  const task = await cliData<{ id: string }>(['task', 'create', title], w.env, w.workdir);
  const subtasks: string[] = [];
  for (const step of ['Write the parser', 'Test the parser'])
    subtasks.push((await cliData<{ id: string }>(['subtask', 'create', task.id, step], w.env, w.workdir)).id);
  return { id: task.id, subtasks };
}

const ended = (w: World, id: string) =>
  waitFor(
    `session ${id} to end`,
    async () => {
      const s = await cliData<SessionView>(['session', 'info', id], w.env, w.workdir);
      return ['completed', 'failed', 'stopped', 'lost'].includes(s.status) ? s : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );

/**
 * The model reads the task (`maestro task get`), picks the subtask ids out of the tool result it
 * got back, completes them, completes the task and stops. Each reply declares its usage.
 */
function workerScript(taskId: string): Turn[] {
  let subtasks: string[] = [];
  return [
    bash(`maestro task start ${taskId} --json`, { usage: { input_tokens: 1200, output_tokens: 40 } }),
    bash(`maestro task get ${taskId} --json`, {
      usage: { input_tokens: 1300, output_tokens: 30, cache_read_input_tokens: 500 },
    }),
    (call: ModelCall) => {
      const got = toolResults(call.body)
        .map((r) => r.text)
        .join('\n');
      subtasks = [...new Set(got.match(/st_\d+/g) ?? [])];
      return bash(`maestro subtask complete ${taskId} ${subtasks[0]} --json`, {
        usage: { input_tokens: 1400, output_tokens: 25 },
      });
    },
    () =>
      bash(`maestro subtask complete ${taskId} ${subtasks[1]} --json`, {
        usage: { input_tokens: 1500, output_tokens: 25 },
      }),
    bash(`maestro task complete ${taskId} --json`, {
      usage: { input_tokens: 1600, output_tokens: 20, cache_creation_input_tokens: 100 },
    }),
    say('The parser is written and tested; the task is complete.', { input_tokens: 1700, output_tokens: 15 }),
  ];
}

const DECLARED = {
  inputTokens: 1200 + 1300 + 1400 + 1500 + 1600 + 1700,
  outputTokens: 40 + 30 + 25 + 25 + 20 + 15,
  cacheReadTokens: 500,
  cacheWriteTokens: 100,
};

/** The cost Claude Code itself reported, from the result line of the session's raw output. */
function reportedCost(w: World, sessionId: string): number {
  const log = readFileSync(join(w.home, 'sessions', sessionId, 'output.log'), 'utf8');
  const results = log
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.startsWith('{') && l.includes('"type":"result"'))
    .map((l) => JSON.parse(l) as { total_cost_usd: number });
  return results.at(-1)!.total_cost_usd;
}

describe.each(['pipe', 'tmux'] as const)(
  'the real Claude Code as a worker, %s runner, default configuration',
  (runner) => {
    it('completes a task with two subtasks, exits, and the session records its outcome, tokens and cost', async () => {
      const w = await world(runner, []);
      const task = await taskWithSubtasks(w, 'Build the parser');
      w.standIn.push(...workerScript(task.id));
      const spawned = await cliData<SessionView>(['session', 'spawn', '--task', task.id], w.env, w.workdir);
      expect(spawned.agent).toBe('claude');
      const session = await ended(w, spawned.id);
      expect(session).toMatchObject({ status: 'completed', exitCode: 0, outcome: 'task_completed' });
      const detail = await cliData<{
        task: { status: string; subtasksCompleted: number; subtasksTotal: number };
      }>(['task', 'get', task.id], w.env, w.workdir);
      expect(detail.task).toMatchObject({ status: 'completed', subtasksCompleted: 2, subtasksTotal: 2 });
      // What `session info` reports is what the stand-in declared, and the cost Claude Code reported.
      expect(session.usage).toMatchObject({ ...DECLARED, turns: 6, toolCalls: 5 });
      expect(session.usage.costUsd).toBeCloseTo(reportedCost(w, session.id), 9);
      expect(session.usage.costUsd).toBeGreaterThan(0);
      // The harness's session id is the one Maestro gave it, and the one it sent the model.
      expect(session.harnessSessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(w.standIn.calls[0]!.request.headers['x-claude-code-session-id']).toBe(session.harnessSessionId);
      // task get rolls the usage up.
      const rolled = await cliData<{ usage: { sessions: number; inputTokens: number } }>(
        ['task', 'get', task.id],
        w.env,
        w.workdir,
      );
      expect(rolled.usage).toMatchObject({ sessions: 1, inputTokens: DECLARED.inputTokens });
      // The transcript has the tool calls with their inputs and the final answer.
      const { entries } = await cliData<{ entries: TranscriptEntry[] }>(
        ['session', 'transcript', session.id],
        w.env,
        w.workdir,
      );
      expect(entries.filter((e) => e.kind === 'tool_call').map((e) => e.text)).toContain(
        `$ maestro task complete ${task.id} --json`,
      );
      expect(entries.some((e) => e.kind === 'result' && e.text.includes('task is complete'))).toBe(true);
      // Prometheus counts the same tokens and cost, by project and agent.
      const metrics = await (await fetch(`http://${w.server.http}/metrics`)).text();
      const counter = (name: string, kind?: string) =>
        Number(
          new RegExp(
            `^${name}\\{[^}]*agent="claude"${kind ? `[^}]*kind="${kind}"` : ''}[^}]*\\} (\\S+)$`,
            'm',
          ).exec(metrics)?.[1],
        );
      expect(counter('maestro_agent_tokens_total', 'input')).toBe(DECLARED.inputTokens);
      expect(counter('maestro_agent_cost_usd_total')).toBeCloseTo(session.usage.costUsd, 9);
      // The worker's prompt reached the model as its first message.
      expect(requestText(w.standIn.calls[0]!.body)).toContain(`task ${task.id}`);
    });
  },
);

describe('steering, resume and limits with the real Claude Code', () => {
  it('session send reaches the model in its next request, and is on the transcript and the timeline', async () => {
    const w = await world('pipe', []);
    const task = await taskWithSubtasks(w, 'Steered work');
    let release: () => void = () => undefined;
    const sent = new Promise<void>((resolve) => (release = resolve));
    w.standIn.push(
      // The first call is held until the test has sent its message.
      async () => {
        await sent;
        return bash(`maestro task start ${task.id} --json`);
      },
      bash(`maestro task complete ${task.id} --json`),
      say('done'),
    );
    const spawned = await cliData<SessionView>(['session', 'spawn', '--task', task.id], w.env, w.workdir);
    await waitFor('the first model call', () => w.standIn.calls.length >= 1, { timeoutMs: 30_000 });
    const reply = await cliData<{ delivered: boolean }>(
      ['session', 'send', spawned.id, 'Use the staging database for the tests'],
      w.env,
      w.workdir,
    );
    expect(reply.delivered).toBe(true);
    release();
    await ended(w, spawned.id);
    expect(
      w.standIn.calls.slice(1).some((c) => requestText(c.body).includes('Use the staging database')),
    ).toBe(true);
    const { entries } = await cliData<{ entries: TranscriptEntry[] }>(
      ['session', 'transcript', spawned.id],
      w.env,
      w.workdir,
    );
    expect(entries.some((e) => e.kind === 'user' && e.text.includes('staging database'))).toBe(true);
    const detail = await cliData<{ timeline: { kind: string; message: string }[] }>(
      ['task', 'get', task.id],
      w.env,
      w.workdir,
    );
    expect(detail.timeline.some((t) => t.kind === 'message' && t.message.includes('staging database'))).toBe(
      true,
    );
  });

  it('a worker that stops with its task unfinished ends task_incomplete; resume continues its conversation', async () => {
    const w = await world('pipe', []);
    const task = await taskWithSubtasks(w, 'Half done');
    w.standIn.push(bash(`maestro task start ${task.id} --json`), say('I stopped before finishing.'));
    const first = await cliData<SessionView>(['session', 'spawn', '--task', task.id], w.env, w.workdir);
    const firstEnd = await ended(w, first.id);
    expect(firstEnd).toMatchObject({ status: 'completed', exitCode: 0, outcome: 'task_incomplete' });
    const detail = await cliData<{
      task: { status: string; claim: unknown };
      timeline: { message: string }[];
    }>(['task', 'get', task.id], w.env, w.workdir);
    // Its claim was released and the task's timeline says what happened.
    expect(detail.task).toMatchObject({ status: 'pending', claim: null });
    expect(detail.timeline.some((t) => t.message.includes('task_incomplete'))).toBe(true);
    const callsBefore = w.standIn.calls.length;
    w.standIn.push(
      bash(`maestro task start ${task.id} --json`),
      bash(`maestro task complete ${task.id} --json`),
      say('finished'),
    );
    const resumed = await cliData<SessionView>(['session', 'resume', first.id], w.env, w.workdir);
    expect(resumed).toMatchObject({ resumedFrom: first.id, harnessSessionId: firstEnd.harnessSessionId });
    const end = await ended(w, resumed.id);
    expect(end.outcome).toBe('task_completed');
    // The resumed run sent the earlier conversation, under the same harness session id.
    const call = w.standIn.calls[callsBefore]!;
    expect(call.request.headers['x-claude-code-session-id']).toBe(firstEnd.harnessSessionId);
    expect(requestText(call.body)).toContain('I stopped before finishing.');
  });

  it('a usage limit from the model is recorded as such, with its reset time, in the transcript and the outcome', async () => {
    const w = await world('pipe', [], 'gateway');
    const task = await taskWithSubtasks(w, 'Limited');
    const resetsAt = new Date(Date.now() + 3 * 3600_000);
    w.standIn.push(usageLimitError({ resetsAt }));
    const spawned = await cliData<SessionView>(['session', 'spawn', '--task', task.id], w.env, w.workdir);
    // It pauses until the reset, its claim kept (test/agents/claude-pause.test.ts resumes one).
    const session = await waitFor(
      `session ${spawned.id} to pause`,
      async () => {
        const s = await cliData<SessionView>(['session', 'info', spawned.id], w.env, w.workdir);
        return s.status === 'paused' ? s : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(session).toMatchObject({ status: 'paused', outcome: '' });
    expect(Math.abs(Date.parse(session.pausedUntil) - resetsAt.getTime())).toBeLessThan(1000);
    expect(session.usageLimit?.kind).toBe('usage');
    expect(Math.abs(Date.parse(session.usageLimit!.resetsAt) - resetsAt.getTime())).toBeLessThan(1000);
    const { entries } = await cliData<{ entries: TranscriptEntry[] }>(
      ['session', 'transcript', session.id],
      w.env,
      w.workdir,
    );
    expect(entries.some((e) => e.kind === 'error' && /limit/i.test(e.text))).toBe(true);
    const info = await runCli(['session', 'info', session.id], w.env, w.workdir);
    expect(info.stdout).toMatch(/usage limit, resets/);
    expect(info.stdout).toMatch(/paused +until/);
  });
});

describe('the real Claude Code in interactive mode (tmux)', () => {
  it('starts without a dialog, works the task, and is ended cleanly once the task is completed', async () => {
    const w = await world('tmux', []);
    writeFileSync(
      join(w.home, 'config.json'),
      JSON.stringify({ agents: { pair: { adapter: 'claude', mode: 'interactive' } } }),
    );
    // The profile is read at start: restart the server on the same home.
    w.server.child.kill('SIGTERM');
    await w.server.exited;
    const server = await servers.start(w.home, {
      PATH: `${join(w.home, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      MAESTRO_RUNNER: 'tmux',
      MAESTRO_TMUX_SOCKET: `claude-interactive-${process.pid}`,
      ANTHROPIC_BASE_URL: w.standIn.url,
      ANTHROPIC_API_KEY: 'sk-ant-stand-in-0000000000000000000000',
      LANG: 'C.UTF-8',
    });
    const env = { ...w.env, MAESTRO_SERVER: server.grpc, MAESTRO_TOKEN: server.token };
    const task = await cliData<{ id: string }>(['task', 'create', 'Pair on the parser'], env, w.workdir);
    w.standIn.push(
      bash(`maestro task start ${task.id} --json`),
      bash(`maestro task complete ${task.id} --json`),
      say('Done: the task is complete.'),
    );
    const spawned = await cliData<SessionView>(
      ['session', 'spawn', '--task', task.id, '--agent', 'pair'],
      env,
      w.workdir,
    );
    expect(spawned).toMatchObject({ agent: 'pair', mode: 'interactive' });
    const session = await waitFor(
      'the interactive session to end',
      async () => {
        const s = await cliData<SessionView>(['session', 'info', spawned.id], env, w.workdir);
        return ['completed', 'failed', 'stopped', 'lost'].includes(s.status) ? s : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(session).toMatchObject({ status: 'completed', exitCode: 0, outcome: 'task_completed' });
    // No permission prompt or dialog held it up: the model was called for each of its two tool
    // calls (Maestro may end the agent before it asks for its closing words).
    expect(w.standIn.calls.length).toBeGreaterThanOrEqual(2);
    expect(session.terminal?.backend).toBe('tmux');
  });
});
