import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../src/contract/views.js';
import type { RunningServer } from '../../src/gateway/server.js';
import {
  AnthropicStandIn,
  bash,
  gatewayToken,
  requestText,
  say,
  usageLimitError,
} from '../support/anthropic-stand-in.js';
import { CLI, cliData, cliEnv } from '../support/cli.js';
import { startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import { CLAUDE_BIN, requireHarness } from '../harness/harness-process.js';

/**
 * The real Claude Code against the scripted Messages API stand-in, which answers with a usage
 * limit and its reset time: the session pauses with its claim kept, and at the reset (the server's
 * clock is injected and moved past it) the same session's agent is started again on its
 * conversation and finishes the task.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(() => {
  requireHarness(CLAUDE_BIN, '2.1.328 (Claude Code)');
});

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

describe('a usage limit pauses a session until its reset', () => {
  it('pauses with the claim kept, resumes at the reset on its conversation, and completes', async () => {
    const home = tempHome('maestro-claude-pause-');
    cleanups.push(() => home.cleanup());
    const standIn = await AnthropicStandIn.start([]);
    cleanups.push(() => standIn.close());
    const workdir = join(home.home, 'project');
    mkdirSync(workdir);
    // The server's own runner gives agents this process's environment.
    const saved = { PATH: process.env.PATH, HOME: process.env.HOME };
    process.env.PATH = `${binDir(home.home)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
    process.env.HOME = home.home;
    cleanups.push(() => Object.assign(process.env, saved));
    let offset = 0;
    const server: RunningServer = await startTestServer(
      home.home,
      {
        runner: 'pipe',
        agents: {
          claude: {
            adapter: 'claude',
            env: { ANTHROPIC_BASE_URL: standIn.url, ANTHROPIC_AUTH_TOKEN: gatewayToken() },
          },
        },
      },
      { clock: () => Date.now() + offset, sweepIntervalMs: 100 },
    );
    cleanups.push(() => server.close());
    const env = cliEnv(server, home.home, { MAESTRO_ACTOR: 'tester' });
    await cliData(['project', 'create', 'app', '--dir', workdir], env, workdir);
    const task = await cliData<{ id: string }>(['task', 'create', 'Limited work'], env, workdir);
    const sub = await cliData<{ id: string }>(['subtask', 'create', task.id, 'First step'], env, workdir);
    const sub2 = await cliData<{ id: string }>(['subtask', 'create', task.id, 'Second step'], env, workdir);

    const resetsAt = new Date(Date.now() + 3 * 3600_000);
    standIn.push(
      bash(`maestro task start ${task.id} --json`),
      bash(`maestro subtask complete ${task.id} ${sub.id} --json`),
      usageLimitError({ resetsAt }),
    );
    const spawned = await cliData<SessionView>(['session', 'spawn', '--task', task.id], env, workdir);
    const info = (id: string) => cliData<SessionView>(['session', 'info', id], env, workdir);
    const paused = await waitFor(
      'the session to pause',
      async () => {
        const s = await info(spawned.id);
        return s.status === 'paused' ? s : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(Math.abs(Date.parse(paused.pausedUntil) - resetsAt.getTime())).toBeLessThan(1000);
    expect(paused.outcome).toBe('');
    // The claim is kept while it waits, and the step done before the limit stays done.
    const during = await cliData<{
      task: { status: string; claim: { sessionId: string } | null; subtasksCompleted: number };
    }>(['task', 'get', task.id], env, workdir);
    expect(during.task).toMatchObject({ status: 'in_progress', subtasksCompleted: 1 });
    expect(during.task.claim?.sessionId).toBe(spawned.id);
    // Before the reset, nothing starts it again.
    const callsAtPause = standIn.calls.length;
    expect((await info(spawned.id)).status).toBe('paused');

    // The script after the reset: the agent goes on from where it stopped.
    standIn.push(
      bash(`maestro subtask complete ${task.id} ${sub2.id} --json`),
      bash(`maestro task complete ${task.id} --json`),
      say('Both steps are done; the task is complete.'),
    );
    offset = resetsAt.getTime() - Date.now() + 1000;
    const done = await waitFor(
      'the resumed session to end',
      async () => {
        const s = await info(spawned.id);
        return ['completed', 'failed', 'stopped', 'lost'].includes(s.status) ? s : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(done).toMatchObject({ status: 'completed', outcome: 'task_completed', resumes: 1 });
    expect(done.harnessSessionId).toBe(paused.harnessSessionId);
    // The resumed process sent the earlier conversation under the same harness session id.
    const resumedCall = standIn.calls[callsAtPause]!;
    expect(resumedCall.request.headers['x-claude-code-session-id']).toBe(paused.harnessSessionId);
    // …with what came before the pause: the first step's result.
    expect(requestText(resumedCall.body)).toContain(
      `"id":"${sub.id}","taskId":"${task.id}","title":"First step","status":"completed"`,
    );
    expect(requestText(resumedCall.body)).toContain('usage limit has reset');
    const after = await cliData<{ task: { status: string; subtasksCompleted: number } }>(
      ['task', 'get', task.id],
      env,
      workdir,
    );
    expect(after.task).toMatchObject({ status: 'completed', subtasksCompleted: 2 });
    // One session throughout: nothing was started a second time.
    const sessions = await cliData<SessionView[] | { sessions: SessionView[] }>(
      ['session', 'list'],
      env,
      workdir,
    );
    const list = Array.isArray(sessions) ? sessions : sessions.sessions;
    expect(list.map((s) => s.id)).toEqual([spawned.id]);
  }, 120_000);
});
