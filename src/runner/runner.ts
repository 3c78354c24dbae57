import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { MaestroWsClient } from '../client/ws-client.js';
import { homeTag } from '../config/config.js';
import { isSessionId } from '../contract/ids.js';
import { Background, reportToStderr, type BackgroundErrorReporter } from '../shared/background.js';
import { privateDir } from '../shared/private-files.js';
import { SESSION_ENV_NAME, agentEnvironment } from './agent-env.js';
import type { ProcessEvents, TerminalBackend } from './backend.js';
import { shellQuote } from './launcher.js';
import { PipeBackend } from './pipe-backend.js';
import { TmuxBackend } from './tmux-backend.js';

const run = promisify(execFile);

export interface RunnerOptions {
  /** ws://HOST:PORT/ws of the server. */
  url: string;
  token: string;
  /** Folder for the sessions' private folders on this machine (`<home>/runner/<session id>`). */
  home: string;
  runnerId?: string;
  capacity?: number;
  backend?: 'tmux' | 'pipe' | 'auto';
  /** The tmux server (`tmux -L`); default `maestro-<tag of home>`. */
  tmuxSocket?: string;
  /** Overrides MAESTRO_SERVER for agents started here (the server's address as this machine sees it). */
  serverAddress?: string;
  heartbeatMs?: number;
  /** Where the variables agents may inherit come from (default process.env); see agent-env.ts. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Where failures of background work are reported (default stderr). */
  report?: BackgroundErrorReporter;
}

interface SpawnRequest {
  sessionId: string;
  command: string;
  program: string;
  prompt: string;
  cwd: string;
  env: Record<string, string>;
  agentEnv: Record<string, string>;
  input: 'prompt' | 'stream' | 'none';
  initialInput: string;
  mode: 'headless' | 'interactive';
  trustWorkingDir: boolean;
}

/** The agent command with the prompt file in it: every `{promptFile}` becomes its quoted path. */
export function agentCommandLine(template: string, promptFile: string): string {
  return template.replaceAll('{promptFile}', shellQuote(promptFile));
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function textRecord(value: unknown, name: (key: string) => boolean): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  for (const [key, v] of Object.entries(value)) {
    if (!name(key) || typeof v !== 'string' || v.includes('\0')) return undefined;
  }
  return value as Record<string, string>;
}

/** Checks a `spawn` message from the server; the answer is the request or what is wrong with it. */
export function parseSpawnRequest(message: Record<string, unknown>): SpawnRequest | string {
  const { sessionId, command, prompt, cwd } = message;
  if (!isSessionId(sessionId)) return `spawn.sessionId ${JSON.stringify(sessionId)} is not a session id.`;
  if (typeof command !== 'string' || command.trim() === '') return 'spawn.command must be a command line.';
  if (typeof prompt !== 'string') return 'spawn.prompt must be a string.';
  if (typeof cwd !== 'string' || !isAbsolute(cwd) || cwd.includes('\0'))
    return 'spawn.cwd must be an absolute path.';
  const env = textRecord(message.env, (k) => SESSION_ENV_NAME.test(k));
  if (!env) return 'spawn.env may hold only MAESTRO_* text variables.';
  const agentEnv = textRecord(message.agentEnv ?? {}, (k) => ENV_NAME.test(k) && !k.startsWith('MAESTRO_'));
  if (!agentEnv) return 'spawn.agentEnv must hold text variables (not MAESTRO_*).';
  const input = message.input ?? 'prompt';
  if (input !== 'prompt' && input !== 'stream' && input !== 'none')
    return 'spawn.input must be prompt, stream or none.';
  const mode = message.mode ?? 'headless';
  if (mode !== 'headless' && mode !== 'interactive') return 'spawn.mode must be headless or interactive.';
  const program =
    typeof message.program === 'string' && message.program
      ? message.program
      : (command.trim().split(/\s+/)[0] ?? '');
  return {
    sessionId,
    command,
    program,
    prompt,
    cwd,
    env,
    agentEnv,
    input,
    initialInput: typeof message.initialInput === 'string' ? message.initialInput : '',
    mode,
    trustWorkingDir: message.trustWorkingDir === true,
  };
}

/**
 * Interactive Claude Code asks whether to trust a folder it has not seen, and stops there. The
 * runner answers it beforehand in the agent's own config (`$CLAUDE_CONFIG_DIR/.claude.json`, or
 * `$HOME/.claude.json`), for this working directory only, keeping everything else in the file.
 */
