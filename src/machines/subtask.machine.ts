import { setup } from 'xstate';

export type SubtaskEvent = { type: 'COMPLETE' } | { type: 'REOPEN' };
export type SubtaskStatus = 'pending' | 'completed';
export const SUBTASK_MACHINE_VERSION = 1;

/** A subtask is a checklist item: pending until completed, and back again when reopened. */
export const subtaskMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as SubtaskEvent },
}).createMachine({
  id: 'subtask',
  initial: 'pending',
  context: {},
  states: {
    pending: { on: { COMPLETE: { target: 'completed' } } },
    completed: { on: { REOPEN: { target: 'pending' } } },
  },
});
