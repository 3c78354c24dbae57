import { assign, setup } from 'xstate';

export interface ConnectionContext {
  /** Reconnect attempts since the last successful open. */
  attempt: number;
  /** Epoch ms when the next reconnect attempt is due (client side). */
  retryAt: number | null;
  closeCode: number | null;
}

export type ConnectionEvent =
  | { type: 'OPENED' }
  | { type: 'PONG' }
  | { type: 'PONG_MISSED' }
  | { type: 'CLOSED'; code: number }
  | { type: 'RETRY_SCHEDULED'; at: number }
  | { type: 'RETRY' }
  | { type: 'OFFLINE' }
  | { type: 'ONLINE' };

export type ConnectionState = 'connecting' | 'open' | 'stale' | 'closed' | 'reconnecting' | 'offline';

/**
 * A WebSocket connection's life, for both sides: connecting → open → stale when a
 * pong is missed → closed; a client then goes reconnecting (backoff with jitter, scheduled by its
 * owner) and back to connecting. `offline` is the client's "no network" state. The server's
 * per-client machine uses open → stale → closed: a stale client that misses another pong is
 * terminated.
 */
export const connectionMachine = setup({
  types: { context: {} as ConnectionContext, events: {} as ConnectionEvent },
  actions: {
    resetAttempts: assign({ attempt: 0, retryAt: null, closeCode: null }),
    recordClose: assign({
      closeCode: ({ event, context }) => (event.type === 'CLOSED' ? event.code : context.closeCode),
    }),
    scheduleRetry: assign({
      attempt: ({ context }) => context.attempt + 1,
      retryAt: ({ event, context }) => (event.type === 'RETRY_SCHEDULED' ? event.at : context.retryAt),
    }),
  },
}).createMachine({
  id: 'connection',
  initial: 'connecting',
  context: { attempt: 0, retryAt: null, closeCode: null },
  on: {
    OFFLINE: { target: '.offline' },
  },
  states: {
    connecting: {
      on: {
        OPENED: { target: 'open', actions: 'resetAttempts' },
        CLOSED: { target: 'closed', actions: 'recordClose' },
      },
    },
    open: {
      on: {
        PONG: {},
        PONG_MISSED: { target: 'stale' },
        CLOSED: { target: 'closed', actions: 'recordClose' },
      },
    },
    stale: {
      on: {
        PONG: { target: 'open' },
        PONG_MISSED: { target: 'closed' },
        CLOSED: { target: 'closed', actions: 'recordClose' },
      },
    },
    closed: {
      on: {
        RETRY_SCHEDULED: { target: 'reconnecting', actions: 'scheduleRetry' },
      },
    },
    reconnecting: {
      on: {
        RETRY: { target: 'connecting' },
        OPENED: { target: 'open', actions: 'resetAttempts' },
        CLOSED: { actions: 'recordClose' },
        RETRY_SCHEDULED: { actions: 'scheduleRetry' },
      },
    },
    offline: {
      on: {
        ONLINE: { target: 'connecting' },
        OPENED: { target: 'open', actions: 'resetAttempts' },
      },
    },
  },
});
