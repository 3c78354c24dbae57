import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { RunningServer } from '../../src/gateway/server.js';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const CLI = join(ROOT, 'bin/maestro.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as one JSON document (throws if it is not exactly one). */
  json: {
    ok: boolean;
    data?: unknown;
    error?: { code: string; message: string; hint?: string; details?: Record<string, unknown> };
  };
}

/** The environment a CLI process needs to reach a test server, as an agent's shell would have it. */
export function cliEnv(
  server: RunningServer,
  home: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    MAESTRO_HOME: home,
    MAESTRO_SERVER: `127.0.0.1:${server.grpc.port}`,
    MAESTRO_TOKEN: server.token,
    MAESTRO_ACTOR: 'agent',
    NO_COLOR: '1',
    ...extra,
  };
}

/** Runs the built CLI as a separate process, the way an agent does. */
export function runCli(args: readonly string[], env: Record<string, string>, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      let parsed: CliResult['json'] | undefined;
      resolve({
        code,
        stdout,
        stderr,
        get json() {
          parsed ??= JSON.parse(stdout) as CliResult['json'];
          return parsed;
        },
      });
    });
  });
}

/** Runs a `--json` command and returns its data, failing loudly on an error envelope. */
export async function cliData<T = Record<string, unknown>>(
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<T> {
  const result = await runCli([...args, '--json'], env, cwd);
  if (result.code !== 0 || !result.json.ok) {
    throw new Error(`maestro ${args.join(' ')} failed (${result.code}): ${result.stdout}${result.stderr}`);
  }
  return result.json.data as T;
}
