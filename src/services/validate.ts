import { parseId, type IdKind } from '../contract/ids.js';
import { invalidArgument } from './errors.js';

/** Input checks shared by the services: each names the field and what it accepts. */
export function requireText(field: string, value: string | undefined, max: number): string {
  const text = (value ?? '').trim();
  if (!text) throw invalidArgument(field, `${field} must not be empty.`);
  if (text.length > max)
    throw invalidArgument(field, `${field} is ${text.length} characters; the limit is ${max}.`);
  return text;
}

export function optionalText(field: string, value: string | undefined, max: number): string {
  const text = value ?? '';
  if (text.length > max)
    throw invalidArgument(field, `${field} is ${text.length} characters; the limit is ${max}.`);
  return text;
}

export function oneOf<T extends string>(field: string, value: string, accepted: readonly T[]): T {
  if (!(accepted as readonly string[]).includes(value)) {
    throw invalidArgument(field, `${field} '${value}' is not one of ${accepted.join(', ')}.`, accepted);
  }
  return value as T;
}

/** Parses a public id, or returns undefined so the caller can raise its own not-found error. */
export function idOf(kind: IdKind, value: string): number | undefined {
  return parseId(kind, value);
}

/** Labels checked and de-duplicated in one linear pass (the registry has already bounded their count). */
export function labelsOf(field: string, labels: readonly string[], max = 50): string[] {
  if (labels.length > max * 2) {
    throw invalidArgument(field, `${labels.length} labels given; a task has at most ${max}.`);
  }
  const out = new Set<string>();
  for (const raw of labels) {
    const label = raw.trim();
    if (!/^[\w.:/-]{1,50}$/.test(label)) {
      throw invalidArgument(
        field,
        `Label '${raw.slice(0, 60)}' must be 1 to 50 letters, digits or . _ - : /.`,
      );
    }
    out.add(label);
  }
  if (out.size > max) throw invalidArgument(field, `A task has at most ${max} labels, not ${out.size}.`);
  return [...out];
}
