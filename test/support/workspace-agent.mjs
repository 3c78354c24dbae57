#!/usr/bin/env node
// A scripted worker for the workspace tests: it drives the real `maestro` CLI like the fake agent,
// and edits files in the directory it was started in (its worktree). What it does for a task comes
// from <plansDir>/<taskId>.json (read and removed): {"files": {"path": "content"}, "commit": true,
// "complete": true}. It records where it ran and what it saw in <plansDir>/<taskId>.seen.<n>.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const cli = new URL('../../bin/maestro.js', import.meta.url).pathname;
const plansDir = process.argv[3];
const maestro = (...args) => {
  const doc = JSON.parse(execFileSync(process.execPath, [cli, ...args, '--json'], { encoding: 'utf8' }));
  if (!doc.ok) throw new Error(`maestro ${args.join(' ')}: ${doc.error.code} ${doc.error.message}`);
  return doc.data;
};
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Worker',
  GIT_AUTHOR_EMAIL: 'worker@test',
  GIT_COMMITTER_NAME: 'Worker',
  GIT_COMMITTER_EMAIL: 'worker@test',
};
const git = (...args) => execFileSync('git', args, { encoding: 'utf8', env: gitEnv }).trim();

const me = maestro('whoami');
const taskId = process.env.MAESTRO_TASK_IDS.split(',')[0];
const planFile = join(plansDir, `${taskId}.json`);
const plan = existsSync(planFile) ? JSON.parse(readFileSync(planFile, 'utf8')) : {};
rmSync(planFile, { force: true });
const seenCount = readdirSync(plansDir).filter((n) => n.startsWith(`${taskId}.seen.`)).length;
writeFileSync(
  join(plansDir, `${taskId}.seen.${seenCount + 1}.json`),
  JSON.stringify({
    session: me.sessionId,
    cwd: process.cwd(),
    port: process.env.MAESTRO_PORT ?? '',
    portCount: process.env.MAESTRO_PORT_COUNT ?? '',
    files: readdirSync(process.cwd())
      .filter((n) => n !== '.git')
      .sort(),
  }),
);
maestro('task', 'start', taskId);
for (const [path, content] of Object.entries(plan.files ?? {})) {
  mkdirSync(dirname(join(process.cwd(), path)), { recursive: true });
  writeFileSync(join(process.cwd(), path), content);
}
if (plan.commit !== false && Object.keys(plan.files ?? {}).length) {
  git('add', '-A');
  git('commit', '-q', '-m', `work on ${taskId}`);
}
if (plan.complete !== false) maestro('task', 'complete', taskId);
console.log(`worked on ${taskId} in ${process.cwd()}`);
