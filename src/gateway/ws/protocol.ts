import type { ErrorBody } from '../../contract/error-codes.js';

/** The WebSocket protocol of docs/websocket-protocol.md: message shapes, validation, close codes. */

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

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; error: ErrorBody };

const invalid = (message: string, field?: string): ParseResult => ({
  ok: false,
  error: { code: 'invalid_argument', message, ...(field ? { details: { field } } : {}) },
});
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= max;

/** Validates one client frame; never throws. */
export function parseMessage(raw: unknown): ParseResult {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return invalid('The frame is not valid JSON.');
    }
  }
  if (!isObject(value)) return invalid('A message must be a JSON object with a "type".');
  switch (value.type) {
    case 'hello': {
      if (!isId(value.clientId, 100))
        return invalid('hello.clientId must be a string of 1 to 100 characters.', 'clientId');
      if (value.token !== undefined && typeof value.token !== 'string')
        return invalid('hello.token must be a string.', 'token');
      if (
        value.sinceSeq !== undefined &&
        !(Number.isInteger(value.sinceSeq) && (value.sinceSeq as number) >= 0)
      ) {
        return invalid('hello.sinceSeq must be a whole number >= 0.', 'sinceSeq');
      }
      if (value.role !== undefined && value.role !== 'client' && value.role !== 'runner') {
        return invalid('hello.role must be client or runner.', 'role');
      }
      if (
        value.capacity !== undefined &&
        !(Number.isInteger(value.capacity) && (value.capacity as number) >= 0)
      ) {
        return invalid('hello.capacity must be a whole number >= 0.', 'capacity');
      }
      return {
        ok: true,
        message: {
          type: 'hello',
          clientId: value.clientId,
          ...(value.role !== undefined ? { role: value.role as 'client' | 'runner' } : {}),
          ...(value.capacity !== undefined ? { capacity: value.capacity as number } : {}),
          ...(value.token !== undefined ? { token: value.token as string } : {}),
          ...(value.sinceSeq !== undefined ? { sinceSeq: value.sinceSeq as number } : {}),
        },
      };
    }
    case 'ping':
      if (value.id !== undefined && !isId(value.id, 200)) return invalid('ping.id must be a string.', 'id');
      return {
        ok: true,
        message: { type: 'ping', ...(value.id !== undefined ? { id: value.id as string } : {}) },
      };
    case 'command':
      if (!isId(value.id, 200)) return invalid('command.id must be a string of 1 to 200 characters.', 'id');
      if (!isId(value.op, 50)) return invalid('command.op must be a string.', 'op');
      if (value.args !== undefined && !isObject(value.args))
        return invalid('command.args must be an object.', 'args');
      return {
        ok: true,
        message: {
          type: 'command',
          id: value.id,
          op: value.op,
          args: (value.args ?? {}) as Record<string, unknown>,
        },
      };
    default:
      return invalid(
        `Unknown message type ${JSON.stringify(value.type)}; expected hello, ping or command.`,
        'type',
      );
  }
}
