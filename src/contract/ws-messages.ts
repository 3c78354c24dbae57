import type { ErrorBody } from './error-codes.js';
import type { TranscriptEntry } from './views.js';

/**
 * The messages of the WebSocket protocol (docs/websocket-protocol.md), shared by the gateway and
 * the client library, with the close codes and the frame limit.
 */
export interface HelloMessage {
  type: 'hello';
  token?: string;
  clientId: string;
  sinceSeq?: number;
  /** `runner`: this client starts agents on its machine (see docs/websocket-protocol.md, Runners). */
  role?: 'client' | 'runner';
  /** Runners: how many agents it may run at once. */
  capacity?: number;
}
export interface PingMessage {
  type: 'ping';
  id?: string;
}
export interface CommandMessage {
  type: 'command';
  id: string;
  op: string;
  args: Record<string, unknown>;
}
export type ClientMessage = HelloMessage | PingMessage | CommandMessage;

export interface WelcomeMessage {
  type: 'welcome';
  serverTime: string;
  seq: number;
  clientId: string;
}
export interface EventMessage {
  type: 'event';
  seq: number;
  eventType: string;
  entityType: string;
  entityId: string;
  projectId: string;
  data: Record<string, unknown>;
  createdAt: string;
}
export interface ResyncMessage {
  type: 'resync';
  seq: number;
  reason: string;
}
export interface AckMessage {
  type: 'ack';
  id: string;
  ok: boolean;
  data?: unknown;
  error?: ErrorBody;
}
export interface PongMessage {
  type: 'pong';
  id?: string;
  serverTime: string;
}
export interface ErrorMessage {
  type: 'error';
  error: ErrorBody;
}
/** Server → runner: start the agent for a session. */
export interface SpawnMessage {
  type: 'spawn';
  sessionId: string;
  /**
   * The agent's command line, every argument quoted, built by its adapter from the server's
   * configuration (never from a request); `{promptFile}` is replaced by the prompt file's path.
   */
  command: string;
  /** The program, which the runner looks for on PATH first. */
  program: string;
  prompt: string;
  cwd: string;
  /** The session's `MAESTRO_*` variables. */
  env: Record<string, string>;
  /** The profile's and adapter's variables (API settings), over what the agent inherits. */
  agentEnv: Record<string, string>;
  /** prompt: the prompt file is stdin; stream: a pipe the runner writes messages to; none. */
  input: 'prompt' | 'stream' | 'none';
  /** stream: what the runner writes first. */
  initialInput: string;
  mode: 'headless' | 'interactive';
  /** Interactive Claude Code: mark the working directory trusted in its config first. */
  trustWorkingDir: boolean;
}
/** Server → runner: write to a session's agent input, type into its terminal, or close its input. */
export interface InputMessage {
  type: 'input';
  sessionId: string;
  write?: string;
  keys?: string;
  close?: boolean;
}
/** Server → runner: stop a session's agent. */
export interface StopMessage {
  type: 'stop';
  sessionId: string;
}
/** Server → clients: a new entry of a session's transcript. */
export interface TranscriptMessage {
  type: 'transcript';
  sessionId: string;
  entry: TranscriptEntry;
}
/** Server → clients: output of a session's terminal. */
export interface OutputMessage {
  type: 'output';
  sessionId: string;
  data: string;
}
export type ServerMessage =
  | WelcomeMessage
  | EventMessage
  | ResyncMessage
  | AckMessage
  | PongMessage
  | ErrorMessage
  | SpawnMessage
  | InputMessage
  | StopMessage
  | OutputMessage
  | TranscriptMessage;

export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 4400,
  unauthenticated: 4401,
  timeout: 4408,
  tooLarge: 4413,
  tooSlow: 4429,
} as const;

export const MAX_FRAME_BYTES = 1024 * 1024;
