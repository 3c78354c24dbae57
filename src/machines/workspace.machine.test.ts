import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { allowedEvents, decide, initialState, type Decision, type StoredState } from './decide.js';
import { reachable } from './reachable.test-helper.js';
import {
  WORKSPACE_FAILURE_FILES,
  WORKSPACE_STATUSES,
  workspaceMachine,
  type WorkspaceContext,
  type WorkspaceEvent,
  type WorkspaceEventType,
  type WorkspaceFailure,
  type WorkspaceStatus,
} from './workspace.machine.js';

const PATH = '/home/u/.maestro/workspaces/p_1/t_7-login';
const BRANCH = 'maestro/t_7-login';
const BASE_COMMIT = 'a'.repeat(40);
const MERGED_COMMIT = 'b'.repeat(40);

/** One well-formed event per type; SUBMIT without review, CONFLICTED naming a file. */
const EVENTS: { [K in WorkspaceEventType]: Extract<WorkspaceEvent, { type: K }> } = {
  CREATED: { type: 'CREATED', path: PATH, branch: BRANCH, baseBranch: 'main', baseCommit: BASE_COMMIT },
  CREATE_FAILED: { type: 'CREATE_FAILED', reason: 'The setup command exited with code 1.' },
  RETRY_CREATE: { type: 'RETRY_CREATE' },
  SUBMIT: { type: 'SUBMIT', reviewRequired: false },
  APPROVE: { type: 'APPROVE' },
  REJECT: { type: 'REJECT', reason: 'add a test' },
  WITHDRAW: { type: 'WITHDRAW' },
  MERGE_STARTED: { type: 'MERGE_STARTED' },
  MERGED: { type: 'MERGED', commit: MERGED_COMMIT },
  CONFLICTED: { type: 'CONFLICTED', files: ['src/a.ts'], message: 'conflicts in src/a.ts' },
  CHECKS_FAILED: { type: 'CHECKS_FAILED', message: 'The checks failed with exit code 1.' },
  MERGE_ABORTED: { type: 'MERGE_ABORTED', reason: 'interrupted at its check step' },
  RESUME: { type: 'RESUME' },
  ARCHIVE: { type: 'ARCHIVE' },
  REOPEN: { type: 'REOPEN' },
};
const EVENT_TYPES = Object.keys(EVENTS) as WorkspaceEventType[];
const REVIEWED: WorkspaceEvent = { type: 'SUBMIT', reviewRequired: true };

const FRESH: WorkspaceContext = {
  path: null,
  branch: null,
  baseBranch: null,
  baseCommit: null,
  failure: null,
  mergeAttempts: 0,
  mergedCommit: null,
};
const MADE: WorkspaceContext = {
  ...FRESH,
  path: PATH,
  branch: BRANCH,
  baseBranch: 'main',
  baseCommit: BASE_COMMIT,
};
const TRIED: WorkspaceContext = { ...MADE, mergeAttempts: 1 };
const CREATE_FAILURE: WorkspaceFailure = { kind: 'create', message: EVENTS.CREATE_FAILED.reason, files: [] };
const CONFLICT: WorkspaceFailure = {
  kind: 'conflict',
  message: 'conflicts in src/a.ts',
  files: ['src/a.ts'],
};
const CHECKS: WorkspaceFailure = { kind: 'checks', message: EVENTS.CHECKS_FAILED.message, files: [] };

/** A representative stored row per status, shaped the way the machine leaves it. */
const STORED: Record<WorkspaceStatus, StoredState<WorkspaceContext>> = {
  creating: { value: 'creating', context: FRESH },
  create_failed: { value: 'create_failed', context: { ...FRESH, failure: CREATE_FAILURE } },
  ready: { value: 'ready', context: MADE },
  review: { value: 'review', context: MADE },
  queued: { value: 'queued', context: MADE },
  merging: { value: 'merging', context: TRIED },
  merged: { value: 'merged', context: { ...TRIED, mergedCommit: MERGED_COMMIT } },
  conflicted: { value: 'conflicted', context: { ...TRIED, failure: CONFLICT } },
  checks_failed: { value: 'checks_failed', context: { ...TRIED, failure: CHECKS } },
  archived: { value: 'archived', context: MADE },
};

