import type { AnyStateMachine, EventFromLogic } from 'xstate';
import { decide, initialState, type StoredState } from './decide.js';

/**
 * For the machines' tests: every row a machine can produce from its initial state with these
 * events in at most `depth` steps, each with the path that first reached it (breadth first).
 */
export function reachable<TMachine extends AnyStateMachine, TContext>(
  machine: TMachine,
  events: readonly EventFromLogic<TMachine>[],
  depth: number,
): { path: EventFromLogic<TMachine>[]; state: StoredState<TContext> }[] {
  type Found = { path: EventFromLogic<TMachine>[]; state: StoredState<TContext> };
  const start = initialState<TContext>(machine);
  const seen = new Map<string, Found>([[JSON.stringify(start), { path: [], state: start }]]);
  let frontier = [...seen.values()];
  for (let step = 0; step < depth; step++) {
    const next: Found[] = [];
    for (const { path, state } of frontier) {
      for (const event of events) {
        const decision = decide<TMachine, TContext>(machine, state, event);
        if (!decision.ok || seen.has(JSON.stringify(decision.state))) continue;
        const found = { path: [...path, event], state: decision.state };
        seen.set(JSON.stringify(decision.state), found);
        next.push(found);
      }
    }
    frontier = next;
  }
  return [...seen.values()];
}
