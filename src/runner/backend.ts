import type { TerminalAddress } from '../contract/views.js';

export type { TerminalAddress };

/** What a runner asks of a terminal backend. */
export interface AgentSpec {
  sessionId: string;
  /** A shell command line (from the server's configuration). */
  command: string;
  /** Absolute; the launcher enters it, so it never reaches tmux or a shell unquoted. */
  cwd: string;
  /** The agent's whole environment (see agent-env.ts); written to a private file, never to argv. */
  env: Record<string, string>;
  /** The session's private folder on this machine: launcher, env file, pid and exit status. */
  dir: string;
  /** File the terminal's output is appended to. */
  logPath: string;
  /** A file or FIFO that becomes the agent's stdin (the prompt, or its input stream). */
  stdin?: string;
}

export interface ProcessEvents {
  started(sessionId: string, pid: number, terminal: TerminalAddress): void;
  exited(sessionId: string, exitCode: number): void;
  failed(sessionId: string, reason: string): void;
}

export interface LiveProcess {
  sessionId: string;
  pid: number;
  /** False for a window whose agent ended while no runner watched; its exit is reported next. */
  alive: boolean;
}

export interface TerminalBackend {
  readonly name: 'tmux' | 'pipe';
  start(spec: AgentSpec, events: ProcessEvents): Promise<void>;
  stop(sessionId: string): Promise<void>;
  /**
   * Every agent this runner has now, with the ones an earlier run left (tmux windows outlive the
   * runner), which it tracks from now on. Reported on every welcome, so that a server that
   * restarted learns which runner owns them.
   */
  adopt(events: ProcessEvents): Promise<LiveProcess[]>;
  live(): string[];
  /** Types text into the agent's terminal, then Enter (interactive agents); false when it has none. */
  sendKeys(sessionId: string, text: string): Promise<boolean>;
  close(): void;
}