const ALLOWED: Record<WorkspaceStatus, string[]> = {
  creating: ['ARCHIVE', 'CREATED', 'CREATE_FAILED'],
  create_failed: ['ARCHIVE', 'RETRY_CREATE'],
  ready: ['ARCHIVE', 'SUBMIT'],
  review: ['APPROVE', 'ARCHIVE', 'REJECT'],
  queued: ['ARCHIVE', 'MERGE_STARTED', 'WITHDRAW'],
  merging: ['CHECKS_FAILED', 'CONFLICTED', 'MERGED', 'MERGE_ABORTED'],
  merged: ['REOPEN'],
  conflicted: ['ARCHIVE', 'RESUME', 'SUBMIT'],
  checks_failed: ['ARCHIVE', 'RESUME', 'SUBMIT'],
  archived: ['REOPEN'],
};

const NOT_ALLOWED = { refused: 'not_allowed' } as const;
type Outcome = { to: WorkspaceStatus; context: WorkspaceContext } | typeof NOT_ALLOWED;
const none = (): Record<WorkspaceEventType, Outcome> =>
  Object.fromEntries(EVENT_TYPES.map((t) => [t, NOT_ALLOWED])) as Record<WorkspaceEventType, Outcome>;
const row = (outcomes: Partial<Record<WorkspaceEventType, Outcome>>) => ({ ...none(), ...outcomes });

/** What each stored row does with each event of EVENTS; this is the table of docs/workspaces.md. */
const OUTCOMES: Record<WorkspaceStatus, Record<WorkspaceEventType, Outcome>> = {
  creating: row({
    CREATED: { to: 'ready', context: MADE },
    CREATE_FAILED: { to: 'create_failed', context: { ...FRESH, failure: CREATE_FAILURE } },
    ARCHIVE: { to: 'archived', context: FRESH },
  }),
  create_failed: row({
    RETRY_CREATE: { to: 'creating', context: { ...FRESH, failure: CREATE_FAILURE } },
    ARCHIVE: { to: 'archived', context: { ...FRESH, failure: CREATE_FAILURE } },
  }),
  ready: row({
    SUBMIT: { to: 'queued', context: MADE },
    ARCHIVE: { to: 'archived', context: MADE },
  }),
  review: row({
    APPROVE: { to: 'queued', context: MADE },
    REJECT: {
      to: 'ready',
      context: { ...MADE, failure: { kind: 'rejected', message: 'add a test', files: [] } },
    },
    ARCHIVE: { to: 'archived', context: MADE },
  }),
  queued: row({
    MERGE_STARTED: { to: 'merging', context: TRIED },
    WITHDRAW: { to: 'ready', context: MADE },
    ARCHIVE: { to: 'archived', context: MADE },
  }),
  merging: row({
    MERGED: { to: 'merged', context: { ...TRIED, mergedCommit: MERGED_COMMIT } },
    CONFLICTED: { to: 'conflicted', context: { ...TRIED, failure: CONFLICT } },
    CHECKS_FAILED: { to: 'checks_failed', context: { ...TRIED, failure: CHECKS } },
    MERGE_ABORTED: {
      to: 'queued',
      context: { ...TRIED, failure: { kind: 'aborted', message: EVENTS.MERGE_ABORTED.reason, files: [] } },
    },
  }),
  merged: row({ REOPEN: { to: 'creating', context: TRIED } }),
  conflicted: row({
    SUBMIT: { to: 'queued', context: TRIED },
    RESUME: { to: 'ready', context: { ...TRIED, failure: CONFLICT } },
    ARCHIVE: { to: 'archived', context: { ...TRIED, failure: CONFLICT } },
  }),
  checks_failed: row({
    SUBMIT: { to: 'queued', context: TRIED },
    RESUME: { to: 'ready', context: { ...TRIED, failure: CHECKS } },
    ARCHIVE: { to: 'archived', context: { ...TRIED, failure: CHECKS } },
  }),
  archived: row({ REOPEN: { to: 'creating', context: MADE } }),
};

