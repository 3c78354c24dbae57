import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { CLI, cliEnv } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** `maestro events --follow --json` as a child whose stdout the test reads line by line (or stops reading). */
function follow(server: RunningServer, home: string, since: number) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [CLI, 'events', '--follow', '--since', String(since), '--json'],
    { env: cliEnv(server, home), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const seqs: number[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  createInterface({ input: child.stdout }).on('line', (line) =>
    seqs.push((JSON.parse(line) as { seq: number }).seq),
  );
  return { child, seqs, stderr: () => stderr };
}

describe('maestro events --follow', () => {
  const home = tempHome('maestro-events-follow-');
  let server: RunningServer;
  let api: TestClient;
  let projectId: string;
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    // A bound so small that a batch of a few events passes it: the server cuts the watcher off.
    server = await startTestServer(home.home, { runner: 'off' }, { watch: { maxBufferedBytes: 2048 } });
    api = TestClient.for(server);
    projectId = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: home.home })).id;
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });
  afterAll(async () => {
    api.close();
    await server.close();
    home.cleanup();
  });

  const lastSeq = async () =>
    (await api.call<{ lastSeq: number }>('Events', 'list', { sinceSeq: 0, limit: 1 })).lastSeq;
  const create = (n: number, tag: string, description = '') =>
    Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = w; i < n; i += 8)
            await api.call('Tasks', 'create', { projectId, title: `${tag}-${i}`, description });
        })(),
      ),
    );

  // Regression: a watcher the server cut off for reading too slowly ended the command with an error.
  it('resumes by itself after the last seq it printed when the server cuts it off (too_slow)', async () => {
    const since = await lastSeq();
    const cutBefore = server.eventStreams.stats.cutOff;
    const watcher = follow(server, home.home, since);
    children.push(watcher.child);
    await waitFor('the watcher to connect', () => server.eventStreams.stats.watchers === 1);
    await create(120, 'burst');
    const newest = await lastSeq();
    await waitFor('every event printed', () => watcher.seqs.at(-1) === newest, { timeoutMs: 20_000 });
    expect(watcher.seqs).toEqual(range(since + 1, newest));
    expect(server.eventStreams.stats.cutOff).toBeGreaterThan(cutBefore);
    expect(watcher.stderr()).toContain('resuming after seq');
    expect(watcher.child.exitCode).toBeNull();
  });

  // Regression: piped into a reader that stalls (`| sleep 600`), the CLI held every event in memory.
  it('stops watching while its stdout is not read, and carries on without a gap once it is', async () => {
    const since = await lastSeq();
    const watcher = follow(server, home.home, since);
    children.push(watcher.child);
    await waitFor('the watcher to connect', () => server.eventStreams.stats.watchers === 1);
    watcher.child.stdout.pause();
    // About 2 MB of output, more than the pipe and the CLI's 1 MiB backlog hold.
    await create(400, 'unread', 'u'.repeat(5000));
    await waitFor(
      'the CLI to let go of the stream',
      () => watcher.stderr().includes('stdout is not being read'),
      {
        timeoutMs: 20_000,
      },
    );
    await waitFor('no watcher left on the server', () => server.eventStreams.stats.watchers === 0);
    watcher.child.stdout.resume();
    const newest = await lastSeq();
    await waitFor('every event printed', () => watcher.seqs.at(-1) === newest, { timeoutMs: 20_000 });
    expect(watcher.seqs).toEqual(range(since + 1, newest));
  });
});
