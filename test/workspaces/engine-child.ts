// One engine operation in its own process, for the kill -9 tests: it runs the job given as JSON in
// argv[2] and, when the engine reaches `pauseAt`, writes `marker` and stops there for good, so the
// test can kill it exactly at that point. It prints the result as JSON when it gets to the end.
import { writeFileSync } from 'node:fs';
import { WorkspaceEngine } from '../../src/workspaces/index.js';
import type { ChildJob } from './support.js';

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;

const engine = new WorkspaceEngine({
  home: job.home,
  env: job.env,
  hooks: {
    at: async (point) => {
      if (point !== job.pauseAt) return;
      writeFileSync(job.marker, point);
      // Keep the process alive, stopped here, until it is killed.
      setInterval(() => undefined, 60_000);
      await new Promise<never>(() => undefined);
    },
  },
});

async function main(): Promise<unknown> {
  switch (job.op) {
    case 'create':
      return engine.create(job.project, job.task);
    case 'merge':
      return engine.merge(job.project.key, job.task.id, job.merge);
    case 'remove':
      return engine.remove(job.project.key, job.task.id);
  }
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = 1;
  },
);
