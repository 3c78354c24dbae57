import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { AgentSpec, LiveProcess, ProcessEvents, TerminalBackend } from './backend.js';

/** Runs agents as plain child processes with their output piped to the log. No re-adoption. */
export class PipeBackend implements TerminalBackend {
  readonly name = 'pipe' as const;
  private readonly children = new Map<string, ChildProcess>();

  async start(spec: AgentSpec, events: ProcessEvents): Promise<void> {
    const log = createWriteStream(spec.logPath, { flags: 'a' });
    const child = spawn('/bin/sh', ['-c', spec.command], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.set(spec.sessionId, child);
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('spawn', () => events.started(spec.sessionId, child.pid ?? 0));
    child.once('error', (error) => {
      this.children.delete(spec.sessionId);
      events.failed(spec.sessionId, error.message);
    });
    child.once('close', (code, signal) => {
      this.children.delete(spec.sessionId);
      log.end();
      events.exited(spec.sessionId, code ?? (signal ? 128 + 15 : 1));
    });
  }

  async stop(sessionId: string): Promise<void> {
    this.children.get(sessionId)?.kill('SIGTERM');
  }

  async adopt(): Promise<LiveProcess[]> {
    return [];
  }

  live(): string[] {
    return [...this.children.keys()];
  }

  close(): void {
    for (const child of this.children.values()) child.kill('SIGTERM');
  }
}
