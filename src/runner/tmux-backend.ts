import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { Background, type BackgroundErrorReporter } from '../shared/background.js';
import type { AgentSpec, LiveProcess, ProcessEvents, TerminalBackend } from './backend.js';
import {
  launcherFiles,
  readExitStatus,
  readPid,
  shellQuote,
  tmuxLiteral,
  writeLauncher,
  type LauncherFiles,
} from './launcher.js';

const run = promisify(execFile);

/** Session ids are the only window names this backend makes or adopts. */
const WINDOW_NAME = /^s_\d{1,15}$/;
/** Polls a dead pane whose status tmux does not know yet this many times before giving up on it. */
const STATUS_POLLS = 20;
/** How long the launcher may take to start the agent and write its pid. */
const PID_TIMEOUT_MS = 30_000;

export interface TmuxOptions {
  /** The tmux server (`tmux -L`): by default one per Maestro home. */
  socket: string;
  /** The tmux session holding this runner's windows: one per runner home, even on a shared socket. */
  session: string;
  /** The environment of tmux client calls, and so of a tmux server they start: no secrets in it. */
  env: Record<string, string>;
  /** The private folder of a session (for windows adopted after a restart). */
  dirFor(sessionId: string): string;
  report?: BackgroundErrorReporter;
}

interface Tracked {
  events: ProcessEvents;
  windowId: string;
  files: LauncherFiles;
  /** Polls that found the pane dead without a status yet. */
  misses: number;
}

interface Pane {
  windowId: string;
  name: string;
  pid: number;
  dead: boolean;
  /** The status tmux reports for a dead pane (128 + signal for a killed one), if it knows it. */
  status: number | undefined;
}

/**
 * Runs each agent in a window of a tmux server, so a person can watch it (`maestro session
 * attach`) and it outlives the runner. The window runs the session's launcher and nothing else:
 * every value is data in that file, never a tmux argument that tmux would expand. Output is copied
 * to the log with pipe-pane; the launcher records the exit status in a file, so the outcome never
 * depends on when tmux learns it. Parsing uses printable separators only (tmux replaces tabs
 * with `_` without a UTF-8 locale). A restarted runner finds its windows by name in its own tmux
 * session and keeps tracking them.
 */
export class TmuxBackend implements TerminalBackend {
  readonly name = 'tmux' as const;
  private readonly tracked = new Map<string, Tracked>();
  private readonly poller: NodeJS.Timeout;
  private readonly jobs: Background;
  private polling = false;
  private paths: Promise<{ socketPath: string; tmuxPath: string }> | undefined;

  constructor(private readonly options: TmuxOptions) {
    this.jobs = new Background(options.report);
    this.poller = setInterval(() => this.jobs.run('polling tmux panes', () => this.poll()), 300);
    this.poller.unref();
  }

  static async available(env: Record<string, string>): Promise<boolean> {
    try {
      await run('tmux', ['-V'], { env });
      return true;
    } catch {
      return false;
    }
  }

  private tmux(...args: string[]) {
    return run('tmux', ['-L', this.options.socket, ...args], { env: this.options.env });
  }

  /**
   * The tmux server and this runner's session in it, made when missing (a person may have killed
   * it since the last spawn). Two spawns at once may both try to make it; the loser finds it made.
   */
  private async ensureSession(): Promise<{ socketPath: string; tmuxPath: string }> {
    const session = this.options.session;
    const exists = () =>
      this.tmux('has-session', '-t', `=${session}`).then(
        () => true,
        () => false,
      );
    if (!(await exists())) {
      try {
        await this.tmux(
          'new-session',
          '-d',
          '-s',
          session,
          '-n',
          '_maestro',
          '-x',
          '200',
          '-y',
          '50',
          '/bin/sh',
          '-c',
          'exec tail -f /dev/null',
        );
        await this.tmux('set-option', '-t', session, 'history-limit', '10000');
      } catch (error) {
        if (!(await exists())) throw error;
      }
    }
    this.paths ??= (async () => ({
      socketPath: (
        await this.tmux('display-message', '-p', '-t', `=${session}:`, '#{socket_path}')
      ).stdout.trim(),
      tmuxPath: (await run('/bin/sh', ['-c', 'command -v tmux'], { env: this.options.env })).stdout.trim(),
    }))();
    try {
      return await this.paths;
    } catch (error) {
      this.paths = undefined;
      throw error;
    }
  }

