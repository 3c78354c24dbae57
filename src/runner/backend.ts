/** What a runner asks of a terminal backend. */
export interface AgentSpec {
  sessionId: string;
  /** A shell command line. */
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** File the terminal's output is appended to. */
  logPath: string;
}

export interface ProcessEvents {
  started(sessionId: string, pid: number): void;
  exited(sessionId: string, exitCode: number): void;
  failed(sessionId: string, reason: string): void;
}

export interface LiveProcess {
  sessionId: string;
  pid: number;
}

export interface TerminalBackend {
  readonly name: 'tmux' | 'pipe';
  start(spec: AgentSpec, events: ProcessEvents): Promise<void>;
  stop(sessionId: string): Promise<void>;
  /** Processes of earlier runs still alive (tmux windows outlive the runner); re-tracked on start. */
  adopt(events: ProcessEvents): Promise<LiveProcess[]>;
  live(): string[];
  close(): void;
}
