import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { MaestroWsClient } from '../../web/client/maestro-client.js';
import type { ProcessEvents, TerminalBackend } from './backend.js';
import { PipeBackend } from './pipe-backend.js';
import { TmuxBackend, shellQuote } from './tmux-backend.js';

const run = promisify(execFile);

export interface RunnerOptions {
  /** ws://HOST:PORT/ws of the server. */
  url: string;
  token: string;
  /** Folder for prompts and terminal logs on this machine. */
  home: string;
  runnerId?: string;
  capacity?: number;
  backend?: 'tmux' | 'pipe' | 'auto';
  tmuxSocket?: string;
  /** Overrides MAESTRO_SERVER for agents started here (the server's address as this machine sees it). */
  serverAddress?: string;
  heartbeatMs?: number;
}

interface SpawnRequest {
  sessionId: string;
  command: string;
  prompt: string;
  cwd: string;
  env: Record<string, string>;
}

/** The agent command with the prompt file in it: `{promptFile}` is replaced, else the prompt is the last argument. */
export function agentCommandLine(template: string, promptFile: string): string {
  return template.includes('{promptFile}')
    ? template.replaceAll('{promptFile}', shellQuote(promptFile))
    : `${template} "$(cat ${shellQuote(promptFile)})"`;
}

/**
 * A runner: a WebSocket client that starts agents in terminals on its machine when the server asks,
 * and reports their life back (started, output, heartbeats, exit). `maestro server start` runs one
 * in-process; `maestro runner` runs one elsewhere.
 */
export class Runner {
  private client: MaestroWsClient | undefined;
  private backend: TerminalBackend | undefined;
  private readonly offsets = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: RunnerOptions) {}

  async start(): Promise<void> {
    const choice = this.options.backend ?? 'auto';
    this.backend =
      choice === 'pipe' || (choice === 'auto' && !(await TmuxBackend.available()))
        ? new PipeBackend()
        : new TmuxBackend(this.options.tmuxSocket);
    mkdirSync(join(this.options.home, 'runner'), { recursive: true });
    const client = new MaestroWsClient({
      url: this.options.url,
      token: this.options.token,
      clientId: this.options.runnerId ?? `runner-${process.pid}`,
      WebSocket,
      role: 'runner',
      capacity: this.options.capacity ?? 4,
      minReconnectDelayMs: 200,
      maxReconnectDelayMs: 3000,
    });
    this.client = client;
    client.onWelcome(() => void this.adopt());
    client.onServerMessage((message) => {
      if (message.type === 'spawn') void this.spawn(message as unknown as SpawnRequest);
      if (message.type === 'stop') void this.backend?.stop(String(message.sessionId));
    });
    this.timers.push(
      setInterval(() => this.shipOutput(), 250),
      setInterval(() => {
        const live = this.backend?.live() ?? [];
        if (live.length) void client.command('runner.heartbeat', { sessionIds: live }).catch(() => undefined);
      }, this.options.heartbeatMs ?? 5000),
    );
    for (const t of this.timers) t.unref();
  }

  get backendName(): string | undefined {
    return this.backend?.name;
  }

  private logPath(sessionId: string): string {
    return join(this.options.home, 'runner', `${sessionId}.log`);
  }

  private events(): ProcessEvents {
    const report = (args: Record<string, unknown>) => {
      this.shipOutput();
      void this.client?.command('runner.report', args).catch(() => undefined);
    };
    const ended = (sessionId: string, args: Record<string, unknown>) => {
      report(args);
      this.offsets.delete(sessionId);
    };
    return {
      started: (sessionId, pid) => report({ sessionId, kind: 'started', pid }),
      exited: (sessionId, exitCode) => ended(sessionId, { sessionId, kind: 'exited', exitCode }),
      failed: (sessionId, reason) => ended(sessionId, { sessionId, kind: 'failed', reason }),
    };
  }

  private async spawn(request: SpawnRequest): Promise<void> {
    const events = this.events();
    const program = request.command.trim().split(/\s+/)[0] ?? '';
    try {
      await run('/bin/sh', ['-c', `command -v ${shellQuote(program)}`]);
    } catch {
      events.failed(
        request.sessionId,
        `The agent command '${program}' was not found on PATH of the runner's machine.`,
      );
      return;
    }
    if (!existsSync(request.cwd)) {
      events.failed(
        request.sessionId,
        `The project's working directory ${request.cwd} does not exist on the runner's machine.`,
      );
      return;
    }
    const promptFile = join(this.options.home, 'runner', `${request.sessionId}.prompt.md`);
    writeFileSync(promptFile, request.prompt);
    writeFileSync(this.logPath(request.sessionId), '');
    this.offsets.set(request.sessionId, 0);
    const env = {
      ...request.env,
      ...(this.options.serverAddress ? { MAESTRO_SERVER: this.options.serverAddress } : {}),
    };
    try {
      await this.backend!.start(
        {
          sessionId: request.sessionId,
          command: agentCommandLine(request.command, promptFile),
          cwd: request.cwd,
          env,
          logPath: this.logPath(request.sessionId),
        },
        events,
      );
    } catch (error) {
      events.failed(request.sessionId, `The terminal could not start the agent: ${(error as Error).message}`);
    }
  }

  private async adopt(): Promise<void> {
    const found = (await this.backend?.adopt(this.events())) ?? [];
    for (const p of found) {
      if (!this.offsets.has(p.sessionId)) {
        const path = this.logPath(p.sessionId);
        this.offsets.set(p.sessionId, existsSync(path) ? statSync(path).size : 0);
      }
      void this.client
        ?.command('runner.report', { sessionId: p.sessionId, kind: 'adopted', pid: p.pid })
        .catch(() => undefined);
    }
  }

  /** Sends what the terminals wrote since the last look. */
  private shipOutput(): void {
    for (const [sessionId, offset] of this.offsets) {
      const path = this.logPath(sessionId);
      if (!existsSync(path)) continue;
      const size = statSync(path).size;
      if (size <= offset) continue;
      const length = Math.min(size - offset, 256 * 1024);
      const buffer = Buffer.alloc(length);
      const fd = openSync(path, 'r');
      readSync(fd, buffer, 0, length, offset);
      closeSync(fd);
      this.offsets.set(sessionId, offset + length);
      void this.client
        ?.command('runner.output', { sessionId, data: buffer.toString('utf8') })
        .catch(() => undefined);
    }
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.client?.close();
    this.backend?.close();
  }
}