  async start(spec: AgentSpec, events: ProcessEvents): Promise<void> {
    if (!WINDOW_NAME.test(spec.sessionId)) throw new Error(`'${spec.sessionId}' is not a session id.`);
    const { socketPath, tmuxPath } = await this.ensureSession();
    const gate = `maestro-go-${randomUUID()}`;
    // tmux gives the pane its own TERM; the runner's would be wrong there.
    const env = Object.fromEntries(Object.entries(spec.env).filter(([name]) => name !== 'TERM'));
    const files = writeLauncher({
      dir: spec.dir,
      sessionId: spec.sessionId,
      cwd: spec.cwd,
      command: spec.command,
      env,
      stdin: spec.stdin,
      // The agent starts once pipe-pane is in place, so its first byte of output is in the log.
      beforeRun: `${shellQuote(tmuxPath)} -S ${shellQuote(socketPath)} wait-for ${shellQuote(gate)}`,
    });
    // Several arguments: tmux runs the program directly, with no shell and no format expansion.
    const windowId = (
      await this.tmux(
        'new-window',
        '-d',
        '-P',
        '-F',
        '#{window_id}',
        '-t',
        `=${this.options.session}:`,
        '-n',
        spec.sessionId,
        '/bin/sh',
        files.launcher,
      )
    ).stdout.trim();
    try {
      await this.tmux('set-option', '-w', '-t', windowId, 'remain-on-exit', 'on');
      await this.tmux('pipe-pane', '-t', windowId, '-o', tmuxLiteral(`cat >> ${shellQuote(spec.logPath)}`));
      await this.tmux('wait-for', '-S', gate);
      // A loaded machine can take seconds to schedule the launcher; giving up kills the agent's window.
      const pid = await readPid(files, PID_TIMEOUT_MS);
      if (pid === undefined)
        throw new Error(`the launcher did not start the agent within ${PID_TIMEOUT_MS / 1000} s`);
      this.tracked.set(spec.sessionId, { events, windowId, files, misses: 0 });
      events.started(spec.sessionId, pid, {
        backend: 'tmux',
        host: hostname(),
        socket: socketPath,
        target: windowId,
      });
    } catch (error) {
      // Adopted meanwhile (the runner reconnected)? It is not a live agent of this runner any more.
      if (this.tracked.get(spec.sessionId)?.windowId === windowId) this.tracked.delete(spec.sessionId);
      await this.tmux('kill-window', '-t', windowId).catch(() => undefined);
      throw error;
    }
  }

  async stop(sessionId: string): Promise<void> {
    const tracked = this.tracked.get(sessionId);
    this.tracked.delete(sessionId);
    if (tracked) await this.tmux('kill-window', '-t', tracked.windowId).catch(() => undefined);
  }

  /** This runner's panes; undefined when tmux could not say (try again later), [] when its session is gone. */
  private async panes(): Promise<Pane[] | undefined> {
    try {
      const { stdout } = await this.tmux(
        'list-panes',
        '-s',
        '-t',
        `=${this.options.session}`,
        '-F',
        '#{window_id} #{pane_pid} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{window_name}',
      );
      return stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [windowId = '', pid = '0', dead = '0', status = '', signal = '', ...name] = line.split(' ');
          const killed = signal !== '' && signal !== '0';
          return {
            windowId,
            name: name.join(' '),
            pid: Number(pid),
            dead: dead === '1',
            status: killed ? 128 + Number(signal) : status === '' ? undefined : Number(status),
          };
        });
    } catch (error) {
      const message = String((error as { stderr?: string }).stderr ?? error);
      return /no server running|can't find|error connecting/.test(message) ? [] : undefined;
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || this.tracked.size === 0) return;
    this.polling = true;
    try {
      // Only the windows tracked before the listing: one whose start ends while tmux answers is
      // missing from the list, and was taken for a vanished window (its agent recorded as 129).
      const watched = [...this.tracked];
      const panes = await this.panes();
      if (!panes) return;
      for (const [sessionId, tracked] of watched) {
        // Stopped, or started again, meanwhile (the awaits below let others run too).
        if (this.tracked.get(sessionId) !== tracked) continue;
        const pane = panes.find((p) => p.windowId === tracked.windowId);
        if (pane && !pane.dead) continue;
        let status = readExitStatus(tracked.files);
        // No status file: the launcher itself was killed. tmux's status is the best left; it may
        // not know it yet right after the pane died.
        if (status === undefined && pane) {
          if (pane.status === undefined && ++tracked.misses < STATUS_POLLS) continue;
          status = pane.status ?? 1;
        }
        this.tracked.delete(sessionId);
        if (pane) await this.tmux('kill-window', '-t', tracked.windowId).catch(() => undefined);
        // A window that vanished took its launcher with it: a hang-up, as a shell would say.
        tracked.events.exited(sessionId, status ?? 128 + 1);
      }
    } finally {
      this.polling = false;
    }
  }

  /** Every window of this runner: the ones it tracks already and the ones a previous run left. */
  async adopt(events: ProcessEvents): Promise<LiveProcess[]> {
    const found: LiveProcess[] = [];
    for (const pane of (await this.panes()) ?? []) {
      if (!WINDOW_NAME.test(pane.name)) continue;
      const tracked = this.tracked.get(pane.name);
      if (tracked && tracked.windowId !== pane.windowId) continue;
      const files = tracked?.files ?? launcherFiles(this.options.dirFor(pane.name));
      if (!tracked) this.tracked.set(pane.name, { events, windowId: pane.windowId, files, misses: 0 });
      found.push({ sessionId: pane.name, pid: (await readPid(files, 0)) ?? pane.pid, alive: !pane.dead });
    }
    return found;
  }

  live(): string[] {
    return [...this.tracked.keys()];
  }

  /**
   * Types `text` into the agent's window as literal keys, then Enter on its own: Enter in the same
   * burst can be taken as part of a paste and not submit it.
   */
  async sendKeys(sessionId: string, text: string): Promise<boolean> {
    const tracked = this.tracked.get(sessionId);
    if (!tracked) return false;
    await this.tmux('send-keys', '-t', tracked.windowId, '-l', text);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await this.tmux('send-keys', '-t', tracked.windowId, 'Enter');
    return true;
  }

  close(): void {
    clearInterval(this.poller);
  }
}
