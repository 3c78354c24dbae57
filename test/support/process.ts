import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach } from 'vitest';
import { CLI } from './cli.js';
import { tempHome } from './server.js';
import { waitFor } from './wait.js';

/** A `maestro server start --json` process, as an operator runs it. */
export interface ServerProcess {
  child: ChildProcess;
  /** `HOST:PORT` of gRPC and of HTTP. */
  grpc: string;
  http: string;
  token: string;
  /** The JSON log lines written to stderr so far. */
  logs(): { level: string; msg: string; [field: string]: unknown }[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** The exit code (null when killed by a signal), once it has exited. */
  exited: Promise<number | null>;
}

/** Starts the built CLI's server on port 0 in `home` and waits for its ready line. */
export async function startServerProcess(
  home: string,
  env: Record<string, string> = {},
  args: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [CLI, 'server', 'start', '--http-port', '0', '--grpc-port', '0', ...args, '--json'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        MAESTRO_HOME: home,
        MAESTRO_RUNNER: 'off',
        MAESTRO_LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then((code) =>
      reject(new Error(`server exited with ${code} before it was ready:\n${stderr}`)),
    );
  });
  const data = (JSON.parse(line) as { data: { grpc: string; http: string } }).data;
  return {
    child,
    grpc: data.grpc,
    http: data.http.replace(/^http:\/\//, ''),
    token: env.MAESTRO_TOKEN ?? readFileSync(join(home, 'token'), 'utf8').trim(),
    stderr: () => stderr,
    logs: () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: string; msg: string }),
    exited,
  };
}

/**
 * Temporary homes and `server start` processes for the tests of one file: after each test the
 * processes still running are killed and the homes removed.
 */
export function serverProcesses(prefix: string) {
  const homes: { cleanup(): void }[] = [];
  const children: ServerProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.child.kill('SIGKILL');
    for (const h of homes.splice(0)) h.cleanup();
  });
  return {
    newHome(): string {
      const h = tempHome(prefix);
      homes.push(h);
      return h.home;
    },
    async start(home: string, env: Record<string, string> = {}): Promise<ServerProcess> {
      const server = await startServerProcess(home, env);
      children.push(server);
      return server;
    },
  };
}

/** How a `server start` that is expected to stop by itself ended. */
export interface FinishedProcess {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `maestro server start --json` with `args` and waits for it to exit by itself; a process still
 * running after `timeoutMs` is killed and the wait fails, so a server that hangs fails the test
 * instead of holding it.
 */
export async function runServerStart(
  home: string,
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<FinishedProcess> {
  const child = spawn(process.execPath, [CLI, 'server', 'start', ...args, '--json'], {
    env: { PATH: process.env.PATH ?? '', HOME: home, MAESTRO_HOME: home, MAESTRO_RUNNER: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let finished: FinishedProcess | undefined;
  // 'close' comes after the process exited and its output was read to the end.
  child.once('close', (code, signal) => (finished = { code, signal, stdout, stderr }));
  try {
    return await waitFor(
      'the server process to exit by itself',
      () => finished && { ...finished, stdout, stderr },
      {
        timeoutMs,
      },
    );
  } finally {
    if (!finished) child.kill('SIGKILL');
  }
}

/** Stops the tmux servers on these sockets (`tmux -L NAME`); one that is gone already is fine. */
export function killTmuxServers(sockets: Iterable<string>): void {
  for (const socket of sockets) {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // no server left
    }
  }
}
