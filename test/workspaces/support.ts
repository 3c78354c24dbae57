import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  lstatSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { WorkspaceEngine, type FaultPoint, type WorkspaceEngineOptions } from '../../src/workspaces/index.js';
import { waitFor } from '../support/wait.js';

/**
 * A temporary world for the workspace tests: HOME, a Maestro home and repositories under one
 * os.tmpdir() folder, and an environment in which the machine's git config never counts.
 */
export interface Sandbox {
  root: string;
  /** The Maestro home (workspaces go under <maestroHome>/workspaces). */
  maestroHome: string;
  env: NodeJS.ProcessEnv;
  /** Runs git in `cwd` and returns its stdout without the last newline; throws on failure. */
  git(cwd: string, ...args: string[]): string;
  /** A repository with `files` committed on `main`, its main checkout on main. */
  repo(name: string, files: Record<string, string>): string;
  engine(options?: Partial<WorkspaceEngineOptions>): WorkspaceEngine;
}

/** Sandboxes for the tests of one file, removed after each test (children killed first). */
export function sandboxes() {
  const made: { root: string; children: ChildProcess[] }[] = [];
  afterEach(() => {
    for (const m of made.splice(0)) {
      for (const c of m.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      rmSync(m.root, { recursive: true, force: true });
    }
  });
  return {
    make(): Sandbox & { children: ChildProcess[] } {
      const root = mkdtempSync(join(os.tmpdir(), 'maestro-ws-'));
      const children: ChildProcess[] = [];
      made.push({ root, children });
      const home = join(root, 'home');
      const maestroHome = join(root, 'maestro');
      mkdirSync(home);
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
        GIT_AUTHOR_NAME: 'Test Agent',
        GIT_AUTHOR_EMAIL: 'agent@test',
        GIT_COMMITTER_NAME: 'Test Agent',
        GIT_COMMITTER_EMAIL: 'agent@test',
      };
      const git = (cwd: string, ...args: string[]) =>
        execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(
          /\n$/,
          '',
        );
      return {
        root,
        maestroHome,
        env,
        children,
        git,
        repo(name, files) {
          const dir = join(root, name);
          mkdirSync(dir);
          git(dir, 'init', '-q', '-b', 'main');
          writeFiles(dir, files);
          git(dir, 'add', '-A');
          git(dir, 'commit', '-q', '-m', 'initial');
          return dir;
        },
        engine: (options = {}) => new WorkspaceEngine({ home: maestroHome, env, ...options }),
      };
    },
  };
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export interface Inventory {
  files: number;
  bytes: number;
  /** path → sha256 of the content (symlinks: `-> target`). */
  entries: Record<string, string>;
}

/** Every file under `dir` with its size and hash, leaving out `.git` and `skip` (e.g. node_modules). */
export function inventory(dir: string, skip: readonly string[] = ['node_modules']): Inventory {
  const result: Inventory = { files: 0, bytes: 0, entries: {} };
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (name === '.git' || skip.includes(path)) continue;
      const full = join(dir, path);
      const s = lstatSync(full);
      if (s.isSymbolicLink()) {
        result.entries[path] = `-> ${readlinkSync(full)}`;
        result.files++;
      } else if (s.isDirectory()) walk(path);
      else {
        const content = readFileSync(full);
        result.entries[path] = createHash('sha256').update(content).digest('hex');
        result.files++;
        result.bytes += content.length;
      }
    }
  };
  walk('');
  return result;
}

/** The arguments of test/workspaces/engine-child.ts. */
export interface ChildJob {
  home: string;
  env: NodeJS.ProcessEnv;
  op: 'create' | 'merge' | 'remove';
  project: { key: string; dir: string; baseBranch?: string };
  task: { id: string; title?: string };
  merge?: {
    strategy: 'rebase' | 'merge';
    checks: { command: string | string[]; timeoutSeconds: number } | null;
  };
  /** Where the child stops (the hook never returns) after writing `marker`. */
  pauseAt: FaultPoint | null;
  marker: string;
}

const CHILD = new URL('./engine-child.ts', import.meta.url).pathname;

/**
 * Runs one engine operation in a child process (as the server would), and waits until it has
 * reached `pauseAt` (or until a marker the caller names exists). The caller then kills it.
 */
export async function startEngineChild(
  sandbox: Sandbox & { children: ChildProcess[] },
  job: ChildJob,
  reached: string = job.marker,
): Promise<ChildProcess & { exited: Promise<void>; output(): string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(job)], {
    env: { ...sandbox.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  sandbox.children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  await waitFor(
    `the engine child to reach ${job.pauseAt ?? reached}`,
    () => {
      if (done) throw new Error(`the child exited early:\n${output}`);
      try {
        readFileSync(reached);
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 20_000 },
  );
  return Object.assign(child, { exited, output: () => output });
}

/** kill -9, and wait until the process is gone. */
export async function killHard(child: ChildProcess & { exited: Promise<void> }): Promise<void> {
  child.kill('SIGKILL');
  await child.exited;
}

/** Whether a process has ended (gone, or a zombie nobody has reaped yet). */
export function processEnded(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
