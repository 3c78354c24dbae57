/**
 * Argument schemas for the operations of src/contract/operations.ts: the types, limits and
 * accepted values of every argument a request carries, checked in one linear pass before a
 * service sees it. The gRPC handlers, the WebSocket gateway, the CLI and the MCP server all check
 * with the same schema, so a limit is written once and holds on every wire.
 */

export type FieldSpec =
  | {
      kind: 'string';
      /** Characters; a required string must have at least `min` after trimming (default 1). */
      min: number;
      max: number;
      optional: boolean;
      /** An empty string is a value (an update that clears a field), not "absent". */
      keepEmpty: boolean;
      pattern?: RegExp;
      /** Says in words what `pattern` accepts, for the error. */
      patternText?: string;
      describe: string;
    }
  | { kind: 'int'; min: number; max: number; optional: boolean; describe: string }
  | { kind: 'bool'; describe: string }
  | { kind: 'enum'; values: readonly string[]; optional: boolean; describe: string }
  | { kind: 'list'; item: FieldSpec; maxItems: number; describe: string }
  | { kind: 'object'; fields: Shape; optional: boolean; describe: string };

/**
 * A field with the TypeScript type its value has once checked (`T`), and the type a caller may
 * pass (`I`: a flag or a list may be left out, and is then false or []).
 */
export interface Field<T, I = T> {
  readonly spec: FieldSpec;
  /** Type only: never set. */
  readonly __type?: T;
  /** Type only: never set. */
  readonly __input?: I;
}

export type Shape = Readonly<Record<string, Field<unknown, unknown>>>;

/** The arguments once checked. */
export type Infer<S extends Shape> = {
  [K in keyof S as undefined extends FieldType<S[K]> ? never : K]: FieldType<S[K]>;
} & {
  [K in keyof S as undefined extends FieldType<S[K]> ? K : never]?: FieldType<S[K]>;
};
/** The arguments as a caller passes them. */
export type InferInput<S extends Shape> = {
  [K in keyof S as undefined extends InputType<S[K]> ? never : K]: InputType<S[K]>;
} & {
  [K in keyof S as undefined extends InputType<S[K]> ? K : never]?: InputType<S[K]>;
};
type FieldType<F> = F extends Field<infer T, unknown> ? T : never;
type InputType<F> = F extends Field<unknown, infer I> ? I : never;

const field = <T, I = T>(spec: FieldSpec): Field<T, I> => ({ spec });

interface TextOptions {
  min?: number;
  pattern?: RegExp;
  patternText?: string;
  keepEmpty?: boolean;
}

/** Builders for argument fields; every string and list has a bound. */
export const f = {
  text: (max: number, describe: string, options: TextOptions = {}): Field<string> =>
    field({
      kind: 'string',
      min: options.min ?? 1,
      max,
      optional: false,
      keepEmpty: options.keepEmpty ?? false,
      pattern: options.pattern,
      patternText: options.patternText,
      describe,
    }),
  optText: (max: number, describe: string, options: TextOptions = {}): Field<string | undefined> =>
    field({
      kind: 'string',
      min: 0,
      max,
      optional: true,
      keepEmpty: options.keepEmpty ?? false,
      pattern: options.pattern,
      patternText: options.patternText,
      describe,
    }),
  int: (min: number, max: number, describe: string): Field<number> =>
    field({ kind: 'int', min, max, optional: false, describe }),
  optInt: (min: number, max: number, describe: string): Field<number | undefined> =>
    field({ kind: 'int', min, max, optional: true, describe }),
  bool: (describe: string): Field<boolean, boolean | undefined> => field({ kind: 'bool', describe }),
  // A caller may pass any text; the check says which values are accepted.
  oneOf: <const V extends readonly string[]>(values: V, describe: string): Field<V[number], string> =>
    field({ kind: 'enum', values, optional: false, describe }),
  optOneOf: <const V extends readonly string[]>(
    values: V,
    describe: string,
  ): Field<V[number] | undefined, string | undefined> =>
    field({ kind: 'enum', values, optional: true, describe }),
  optObject: <S extends Shape>(
    fields: S,
    describe: string,
  ): Field<Infer<S> | undefined, InferInput<S> | undefined> =>
    field({ kind: 'object', fields, optional: true, describe }),
  list: <T, I>(
    item: Field<T, I>,
    maxItems: number,
    describe: string,
  ): Field<NonNullable<T>[], readonly NonNullable<I>[] | undefined> =>
    field({ kind: 'list', item: item.spec, maxItems, describe }),
};

