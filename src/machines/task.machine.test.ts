import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { allowedEvents, decide, initialState, type Decision, type StoredState } from './decide.js';
import { reachable } from './reachable.test-helper.js';
import {
  TASK_STATUSES,
  askMachine,
  taskActions,
  taskMachine,
  type TaskClaim,
  type TaskContext,
  type TaskEvent,
  type TaskEventType,
  type TaskStatus,
  type UnmetDependency,
} from './task.machine.js';

/** An actor's lease (no session), as `task claim --actor alice@host` takes it. */
const ALICE: TaskClaim = { holder: 'alice@host', sessionId: null, expiresAt: 5_000, claimedAt: 1_000 };
/** Alice claims again later: a longer lease and a later claim time. */
const ALICE_RENEWAL: TaskClaim = {
  holder: 'alice@host',
  sessionId: null,
  expiresAt: 9_000,
  claimedAt: 4_000,
};
/** A session's claim: no lease, it lapses with the session. */
const BOB: TaskClaim = { holder: 'bob@host', sessionId: 'session-7', expiresAt: null, claimedAt: 6_000 };

const BLOCK_REASON = 'waiting for the API keys';
const STORED_BLOCK_REASON = 'waiting for review';
const UNMET: UnmetDependency[] = [
  { taskId: 'task-7', status: 'in_progress' },
  { taskId: 'task-9', status: 'pending' },
];

/** One well-formed event per type, with every guard's facts in its favour where the state allows. */
const EVENTS: { [K in TaskEventType]: Extract<TaskEvent, { type: K }> } = {
  START: { type: 'START', claim: ALICE_RENEWAL, unmetDependencies: [] },
  CLAIM: { type: 'CLAIM', claim: ALICE_RENEWAL, unmetDependencies: [] },
  RELEASE: { type: 'RELEASE' },
  LEASE_EXPIRED: { type: 'LEASE_EXPIRED', now: 9_000 },
  BLOCK: { type: 'BLOCK', reason: BLOCK_REASON },
  UNBLOCK: { type: 'UNBLOCK', claim: BOB, unmetDependencies: [] },
  COMPLETE: { type: 'COMPLETE', unmetDependencies: [] },
  MERGED: { type: 'MERGED' },
  CHECKED: { type: 'CHECKED' },
  RETURN: { type: 'RETURN', reason: 'conflict in src/a.ts' },
  REOPEN: { type: 'REOPEN', claim: BOB, unmetDependencies: [] },
  CANCEL: { type: 'CANCEL' },
};
const EVENT_TYPES = Object.keys(EVENTS) as TaskEventType[];

const CLEAN: TaskContext = { claim: null, blockedReason: null };

/** A representative stored row per status, shaped the way the machine leaves it. */
const STORED: Record<TaskStatus, StoredState<TaskContext>> = {
  pending: { value: 'pending', context: CLEAN },
  in_progress: { value: 'in_progress', context: { claim: ALICE, blockedReason: null } },
  blocked: { value: 'blocked', context: { claim: ALICE, blockedReason: STORED_BLOCK_REASON } },
  in_review: { value: 'in_review', context: CLEAN },
  completed: { value: 'completed', context: CLEAN },
  cancelled: { value: 'cancelled', context: CLEAN },
};

/** The event types each status accepts (guards aside), sorted as `decide` reports them. */
const ALLOWED: Record<TaskStatus, string[]> = {
  pending: ['BLOCK', 'CANCEL', 'CLAIM', 'START'],
  in_progress: ['BLOCK', 'CANCEL', 'CLAIM', 'COMPLETE', 'LEASE_EXPIRED', 'RELEASE', 'START'],
  blocked: ['CANCEL', 'COMPLETE', 'LEASE_EXPIRED', 'RELEASE', 'UNBLOCK'],
  in_review: ['CANCEL', 'CHECKED', 'MERGED', 'RETURN'],
  completed: ['REOPEN'],
  cancelled: ['REOPEN'],
};

const NOT_ALLOWED = { refused: 'not_allowed' } as const;
type Outcome = { to: TaskStatus; context: TaskContext } | typeof NOT_ALLOWED;

