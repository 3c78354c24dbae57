import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { allowedEvents, decide, initialState, type StoredState } from './decide.js';
import { subtaskMachine, type SubtaskEvent, type SubtaskStatus } from './subtask.machine.js';

type SubtaskContext = Record<string, never>;

const STATUSES: readonly SubtaskStatus[] = ['pending', 'completed'];
const EVENTS: readonly SubtaskEvent[] = [{ type: 'COMPLETE' }, { type: 'REOPEN' }];

const ALLOWED: Record<SubtaskStatus, string[]> = { pending: ['COMPLETE'], completed: ['REOPEN'] };
const OUTCOMES: Record<SubtaskStatus, Record<SubtaskEvent['type'], SubtaskStatus | 'not_allowed'>> = {
  pending: { COMPLETE: 'completed', REOPEN: 'not_allowed' },
  completed: { COMPLETE: 'not_allowed', REOPEN: 'pending' },
};

function stored(value: SubtaskStatus): StoredState<SubtaskContext> {
  return { value, context: {} };
}

const rows = STATUSES.flatMap((from) =>
  EVENTS.map(({ type }) => ({ from, type, outcome: OUTCOMES[from][type] })),
);

describe('subtask machine', () => {
  it('has exactly the statuses pending and completed, and starts pending with an empty context', () => {
    expect(Object.keys(subtaskMachine.states).sort()).toEqual([...STATUSES].sort());
    expect(initialState(subtaskMachine)).toEqual({ value: 'pending', context: {} });
  });

  it.each(STATUSES)('%s accepts exactly the event types of its row', (status) => {
    expect(allowedEvents(subtaskMachine, stored(status))).toEqual(ALLOWED[status]);
  });

  it.each(rows.filter(({ outcome }) => outcome !== 'not_allowed'))(
    '$from + $type → $outcome',
    ({ from, type, outcome }) => {
      expect(decide(subtaskMachine, stored(from), { type })).toEqual({
        ok: true,
        changed: true,
        state: { value: outcome, context: {} },
      });
    },
  );

  it.each(rows.filter(({ outcome }) => outcome === 'not_allowed'))(
    '$from + $type is not allowed',
    ({ from, type }) => {
      expect(decide(subtaskMachine, stored(from), { type })).toEqual({
        ok: false,
        reason: 'not_allowed',
        from,
        allowed: ALLOWED[from],
      });
    },
  );
});

describe('subtask machine: persist → restore', () => {
  it('initialState is the machine initial state with its full default context', () => {
    const actor = createActor(subtaskMachine).start();
    expect(initialState(subtaskMachine)).toEqual({
      value: actor.getSnapshot().value,
      context: actor.getSnapshot().context,
    });
    actor.stop();
  });

  it('survives JSON through complete → reopen → complete, agreeing with a live actor at every step', () => {
    const live = createActor(subtaskMachine).start();
    let state = initialState<SubtaskContext>(subtaskMachine);
    for (const event of [EVENTS[0], EVENTS[1], EVENTS[0]] as SubtaskEvent[]) {
      const decision = decide(subtaskMachine, state, event);
      if (!decision.ok) throw new Error(`${event.type} refused from ${state.value}`);
      live.send(event);
      const persisted = JSON.parse(JSON.stringify(decision.state)) as StoredState<SubtaskContext>;
      expect(persisted).toEqual({ value: live.getSnapshot().value, context: live.getSnapshot().context });

      const restored = subtaskMachine.resolveState(persisted);
      expect(restored.value).toBe(live.getSnapshot().value);
      expect(restored.context).toEqual({});
      for (const probe of EVENTS) {
        expect(restored.can(probe)).toBe(live.getSnapshot().can(probe));
        expect(decide(subtaskMachine, persisted, probe)).toEqual(
          decide(subtaskMachine, decision.state, probe),
        );
      }
      state = persisted;
    }
    expect(state.value).toBe('completed');
    live.stop();
  });
});