/** An argument that is missing, of the wrong type, or out of its bounds. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
  constructor(
    /** The argument's name in the operation (`leaseSeconds`); the message names it as the caller does. */
    readonly field: string,
    message: string,
    readonly accepted?: readonly string[],
  ) {
    super(message);
  }
}

/** How a caller's wire names an argument in errors: the CLI says `--lease`, WebSocket `args.x`. */
export type FieldNamer = (name: string) => string;
const plain: FieldNamer = (name) => name;

const describeInt = (s: { min: number; max: number }) => `a whole number from ${s.min} to ${s.max}`;

function check(spec: FieldSpec, value: unknown, label: string, key: string): unknown {
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') throw new ArgumentError(key, `${label} must be a string.`);
      // The length is checked before anything else touches the text, so a huge value costs nothing.
      if (value.length > spec.max) {
        throw new ArgumentError(key, `${label} is ${value.length} characters; the limit is ${spec.max}.`);
      }
      if (value.trim() === '' && !spec.keepEmpty) {
        if (spec.optional) return undefined;
        throw new ArgumentError(key, `${label} must not be empty.`);
      }
      if (value.trim().length < spec.min) {
        throw new ArgumentError(key, `${label} must have at least ${spec.min} characters.`);
      }
      if (spec.pattern && !spec.pattern.test(value)) {
        throw new ArgumentError(key, `${label} '${value}' must be ${spec.patternText ?? 'well-formed'}.`);
      }
      return value;
    }
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
        throw new ArgumentError(key, `${label} must be ${describeInt(spec)}, not ${JSON.stringify(value)}.`);
      }
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw new ArgumentError(key, `${label} must be true or false.`);
      return value;
    case 'enum':
      if (value === '' && spec.optional) return undefined;
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        throw new ArgumentError(
          key,
          `${label} ${JSON.stringify(value)} is not one of ${spec.values.join(', ')}.`,
          spec.values,
        );
      }
      return value;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ArgumentError(key, `${label} must be an object.`);
      }
      try {
        return parseArgs(spec.fields, value as Record<string, unknown>, (k) => `${label}.${k}`);
      } catch (error) {
        if (error instanceof ArgumentError) {
          throw new ArgumentError(`${key}.${error.field}`, error.message, error.accepted);
        }
        throw error;
      }
    }
    case 'list': {
      if (!Array.isArray(value)) throw new ArgumentError(key, `${label} must be a list.`);
      // The count first: a request with a million items is refused before any of them is looked at.
      if (value.length > spec.maxItems) {
        throw new ArgumentError(key, `${label} has ${value.length} items; the limit is ${spec.maxItems}.`);
      }
      const out: unknown[] = [];
      for (const item of value) {
        const checked = check({ ...spec.item, optional: false } as FieldSpec, item, `${label} item`, key);
        if (checked !== undefined) out.push(checked);
      }
      return out;
    }
  }
}

function isOptional(spec: FieldSpec): boolean {
  return spec.kind === 'bool' || spec.kind === 'list' || spec.optional;
}

/** The value a field has when the caller did not give it. */
function absentValue(spec: FieldSpec): unknown {
  if (spec.kind === 'bool') return false;
  if (spec.kind === 'list') return [];
  return undefined;
}

/**
 * Checks `raw` against `shape` in one pass: unknown keys, missing required values, types, bounds.
 * Returns the arguments with absent optional values left out (lists default to [], flags to false).
 */
export function parseArgs<S extends Shape>(
  shape: S,
  raw: Readonly<Record<string, unknown>>,
  name: FieldNamer = plain,
): Infer<S> {
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(shape, key)) {
      throw new ArgumentError(
        key,
        `${name(key)} is not an argument of this operation; it takes ${Object.keys(shape).join(', ') || 'none'}.`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, fieldOf] of Object.entries(shape)) {
    const spec = fieldOf.spec;
    const value = raw[key];
    if (value === undefined || value === null) {
      if (!isOptional(spec)) throw new ArgumentError(key, `${name(key)} is required.`);
      const absent = absentValue(spec);
      if (absent !== undefined) out[key] = absent;
      continue;
    }
    const checked = check(spec, value, name(key), key);
    if (checked !== undefined) out[key] = checked;
    else if (!isOptional(spec)) throw new ArgumentError(key, `${name(key)} is required.`);
  }
  return out as Infer<S>;
}

/** What a field accepts, in words (help texts, MCP tool descriptions). */
export function describeField(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'string':
      return `text, ${spec.optional ? 0 : spec.min} to ${spec.max} characters`;
    case 'int':
      return describeInt(spec);
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'list':
      return `a list of at most ${spec.maxItems} (${describeField(spec.item)})`;
    case 'object':
      return `an object {${Object.keys(spec.fields).join(', ')}}`;
  }
}
