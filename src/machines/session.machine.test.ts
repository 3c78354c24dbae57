import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { allowedEvents, decide, initialState, type Decision, type StoredState } from './decide.js';
import { reachable } from './reachable.test-helper.js';
import {
  SESSION_FINAL_STATUSES,
  SESSION_STATUSES,
  sessionMachine,
  type SessionContext,
  type SessionEvent,
  type SessionStatus,
} from './session.machine.js';

type SessionEventType = SessionEvent['type'];

const PID = 4242;
const SPAWN_ERROR = 'spawn claude ENOENT';
/** When the stored live rows last showed a sign of life (their start), and when EVENTS' ones happen. */
const LAST_SEEN = 1_000;
const STARTED_AT = 1_500;
const HEARTBEAT_AT = 2_000;

/** One well-formed event per type; EXITED is the clean exit. */
const EVENTS: { [K in SessionEventType]: Extract<SessionEvent, { type: K }> } = {
  STARTED: { type: 'STARTED', pid: PID, at: STARTED_AT },
  EXITED: { type: 'EXITED', exitCode: 0 },
  SPAWN_FAILED: { type: 'SPAWN_FAILED', reason: SPAWN_ERROR },
  STOP: { type: 'STOP' },
  HEARTBEAT: { type: 'HEARTBEAT', at: HEARTBEAT_AT },
  HEARTBEAT_MISSED: { type: 'HEARTBEAT_MISSED' },
  PAUSE: { type: 'PAUSE' },
  RESUME: { type: 'RESUME' },
};
const EVENT_TYPES = Object.keys(EVENTS) as SessionEventType[];

const SPAWNING: SessionContext = { pid: null, lastHeartbeatAt: null, exitCode: null, failureReason: null };
const LIVE: SessionContext = { pid: PID, lastHeartbeatAt: LAST_SEEN, exitCode: null, failureReason: null };
/** LIVE after EVENTS.HEARTBEAT. */
const BEATING: SessionContext = { ...LIVE, lastHeartbeatAt: HEARTBEAT_AT };

/** A representative stored row per status, shaped the way the machine leaves it. */
const STORED: Record<SessionStatus, StoredState<SessionContext>> = {
  spawning: { value: 'spawning', context: SPAWNING },
  running: { value: 'running', context: LIVE },
  stale: { value: 'stale', context: LIVE },
  paused: { value: 'paused', context: LIVE },
  completed: { value: 'completed', context: { ...LIVE, exitCode: 0 } },
  failed: {
    value: 'failed',
    context: { ...LIVE, exitCode: 3, failureReason: 'The agent exited with code 3.' },
  },
  stopped: { value: 'stopped', context: LIVE },
  lost: { value: 'lost', context: LIVE },
};

const ALLOWED: Record<SessionStatus, string[]> = {
  spawning: ['SPAWN_FAILED', 'STARTED', 'STOP'],
  running: ['EXITED', 'HEARTBEAT', 'HEARTBEAT_MISSED', 'PAUSE', 'STOP'],
  stale: ['EXITED', 'HEARTBEAT', 'HEARTBEAT_MISSED', 'PAUSE', 'STOP'],
  paused: ['RESUME', 'STOP'],
  completed: [],
  failed: [],
  stopped: [],
  lost: [],
};

const NOT_ALLOWED = { refused: 'not_allowed' } as const;
type Outcome = { to: SessionStatus; context: SessionContext } | typeof NOT_ALLOWED;
const ENDED: Record<SessionEventType, Outcome> = {
  STARTED: NOT_ALLOWED,
  EXITED: NOT_ALLOWED,
  SPAWN_FAILED: NOT_ALLOWED,
  STOP: NOT_ALLOWED,
  HEARTBEAT: NOT_ALLOWED,
  HEARTBEAT_MISSED: NOT_ALLOWED,
  PAUSE: NOT_ALLOWED,
  RESUME: NOT_ALLOWED,
};