/** What each stored row does with each event of EVENTS. */
const OUTCOMES: Record<TaskStatus, Record<TaskEventType, Outcome>> = {
  pending: {
    START: { to: 'in_progress', context: { claim: ALICE_RENEWAL, blockedReason: null } },
    CLAIM: { to: 'in_progress', context: { claim: ALICE_RENEWAL, blockedReason: null } },
    RELEASE: NOT_ALLOWED,
    LEASE_EXPIRED: NOT_ALLOWED,
    BLOCK: { to: 'blocked', context: { claim: null, blockedReason: BLOCK_REASON } },
    UNBLOCK: NOT_ALLOWED,
    COMPLETE: NOT_ALLOWED,
    MERGED: NOT_ALLOWED,
    CHECKED: NOT_ALLOWED,
    RETURN: NOT_ALLOWED,
    REOPEN: NOT_ALLOWED,
    CANCEL: { to: 'cancelled', context: CLEAN },
  },
  in_progress: {
    START: {
      to: 'in_progress',
      context: { claim: { ...ALICE_RENEWAL, claimedAt: ALICE.claimedAt }, blockedReason: null },
    },
    CLAIM: {
      to: 'in_progress',
      context: { claim: { ...ALICE_RENEWAL, claimedAt: ALICE.claimedAt }, blockedReason: null },
    },
    RELEASE: { to: 'pending', context: CLEAN },
    LEASE_EXPIRED: { to: 'pending', context: CLEAN },
    BLOCK: { to: 'blocked', context: { claim: ALICE, blockedReason: BLOCK_REASON } },
    UNBLOCK: NOT_ALLOWED,
    COMPLETE: { to: 'completed', context: CLEAN },
    MERGED: NOT_ALLOWED,
    CHECKED: NOT_ALLOWED,
    RETURN: NOT_ALLOWED,
    REOPEN: NOT_ALLOWED,
    CANCEL: { to: 'cancelled', context: CLEAN },
  },
  blocked: {
    START: NOT_ALLOWED,
    CLAIM: NOT_ALLOWED,
    // The claim kept while blocked goes, by release or by lapse; the task and its reason stay.
    RELEASE: { to: 'blocked', context: { claim: null, blockedReason: STORED_BLOCK_REASON } },
    LEASE_EXPIRED: { to: 'blocked', context: { claim: null, blockedReason: STORED_BLOCK_REASON } },
    BLOCK: NOT_ALLOWED,
    UNBLOCK: { to: 'in_progress', context: { claim: BOB, blockedReason: null } },
    COMPLETE: { to: 'completed', context: CLEAN },
    MERGED: NOT_ALLOWED,
    CHECKED: NOT_ALLOWED,
    RETURN: NOT_ALLOWED,
    REOPEN: NOT_ALLOWED,
    CANCEL: { to: 'cancelled', context: CLEAN },
  },
  in_review: {
    START: NOT_ALLOWED,
    CLAIM: NOT_ALLOWED,
    RELEASE: NOT_ALLOWED,
    LEASE_EXPIRED: NOT_ALLOWED,
    BLOCK: NOT_ALLOWED,
    UNBLOCK: NOT_ALLOWED,
    COMPLETE: NOT_ALLOWED,
    MERGED: { to: 'completed', context: CLEAN },
    CHECKED: { to: 'completed', context: CLEAN },
    RETURN: { to: 'pending', context: CLEAN },
    REOPEN: NOT_ALLOWED,
    CANCEL: { to: 'cancelled', context: CLEAN },
  },
  completed: {
    START: NOT_ALLOWED,
    CLAIM: NOT_ALLOWED,
    RELEASE: NOT_ALLOWED,
    LEASE_EXPIRED: NOT_ALLOWED,
    BLOCK: NOT_ALLOWED,
    UNBLOCK: NOT_ALLOWED,
    COMPLETE: NOT_ALLOWED,
    MERGED: NOT_ALLOWED,
    CHECKED: NOT_ALLOWED,
    RETURN: NOT_ALLOWED,
    REOPEN: { to: 'in_progress', context: { claim: BOB, blockedReason: null } },
    CANCEL: NOT_ALLOWED,
  },
  cancelled: {
    START: NOT_ALLOWED,
    CLAIM: NOT_ALLOWED,
    RELEASE: NOT_ALLOWED,
    LEASE_EXPIRED: NOT_ALLOWED,
    BLOCK: NOT_ALLOWED,
    UNBLOCK: NOT_ALLOWED,
    COMPLETE: NOT_ALLOWED,
    MERGED: NOT_ALLOWED,
    CHECKED: NOT_ALLOWED,
    RETURN: NOT_ALLOWED,
    // The reopener's claim is not taken: a cancelled task comes back unclaimed.
    REOPEN: { to: 'pending', context: CLEAN },
    CANCEL: NOT_ALLOWED,
  },
};

/** The status changes docs/lifecycles.md lists (self-transitions aside). */
const DOCUMENTED_EDGES: Record<TaskStatus, TaskStatus[]> = {
  pending: ['blocked', 'cancelled', 'in_progress'],
  in_progress: ['blocked', 'cancelled', 'completed', 'pending'],
  blocked: ['cancelled', 'completed', 'in_progress'],
  in_review: ['cancelled', 'completed', 'pending'],
  completed: ['in_progress'],
  cancelled: ['pending'],
};

