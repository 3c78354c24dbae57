import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/gateway/logger.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const homes: { cleanup(): void }[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) h.cleanup();
});

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const log: Logger & { warnings: string[] } = {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (msg) => void warnings.push(msg),
    error: () => undefined,
    child: () => log,
    flush: () => undefined,
  };
  return log;
}

describe("the server's files are private to its user", () => {
  it('a home made at 0755 stayed 0755 and the database, its WAL and the prompts were 0644: now every one is 0700 or 0600, and a loose one is tightened with a warning', async () => {
    const h = tempHome('maestro-modes-');
    homes.push(h);
    const home = h.home;
    chmodSync(home, 0o755);
    mkdirSync(join(home, 'logs'));
    const logFile = join(home, 'logs', 'server.log');
    writeFileSync(logFile, '');
    chmodSync(logFile, 0o644);
    const log = recordingLog();
    const server = await startTestServer(
      home,
      { runner: 'pipe', agentCommand: 'true', logFile, dbUrl: `sqlite:${join(home, 'maestro.db')}` },
      { log },
    );
    servers.push(server);
    expect(mode(home)).toBe('700');
    expect(log.warnings).toContain(`${home} was mode 0755: tightened to 0700`);
    expect(log.warnings).toContain(`${logFile} was mode 0644: tightened to 0600`);
    expect(mode(logFile)).toBe('600');
    expect(mode(join(home, 'token'))).toBe('600');
    for (const file of ['maestro.db', 'maestro.db-wal', 'maestro.db-shm'])
      expect(mode(join(home, file)), file).toBe('600');

    const api = TestClient.for(server);
    const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' });
    const task = await api.call<{ id: string }>('Tasks', 'create', {
      projectId: project.id,
      title: 'private',
    });
    const { session } = await api.call<{ session: { id: string } }>('Sessions', 'spawn', { taskId: task.id });
    await waitFor('the agent to end', async () => {
      const s = await api.call<{ status: string }>('Sessions', 'get', { id: session.id });
      return s.status === 'completed';
    });
    api.close();
    const served = join(home, 'sessions', session.id);
    const ran = join(home, 'runner', session.id);
    expect({
      sessions: mode(join(home, 'sessions')),
      session: mode(served),
      prompt: mode(join(served, 'prompt.md')),
      output: mode(join(served, 'output.log')),
      runner: mode(join(home, 'runner')),
      runnerSession: mode(ran),
      runnerPrompt: mode(join(ran, 'prompt.md')),
      runnerOutput: mode(join(ran, 'output.log')),
      env: mode(join(ran, 'env')),
      launcher: mode(join(ran, 'launch.sh')),
    }).toEqual({
      sessions: '700',
      session: '700',
      prompt: '600',
      output: '600',
      runner: '700',
      runnerSession: '700',
      runnerPrompt: '600',
      runnerOutput: '600',
      env: '600',
      launcher: '700',
    });

    await servers.splice(0)[0]!.close();
    chmodSync(join(home, 'maestro.db'), 0o644);
    const again = recordingLog();
    servers.push(
      await startTestServer(
        home,
        { runner: 'off', dbUrl: `sqlite:${join(home, 'maestro.db')}` },
        { log: again },
      ),
    );
    expect(mode(join(home, 'maestro.db'))).toBe('600');
    expect(again.warnings).toContain(`${join(home, 'maestro.db')} was mode 0644: tightened to 0600`);
  });
});
