import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AgentSpec, LiveProcess, ProcessEvents, TerminalBackend } from './backend.js';

const run = promisify(execFile);
const SESSION = 'maestro';

/** Quotes a string for /bin/sh. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs each agent in a window of a dedicated tmux server (`tmux -L <socket>`), so a person can
 * watch it (`maestro session attach`) and it outlives the runner. Output is copied to the log with
 * pipe-pane; panes stay after exit (remain-on-exit) so the exit status can be read, then the window
 * is closed. A restarted runner finds the windows it owns by name and keeps tracking them.
 */
export class TmuxBackend implements TerminalBackend {
  readonly name = 'tmux' as const;
  private readonly tracked = new Map<string, ProcessEvents>();
  private readonly poller: NodeJS.Timeout;
  private polling = false;

  constructor(readonly socket = 'maestro') {
    this.poller = setInterval(() => void this.poll(), 300);
    this.poller.unref();
  }

  static async available(): Promise<boolean> {
    try {
      await run('tmux', ['-V']);
      return true;
    } catch {
      return false;
    }
  }

  private tmux(...args: string[]) {
    return run('tmux', ['-L', this.socket, ...args]);
  }

  private async ensureServer(): Promise<void> {
    try {
      await this.tmux('has-session', '-t', SESSION);
    } catch {
      await this.tmux('new-session', '-d', '-s', SESSION, '-n', '_maestro', '-x', '200', '-y', '50');
      await this.tmux('set-option', '-g', 'remain-on-exit', 'on');
      await this.tmux('set-option', '-g', 'history-limit', '10000');
    }
  }

  async start(spec: AgentSpec, events: ProcessEvents): Promise<void> {
    await this.ensureServer();
    const gate = `maestro-go-${spec.sessionId}`;
    // The agent waits for the gate so that pipe-pane is in place before its first byte of output.
    const script = `tmux -L ${shellQuote(this.socket)} wait-for ${shellQuote(gate)}; exec /bin/sh -c ${shellQuote(spec.command)}`;
    const envArgs = Object.entries(spec.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    await this.tmux(
      'new-window',
      '-d',
      '-t',
      `${SESSION}:`,
      '-n',
      spec.sessionId,
      '-c',
      spec.cwd,
      ...envArgs,
      script,
    );
    await this.tmux(
      'pipe-pane',
      '-t',
      `${SESSION}:${spec.sessionId}`,
      '-o',
      `cat >> ${shellQuote(spec.logPath)}`,
    );
    await this.tmux('wait-for', '-S', gate);
    const pid = Number(
      (
        await this.tmux('display-message', '-p', '-t', `${SESSION}:${spec.sessionId}`, '#{pane_pid}')
      ).stdout.trim(),
    );
    this.tracked.set(spec.sessionId, events);
    events.started(spec.sessionId, pid);
  }

  async stop(sessionId: string): Promise<void> {
    this.tracked.delete(sessionId);
    await this.tmux('kill-window', '-t', `${SESSION}:${sessionId}`).catch(() => undefined);
  }

  private async panes(): Promise<{ name: string; pid: number; dead: boolean; status: number }[]> {
    try {
      const { stdout } = await this.tmux(
        'list-panes',
        '-s',
        '-t',
        SESSION,
        '-F',
        '#{window_name}\t#{pane_pid}\t#{pane_dead}\t#{pane_dead_status}\t#{pane_dead_signal}',
      );
      return stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [name = '', pid = '0', dead = '0', status = '', signal = ''] = line.split('\t');
          // Killed by a signal: report it the way a shell does, 128 + the signal number.
          const code =
            signal !== '' && signal !== '0' ? 128 + Number(signal) : status === '' ? 0 : Number(status);
          return { name, pid: Number(pid), dead: dead === '1', status: code };
        });
    } catch {
      return [];
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || this.tracked.size === 0) return;
    this.polling = true;
    try {
      const panes = await this.panes();
      for (const [sessionId, events] of this.tracked) {
        const pane = panes.find((p) => p.name === sessionId);
        if (pane && !pane.dead) continue;
        this.tracked.delete(sessionId);
        if (pane) await this.tmux('kill-window', '-t', `${SESSION}:${sessionId}`).catch(() => undefined);
        events.exited(sessionId, pane ? pane.status : 1);
      }
    } finally {
      this.polling = false;
    }
  }

  async adopt(events: ProcessEvents): Promise<LiveProcess[]> {
    const found: LiveProcess[] = [];
    for (const pane of await this.panes()) {
      if (!/^s_\d+$/.test(pane.name) || this.tracked.has(pane.name)) continue;
      this.tracked.set(pane.name, events);
      if (!pane.dead) found.push({ sessionId: pane.name, pid: pane.pid });
    }
    return found;
  }

  live(): string[] {
    return [...this.tracked.keys()];
  }

  close(): void {
    clearInterval(this.poller);
  }
}
