import {
  createActor,
  getNextTransitions,
  initialTransition,
  type ActorScope,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventFromLogic,
} from 'xstate';

/** What a row stores of a machine: its state and context. Enough for `machine.resolveState`. */
export interface StoredState<TContext> {
  value: string;
  context: TContext;
}

export type Decision<TContext> =
  | { ok: true; state: StoredState<TContext>; changed: boolean }
  | {
      ok: false;
      /** `not_allowed`: the state has no transition for the event; `guard_failed`: it has one, but a guard refused. */
      reason: 'not_allowed' | 'guard_failed';
      from: string;
      allowed: string[];
    };

/**
 * Asks a machine what a stored state does with an event, without starting an actor: rebuild the
 * snapshot, check the event, compute the next state. Services call this inside their transaction
 * and persist the result; nothing here has side effects.
 */
export function decide<TMachine extends AnyStateMachine, TContext>(
  machine: TMachine,
  stored: StoredState<TContext>,
  event: EventFromLogic<TMachine>,
): Decision<TContext> {
  const snapshot = machine.resolveState({ value: stored.value, context: stored.context });
  if (!snapshot.can(event)) {
    const transitions = getNextTransitions(snapshot);
    const allowed = [...new Set(transitions.map((t) => t.eventType))].sort();
    const handled = transitions.some((t) => t.eventType === event.type);
    return { ok: false, reason: handled ? 'guard_failed' : 'not_allowed', from: stored.value, allowed };
  }
  const next = machine.transition(snapshot, event, inertScope(machine)) as AnyMachineSnapshot;
  const value = String(next.value);
  return { ok: true, state: { value, context: next.context as TContext }, changed: value !== stored.value };
}

/**
 * A scope for computing transitions that runs nothing: actions are dropped, as `decide` keeps only
 * the next state. It is what xstate's `transition()` builds afresh on every call (an actor, with its
 * initial state worked out, and a system); built once per machine here, since it holds nothing of
 * a call. The machines start no children and send no events, so nothing reaches its `self`.
 */
function inertScope(machine: AnyStateMachine): AnyActorScope {
  let scope = inertScopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    const none = () => undefined;
    scope = {
      self,
      system: self.system,
      id: '',
      sessionId: '',
      logger: none,
      defer: none,
      emit: none,
      stopChild: none,
      actionExecutor: none,
    } satisfies ActorScope<AnyMachineSnapshot, never> as unknown as AnyActorScope;
    inertScopes.set(machine, scope);
  }
  return scope;
}

const inertScopes = new WeakMap<AnyStateMachine, AnyActorScope>();

/** The events a stored state accepts (guards aside), for error messages. */
export function allowedEvents<TContext>(machine: AnyStateMachine, stored: StoredState<TContext>): string[] {
  const snapshot = machine.resolveState({ value: stored.value, context: stored.context });
  return [...new Set(getNextTransitions(snapshot).map((t) => t.eventType))].sort();
}

/** The machine's initial state, as a row stores it: worked out once per machine, a copy each time. */
export function initialState<TContext>(machine: AnyStateMachine): StoredState<TContext> {
  let initial = initialStates.get(machine);
  if (!initial) {
    const [snapshot] = initialTransition(machine);
    initial = { value: String(snapshot.value), context: snapshot.context };
    initialStates.set(machine, initial);
  }
  return { value: initial.value, context: structuredClone(initial.context) as TContext };
}

const initialStates = new WeakMap<AnyStateMachine, StoredState<unknown>>();
