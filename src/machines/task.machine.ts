import { assign, setup } from 'xstate';

/** The claim on a task: who works on it, for which session, and until when the lease runs. */
export interface TaskClaim {
  holder: string;
  sessionId: string | null;
  /** Epoch milliseconds; null while the claim is held by a live session (it lapses with it). */
  expiresAt: number | null;
  claimedAt: number;
}

export interface TaskContext {
  claim: TaskClaim | null;
  blockedReason: string | null;
}

/** A dependency that is not completed yet, as the service found it when it built the event. */
export interface UnmetDependency {
  taskId: string;
  status: string;
}

export type TaskEvent =
  | { type: 'START'; claim: TaskClaim; unmetDependencies: UnmetDependency[] }
  | { type: 'CLAIM'; claim: TaskClaim; unmetDependencies: UnmetDependency[] }
  | { type: 'RELEASE' }
  | { type: 'LEASE_EXPIRED'; now: number }
  | { type: 'BLOCK'; reason: string }
  | { type: 'UNBLOCK'; claim: TaskClaim; unmetDependencies: UnmetDependency[] }
  | { type: 'COMPLETE'; unmetDependencies: UnmetDependency[] }
  | { type: 'REOPEN'; claim: TaskClaim; unmetDependencies: UnmetDependency[] }
  | { type: 'CANCEL' };

export type TaskEventType = TaskEvent['type'];
import { TASK_STATUSES, type TaskStatus } from '../contract/views.js';

export { TASK_STATUSES, type TaskStatus };

/** Bumped when the machine's states or context change shape, so stored snapshots can be migrated. */
export const TASK_MACHINE_VERSION = 1;

/**
 * The task lifecycle of SPEC section 3. Dependency gating is a guard over facts the service puts in
 * the event (the unmet dependencies it found in the same transaction); the machine stays pure.
 */
export const taskMachine = setup({
  types: {
    context: {} as TaskContext,
    events: {} as TaskEvent,
  },
  guards: {
    dependenciesMet: ({ event }) => !('unmetDependencies' in event) || event.unmetDependencies.length === 0,
    sameHolder: ({ context, event }) =>
      'claim' in event && context.claim !== null && context.claim.holder === event.claim.holder,
    unclaimed: ({ context }) => context.claim === null,
    leaseExpired: ({ context, event }) =>
      event.type === 'LEASE_EXPIRED' &&
      context.claim !== null &&
      context.claim.expiresAt !== null &&
      context.claim.expiresAt <= event.now,
  },
  actions: {
    takeClaim: assign({ claim: ({ event }) => ('claim' in event ? event.claim : null) }),
    renewClaim: assign({
      claim: ({ context, event }) =>
        'claim' in event && context.claim
          ? { ...event.claim, claimedAt: context.claim.claimedAt }
          : context.claim,
    }),
    dropClaim: assign({ claim: null }),
    setBlockedReason: assign({
      blockedReason: ({ event }) => (event.type === 'BLOCK' ? event.reason : null),
    }),
    clearBlockedReason: assign({ blockedReason: null }),
  },
}).createMachine({
  id: 'task',
  initial: 'pending',
  context: { claim: null, blockedReason: null },
  states: {
    pending: {
      on: {
        START: { guard: 'dependenciesMet', target: 'in_progress', actions: 'takeClaim' },
        CLAIM: { guard: 'dependenciesMet', target: 'in_progress', actions: 'takeClaim' },
        BLOCK: { target: 'blocked', actions: 'setBlockedReason' },
        CANCEL: { target: 'cancelled' },
      },
    },
    in_progress: {
      on: {
        START: [
          { guard: 'sameHolder', actions: 'renewClaim' },
          { guard: 'unclaimed', actions: 'takeClaim' },
        ],
        CLAIM: [
          { guard: 'sameHolder', actions: 'renewClaim' },
          { guard: 'unclaimed', actions: 'takeClaim' },
        ],
        BLOCK: { target: 'blocked', actions: 'setBlockedReason' },
        COMPLETE: { guard: 'dependenciesMet', target: 'completed', actions: 'dropClaim' },
        RELEASE: { target: 'pending', actions: 'dropClaim' },
        LEASE_EXPIRED: { guard: 'leaseExpired', target: 'pending', actions: 'dropClaim' },
        CANCEL: { target: 'cancelled', actions: 'dropClaim' },
      },
    },
    blocked: {
      on: {
        // Unblocking resumes work, so it is gated like a start.
        UNBLOCK: {
          guard: 'dependenciesMet',
          target: 'in_progress',
          actions: ['clearBlockedReason', 'takeClaim'],
        },
        // A blocked task keeps its claim, which still lapses with its session or lease; it stays blocked.
        RELEASE: { actions: 'dropClaim' },
        LEASE_EXPIRED: { guard: 'leaseExpired', actions: 'dropClaim' },
        COMPLETE: {
          guard: 'dependenciesMet',
          target: 'completed',
          actions: ['clearBlockedReason', 'dropClaim'],
        },
        CANCEL: { target: 'cancelled', actions: ['clearBlockedReason', 'dropClaim'] },
      },
    },
    completed: {
      // Reopened work is in progress again, held by whoever reopened it.
      on: { REOPEN: { guard: 'dependenciesMet', target: 'in_progress', actions: 'takeClaim' } },
    },
    cancelled: {
      on: { REOPEN: { target: 'pending' } },
    },
  },
});
