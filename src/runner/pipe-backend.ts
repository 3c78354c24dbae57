import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { constants, hostname } from 'node:os';
import { background } from '../shared/background.js';
import type { AgentSpec, LiveProcess, ProcessEvents, TerminalBackend } from './backend.js';
import { readExitStatus, readPid, writeLauncher } from './launcher.js';

/**
 * Runs agents as plain child processes, their output written straight to the log. Each launcher
 * leads its own process group, so a stop reaches the agent and whatever it started. A restarted
 * runner does not find them again.
 */
export class PipeBackend implements TerminalBackend {
  readonly name = 'pipe' as const;
  private readonly children = new Map<string, ChildProcess>();

  async start(spec: AgentSpec, events: ProcessEvents): Promise<void> {
    const files = writeLauncher({
      dir: spec.dir,
      sessionId: spec.sessionId,
      cwd: spec.cwd,
      command: spec.command,
      env: spec.env,
      stdin: spec.stdin,
    });
    const log = openSync(spec.logPath, 'a', 0o600);
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', [files.launcher], {
        cwd: spec.dir,
        env: {},
        detached: true,
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    this.children.set(spec.sessionId, child);
    const spawned = new Promise<boolean>((resolve) => {
      child.once('spawn', () => resolve(true));
      child.once('error', (error) => {
        this.children.delete(spec.sessionId);
        events.failed(spec.sessionId, error.message);
        resolve(false);
      });
    });
    // `started` always goes out before `exited`, however fast the agent ends.
    const started = spawned.then(async (ok) => {
      if (!ok) return false;
      const pid = (await readPid(files)) ?? child.pid ?? 0;
      events.started(spec.sessionId, pid, { backend: 'pipe', host: hostname(), socket: '', target: '' });
      return true;
    });
    child.once('exit', (code, signal) => {
      this.children.delete(spec.sessionId);
      const status = readExitStatus(files) ?? code ?? 128 + (signal ? (constants.signals[signal] ?? 15) : 1);
      background(`reporting the exit of ${spec.sessionId}`, () =>
        started.then((ok) => ok && events.exited(spec.sessionId, status)),
      );
    });
    await started;
  }

  async stop(sessionId: string): Promise<void> {
    const child = this.children.get(sessionId);
    if (child) killGroup(child);
  }

  /** The children still running: a reconnected runner claims them again (they never outlive it). */
  async adopt(): Promise<LiveProcess[]> {
    return [...this.children].map(([sessionId, child]) => ({ sessionId, pid: child.pid ?? 0, alive: true }));
  }

  live(): string[] {
    return [...this.children.keys()];
  }

  /** A child process has no terminal to type into. */
  async sendKeys(): Promise<boolean> {
    return false;
  }

  close(): void {
    for (const child of this.children.values()) killGroup(child);
  }
}

function killGroup(child: ChildProcess): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}