/** What each stored row does with each event of EVENTS. */
const OUTCOMES: Record<SessionStatus, Record<SessionEventType, Outcome>> = {
  spawning: {
    STARTED: { to: 'running', context: { ...SPAWNING, pid: PID, lastHeartbeatAt: STARTED_AT } },
    EXITED: NOT_ALLOWED,
    SPAWN_FAILED: { to: 'failed', context: { ...SPAWNING, failureReason: SPAWN_ERROR } },
    STOP: { to: 'stopped', context: SPAWNING },
    HEARTBEAT: NOT_ALLOWED,
    HEARTBEAT_MISSED: NOT_ALLOWED,
    PAUSE: NOT_ALLOWED,
    RESUME: NOT_ALLOWED,
  },
  running: {
    STARTED: NOT_ALLOWED,
    EXITED: { to: 'completed', context: { ...LIVE, exitCode: 0 } },
    SPAWN_FAILED: NOT_ALLOWED,
    STOP: { to: 'stopped', context: LIVE },
    HEARTBEAT: { to: 'running', context: BEATING },
    HEARTBEAT_MISSED: { to: 'stale', context: LIVE },
    PAUSE: { to: 'paused', context: LIVE },
    RESUME: NOT_ALLOWED,
  },
  stale: {
    STARTED: NOT_ALLOWED,
    EXITED: { to: 'completed', context: { ...LIVE, exitCode: 0 } },
    SPAWN_FAILED: NOT_ALLOWED,
    STOP: { to: 'stopped', context: LIVE },
    HEARTBEAT: { to: 'running', context: BEATING },
    HEARTBEAT_MISSED: { to: 'lost', context: LIVE },
    PAUSE: { to: 'paused', context: LIVE },
    RESUME: NOT_ALLOWED,
  },
  paused: {
    STARTED: NOT_ALLOWED,
    EXITED: NOT_ALLOWED,
    SPAWN_FAILED: NOT_ALLOWED,
    STOP: { to: 'stopped', context: LIVE },
    HEARTBEAT: NOT_ALLOWED,
    HEARTBEAT_MISSED: NOT_ALLOWED,
    PAUSE: NOT_ALLOWED,
    RESUME: { to: 'spawning', context: { ...LIVE, pid: null } },
  },
  completed: ENDED,
  failed: ENDED,
  stopped: ENDED,
  lost: ENDED,
};

function accepted<T>(decision: Decision<T>): Extract<Decision<T>, { ok: true }> {
  if (!decision.ok)
    throw new Error(`expected the event to be accepted; ${decision.reason} from ${decision.from}`);
  return decision;
}

const rows = SESSION_STATUSES.flatMap((from) =>
  EVENT_TYPES.map((type) => ({ from, type, outcome: OUTCOMES[from][type] })),
);
const acceptedRows = rows.flatMap(({ from, type, outcome }) =>
  'to' in outcome ? [{ from, type, to: outcome.to, context: outcome.context }] : [],
);
const refusedRows = rows.filter(({ outcome }) => !('to' in outcome));

function expectAccepted({ from, type, to, context }: (typeof acceptedRows)[number]): void {
  const decision = accepted(decide(sessionMachine, STORED[from], EVENTS[type]));
  expect(decision.state).toEqual({ value: to, context });
  expect(decision.changed).toBe(to !== from);
}