export function trustInClaudeConfig(env: Record<string, string>, cwd: string): void {
  const path = env.CLAUDE_CONFIG_DIR
    ? join(env.CLAUDE_CONFIG_DIR, '.claude.json')
    : env.HOME
      ? join(env.HOME, '.claude.json')
      : undefined;
  if (!path) return;
  let config: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        config = parsed as Record<string, unknown>;
    } catch {
      return; // not ours to repair
    }
  }
  const projects = (config.projects ?? {}) as Record<string, Record<string, unknown>>;
  projects[cwd] = { ...(projects[cwd] ?? {}), hasTrustDialogAccepted: true };
  config.projects = projects;
  config.hasCompletedOnboarding ??= true;
  const key = env.ANTHROPIC_API_KEY;
  if (key) {
    const responses = (config.customApiKeyResponses ?? { approved: [], rejected: [] }) as {
      approved: string[];
      rejected: string[];
    };
    const tail = key.slice(-20);
    if (!responses.approved.includes(tail)) responses.approved.push(tail);
    config.customApiKeyResponses = responses;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
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
  /** The input streams of agents that take messages on stdin. */
  private readonly inputs = new Map<string, FileHandle>();
  private timers: NodeJS.Timeout[] = [];
  private readonly jobs: Background;
  private readonly environment: Readonly<Record<string, string | undefined>>;

  constructor(private readonly options: RunnerOptions) {
    this.jobs = new Background(options.report ?? reportToStderr);
    this.environment = options.environment ?? process.env;
  }

  async start(): Promise<void> {
    const choice = this.options.backend ?? 'auto';
    const tmuxEnv = this.tmuxEnvironment();
    this.backend =
      choice === 'pipe' || (choice === 'auto' && !(await TmuxBackend.available(tmuxEnv)))
        ? new PipeBackend()
        : new TmuxBackend({
            socket: this.options.tmuxSocket ?? `maestro-${homeTag(this.options.home)}`,
            session: `maestro-${homeTag(this.options.home)}`,
            env: tmuxEnv,
            dirFor: (sessionId) => this.sessionDir(sessionId),
            report: this.options.report,
          });
    privateDir(this.options.home, () => undefined);
    privateDir(join(this.options.home, 'runner'), () => undefined);
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
    client.onWelcome(() => this.jobs.run('adopting running agents', () => this.adopt()));
    client.onServerMessage((message) => {
      if (message.type === 'spawn') {
        this.jobs.run(`starting the agent of ${String(message.sessionId)}`, () => this.spawn(message));
      }
      if (message.type === 'input') {
        this.jobs.run(`sending input to ${String(message.sessionId)}`, () => this.input(message));
      }
      if (message.type === 'stop' && isSessionId(message.sessionId)) {
        const sessionId = message.sessionId;
        this.jobs.run(`stopping ${sessionId}`, () => this.backend?.stop(sessionId));
      }
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

  /** A session's private folder on this machine (0700). */
  sessionDir(sessionId: string): string {
    if (!isSessionId(sessionId)) throw new Error(`'${sessionId}' is not a session id.`);
    return join(this.options.home, 'runner', sessionId);
  }

  private logPath(sessionId: string): string {
    return join(this.sessionDir(sessionId), 'output.log');
  }

  /** tmux clients (and a tmux server they start) get no more than they need to find their socket. */
  private tmuxEnvironment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.environment)) {
      if (value === undefined) continue;
      if (
        ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'TMPDIR', 'TMUX_TMPDIR'].includes(name) ||
        name.startsWith('LC_')
      )
        env[name] = value;
    }
    return env;
  }

  private events(): ProcessEvents {
    const report = (args: Record<string, unknown>) => {
      this.shipOutput();
      // Refused or cut off reports are not worth a line: the server reconciles on the next welcome.
      this.jobs.run('runner.report', () =>
        this.client?.command('runner.report', args).catch(() => undefined),
      );
    };
    const ended = (sessionId: string, args: Record<string, unknown>) => {
      report(args);
      this.offsets.delete(sessionId);
      this.jobs.run(`closing the input of ${sessionId}`, () => this.closeInput(sessionId));
    };
    return {
      started: (sessionId, pid, terminal) => report({ sessionId, kind: 'started', pid, terminal }),
      exited: (sessionId, exitCode) => ended(sessionId, { sessionId, kind: 'exited', exitCode }),
      failed: (sessionId, reason) => ended(sessionId, { sessionId, kind: 'failed', reason }),
    };
  }

  private async spawn(message: Record<string, unknown>): Promise<void> {
    const request = parseSpawnRequest(message);
    const events = this.events();
    if (typeof request === 'string') {
      if (isSessionId(message.sessionId))
        events.failed(message.sessionId, `The runner refused the spawn: ${request}`);
      throw new Error(request);
    }
    const { sessionId } = request;
    // A server that restarted may hand out again a spawn whose start it never heard of.
    if (this.backend!.live().includes(sessionId)) return;
    const env = {
      ...agentEnvironment(this.environment, {
        ...request.env,
        ...(this.options.serverAddress ? { MAESTRO_SERVER: this.options.serverAddress } : {}),
      }),
    };
    // The profile's variables over the inherited ones; the session's MAESTRO_* over both.
    for (const [name, value] of Object.entries(request.agentEnv))
      if (!name.startsWith('MAESTRO_')) env[name] = value;
    const program = request.program;
    try {
      await run('/bin/sh', ['-c', `command -v ${shellQuote(program)}`], { env });
    } catch {
      events.failed(
        sessionId,
        `The agent command '${program}' was not found on PATH of the runner's machine.`,
      );
      return;
    }
    if (!existsSync(request.cwd) || !statSync(request.cwd).isDirectory()) {
      events.failed(
        sessionId,
        `The project's working directory ${request.cwd} does not exist on the runner's machine.`,
      );
      return;
    }
    const dir = this.sessionDir(sessionId);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const promptFile = join(dir, 'prompt.md');
    writeFileSync(promptFile, request.prompt, { mode: 0o600 });
    writeFileSync(this.logPath(sessionId), '', { mode: 0o600 });
    this.offsets.set(sessionId, 0);
    if (request.mode === 'interactive' && this.backend!.name !== 'tmux') {
      events.failed(
        sessionId,
        'An interactive agent needs a tmux runner; this runner starts plain processes.',
      );
      return;
    }
    try {
      if (request.trustWorkingDir) trustInClaudeConfig(env, request.cwd);
      let stdin: string | undefined;
      if (request.input === 'prompt') stdin = promptFile;
      else if (request.input === 'stream') {
        // A FIFO the runner holds open for writing: the agent reads its messages from it, and
        // reaches the end of its input when the runner closes it.
        stdin = join(dir, 'input');
        await run('mkfifo', ['-m', '600', stdin]);
        const handle = await open(stdin, fsConstants.O_RDWR);
        this.inputs.set(sessionId, handle);
        if (request.initialInput) await handle.write(request.initialInput);
      }
      await this.backend!.start(
        {
          sessionId,
          command: agentCommandLine(request.command, promptFile),
          cwd: request.cwd,
          env,
          dir,
          logPath: this.logPath(sessionId),
          stdin,
        },
        events,
      );
    } catch (error) {
      await this.closeInput(sessionId);
      events.failed(sessionId, `The terminal could not start the agent: ${(error as Error).message}`);
    }
  }

  /** Writes to an agent's input stream, types into its terminal, or closes its input. */
  private async input(message: Record<string, unknown>): Promise<void> {
    const sessionId = message.sessionId;
    if (!isSessionId(sessionId)) return;
    if (typeof message.write === 'string') await this.inputs.get(sessionId)?.write(message.write);
    if (typeof message.keys === 'string') await this.backend?.sendKeys(sessionId, message.keys);
    if (message.close === true) await this.closeInput(sessionId);
  }

  private async closeInput(sessionId: string): Promise<void> {
    const handle = this.inputs.get(sessionId);
    this.inputs.delete(sessionId);
    await handle?.close();
  }

  private async adopt(): Promise<void> {
    const found = (await this.backend?.adopt(this.events())) ?? [];
    for (const p of found) {
      if (!this.offsets.has(p.sessionId)) {
        const path = this.logPath(p.sessionId);
        this.offsets.set(p.sessionId, existsSync(path) ? statSync(path).size : 0);
      }
      // Also for an agent that ended meanwhile: the server learns this runner owns it before its exit.
      this.jobs.run('runner.report', () =>
        this.client
          ?.command('runner.report', { sessionId: p.sessionId, kind: 'adopted', pid: p.pid })
          .catch(() => undefined),
      );
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
      this.jobs.run('runner.output', () =>
        this.client
          ?.command('runner.output', { sessionId, data: buffer.toString('utf8') })
          .catch(() => undefined),
      );
    }
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.client?.close();
    this.backend?.close();
  }
}
