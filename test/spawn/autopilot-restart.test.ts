import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../src/contract/views.js';
import { ROOT, cliData, runCli } from '../support/cli.js';
import { serverProcesses } from '../support/process.js';
import { waitFor } from '../support/wait.js';

const FAKE_AGENT = join(ROOT, 'test/support/fake-agent.mjs');
const servers = serverProcesses('maestro-autopilot-restart-');

describe('the autopilot across a kill -9 of the server', () => {
  it('carries on after a restart: the graph completes, each task once, never two live workers on a task', async () => {
    const home = servers.newHome();
    mkdirSync(join(home, 'modes'));
    const serverEnv = {
      MAESTRO_RUNNER: 'pipe',
      MAESTRO_AGENT_COMMAND: `${process.execPath} ${FAKE_AGENT} {promptFile} ${join(home, 'modes')}`,
      MAESTRO_SESSION_STALE_SECONDS: '3',
      MAESTRO_SESSION_LOST_SECONDS: '6',
    };
    // A new port after the restart: the agents of the killed server cannot reach it, their
    // sessions are lost, and the autopilot starts their tasks again.
    const start = () => servers.start(home, serverEnv);
    let server = await start();
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      MAESTRO_HOME: home,
      MAESTRO_SERVER: server.grpc,
      MAESTRO_TOKEN: server.token,
      MAESTRO_ACTOR: 'tester',
    };
    const cli = <T>(args: string[]) => cliData<T>(args, env, home);
    await cli(['project', 'create', 'app', '--dir', home]);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const deps = i >= 2 ? ['--depends-on', ids[i - 2]!] : [];
      ids.push((await cli<{ id: string }>(['task', 'create', `Step ${i}`, ...deps])).id);
    }
    await cli(['autopilot', 'on', '--max-workers', '2']);
    // Mid-run: some tasks done, some not.
    await waitFor(
      'a few tasks to complete',
      async () => {
        const tasks = await cli<{ status: string }[]>(['task', 'list', '--status', 'completed']);
        return tasks.length >= 3;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    server.child.kill('SIGKILL');
    await server.exited;
    server = await start();
    env.MAESTRO_SERVER = server.grpc;
    env.MAESTRO_TOKEN = server.token;
    await waitFor(
      'every task to complete after the restart',
      async () => {
        const tasks = await cli<{ status: string }[]>(['task', 'list', '--status', 'completed']);
        return tasks.length === ids.length;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    // The autopilot stayed on across the restart.
    expect(await cli<{ enabled: boolean }>(['autopilot', 'status'])).toMatchObject({ enabled: true });
    const listed = await runCli(['events', '--limit', '10000', '--json'], env, home);
    const events = listed.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Omit<WireEvent, 'dataJson'> & { data: Record<string, unknown> });
    // Each task completed once: no work was redone.
    for (const id of ids)
      expect(
        events.filter((e) => e.type === 'task.completed' && e.entityId === id),
        id,
      ).toHaveLength(1);
    // Never two live workers on one task, across the restart.
    const live = new Map<string, string>();
    for (const e of events) {
      if (e.entityType !== 'session') continue;
      const session = e.data.session as { taskIds: string[]; status: string };
      if (e.type === 'session.created') {
        expect([...live.values()], `seq ${e.seq}`).not.toContain(session.taskIds[0]);
        live.set(e.entityId, session.taskIds[0]!);
      }
      if (['completed', 'failed', 'stopped', 'lost'].includes(session.status)) live.delete(e.entityId);
    }
  }, 240_000);
});
