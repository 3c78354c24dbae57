import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView, TranscriptEntry } from '../../src/contract/views.js';
import { OpenAIStandIn, reply, shell } from '../support/openai-stand-in.js';
import { CLI, cliData } from '../support/cli.js';
import { serverProcesses } from '../support/process.js';
import { waitFor } from '../support/wait.js';
import { CODEX_BIN, requireHarness } from '../harness/harness-process.js';

/**
 * The real Codex CLI (pinned in package.json) as a Maestro worker through the `codex` adapter,
 * against the scripted Responses API stand-in: a configured profile names the stand-in as its
 * model provider, which is what an operator of a self-hosted model would do too.
 */
const servers = serverProcesses('maestro-codex-worker-');
const standIns: OpenAIStandIn[] = [];
afterEach(async () => {
  for (const s of standIns.splice(0)) await s.close();
});
beforeAll(() => {
  requireHarness(CODEX_BIN, 'codex-cli 0.169.0');
});

describe('the real Codex CLI as a worker', () => {
  it('does the task through maestro, exits, and the session records its thread, tokens and transcript', async () => {
    const home = servers.newHome();
    const api = await OpenAIStandIn.start([]);
    standIns.push(api);
    const bin = join(home, 'bin');
    mkdirSync(bin);
    symlinkSync(CODEX_BIN, join(bin, 'codex'));
    writeFileSync(
      join(bin, 'maestro'),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
    );
    chmodSync(join(bin, 'maestro'), 0o755);
    mkdirSync(join(home, '.codex'));
    // Codex runs commands in a login shell, which sets PATH anew from the profile: there, as on a
    // user's machine, the profile puts maestro on it.
    writeFileSync(join(home, '.profile'), `export PATH=${JSON.stringify(bin)}:"$PATH"\n`);
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({
        defaultAgent: 'codex',
        agents: {
          codex: {
            adapter: 'codex',
            model: 'gpt-5.5',
            args: [
              '-c',
              'model_provider="standin"',
              '-c',
              `model_providers.standin={name="stand-in",base_url="${api.url}",env_key="STANDIN_API_KEY",wire_api="responses"}`,
              '-c',
              'analytics.enabled=false',
              '--disable',
              'plugins',
            ],
            env: { STANDIN_API_KEY: 'sk-stand-in' },
          },
        },
      }),
    );
    const workdir = join(home, 'project');
    mkdirSync(workdir);
    const server = await servers.start(home, {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      MAESTRO_RUNNER: 'pipe',
    });
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      MAESTRO_HOME: home,
      MAESTRO_SERVER: server.grpc,
      MAESTRO_TOKEN: server.token,
      NO_COLOR: '1',
    };
    await cliData(['project', 'create', 'app', '--dir', workdir], env, workdir);
    const agents = await cliData<{ agents: { name: string; found: boolean; version: string }[] }>(
      ['agent', 'list'],
      env,
      workdir,
    );
    expect(agents.agents.find((a) => a.name === 'codex')).toMatchObject({
      found: true,
      version: 'codex-cli 0.169.0',
    });
    const task = await cliData<{ id: string }>(['task', 'create', 'Ship it'], env, workdir);
    api.push(
      shell(`maestro task start ${task.id} --json`, { usage: { input_tokens: 300, output_tokens: 20 } }),
      shell(`maestro task complete ${task.id} --json`, { usage: { input_tokens: 400, output_tokens: 30 } }),
      reply('Shipped.', { input_tokens: 500, output_tokens: 10 }),
    );
    const spawned = await cliData<SessionView>(['session', 'spawn', '--task', task.id], env, workdir);
    expect(spawned.agent).toBe('codex');
    const session = await waitFor(
      'the codex session to end',
      async () => {
        const s = await cliData<SessionView>(['session', 'info', spawned.id], env, workdir);
        return ['completed', 'failed', 'stopped', 'lost'].includes(s.status) ? s : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(session).toMatchObject({ status: 'completed', exitCode: 0, outcome: 'task_completed' });
    expect(session.harnessSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.usage).toMatchObject({ inputTokens: 1200, outputTokens: 60, turns: 1, costUsd: 0 });
    expect(
      (await cliData<{ task: { status: string } }>(['task', 'get', task.id], env, workdir)).task.status,
    ).toBe('completed');
    const { entries } = await cliData<{ entries: TranscriptEntry[] }>(
      ['session', 'transcript', session.id],
      env,
      workdir,
    );
    expect(entries.some((e) => e.kind === 'assistant' && e.text === 'Shipped.')).toBe(true);
    // The send of a running Codex is kept for its resume: it takes none while it runs.
  });
});
