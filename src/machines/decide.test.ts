import { describe, expect, it } from 'vitest';
import { allowedEvents, decide, initialState, type StoredState } from './decide.js';
import { sessionMachine, type SessionContext } from './session.machine.js';
import { subtaskMachine } from './subtask.machine.js';
import { taskMachine, type TaskContext, type TaskEvent } from './task.machine.js';

const claim = { holder: 'alice@host', sessionId: null, expiresAt: 5_000, claimedAt: 1_000 };
const inProgress: StoredState<TaskContext> = {
  value: 'in_progress',
  context: { claim, blockedReason: null },
};
const running: StoredState<SessionContext> = {
  value: 'running',
  context: { pid: 7, lastHeartbeatAt: 2_000, exitCode: null, failureReason: null },
};
const blocked: StoredState<TaskContext> = {
  value: 'blocked',
  context: { claim, blockedReason: 'waiting for review' },
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('initialState', () => {
  it.each([
    {
      name: 'task',
      machine: taskMachine,
      expected: { value: 'pending', context: { claim: null, blockedReason: null } },
    },
    {
      name: 'session',
      machine: sessionMachine,
      expected: {
        value: 'spawning',
        context: { pid: null, lastHeartbeatAt: null, exitCode: null, failureReason: null },
      },
    },
    { name: 'subtask', machine: subtaskMachine, expected: { value: 'pending', context: {} } },
  ])('gives the $name row its initial status and full default context', ({ machine, expected }) => {
    const initial = initialState(machine);
    expect(initial).toEqual(expected);
    expect(JSON.parse(JSON.stringify(initial))).toEqual(initial);
  });

  // A caller that mutates a new row's context must not change the default of every row created
  // after it in the process, so initialState hands out a deep copy of the machine's default.
  it('returns a fresh context each time, not the machine default object', () => {
    expect(initialState(taskMachine).context).not.toBe(initialState(taskMachine).context);
    expect(initialState(sessionMachine).context).not.toBe(initialState(sessionMachine).context);
    expect(initialState(subtaskMachine).context).not.toBe(initialState(subtaskMachine).context);
  });

  it('a mutated initial context does not leak into the next initial state', () => {
    const task = initialState<TaskContext>(taskMachine);
    task.context.blockedReason = 'mutated';
    task.context.claim = claim;
    expect(initialState(taskMachine).context).toEqual({ claim: null, blockedReason: null });

    const session = initialState<SessionContext>(sessionMachine);
    session.context.pid = 1;
    session.context.lastHeartbeatAt = 1;
    expect(initialState(sessionMachine).context).toEqual({
      pid: null,
      lastHeartbeatAt: null,
      exitCode: null,
      failureReason: null,
    });
  });
});

describe('allowedEvents', () => {
  it('lists each event type once, sorted, though EXITED has two guarded branches', () => {
    expect(allowedEvents(sessionMachine, running)).toEqual([
      'EXITED',
      'HEARTBEAT',
      'HEARTBEAT_MISSED',
      'PAUSE',
      'STOP',
    ]);
  });

  it('ignores guards: an in-progress task held by someone else still lists START and CLAIM', () => {
    expect(allowedEvents(taskMachine, inProgress)).toEqual(
      expect.arrayContaining(['CLAIM', 'LEASE_EXPIRED', 'START']),
    );
  });

  it('is empty for a final state', () => {
    expect(allowedEvents(sessionMachine, { ...running, value: 'lost' })).toEqual([]);
  });
});

describe('decide', () => {
  it('tells not_allowed from guard_failed and reports the stored status as from', () => {
    expect(decide(taskMachine, inProgress, { type: 'REOPEN', claim, unmetDependencies: [] })).toMatchObject({
      ok: false,
      reason: 'not_allowed',
      from: 'in_progress',
    });
    expect(
      decide(taskMachine, inProgress, {
        type: 'CLAIM',
        claim: { ...claim, holder: 'bob' },
        unmetDependencies: [],
      }),
    ).toMatchObject({ ok: false, reason: 'guard_failed', from: 'in_progress' });
  });

  it('reports changed only when the status changes', () => {
    const renewed = decide(taskMachine, inProgress, { type: 'CLAIM', claim, unmetDependencies: [] });
    expect(renewed).toMatchObject({ ok: true, changed: false });
    expect(decide(taskMachine, inProgress, { type: 'RELEASE' })).toMatchObject({ ok: true, changed: true });
  });

  it('leaves the stored row and the event untouched', () => {
    const stored = deepFreeze(structuredClone(inProgress));
    const events: TaskEvent[] = [
      { type: 'CLAIM', claim: { ...claim, expiresAt: 9_000 }, unmetDependencies: [] },
      { type: 'BLOCK', reason: 'r' },
      { type: 'RELEASE' },
      { type: 'LEASE_EXPIRED', now: 6_000 },
    ];
    for (const event of events.map((e) => deepFreeze(e))) {
      expect(decide(taskMachine, stored, event).ok).toBe(true);
    }
    expect(stored).toEqual(inProgress);
  });

  it('leaves a blocked row untouched when it drops or replaces the claim', () => {
    const stored = deepFreeze(structuredClone(blocked));
    const events: TaskEvent[] = [
      { type: 'RELEASE' },
      { type: 'LEASE_EXPIRED', now: 6_000 },
      { type: 'UNBLOCK', claim: { ...claim, holder: 'bob@host' }, unmetDependencies: [] },
    ];
    for (const event of events.map((e) => deepFreeze(e))) {
      expect(decide(taskMachine, stored, event).ok).toBe(true);
    }
    expect(stored).toEqual(blocked);
  });

  it('leaves a running session row untouched when it records a heartbeat', () => {
    const stored = deepFreeze(structuredClone(running));
    const decision = decide(sessionMachine, stored, deepFreeze({ type: 'HEARTBEAT', at: 3_000 }));
    expect(decision).toMatchObject({ ok: true, changed: false });
    expect(stored).toEqual(running);
  });

  it('throws on a stored status the machine does not know (a corrupted or unmigrated row)', () => {
    expect(() =>
      decide(taskMachine, { value: 'done', context: inProgress.context }, { type: 'CANCEL' }),
    ).toThrow(/done/);
  });
});
