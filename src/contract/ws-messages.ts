import type { ErrorBody } from './error-codes.js';

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
  /** The agent command line from the server's configuration; `{promptFile}` is replaced. */
  command: string;
  prompt: string;
  cwd: string;
  env: Record<string, string>;
}
/** Server → runner: stop a session's agent. */
export interface StopMessage {
  type: 'stop';
  sessionId: string;
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
  | StopMessage
  | OutputMessage;

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
