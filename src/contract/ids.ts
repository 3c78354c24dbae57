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

/**
 * A well-formed session id (`s_<n>`), as both sides of the runner protocol check it before it names
 * a folder or a terminal window.
 */
export const SESSION_ID_PATTERN = /^s_[1-9]\d{0,14}$/;

export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID_PATTERN.test(value);
}

/** A skill name: it names a folder, so it can never climb out of the skills folder. */
export const SKILL_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