function accepted<T>(decision: Decision<T>): Extract<Decision<T>, { ok: true }> {
  if (!decision.ok)
    throw new Error(`expected the event to be accepted; ${decision.reason} from ${decision.from}`);
  return decision;
}

function refused<T>(decision: Decision<T>): Extract<Decision<T>, { ok: false }> {
  if (decision.ok) throw new Error(`expected a refusal; moved to ${decision.state.value}`);
  return decision;
}

function stored(value: TaskStatus, context: Partial<TaskContext> = {}): StoredState<TaskContext> {
  return { value, context: { ...STORED[value].context, ...context } };
}

const rows = TASK_STATUSES.flatMap((from) =>
  EVENT_TYPES.map((type) => ({ from, type, outcome: OUTCOMES[from][type] })),
);
const acceptedRows = rows.flatMap(({ from, type, outcome }) =>
  'to' in outcome ? [{ from, type, to: outcome.to, context: outcome.context }] : [],
);
const refusedRows = rows.filter(({ outcome }) => !('to' in outcome));

describe('task machine: shape', () => {
  it('has exactly the statuses of TASK_STATUSES and starts pending', () => {
    expect(Object.keys(taskMachine.states).sort()).toEqual([...TASK_STATUSES].sort());
    expect(initialState<TaskContext>(taskMachine)).toEqual({ value: 'pending', context: CLEAN });
  });

  it('handles no event type beyond those the tables cover', () => {
    const handled = new Set(TASK_STATUSES.flatMap((status) => allowedEvents(taskMachine, STORED[status])));
    expect([...handled].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(TASK_STATUSES)('%s accepts exactly the event types of its row', (status) => {
    expect(allowedEvents(taskMachine, STORED[status])).toEqual(ALLOWED[status]);
    const fromOutcomes = EVENT_TYPES.filter((type) => 'to' in OUTCOMES[status][type]).sort();
    expect(fromOutcomes).toEqual(ALLOWED[status]);
  });

  it.each(TASK_STATUSES)('%s moves to exactly the statuses docs/lifecycles.md lists', (status) => {
    const targets = new Set<string>();
    for (const event of Object.values(EVENTS)) {
      const decision = decide(taskMachine, STORED[status], event);
      if (decision.ok && decision.state.value !== status) targets.add(decision.state.value);
    }
    expect([...targets].sort()).toEqual(DOCUMENTED_EDGES[status]);
  });
});

describe('task machine: work in a workspace', () => {
  it.each(['in_progress', 'blocked'] as const)(
    'COMPLETE of %s work that has not merged goes to in_review, without its claim',
    (from) => {
      const decision = accepted(decide(taskMachine, STORED[from], { ...EVENTS.COMPLETE, submits: true }));
      expect(decision.state).toEqual({ value: 'in_review', context: CLEAN });
    },
  );

  it('COMPLETE with submits is still gated by dependencies', () => {
    const decision = refused(
      decide(taskMachine, STORED.in_progress, { type: 'COMPLETE', unmetDependencies: UNMET, submits: true }),
    );
    expect(decision.reason).toBe('guard_failed');
  });
});

describe('task machine: every (status, event) pair', () => {
  it.each(acceptedRows)('$from + $type → $to', ({ from, type, to, context }) => {
    const decision = accepted(decide(taskMachine, STORED[from], EVENTS[type]));
    expect(decision.state).toEqual({ value: to, context });
    expect(decision.changed).toBe(to !== from);
  });

  it.each(refusedRows)('$from + $type is not allowed', ({ from, type }) => {
    expect(decide(taskMachine, STORED[from], EVENTS[type])).toEqual({
      ok: false,
      reason: 'not_allowed',
      from,
      allowed: ALLOWED[from],
    });
  });
});

describe('task machine: dependency gating', () => {
  it.each([
    { from: 'pending', event: { type: 'START', claim: ALICE_RENEWAL, unmetDependencies: UNMET } },
    { from: 'pending', event: { type: 'CLAIM', claim: ALICE_RENEWAL, unmetDependencies: UNMET } },
    { from: 'in_progress', event: { type: 'COMPLETE', unmetDependencies: UNMET } },
    { from: 'blocked', event: { type: 'COMPLETE', unmetDependencies: UNMET } },
    { from: 'blocked', event: { type: 'UNBLOCK', claim: BOB, unmetDependencies: UNMET } },
    { from: 'completed', event: { type: 'REOPEN', claim: BOB, unmetDependencies: UNMET } },
  ] satisfies { from: TaskStatus; event: TaskEvent }[])(
    '$from + $event.type with unmet dependencies is refused by the guard',
    ({ from, event }) => {
      expect(decide(taskMachine, STORED[from], event)).toEqual({
        ok: false,
        reason: 'guard_failed',
        from,
        allowed: ALLOWED[from],
      });
    },
  );

  it.each([
    { from: 'blocked', type: 'UNBLOCK' },
    { from: 'completed', type: 'REOPEN' },
  ] as const)('$from + $type with no unmet dependencies moves to in_progress', ({ from, type }) => {
    const decision = accepted(decide(taskMachine, STORED[from], { type, claim: BOB, unmetDependencies: [] }));
    expect(decision.changed).toBe(true);
    expect(decision.state).toEqual({ value: 'in_progress', context: { claim: BOB, blockedReason: null } });
  });

  it.each([
    { from: 'blocked', type: 'UNBLOCK' },
    { from: 'completed', type: 'REOPEN' },
  ] as const)('$from + $type is refused on a single unmet dependency', ({ from, type }) => {
    const decision = decide(taskMachine, STORED[from], {
      type,
      claim: BOB,
      unmetDependencies: [{ taskId: 'task-2', status: 'cancelled' }],
    });
    expect(refused(decision).reason).toBe('guard_failed');
  });

  it('a refused UNBLOCK leaves the task blocked, with its claim and reason, for a later retry', () => {
    const row = STORED.blocked;
    const refusal = decide(taskMachine, row, { type: 'UNBLOCK', claim: BOB, unmetDependencies: UNMET });
    expect(refused(refusal).reason).toBe('guard_failed');
    expect(row).toEqual({ value: 'blocked', context: { claim: ALICE, blockedReason: STORED_BLOCK_REASON } });
    const retry = accepted(decide(taskMachine, row, EVENTS.UNBLOCK));
    expect(retry.state).toEqual({ value: 'in_progress', context: { claim: BOB, blockedReason: null } });
  });

  it('REOPEN from cancelled is not gated: it goes back to pending whatever the dependencies', () => {
    const event: TaskEvent = { type: 'REOPEN', claim: BOB, unmetDependencies: UNMET };
    expect(decide(taskMachine, STORED.cancelled, event)).toEqual({
      ok: true,
      changed: true,
      state: { value: 'pending', context: CLEAN },
    });
  });

  it('refuses on a single unmet dependency', () => {
    const event: TaskEvent = {
      type: 'START',
      claim: ALICE_RENEWAL,
      unmetDependencies: [{ taskId: 'task-2', status: 'blocked' }],
    };
    expect(refused(decide(taskMachine, STORED.pending, event)).reason).toBe('guard_failed');
  });

  it('lets the holder renew a started claim even if a dependency was reopened since', () => {
    const event: TaskEvent = { type: 'CLAIM', claim: ALICE_RENEWAL, unmetDependencies: UNMET };
    const decision = accepted(decide(taskMachine, STORED.in_progress, event));
    expect(decision.state.value).toBe('in_progress');
    expect(decision.state.context.claim).toEqual({ ...ALICE_RENEWAL, claimedAt: ALICE.claimedAt });
  });

  it('refuses another holder in progress with the claim guard, whatever the dependencies', () => {
    const event: TaskEvent = { type: 'CLAIM', claim: BOB, unmetDependencies: UNMET };
    expect(refused(decide(taskMachine, STORED.in_progress, event)).reason).toBe('guard_failed');
  });
});

describe('task machine: claims in progress', () => {
  it.each(['START', 'CLAIM'] as const)('%s by the holder renews the lease and keeps claimedAt', (type) => {
    const renewal: TaskClaim = {
      holder: ALICE.holder,
      sessionId: 'session-2',
      expiresAt: 12_000,
      claimedAt: 7_000,
    };
    const decision = accepted(
      decide(taskMachine, STORED.in_progress, { type, claim: renewal, unmetDependencies: [] }),
    );
    expect(decision.changed).toBe(false);
    expect(decision.state).toEqual({
      value: 'in_progress',
      context: {
        claim: {
          holder: ALICE.holder,
          sessionId: 'session-2',
          expiresAt: 12_000,
          claimedAt: ALICE.claimedAt,
        },
        blockedReason: null,
      },
    });
  });

  it.each([
    { type: 'START', holder: 'bob@host' },
    { type: 'CLAIM', holder: 'bob@host' },
    { type: 'CLAIM', holder: 'Alice@host' },
    { type: 'CLAIM', holder: '' },
  ] as const)('$type by "$holder" while alice@host holds the task is refused', ({ type, holder }) => {
    const claim: TaskClaim = { ...ALICE_RENEWAL, holder };
    expect(decide(taskMachine, STORED.in_progress, { type, claim, unmetDependencies: [] })).toEqual({
      ok: false,
      reason: 'guard_failed',
      from: 'in_progress',
      allowed: ALLOWED.in_progress,
    });
  });

  it('a refused claim leaves the holder able to renew', () => {
    const other = decide(taskMachine, STORED.in_progress, {
      type: 'CLAIM',
      claim: BOB,
      unmetDependencies: [],
    });
    expect(other.ok).toBe(false);
    const renewal = accepted(decide(taskMachine, STORED.in_progress, EVENTS.CLAIM));
    expect(renewal.state.context.claim?.holder).toBe(ALICE.holder);
  });

  it.each(['START', 'CLAIM'] as const)(
    '%s on an unclaimed in_progress row takes the claim as given, claimedAt included',
    (type) => {
      const decision = accepted(
        decide(taskMachine, stored('in_progress', { claim: null }), {
          type,
          claim: BOB,
          unmetDependencies: [],
        }),
      );
      expect(decision.changed).toBe(false);
      expect(decision.state).toEqual({ value: 'in_progress', context: { claim: BOB, blockedReason: null } });
    },
  );

  it('never enters in_progress without a claim: START, CLAIM, UNBLOCK and REOPEN all set one', () => {
    const entries: [TaskStatus, TaskEvent][] = [
      ['pending', EVENTS.START],
      ['pending', EVENTS.CLAIM],
      ['blocked', EVENTS.UNBLOCK],
      ['blocked', { type: 'UNBLOCK', claim: ALICE, unmetDependencies: [] }],
      ['completed', EVENTS.REOPEN],
    ];
    for (const [from, event] of entries) {
      const decision = accepted(decide(taskMachine, stored(from, { claim: null }), event));
      expect(decision.state.value).toBe('in_progress');
      expect(decision.state.context.claim).toEqual('claim' in event ? event.claim : undefined);
    }
  });

  it('an unclaimed in_progress row still accepts RELEASE, COMPLETE and CANCEL, but never a lease expiry', () => {
    const unclaimed = stored('in_progress', { claim: null });
    expect(accepted(decide(taskMachine, unclaimed, EVENTS.RELEASE)).state.value).toBe('pending');
    expect(accepted(decide(taskMachine, unclaimed, EVENTS.COMPLETE)).state.value).toBe('completed');
    expect(accepted(decide(taskMachine, unclaimed, EVENTS.CANCEL)).state.value).toBe('cancelled');
    const expiry = decide(taskMachine, unclaimed, { type: 'LEASE_EXPIRED', now: Number.MAX_SAFE_INTEGER });
    expect(refused(expiry).reason).toBe('guard_failed');
  });

  it.each([
    { from: 'in_progress', type: 'RELEASE' },
    { from: 'in_progress', type: 'LEASE_EXPIRED' },
    { from: 'in_progress', type: 'COMPLETE' },
    { from: 'in_progress', type: 'CANCEL' },
    { from: 'blocked', type: 'RELEASE' },
    { from: 'blocked', type: 'LEASE_EXPIRED' },
    { from: 'blocked', type: 'COMPLETE' },
    { from: 'blocked', type: 'CANCEL' },
  ] as const)('$from + $type drops the claim', ({ from, type }) => {
    expect(STORED[from].context.claim).not.toBeNull();
    expect(accepted(decide(taskMachine, STORED[from], EVENTS[type])).state.context.claim).toBeNull();
  });

  it('BLOCK keeps the claim of whoever was working on the task', () => {
    const withSession = stored('in_progress', { claim: BOB });
    expect(accepted(decide(taskMachine, withSession, EVENTS.BLOCK)).state.context).toEqual({
      claim: BOB,
      blockedReason: BLOCK_REASON,
    });
  });

  it('UNBLOCK hands the task to the claim in the event, replacing the one kept while blocked', () => {
    const decision = accepted(
      decide(taskMachine, STORED.blocked, { type: 'UNBLOCK', claim: ALICE_RENEWAL, unmetDependencies: [] }),
    );
    expect(decision.state.context.claim).toEqual(ALICE_RENEWAL);
  });
});

describe('task machine: claims while blocked', () => {
  it.each([
    { name: 'an actor lease', claim: ALICE },
    { name: 'a session claim', claim: BOB },
  ])('RELEASE drops $name and the task stays blocked with its reason', ({ claim }) => {
    const decision = accepted(decide(taskMachine, stored('blocked', { claim }), EVENTS.RELEASE));
    expect(decision).toEqual({
      ok: true,
      changed: false,
      state: { value: 'blocked', context: { claim: null, blockedReason: STORED_BLOCK_REASON } },
    });
  });

  it('RELEASE on a blocked task nobody holds is accepted and changes nothing', () => {
    const unclaimed = stored('blocked', { claim: null });
    expect(decide(taskMachine, unclaimed, EVENTS.RELEASE)).toEqual({
      ok: true,
      changed: false,
      state: unclaimed,
    });
  });

  it('a released blocked task still accepts UNBLOCK, COMPLETE and CANCEL', () => {
    const released = accepted(decide(taskMachine, STORED.blocked, EVENTS.RELEASE)).state;
    expect(allowedEvents(taskMachine, released)).toEqual(ALLOWED.blocked);
    expect(accepted(decide(taskMachine, released, EVENTS.UNBLOCK)).state).toEqual({
      value: 'in_progress',
      context: { claim: BOB, blockedReason: null },
    });
    expect(accepted(decide(taskMachine, released, EVENTS.COMPLETE)).state).toEqual({
      value: 'completed',
      context: CLEAN,
    });
    expect(accepted(decide(taskMachine, released, EVENTS.CANCEL)).state).toEqual({
      value: 'cancelled',
      context: CLEAN,
    });
  });

  it.each([
    { expiresAt: 5_000, now: 4_999, expired: false },
    { expiresAt: 5_000, now: 5_000, expired: true },
    { expiresAt: 5_000, now: 5_001, expired: true },
    { expiresAt: 0, now: 0, expired: true },
    { expiresAt: null, now: 0, expired: false },
    { expiresAt: null, now: Number.MAX_SAFE_INTEGER, expired: false },
  ])(
    'LEASE_EXPIRED for a claim expiring at $expiresAt, now $now: expired $expired',
    ({ expiresAt, now, expired }) => {
      const row = stored('blocked', { claim: { ...ALICE, expiresAt } });
      const decision = decide(taskMachine, row, { type: 'LEASE_EXPIRED', now });
      if (expired) {
        expect(decision).toEqual({
          ok: true,
          changed: false,
          state: { value: 'blocked', context: { claim: null, blockedReason: STORED_BLOCK_REASON } },
        });
      } else {
        expect(decision).toEqual({
          ok: false,
          reason: 'guard_failed',
          from: 'blocked',
          allowed: ALLOWED.blocked,
        });
      }
    },
  );

  it('LEASE_EXPIRED on a blocked task nobody holds is refused by the guard', () => {
    const decision = decide(taskMachine, stored('blocked', { claim: null }), {
      type: 'LEASE_EXPIRED',
      now: Number.MAX_SAFE_INTEGER,
    });
    expect(refused(decision).reason).toBe('guard_failed');
  });

  it('a session claim kept while blocked never lapses by lease; only RELEASE drops it', () => {
    const held = stored('blocked', { claim: BOB });
    const expiry = decide(taskMachine, held, { type: 'LEASE_EXPIRED', now: Number.MAX_SAFE_INTEGER });
    expect(refused(expiry).reason).toBe('guard_failed');
    expect(accepted(decide(taskMachine, held, EVENTS.RELEASE)).state.context.claim).toBeNull();
  });
});

describe('task machine: lease expiry', () => {
  it.each([
    { expiresAt: 5_000, now: 4_999, to: null },
    { expiresAt: 5_000, now: 5_000, to: 'pending' },
    { expiresAt: 5_000, now: 5_001, to: 'pending' },
    { expiresAt: 0, now: 0, to: 'pending' },
    { expiresAt: null, now: 0, to: null },
    { expiresAt: null, now: Number.MAX_SAFE_INTEGER, to: null },
  ])('claim expiring at $expiresAt, now $now → $to', ({ expiresAt, now, to }) => {
    const decision = decide(taskMachine, stored('in_progress', { claim: { ...ALICE, expiresAt } }), {
      type: 'LEASE_EXPIRED',
      now,
    });
    if (to === null) {
      expect(decision).toEqual({
        ok: false,
        reason: 'guard_failed',
        from: 'in_progress',
        allowed: ALLOWED.in_progress,
      });
    } else {
      expect(decision).toEqual({ ok: true, changed: true, state: { value: to, context: CLEAN } });
    }
  });

  it('a lapsed task is ready again: another holder can claim it', () => {
    const lapsed = accepted(decide(taskMachine, STORED.in_progress, { type: 'LEASE_EXPIRED', now: 1e12 }));
    const claimed = accepted(
      decide(taskMachine, lapsed.state, { type: 'CLAIM', claim: BOB, unmetDependencies: [] }),
    );
    expect(claimed.state).toEqual({ value: 'in_progress', context: { claim: BOB, blockedReason: null } });
  });

  it.each(TASK_STATUSES.filter((status) => status !== 'in_progress' && status !== 'blocked'))(
    'is not a thing in %s, even with an expired claim stored',
    (status) => {
      const decision = decide(taskMachine, stored(status, { claim: ALICE }), {
        type: 'LEASE_EXPIRED',
        now: 1e12,
      });
      expect(refused(decision).reason).toBe('not_allowed');
    },
  );
});

describe('task machine: blockedReason', () => {
  it.each(['pending', 'in_progress'] as const)('BLOCK from %s records the reason', (from) => {
    const decision = accepted(decide(taskMachine, STORED[from], { type: 'BLOCK', reason: 'flaky CI' }));
    expect(decision.state.value).toBe('blocked');
    expect(decision.state.context.blockedReason).toBe('flaky CI');
  });

  it.each(['UNBLOCK', 'COMPLETE', 'CANCEL'] as const)('%s from blocked clears it', (type) => {
    expect(STORED.blocked.context.blockedReason).toBe(STORED_BLOCK_REASON);
    expect(
      accepted(decide(taskMachine, STORED.blocked, EVENTS[type])).state.context.blockedReason,
    ).toBeNull();
  });

  it.each(['RELEASE', 'LEASE_EXPIRED'] as const)('%s from blocked keeps it', (type) => {
    expect(accepted(decide(taskMachine, STORED.blocked, EVENTS[type])).state.context.blockedReason).toBe(
      STORED_BLOCK_REASON,
    );
  });

  it('a refused UNBLOCK keeps it', () => {
    expect(
      refused(decide(taskMachine, STORED.blocked, { type: 'UNBLOCK', claim: BOB, unmetDependencies: UNMET }))
        .reason,
    ).toBe('guard_failed');
  });

  it('a second block records the new reason, not the old one', () => {
    const first = accepted(decide(taskMachine, STORED.in_progress, { type: 'BLOCK', reason: 'first' }));
    const unblocked = accepted(
      decide(taskMachine, first.state, { type: 'UNBLOCK', claim: ALICE, unmetDependencies: [] }),
    );
    expect(unblocked.state.context.blockedReason).toBeNull();
    const second = accepted(decide(taskMachine, unblocked.state, { type: 'BLOCK', reason: 'second' }));
    expect(second.state.context.blockedReason).toBe('second');
  });

  it('a blocked task cannot be blocked again (the reason is not overwritten in place)', () => {
    expect(refused(decide(taskMachine, STORED.blocked, EVENTS.BLOCK)).reason).toBe('not_allowed');
  });
});

/** Events that exercise each guard both ways. */
const PROBES: TaskEvent[] = [
  ...Object.values(EVENTS),
  { type: 'START', claim: BOB, unmetDependencies: [] },
  { type: 'CLAIM', claim: BOB, unmetDependencies: [] },
  { type: 'START', claim: ALICE_RENEWAL, unmetDependencies: UNMET },
  { type: 'COMPLETE', unmetDependencies: UNMET },
  { type: 'UNBLOCK', claim: ALICE_RENEWAL, unmetDependencies: UNMET },
  { type: 'REOPEN', claim: ALICE_RENEWAL, unmetDependencies: UNMET },
  { type: 'LEASE_EXPIRED', now: 0 },
  { type: 'LEASE_EXPIRED', now: Number.MAX_SAFE_INTEGER },
];

const REACHED = reachable<typeof taskMachine, TaskContext>(
  taskMachine,

  [
    ...Object.values(EVENTS),
    { type: 'CLAIM', claim: BOB, unmetDependencies: [] },
    { type: 'COMPLETE', unmetDependencies: [], submits: true },
  ],
  4,
).map((found) => ({
  ...found,
  label: `${found.state.value} via ${found.path.map((e) => e.type).join(' → ') || '(initial)'}`,
}));

describe('task machine: persist → restore', () => {
  it('reaches every status, with the claims and reasons the events carry', () => {
    expect(new Set(REACHED.map((r) => r.state.value))).toEqual(new Set(TASK_STATUSES));
    expect(REACHED.length).toBeGreaterThan(TASK_STATUSES.length);
  });

  it('initialState is the machine initial state with its full default context', () => {
    const initial = initialState<TaskContext>(taskMachine);
    const actor = createActor(taskMachine).start();
    expect(initial).toEqual({ value: actor.getSnapshot().value, context: actor.getSnapshot().context });
    expect(initial).toEqual({ value: 'pending', context: { claim: null, blockedReason: null } });
    expect(JSON.parse(JSON.stringify(initial))).toEqual(initial);
    actor.stop();
  });

  it.each(REACHED)('$label', ({ path, state }) => {
    const persisted = JSON.parse(JSON.stringify(state)) as StoredState<TaskContext>;
    expect(persisted).toEqual(state);

    // The same events through a live actor land where decide said, and persist the same way.
    const live = createActor(taskMachine).start();
    for (const event of path) live.send(event);
    const persistedByXState = live.getPersistedSnapshot() as unknown as StoredState<TaskContext>;
    expect({ value: persistedByXState.value, context: persistedByXState.context }).toEqual(persisted);

    const restored = taskMachine.resolveState(persisted);
    expect(restored.value).toBe(live.getSnapshot().value);
    expect(restored.context).toEqual(live.getSnapshot().context);
    expect(allowedEvents(taskMachine, persisted)).toEqual(ALLOWED[persisted.value as TaskStatus]);

    for (const probe of PROBES) {
      expect(restored.can(probe), `${probe.type} after restore`).toBe(live.getSnapshot().can(probe));
      const decision = decide(taskMachine, persisted, probe);
      expect(decision).toEqual(decide(taskMachine, state, probe));

      // A restored actor carries on exactly as decide predicts.
      const resumed = createActor(taskMachine, { snapshot: restored }).start();
      resumed.send(probe);
      const after = resumed.getSnapshot();
      expect({ value: after.value, context: after.context }).toEqual(
        decision.ok ? decision.state : persisted,
      );
      resumed.stop();
    }
    live.stop();
  });
});

describe('taskActions', () => {
  it('remembers per status and claim only what the machine answers for every context', () => {
    const claims: (TaskClaim | null)[] = [
      null,
      { holder: 'agent', sessionId: 's_1', expiresAt: null, claimedAt: 1 },
      { holder: 'other', sessionId: null, expiresAt: 5, claimedAt: 2 },
      { holder: 'agent', sessionId: null, expiresAt: 0, claimedAt: 0 },
    ];
    for (const value of TASK_STATUSES)
      for (const first of claims)
        for (const claim of claims)
          for (const blockedReason of [null, 'x', 'waiting on review']) {
            // Asked first for another context of the same status: what is remembered from it.
            taskActions({ value, context: { claim: first, blockedReason: null } });
            const stored = { value, context: { claim, blockedReason } };
            expect(taskActions(stored), `${value} ${JSON.stringify(stored.context)}`).toEqual(
              askMachine(stored),
            );
          }
  });

  it('offers what each status accepts from someone who does not hold the task', () => {
    const held = { holder: 'agent', sessionId: 's1', expiresAt: null, claimedAt: 1 };
    expect(taskActions({ value: 'pending', context: { claim: null, blockedReason: null } }).allowed).toEqual([
      'task.start',
      'task.block',
      'task.cancel',
    ]);
    // Held by someone: starting it again is not offered, finishing or giving it up is.
    expect(
      taskActions({ value: 'in_progress', context: { claim: held, blockedReason: null } }).allowed,
    ).toEqual(['task.block', 'task.complete', 'task.release', 'task.cancel']);
    expect(
      taskActions({ value: 'in_progress', context: { claim: null, blockedReason: null } }).allowed,
    ).toContain('task.start');
    expect(taskActions({ value: 'blocked', context: { claim: null, blockedReason: 'x' } }).allowed).toEqual([
      'task.unblock',
      'task.complete',
      'task.cancel',
    ]);
    expect(taskActions({ value: 'blocked', context: { claim: held, blockedReason: 'x' } }).allowed).toContain(
      'task.release',
    );
    expect(
      taskActions({ value: 'completed', context: { claim: null, blockedReason: null } }).allowed,
    ).toEqual(['task.reopen']);
    expect(
      taskActions({ value: 'cancelled', context: { claim: null, blockedReason: null } }).allowed,
    ).toEqual(['task.reopen']);
  });

  it('says where each action leads', () => {
    const { allowed, targets } = taskActions({
      value: 'completed',
      context: { claim: null, blockedReason: null },
    });
    expect(allowed).toEqual(['task.reopen']);
    expect(targets).toEqual(['in_progress']);
    const pending = taskActions({ value: 'pending', context: { claim: null, blockedReason: null } });
    expect(Object.fromEntries(pending.allowed.map((op, i) => [op, pending.targets[i]]))).toEqual({
      'task.start': 'in_progress',
      'task.block': 'blocked',
      'task.cancel': 'cancelled',
    });
  });

  it('says which actions wait for dependencies', () => {
    expect(taskActions({ value: 'pending', context: { claim: null, blockedReason: null } }).gated).toEqual([
      'task.start',
    ]);
    expect(taskActions({ value: 'blocked', context: { claim: null, blockedReason: 'x' } }).gated).toEqual([
      'task.unblock',
      'task.complete',
    ]);
    expect(taskActions({ value: 'completed', context: { claim: null, blockedReason: null } }).gated).toEqual([
      'task.reopen',
    ]);
    expect(taskActions({ value: 'cancelled', context: { claim: null, blockedReason: null } }).gated).toEqual(
      [],
    );
  });
});
