import { spawn } from 'node:child_process';
import type { CommandSpec } from './workspace-file.js';

/** What a setup or checks command did, with its output bounded. */
export interface CommandResult {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** stdout and stderr in the order written; the head and the tail when longer than the limit. */
  output: string;
  /** Bytes the command wrote in all. */
  outputBytes: number;
  truncated: boolean;
}

export interface RunCommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Bytes of output kept (default 64 KiB): the first eighth and the last seven eighths. */
  outputLimit?: number;
  /** Called with the pid once the command runs (the merge journal records it). */
  onSpawn?: (pid: number) => void | Promise<void>;
}

export const DEFAULT_OUTPUT_LIMIT = 64 * 1024;
/** How long a command gets between SIGTERM and SIGKILL when it overruns its timeout. */
const KILL_GRACE_MS = 5000;

/**
 * Runs a project's setup or checks command in its own process group, so a timeout, or the end of
 * the command, stops everything it started (a dev server left running would hold the port and the
 * pipes). A string command is the project's own shell text and runs with `/bin/sh -c`; an array
 * runs as an argument vector.
 */
export function runCommand(spec: CommandSpec, options: RunCommandOptions): Promise<CommandResult> {
  const limit = options.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
  // One stream, so stdout and stderr keep their order: the shell sends stderr to stdout first. An
  // argument vector goes through `exec "$@"`, which passes it on without interpreting it.
  const args =
    typeof spec.command === 'string'
      ? ['-c', `exec 2>&1\n${spec.command}`]
      : ['-c', 'exec 2>&1; exec "$@"', 'sh', ...spec.command];
  const started = performance.now();
  const output = new BoundedOutput(limit);
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      grace = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }, spec.timeoutSeconds * 1000);
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    if (child.pid !== undefined) void Promise.resolve(options.onSpawn?.(child.pid)).catch(() => undefined);
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    // What the command left running in its group goes when it ends; then the pipes close.
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      killGroup('SIGKILL');
    });
    child.once('error', (error) => {
      output.push(Buffer.from(`${String(error)}\n`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(grace);
      const exitCode = exit.code ?? code;
      const exitSignal = exit.signal ?? signal;
      resolve({
        ok: exitCode === 0 && !timedOut,
        exitCode,
        signal: exitSignal,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        ...output.result(),
      });
    });
  });
}

/** Keeps the first eighth and the last seven eighths of `limit` bytes of a stream. */
class BoundedOutput {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;
  private readonly headLimit: number;
  private readonly tailLimit: number;

  constructor(limit: number) {
    this.headLimit = Math.floor(limit / 8);
    this.tailLimit = limit - this.headLimit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.headBytes < this.headLimit) {
      const part = chunk.subarray(0, this.headLimit - this.headBytes);
      this.head.push(part);
      this.headBytes += part.length;
      chunk = chunk.subarray(part.length);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit) {
      this.tailBytes -= this.tail.shift()!.length;
    }
  }

  result(): { output: string; outputBytes: number; truncated: boolean } {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailLimit) tail = tail.subarray(tail.length - this.tailLimit);
    const omitted = this.total - head.length - tail.length;
    const output =
      omitted > 0
        ? `${head.toString('utf8')}\n… ${omitted} bytes omitted …\n${tail.toString('utf8')}`
        : `${head.toString('utf8')}${tail.toString('utf8')}`;
    return { output, outputBytes: this.total, truncated: omitted > 0 };
  }
}
