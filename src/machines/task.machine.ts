import { and, assign, setup, transition } from 'xstate';

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
  | {
      type: 'COMPLETE';
      unmetDependencies: UnmetDependency[];
      /** Child tasks that are neither completed nor cancelled: a parent is done when its children are. */
      unfinishedChildren?: UnmetDependency[];
      /**
       * The task's work is in a workspace that has not merged: completing hands it over for review
       * or to the merge queue (`in_review`); it is completed when it merges.
       */
      submits?: boolean;
    }
  | { type: 'MERGED' }
  /** A task without a workspace passed its project's checks (they guard its completion). */
  | { type: 'CHECKED' }
  | { type: 'RETURN'; reason: string }
  | { type: 'REOPEN'; claim: TaskClaim; unmetDependencies: UnmetDependency[] }
  | { type: 'CANCEL' };

export type TaskEventType = TaskEvent['type'];
import { TASK_STATUSES, type TaskStatus } from '../contract/views.js';

export { TASK_STATUSES, type TaskStatus };

/** Bumped when the machine's states or context change shape, so stored snapshots can be migrated. */
export const TASK_MACHINE_VERSION = 2;

/**
 * The task lifecycle (docs/lifecycles.md). Dependency gating is a guard over facts the service puts in
 * the event (the unmet dependencies it found in the same transaction); the machine stays pure.
 */
export const taskMachine = setup({
  types: {
    context: {} as TaskContext,
    events: {} as TaskEvent,
  },
  guards: {
    dependenciesMet: ({ event }) =>
      (!('unmetDependencies' in event) || event.unmetDependencies.length === 0) &&
      (event.type !== 'COMPLETE' || !event.unfinishedChildren?.length),
    sameHolder: ({ context, event }) =>
      'claim' in event && context.claim !== null && context.claim.holder === event.claim.holder,
    unclaimed: ({ context }) => context.claim === null,
    submits: ({ event }) => event.type === 'COMPLETE' && event.submits === true,
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
        COMPLETE: [
          { guard: and(['dependenciesMet', 'submits']), target: 'in_review', actions: 'dropClaim' },
          { guard: 'dependenciesMet', target: 'completed', actions: 'dropClaim' },
        ],
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
        COMPLETE: [
          {
            guard: and(['dependenciesMet', 'submits']),
            target: 'in_review',
            actions: ['clearBlockedReason', 'dropClaim'],
          },
          {
            guard: 'dependenciesMet',
            target: 'completed',
            actions: ['clearBlockedReason', 'dropClaim'],
          },
        ],
        CANCEL: { target: 'cancelled', actions: ['clearBlockedReason', 'dropClaim'] },
      },
    },
    // The work is done and waits for its review or its merge (its workspace says which), or, with
    // no workspace, for the project's checks. Merged or checked work completes it; a rejection, a
    // conflict or failed checks return it, ready for a worker.
    in_review: {
      on: {
        MERGED: { target: 'completed' },
        CHECKED: { target: 'completed' },
        RETURN: { target: 'pending' },
        CANCEL: { target: 'cancelled' },
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

/** The lifecycle operations a person asks for, by the machine event each sends. */
export const TASK_ACTION_OPS = {
  START: 'task.start',
  BLOCK: 'task.block',
  UNBLOCK: 'task.unblock',
  COMPLETE: 'task.complete',
  RELEASE: 'task.release',
  REOPEN: 'task.reopen',
  CANCEL: 'task.cancel',
} as const satisfies Partial<Record<TaskEventType, string>>;

/**
 * The lifecycle operations a task's state accepts from someone who does not hold it (the board's
 * buttons), asked of the machine, and which of them it refuses while dependencies are unfinished
 * (`gated`), and where each leads (`targets`): a client shows what such a task waits for instead
 * of offering them, and which column a card may be dropped in.
 */
export function taskActions(stored: { value: string; context: TaskContext }): TaskActions {
  // A pure function of the stored state (the probes are fixed), and most tasks of a list share
  // theirs: asking the machine for each one was most of a big list's time, and a tenth of a
  // command's. Of the context, the probes' guards read only whether there is a claim (its holder
  // is never the probes' own): the claim's details and a block's reason do not change the answer
  // (task.machine.test.ts checks this against the machine for every state).
  const key = `${stored.value}\u0000${stored.context.claim === null ? 'free' : 'claimed'}`;
  const known = actionsByState.get(key);
  if (known) return { allowed: [...known.allowed], gated: [...known.gated], targets: [...known.targets] };
  const actions = askMachine(stored);
  if (actionsByState.size >= ACTIONS_CACHED) actionsByState.clear();
  actionsByState.set(key, actions);
  return { allowed: [...actions.allowed], gated: [...actions.gated], targets: [...actions.targets] };
}

export interface TaskActions {
  allowed: string[];
  gated: string[];
  /** The status each allowed action leads to, in the same order (a board's drag and drop). */
  targets: string[];
}

/** Stored states whose actions are known, at most ACTIONS_CACHED. */
const actionsByState = new Map<string, TaskActions>();
const ACTIONS_CACHED = 1000;

/** What the machine itself answers for a stored state (taskActions remembers it): for tests. */
export function askMachine(stored: { value: string; context: TaskContext }): TaskActions {
  const snapshot = taskMachine.resolveState({ value: stored.value, context: stored.context });
  const claim: TaskClaim = { holder: '\u0000someone-else', sessionId: null, expiresAt: null, claimedAt: 0 };
  const probes = (unmetDependencies: UnmetDependency[]): Record<keyof typeof TASK_ACTION_OPS, TaskEvent> => ({
    START: { type: 'START', claim, unmetDependencies },
    BLOCK: { type: 'BLOCK', reason: 'x' },
    UNBLOCK: { type: 'UNBLOCK', claim, unmetDependencies },
    COMPLETE: { type: 'COMPLETE', unmetDependencies },
    RELEASE: { type: 'RELEASE' },
    REOPEN: { type: 'REOPEN', claim, unmetDependencies },
    CANCEL: { type: 'CANCEL' },
  });
  const free = probes([]);
  const waiting = probes([{ taskId: '?', status: 'pending' }]);
  const events = (Object.keys(free) as (keyof typeof TASK_ACTION_OPS)[]).filter(
    // Releasing gives up a claim: with none, there is nothing to release.
    (event) => snapshot.can(free[event]) && (event !== 'RELEASE' || stored.context.claim !== null),
  );
  return {
    allowed: events.map((event) => TASK_ACTION_OPS[event]),
    gated: events.filter((event) => !snapshot.can(waiting[event])).map((event) => TASK_ACTION_OPS[event]),
    targets: events.map((event) => String(transition(taskMachine, snapshot, free[event])[0].value)),
  };
}
