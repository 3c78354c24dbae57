import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach } from 'vitest';
import { ROOT } from '../support/cli.js';

/** The harness binaries the project pins as devDependencies (package.json). */
export const CLAUDE_BIN = join(ROOT, 'node_modules/.bin/claude');
export const CODEX_BIN = join(ROOT, 'node_modules/.bin/codex');

/**
 * Checks that a pinned harness is installed and runs, and returns its `--version` line. Fails (never
 * skips) with what to do: a missing binary means `npm ci` did not run; Claude Code's placeholder
 * (`bin/claude.exe` before its postinstall put the native binary there) says "native binary not
 * installed".
 */
export function requireHarness(bin: string, expectedVersion: string): string {
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`npm ci\` (the harnesses are pinned devDependencies)`);
  }
  const run = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  const out = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (run.status !== 0 || !out.includes(expectedVersion)) {
    throw new Error(
      `${bin} --version did not print ${expectedVersion} (exit ${run.status}): ${out}\n` +
        'Run `npm ci`; for Claude Code its postinstall must run (allowScripts in package.json), ' +
        'or run `node node_modules/@anthropic-ai/claude-code/install.cjs` by hand.',
    );
  }
  return out;
}

/** One JSON line a harness printed on stdout. */
export interface HarnessEvent {
  type: string;
  subtype?: string;
  [field: string]: unknown;
}

/** A running harness process with its stdout parsed as JSONL. */
export interface HarnessRun {
  child: ChildProcess;
  /** The JSON events so far, in order. */
  readonly events: HarnessEvent[];
  /** Lines of stdout that were not JSON. */
  readonly noise: string[];
  stderr(): string;
  /** Writes one JSON line to stdin (stream-json input). */
  send(line: unknown): void;
  /** Closes stdin. */
  endInput(): void;
  /** The exit code, or the signal name when killed. */
  exited: Promise<number | string>;
}

export interface StartOptions {
  cwd: string;
  env: Record<string, string>;
  /** Written to stdin; stdin is then closed unless `keepInputOpen`. */
  input?: string;
  keepInputOpen?: boolean;
  /** Run as this user and group (only when the test process is root). */
  uid?: number;
  gid?: number;
}

/**
 * The harness processes and temporary folders of one test file: after each test, processes still
 * running are killed and the folders removed.
 */
export function harnessProcesses() {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  return {
    /** A fresh temporary folder, removed after the test; owned by `uid` when given (root only). */
    tempDir(prefix: string, owner?: { uid: number; gid: number }): string {
      const dir = mkdtempSync(join(tmpdir(), `maestro-${prefix}-`));
      dirs.push(dir);
      if (owner) chownSync(dir, owner.uid, owner.gid);
      return dir;
    },

    subDir(parent: string, name: string): string {
      const dir = join(parent, name);
      mkdirSync(dir, { recursive: true });
      return dir;
    },

    start(bin: string, args: readonly string[], options: StartOptions): HarnessRun {
      const child = spawn(bin, args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
      });
      children.push(child);
      const events: HarnessEvent[] = [];
      const noise: string[] = [];
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const value: unknown = JSON.parse(line);
          if (value !== null && typeof value === 'object' && 'type' in value)
            events.push(value as HarnessEvent);
          else noise.push(line);
        } catch {
          if (line.trim() !== '') noise.push(line);
        }
      });
      const exited = new Promise<number | string>((resolveExit) =>
        child.once('close', (code, signal) => resolveExit(code ?? signal ?? 'unknown')),
      );
      child.stdin!.on('error', () => undefined);
      if (options.input !== undefined) child.stdin!.write(options.input);
      if (!options.keepInputOpen) child.stdin!.end();
      return {
        child,
        events,
        noise,
        stderr: () => stderr,
        send: (line) => child.stdin!.write(`${JSON.stringify(line)}\n`),
        endInput: () => child.stdin!.end(),
        exited,
      };
    },
  };
}

/** The events of one type (and subtype, when given). */
export function eventsOf(run: { events: HarnessEvent[] }, type: string, subtype?: string): HarnessEvent[] {
  return run.events.filter((e) => e.type === type && (subtype === undefined || e.subtype === subtype));
}

/** A short account of a run for assertion messages: its events' types and its stderr. */
export function describeRun(run: HarnessRun): string {
  const types = run.events.map((e) => (e.subtype ? `${e.type}/${e.subtype}` : e.type)).join(', ');
  return `events: [${types}]\nnoise: ${run.noise.join('\n')}\nstderr: ${run.stderr()}`;
}
