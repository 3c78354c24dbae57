import { assign, setup } from 'xstate';

export interface SessionContext {
  pid: number | null;
  /** Epoch milliseconds of the last sign of life (start or heartbeat). */
  lastHeartbeatAt: number | null;
  exitCode: number | null;
  failureReason: string | null;
}

export type SessionEvent =
  | { type: 'STARTED'; pid: number; at: number }
  | { type: 'EXITED'; exitCode: number }
  | { type: 'SPAWN_FAILED'; reason: string }
  | { type: 'STOP' }
  | { type: 'HEARTBEAT'; at: number }
  | { type: 'HEARTBEAT_MISSED' }
  /** The harness stopped at a usage or rate limit: the session waits for the reset, its claims kept. */
  | { type: 'PAUSE' }
  /** The reset came: the session's agent is started again, continuing its conversation. */
  | { type: 'RESUME' };

import { SESSION_FINAL_STATUSES, SESSION_STATUSES, type SessionStatus } from '../contract/views.js';

export { SESSION_FINAL_STATUSES, SESSION_STATUSES, type SessionStatus };
/** 2: the context records lastHeartbeatAt. 3: the paused state. */
export const SESSION_MACHINE_VERSION = 3;

/**
 * An agent session's life: spawned, running while its process lives and it
 * heartbeats, then completed, failed, stopped, or, after missed heartbeats, stale and then lost. A
 * session whose harness hit a usage limit is paused (its process gone, its claims kept) until the
 * limit resets; then it spawns again and its agent continues.
 * Timers live in the session service (XState does not persist `after` delays): it sends
 * HEARTBEAT_MISSED when a stored deadline passes.
 */
export const sessionMachine = setup({
  types: { context: {} as SessionContext, events: {} as SessionEvent },
  guards: {
    exitedCleanly: ({ event }) => event.type === 'EXITED' && event.exitCode === 0,
  },
  actions: {
    recordPid: assign({ pid: ({ event, context }) => (event.type === 'STARTED' ? event.pid : context.pid) }),
    // A late-arriving heartbeat never moves the time back.
    recordHeartbeat: assign({
      lastHeartbeatAt: ({ event, context }) =>
        event.type === 'HEARTBEAT' || event.type === 'STARTED'
          ? Math.max(event.at, context.lastHeartbeatAt ?? event.at)
          : context.lastHeartbeatAt,
    }),
    clearPid: assign({ pid: null }),
    recordExit: assign({
      exitCode: ({ event, context }) => (event.type === 'EXITED' ? event.exitCode : context.exitCode),
    }),
    recordFailure: assign({
      failureReason: ({ event, context }) => {
        if (event.type === 'SPAWN_FAILED') return event.reason;
        if (event.type === 'EXITED') return `The agent exited with code ${event.exitCode}.`;
        return context.failureReason;
      },
    }),
  },
}).createMachine({
  id: 'session',
  initial: 'spawning',
  context: { pid: null, lastHeartbeatAt: null, exitCode: null, failureReason: null },
  states: {
    spawning: {
      on: {
        STARTED: { target: 'running', actions: ['recordPid', 'recordHeartbeat'] },
        SPAWN_FAILED: { target: 'failed', actions: 'recordFailure' },
        STOP: { target: 'stopped' },
      },
    },
    running: {
      on: {
        HEARTBEAT: { actions: 'recordHeartbeat' },
        HEARTBEAT_MISSED: { target: 'stale' },
        EXITED: [
          { guard: 'exitedCleanly', target: 'completed', actions: 'recordExit' },
          { target: 'failed', actions: ['recordExit', 'recordFailure'] },
        ],
        PAUSE: { target: 'paused' },
        STOP: { target: 'stopped' },
      },
    },
    stale: {
      on: {
        HEARTBEAT: { target: 'running', actions: 'recordHeartbeat' },
        HEARTBEAT_MISSED: { target: 'lost' },
        EXITED: [
          { guard: 'exitedCleanly', target: 'completed', actions: 'recordExit' },
          { target: 'failed', actions: ['recordExit', 'recordFailure'] },
        ],
        PAUSE: { target: 'paused' },
        STOP: { target: 'stopped' },
      },
    },
    paused: {
      on: {
        RESUME: { target: 'spawning', actions: 'clearPid' },
        STOP: { target: 'stopped' },
      },
    },
    completed: { type: 'final' },
    failed: { type: 'final' },
    stopped: { type: 'final' },
    lost: { type: 'final' },
  },
});
