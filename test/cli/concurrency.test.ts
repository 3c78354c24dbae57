import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { cliData, cliEnv, runCli, type CliResult } from '../support/cli.js';
import { startTestServer, tempHome } from '../support/server.js';

/**
 * Many agent processes at once against one server, through the built CLI: the atomic claim and the
 * event log must hold when every caller is a separate `maestro` process with its own connection.
 */
/** These tests spawn 30 and 100 node processes; on a loaded 2-core machine that outlasts the 30 s default. */
const SPAWNING_TEST_MS = 50_000;

interface Task {
  id: string;
  status: string;
  claim: { holder: string } | null;
}

interface Detail {
  task: Task;
  timeline: { kind: string; actor: string; message: string }[];
}

interface LoggedEvent {
  seq: number;
  type: string;
  entityId: string;
  data: { entry?: { message?: string } };
}

/** The whole of stdout must be one JSON document (one line), whatever the exit code. */
function envelope(result: CliResult): CliResult['json'] {
  expect(result.stdout.endsWith('\n'), result.stdout).toBe(true);
  expect(result.stdout.trimEnd().split('\n'), result.stdout).toHaveLength(1);
  return JSON.parse(result.stdout) as CliResult['json'];
}

describe('CLI: concurrent agent processes', () => {
  const home = tempHome();
  let server: RunningServer;
  let env: Record<string, string>;
  const cwd = home.home;

  beforeAll(async () => {
    server = await startTestServer(home.home);
    env = cliEnv(server, home.home);
  });
  afterAll(async () => {
    await server.close();
    home.cleanup();
  });

  it(
    '30 concurrent `task claim` processes on one task: one exits 0, 29 exit 4 task_already_claimed',
    async () => {
      const task = await cliData<Task>(['task', 'create', 'Contended'], env, cwd);
      const actors = Array.from({ length: 30 }, (_, i) => `claimer-${i}`);

      const results = await Promise.all(
        actors.map((actor) =>
          runCli(['task', 'claim', task.id, '--json'], { ...env, MAESTRO_ACTOR: actor }, cwd),
        ),
      );

      const parsed = results.map((r) => ({ code: r.code, stderr: r.stderr, json: envelope(r) }));
      const winners = parsed.filter((r) => r.code === 0);
      const losers = parsed.filter((r) => r.code !== 0);
      expect(winners, JSON.stringify(winners)).toHaveLength(1);
      expect(losers).toHaveLength(29);

      const winner = winners[0]!.json;
      expect(winner.ok).toBe(true);
      expect(winner.data).toMatchObject({ claimed: true, task: { id: task.id, status: 'in_progress' } });
      const holder = (winner.data as { task: Task }).task.claim?.holder;
      expect(actors).toContain(holder);

      for (const loser of losers) {
        expect(loser.code, JSON.stringify(loser)).toBe(4);
        expect(loser.json.ok).toBe(false);
        expect(loser.json.error?.code).toBe('task_already_claimed');
      }

      const detail = await cliData<Detail>(['task', 'get', task.id], env, cwd);
      expect(detail.task).toMatchObject({ status: 'in_progress', claim: { holder } });
    },
    SPAWNING_TEST_MS,
  );

  it(
    '10 writers x 10 sequential `report progress` processes: 100 timeline entries and 100 events',
    async () => {
      const task = await cliData<Task>(['task', 'create', 'Busy'], env, cwd);
      const writers = 10;
      const reportsEach = 10;
      const message = (w: number, i: number) => `writer ${w} step ${i}`;

      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const writerEnv = { ...env, MAESTRO_ACTOR: `writer-${w}` };
          for (let i = 0; i < reportsEach; i++) {
            const result = await runCli(
              ['report', 'progress', message(w, i), '--task', task.id, '--json'],
              writerEnv,
              cwd,
            );
            const json = envelope(result);
            expect(result.code, result.stdout + result.stderr).toBe(0);
            expect(json).toMatchObject({
              ok: true,
              data: { entry: { kind: 'progress', message: message(w, i) } },
            });
          }
        }),
      );

      const detail = await cliData<Detail>(['task', 'get', task.id, '--timeline', '500'], env, cwd);
      const progress = detail.timeline.filter((t) => t.kind === 'progress');
      expect(progress).toHaveLength(writers * reportsEach);
      expect(new Set(progress.map((t) => t.message)).size).toBe(writers * reportsEach);
      for (let w = 0; w < writers; w++) {
        // Each writer waited for one report before sending the next, so its entries keep that order.
        const mine = progress.filter((t) => t.actor === `writer-${w}`).map((t) => t.message);
        expect(mine).toEqual(Array.from({ length: reportsEach }, (_, i) => message(w, i)));
      }

      const events = await runCli(['events', '--json'], env, cwd);
      expect(events.code, events.stderr).toBe(0);
      const lines = events.stdout.trimEnd().split('\n');
      expect(lines.length, 'the log fits under the default --limit of 1000').toBeLessThan(1000);
      const log = lines.map((line) => JSON.parse(line) as LoggedEvent);
      const reported = log.filter((e) => e.type === 'timeline.reported' && e.entityId === task.id);
      expect(reported).toHaveLength(writers * reportsEach);
      expect(new Set(reported.map((e) => e.data.entry?.message)).size).toBe(writers * reportsEach);
      const seqs = log.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
    },
    SPAWNING_TEST_MS,
  );
});
