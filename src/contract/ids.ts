/**
 * Public ids carry a kind prefix (`t_12`) so that an agent can never pass a subtask id where a task
 * id belongs without being told. The number is the row's primary key.
 */
export const ID_PREFIX = {
  project: 'p',
  task: 't',
  subtask: 'st',
  session: 's',
  timeline: 'tl',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

export function formatId(kind: IdKind, id: number): string {
  return `${ID_PREFIX[kind]}_${id}`;
}

/** Parses `t_12` (or a bare `12`) into 12; returns undefined for anything else. */
export function parseId(kind: IdKind, value: string): number | undefined {
  const match = /^(?:([a-z]+)_)?(\d{1,15})$/.exec(value.trim());
  if (!match || (match[1] !== undefined && match[1] !== ID_PREFIX[kind])) return undefined;
  const n = Number(match[2]);
  return n > 0 ? n : undefined;
}
