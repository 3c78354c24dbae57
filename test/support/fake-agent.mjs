#!/usr/bin/env node
// A scripted stand-in for Claude Code: it knows nothing of Maestro's internals and drives the real
// `maestro` CLI with the environment the runner injected (MAESTRO_SESSION_ID, MAESTRO_TASK_IDS, ...).
// Modes: `work` (default) does the task; `die` exits with 3 after starting;
// `hang` starts and then sleeps until killed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const cli = new URL('../../bin/maestro.js', import.meta.url).pathname;
// A one-shot mode per task: the file <modesDir>/<taskId> (the command line's second argument).
const modesDir = process.argv[3];
const modeFor = (taskId) => {
  const file = modesDir ? join(modesDir, taskId) : '';
  if (!file || !existsSync(file)) return process.env.FAKE_AGENT_MODE ?? 'work';
  const mode = readFileSync(file, 'utf8').trim();
  rmSync(file);
  return mode;
};
const maestro = (...args) => {
  const out = execFileSync(process.execPath, [cli, ...args, '--json'], { encoding: 'utf8' });
  const doc = JSON.parse(out);
  if (!doc.ok) throw new Error(`maestro ${args.join(' ')}: ${doc.error.code}`);
  return doc.data;
};

const promptFile = process.argv[2];
const prompt = promptFile ? readFileSync(promptFile, 'utf8') : '';
console.log(`fake agent in ${process.env.MAESTRO_SESSION_ID}: ${prompt.split('\n')[0]}`);
if (process.env.FAKE_AGENT_MARKER) console.log(process.env.FAKE_AGENT_MARKER);

const me = maestro('whoami');
for (const taskId of me.taskIds) {
  const mode = modeFor(taskId);
  const detail = maestro('task', 'get', taskId);
  maestro('task', 'start', taskId);
  console.log(`started ${taskId}: ${detail.task.title}`);
  if (mode === 'die') process.exit(3);
  if (mode === 'hang') setInterval(() => undefined, 1000);
  if (mode === 'hang') break;
  maestro('report', 'progress', `working on ${detail.task.title}`, '--task', taskId);
  for (const subtask of detail.subtasks) maestro('subtask', 'complete', taskId, subtask.id);
  maestro('report', 'complete', `finished ${detail.task.title}`, '--task', taskId);
  maestro('task', 'complete', taskId);
  console.log(`completed ${taskId}`);
}
