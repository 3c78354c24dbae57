import type { ErrorBody } from '../../contract/error-codes.js';
import type { ClientMessage } from '../../contract/ws-messages.js';

export * from '../../contract/ws-messages.js';

/** The WebSocket protocol of docs/websocket-protocol.md: message shapes, validation, close codes. */

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