function accepted<T>(decision: Decision<T>): Extract<Decision<T>, { ok: true }> {
  if (!decision.ok)
    throw new Error(`expected the event to be accepted; ${decision.reason} from ${decision.from}`);
  return decision;
}

const rows = WORKSPACE_STATUSES.flatMap((from) =>
  EVENT_TYPES.map((type) => ({ from, type, outcome: OUTCOMES[from][type] })),
);
const acceptedRows = rows.flatMap(({ from, type, outcome }) =>
  'to' in outcome ? [{ from, type, to: outcome.to, context: outcome.context }] : [],
);
const refusedRows = rows.filter(({ outcome }) => !('to' in outcome));

describe('workspace machine: shape', () => {
  it('has exactly the statuses of WORKSPACE_STATUSES and starts creating', () => {
    expect(Object.keys(workspaceMachine.states).sort()).toEqual([...WORKSPACE_STATUSES].sort());
    expect(initialState<WorkspaceContext>(workspaceMachine)).toEqual({ value: 'creating', context: FRESH });
  });

  it('handles no event type beyond those the tables cover', () => {
    const handled = new Set(WORKSPACE_STATUSES.flatMap((s) => allowedEvents(workspaceMachine, STORED[s])));
    expect([...handled].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(WORKSPACE_STATUSES)('%s accepts exactly the event types of its row', (status) => {
    expect(allowedEvents(workspaceMachine, STORED[status])).toEqual(ALLOWED[status]);
    const fromOutcomes = EVENT_TYPES.filter((type) => 'to' in OUTCOMES[status][type]).sort();
    expect(fromOutcomes).toEqual(ALLOWED[status]);
  });

  it('has no final state: a merged or archived workspace can be reopened', () => {
    for (const status of WORKSPACE_STATUSES)
      expect(workspaceMachine.resolveState(STORED[status]).status).toBe('active');
  });
});

describe('workspace machine: every (status, event) pair', () => {
  it.each(acceptedRows)('$from + $type → $to', ({ from, type, to, context }) => {
    const decision = accepted(decide(workspaceMachine, STORED[from], EVENTS[type]));
    expect(decision.state).toEqual({ value: to, context });
    expect(decision.changed).toBe(to !== from);
  });

  it.each(refusedRows)('$from + $type is not allowed', ({ from, type }) => {
    expect(decide(workspaceMachine, STORED[from], EVENTS[type])).toEqual({
      ok: false,
      reason: 'not_allowed',
      from,
      allowed: ALLOWED[from],
    });
  });
});

describe('workspace machine: review and merge', () => {
  it.each(['ready', 'conflicted', 'checks_failed'] as const)(
    'SUBMIT from %s goes to review when the project requires it, clearing the last failure',
    (from) => {
      const decision = accepted(decide(workspaceMachine, STORED[from], REVIEWED));
      expect(decision.state).toEqual({
        value: 'review',
        context: { ...STORED[from].context, failure: null },
      });
    },
  );

  it('a rejected submission comes back to ready with the reason, and goes to review again', () => {
    const rejected = accepted(
      decide(workspaceMachine, STORED.review, { type: 'REJECT', reason: 'needs tests' }),
    ).state;
    expect(rejected).toEqual({
      value: 'ready',
      context: { ...MADE, failure: { kind: 'rejected', message: 'needs tests', files: [] } },
    });
    expect(accepted(decide(workspaceMachine, rejected, REVIEWED)).state).toEqual({
      value: 'review',
      context: MADE,
    });
  });

  it('CONFLICTED must name the conflicting files; the guard refuses an empty list', () => {
    expect(
      decide(workspaceMachine, STORED.merging, { type: 'CONFLICTED', files: [], message: 'conflict' }),
    ).toEqual({ ok: false, reason: 'guard_failed', from: 'merging', allowed: ALLOWED.merging });
  });

  it(`keeps at most ${WORKSPACE_FAILURE_FILES} conflicting files`, () => {
    const files = Array.from({ length: WORKSPACE_FAILURE_FILES + 1 }, (_, i) => `f${i}.ts`);
    const decision = accepted(
      decide(workspaceMachine, STORED.merging, { type: 'CONFLICTED', files, message: 'm' }),
    );
    expect(decision.state.context.failure?.files).toEqual(files.slice(0, WORKSPACE_FAILURE_FILES));
  });

  it('counts every merge attempt, a recovered one included', () => {
    let state = STORED.queued;
    for (const outcome of [EVENTS.MERGE_ABORTED, EVENTS.CHECKS_FAILED]) {
      state = accepted(decide(workspaceMachine, state, EVENTS.MERGE_STARTED)).state;
      state = accepted(decide(workspaceMachine, state, outcome)).state;
      if (state.value === 'checks_failed')
        state = accepted(decide(workspaceMachine, state, EVENTS.SUBMIT)).state;
    }
    state = accepted(decide(workspaceMachine, state, EVENTS.MERGE_STARTED)).state;
    state = accepted(decide(workspaceMachine, state, EVENTS.MERGED)).state;
    expect(state).toEqual({
      value: 'merged',
      context: { ...MADE, mergeAttempts: 3, mergedCommit: MERGED_COMMIT },
    });
  });

  it('cannot be archived while a merge is in flight', () => {
    expect(decide(workspaceMachine, STORED.merging, EVENTS.ARCHIVE)).toMatchObject({
      ok: false,
      reason: 'not_allowed',
    });
  });
});

/** Events that exercise each guard both ways. */
const PROBES: WorkspaceEvent[] = [
  ...Object.values(EVENTS),
  REVIEWED,
  { type: 'CONFLICTED', files: [], message: 'no files' },
];

const REACHED = reachable<typeof workspaceMachine, WorkspaceContext>(workspaceMachine, PROBES, 6).map(
  (found) => ({
    ...found,
    label: `${found.state.value} via ${found.path.map((e) => e.type).join(' → ') || '(initial)'}`,
  }),
);

describe('workspace machine: persist → restore', () => {
  it('reaches every status', () => {
    expect(new Set(REACHED.map((r) => r.state.value))).toEqual(new Set(WORKSPACE_STATUSES));
  });

  it.each(REACHED)('$label', ({ path, state }) => {
    const persisted = JSON.parse(JSON.stringify(state)) as StoredState<WorkspaceContext>;
    expect(persisted).toEqual(state);

    const live = createActor(workspaceMachine).start();
    for (const event of path) live.send(event);
    const persistedByXState = live.getPersistedSnapshot() as unknown as StoredState<WorkspaceContext>;
    expect({ value: persistedByXState.value, context: persistedByXState.context }).toEqual(persisted);

    const restored = workspaceMachine.resolveState(persisted);
    expect(restored.value).toBe(live.getSnapshot().value);
    expect(restored.context).toEqual(live.getSnapshot().context);
    expect(allowedEvents(workspaceMachine, persisted)).toEqual(ALLOWED[persisted.value as WorkspaceStatus]);

    for (const probe of PROBES) {
      expect(restored.can(probe), `${probe.type} after restore`).toBe(live.getSnapshot().can(probe));
      const decision = decide(workspaceMachine, persisted, probe);
      const resumed = createActor(workspaceMachine, { snapshot: restored }).start();
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