describe('session machine: shape', () => {
  it('has exactly the statuses of SESSION_STATUSES and starts spawning', () => {
    expect(Object.keys(sessionMachine.states).sort()).toEqual([...SESSION_STATUSES].sort());
    expect(initialState<SessionContext>(sessionMachine)).toEqual({ value: 'spawning', context: SPAWNING });
  });

  it('handles no event type beyond those the tables cover', () => {
    const handled = new Set(
      SESSION_STATUSES.flatMap((status) => allowedEvents(sessionMachine, STORED[status])),
    );
    expect([...handled].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(SESSION_STATUSES)('%s accepts exactly the event types of its row', (status) => {
    expect(allowedEvents(sessionMachine, STORED[status])).toEqual(ALLOWED[status]);
    const fromOutcomes = EVENT_TYPES.filter((type) => 'to' in OUTCOMES[status][type]).sort();
    expect(fromOutcomes).toEqual(ALLOWED[status]);
  });

  it('SESSION_FINAL_STATUSES are exactly the final states, and they accept nothing', () => {
    const finals = SESSION_STATUSES.filter(
      (status) => sessionMachine.resolveState(STORED[status]).status === 'done',
    );
    expect(finals.sort()).toEqual([...SESSION_FINAL_STATUSES].sort());
    for (const status of SESSION_FINAL_STATUSES)
      expect(allowedEvents(sessionMachine, STORED[status])).toEqual([]);
  });
});

describe('session machine: every (status, event) pair', () => {
  it.each(acceptedRows)('$from + $type → $to', expectAccepted);

  it.each(refusedRows)('$from + $type is not allowed', ({ from, type }) => {
    expect(decide(sessionMachine, STORED[from], EVENTS[type])).toEqual({
      ok: false,
      reason: 'not_allowed',
      from,
      allowed: ALLOWED[from],
    });
  });

  // A targetless transition without actions (`HEARTBEAT: {}`) is one XState's `snapshot.can()`
  // counts as forbidden, so `decide` used to refuse every heartbeat of a running session with
  // guard_failed. The transition now records the heartbeat, which makes it one `can()` accepts.
  it('running + HEARTBEAT → running (regression: a running session refuses its heartbeats)', () => {
    expect(sessionMachine.resolveState(STORED.running).can(EVENTS.HEARTBEAT)).toBe(true);
    expectAccepted({ from: 'running', type: 'HEARTBEAT', to: 'running', context: BEATING });
  });
});

describe('session machine: exit codes', () => {
  it.each(['running', 'stale'] as const)(
    'EXITED 0 from %s completes the session without a failure',
    (from) => {
      const decision = accepted(decide(sessionMachine, STORED[from], { type: 'EXITED', exitCode: 0 }));
      expect(decision.state).toEqual({
        value: 'completed',
        context: { pid: PID, lastHeartbeatAt: LAST_SEEN, exitCode: 0, failureReason: null },
      });
    },
  );

  it.each(
    (['running', 'stale'] as const).flatMap((from) =>
      [1, 2, 137, 255, -1].map((exitCode) => ({ from, exitCode })),
    ),
  )('EXITED $exitCode from $from fails the session with a reason', ({ from, exitCode }) => {
    const decision = accepted(decide(sessionMachine, STORED[from], { type: 'EXITED', exitCode }));
    expect(decision.changed).toBe(true);
    expect(decision.state).toEqual({
      value: 'failed',
      context: {
        pid: PID,
        lastHeartbeatAt: LAST_SEEN,
        exitCode,
        failureReason: `The agent exited with code ${exitCode}.`,
      },
    });
  });

  it('EXITED never reaches the guard as a refusal: a non-zero code falls through to failed', () => {
    for (const exitCode of [0, 1]) {
      for (const from of SESSION_STATUSES) {
        const decision = decide(sessionMachine, STORED[from], { type: 'EXITED', exitCode });
        if (!decision.ok) expect(decision.reason).toBe('not_allowed');
      }
    }
  });
});

describe('session machine: context', () => {
  it('SPAWN_FAILED records the reason and no pid or exit code', () => {
    const decision = accepted(
      decide(sessionMachine, STORED.spawning, { type: 'SPAWN_FAILED', reason: 'EACCES' }),
    );
    expect(decision.state).toEqual({
      value: 'failed',
      context: { pid: null, lastHeartbeatAt: null, exitCode: null, failureReason: 'EACCES' },
    });
  });

  it('STARTED records the pid and the start as the first sign of life', () => {
    const decision = accepted(
      decide(sessionMachine, STORED.spawning, { type: 'STARTED', pid: 99, at: 12_345 }),
    );
    expect(decision.state).toEqual({
      value: 'running',
      context: { ...SPAWNING, pid: 99, lastHeartbeatAt: 12_345 },
    });
  });

  it.each(['running', 'stale'] as const)(
    'HEARTBEAT from %s records its time in lastHeartbeatAt and touches nothing else',
    (from) => {
      const decision = accepted(decide(sessionMachine, STORED[from], { type: 'HEARTBEAT', at: 77_000 }));
      expect(decision.state).toEqual({
        value: 'running',
        context: { ...STORED[from].context, lastHeartbeatAt: 77_000 },
      });
      expect(decision.changed).toBe(from !== 'running');
    },
  );

  it('each heartbeat replaces the time of the one before', () => {
    let state = STORED.running;
    for (const at of [2_000, 3_000, 4_500]) {
      state = accepted(decide(sessionMachine, state, { type: 'HEARTBEAT', at })).state;
      expect(state).toEqual({ value: 'running', context: { ...LIVE, lastHeartbeatAt: at } });
    }
  });

  it('a late heartbeat, older than the last one recorded, never moves the time back', () => {
    const before = STORED.running.context.lastHeartbeatAt;
    expect(before).toBeGreaterThan(10);
    const decision = accepted(decide(sessionMachine, STORED.running, { type: 'HEARTBEAT', at: 10 }));
    expect(decision.state.context.lastHeartbeatAt).toBe(before);
  });

  it.each([
    { from: 'running', event: { type: 'HEARTBEAT_MISSED' } },
    { from: 'stale', event: { type: 'HEARTBEAT_MISSED' } },
    { from: 'running', event: { type: 'STOP' } },
    { from: 'stale', event: { type: 'EXITED', exitCode: 0 } },
    { from: 'running', event: { type: 'EXITED', exitCode: 1 } },
  ] satisfies { from: SessionStatus; event: SessionEvent }[])(
    '$from + $event.type keeps the last sign of life',
    ({ from, event }) => {
      const decision = accepted(decide(sessionMachine, STORED[from], event));
      expect(decision.state.context.lastHeartbeatAt).toBe(LAST_SEEN);
    },
  );

  it('STOP keeps whatever the session knew', () => {
    for (const from of ['spawning', 'running', 'stale'] as const) {
      const decision = accepted(decide(sessionMachine, STORED[from], EVENTS.STOP));
      expect(decision.state).toEqual({ value: 'stopped', context: STORED[from].context });
    }
  });

  it('two missed heartbeats lose a running session; a heartbeat in between revives it', () => {
    const stale = accepted(decide(sessionMachine, STORED.running, EVENTS.HEARTBEAT_MISSED)).state;
    expect(stale.value).toBe('stale');
    expect(accepted(decide(sessionMachine, stale, EVENTS.HEARTBEAT_MISSED)).state.value).toBe('lost');
    const revived = accepted(decide(sessionMachine, stale, EVENTS.HEARTBEAT)).state;
    expect(revived).toEqual({ value: 'running', context: BEATING });
    expect(accepted(decide(sessionMachine, revived, EVENTS.HEARTBEAT_MISSED)).state.value).toBe('stale');
  });
});

const PROBES: SessionEvent[] = [
  ...Object.values(EVENTS),
  { type: 'EXITED', exitCode: 1 },
  { type: 'HEARTBEAT', at: 3_000 },
];

/** An event as a test label shows it: heartbeats with their time, since two differ only by it. */
function describeEvent(event: SessionEvent): string {
  return event.type === 'HEARTBEAT' ? `HEARTBEAT at ${event.at}` : event.type;
}

const REACHED = reachable<typeof sessionMachine, SessionContext>(sessionMachine, PROBES, 4).map((found) => ({
  ...found,
  label: `${found.state.value} via ${found.path.map(describeEvent).join(' → ') || '(initial)'}`,
}));

describe('session machine: persist → restore', () => {
  it('reaches every status', () => {
    expect(new Set(REACHED.map((r) => r.state.value))).toEqual(new Set(SESSION_STATUSES));
  });

  it('initialState is the machine initial state with its full default context', () => {
    const initial = initialState<SessionContext>(sessionMachine);
    const actor = createActor(sessionMachine).start();
    expect(initial).toEqual({ value: actor.getSnapshot().value, context: actor.getSnapshot().context });
    expect(initial).toEqual({
      value: 'spawning',
      context: { pid: null, lastHeartbeatAt: null, exitCode: null, failureReason: null },
    });
    expect(JSON.parse(JSON.stringify(initial))).toEqual(initial);
    actor.stop();
  });

  it.each(REACHED)('$label', ({ path, state }) => {
    const persisted = JSON.parse(JSON.stringify(state)) as StoredState<SessionContext>;
    expect(persisted).toEqual(state);

    const live = createActor(sessionMachine).start();
    for (const event of path) live.send(event);
    const persistedByXState = live.getPersistedSnapshot() as unknown as StoredState<SessionContext>;
    expect({ value: persistedByXState.value, context: persistedByXState.context }).toEqual(persisted);

    const restored = sessionMachine.resolveState(persisted);
    expect(restored.value).toBe(live.getSnapshot().value);
    expect(restored.context).toEqual(live.getSnapshot().context);
    expect(restored.status).toBe(live.getSnapshot().status);
    expect(allowedEvents(sessionMachine, persisted)).toEqual(ALLOWED[persisted.value as SessionStatus]);

    for (const probe of PROBES) {
      expect(restored.can(probe), `${probe.type} after restore`).toBe(live.getSnapshot().can(probe));
      const decision = decide(sessionMachine, persisted, probe);
      expect(decision).toEqual(decide(sessionMachine, state, probe));

      // A final session never transitions again (and XState warns when an event is sent to it).
      if (restored.status === 'done') {
        expect(decision.ok).toBe(false);
        continue;
      }
      const resumed = createActor(sessionMachine, { snapshot: restored }).start();
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
