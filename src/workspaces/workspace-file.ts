import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkspaceErrors } from './errors.js';

/**
 * The per-project workspace file, `.maestro/workspace.json` in the project's directory: how a
 * fresh worktree is made ready to run, and how its work is checked and merged. Every field is
 * optional; a project without the file gets DEFAULT_WORKSPACE_FILE.
 */
export interface WorkspaceFile {
  /** `worktree` (default): a git worktree per task. `none`: agents work in the project directory. */
  isolation: 'worktree' | 'none';
  /** The branch workspaces start from and merge into; null: the project's setting or the checked-out branch. */
  baseBranch: string | null;
  /** Paths or globs, relative to the project directory, copied from the main checkout (`.env`). */
  copy: string[];
  /** Paths or globs symlinked to the main checkout's copy (`node_modules`): no disk, shared. */
  link: string[];
  /** Run in a new worktree after copy and link; its output is kept. null: none. */
  setup: CommandSpec | null;
  /** Run in the workspace before its work may land on the base branch. null: none. */
  checks: CommandSpec | null;
  /** How a task's branch is brought onto the current base. */
  mergeStrategy: MergeStrategy;
  /** Size of the port range each workspace gets (MAESTRO_PORT, MAESTRO_PORT_COUNT). */
  ports: { count: number };
}

export type MergeStrategy = 'rebase' | 'merge';

/** A command: a string runs with `/bin/sh -c`, an array runs as an argument vector. */
export interface CommandSpec {
  command: string | string[];
  timeoutSeconds: number;
}

export const WORKSPACE_FILE = '.maestro/workspace.json';

export const WORKSPACE_FILE_LIMITS = {
  fileBytes: 64 * 1024,
  patterns: 100,
  patternLength: 256,
  commandLength: 4096,
  commandArgs: 64,
  timeoutSeconds: { min: 1, max: 86_400 },
  ports: { min: 1, max: 100 },
} as const;

export const DEFAULT_SETUP_TIMEOUT_SECONDS = 600;
export const DEFAULT_CHECKS_TIMEOUT_SECONDS = 1800;

export const DEFAULT_WORKSPACE_FILE: WorkspaceFile = {
  isolation: 'worktree',
  baseBranch: null,
  copy: [],
  link: [],
  setup: null,
  checks: null,
  mergeStrategy: 'merge',
  ports: { count: 10 },
};

const KEYS = [
  '$schema',
  'isolation',
  'baseBranch',
  'copy',
  'link',
  'setup',
  'checks',
  'mergeStrategy',
  'ports',
] as const;

/** Reads and checks the project's workspace file; DEFAULT_WORKSPACE_FILE when there is none. */
export async function loadWorkspaceFile(projectDir: string): Promise<WorkspaceFile> {
  const path = join(projectDir, WORKSPACE_FILE);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(DEFAULT_WORKSPACE_FILE);
    throw error;
  }
  if (size > WORKSPACE_FILE_LIMITS.fileBytes)
    throw WorkspaceErrors.fileInvalid(
      WORKSPACE_FILE,
      '',
      `is ${size} bytes; the limit is ${WORKSPACE_FILE_LIMITS.fileBytes}.`,
    );
  return parseWorkspaceFile(await readFile(path, 'utf8'));
}

/** Parses the file's text; every error names the field and what it accepts. */
export function parseWorkspaceFile(text: string, file = WORKSPACE_FILE): WorkspaceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw WorkspaceErrors.fileInvalid(file, '', `is not valid JSON (${(error as Error).message}).`);
  }
  if (!isObject(raw)) throw WorkspaceErrors.fileInvalid(file, '', 'must be a JSON object.', 'an object');
  for (const key of Object.keys(raw))
    if (!(KEYS as readonly string[]).includes(key))
      throw WorkspaceErrors.fileInvalid(file, key, 'is not a known field.', `the fields ${KEYS.join(', ')}`);

  const defaults = DEFAULT_WORKSPACE_FILE;
  return {
    isolation: oneOf(file, 'isolation', raw.isolation, ['worktree', 'none'], defaults.isolation),
    baseBranch: branch(file, raw.baseBranch),
    copy: patterns(file, 'copy', raw.copy),
    link: patterns(file, 'link', raw.link),
    setup: command(file, 'setup', raw.setup, DEFAULT_SETUP_TIMEOUT_SECONDS),
    checks: command(file, 'checks', raw.checks, DEFAULT_CHECKS_TIMEOUT_SECONDS),
    mergeStrategy: oneOf(
      file,
      'mergeStrategy',
      raw.mergeStrategy,
      ['rebase', 'merge'],
      defaults.mergeStrategy,
    ),
    ports: ports(file, raw.ports),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(file: string, field: string, value: unknown, values: T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(values as string[]).includes(value))
    throw WorkspaceErrors.fileInvalid(
      file,
      field,
      `is ${JSON.stringify(value)}.`,
      `one of ${values.map((v) => `"${v}"`).join(', ')}`,
    );
  return value as T;
}

/** A branch name git accepts, in a form that needs no quoting (checked again by git when used). */
function branch(file: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const ok =
    typeof value === 'string' &&
    /^[A-Za-z0-9._/-]{1,200}$/.test(value) &&
    !/(^[-/.])|(\/\/)|(\.\.)|(\/$)|(\.lock$)|(\/\.)/.test(value);
  if (!ok)
    throw WorkspaceErrors.fileInvalid(
      file,
      'baseBranch',
      `is ${JSON.stringify(value)}.`,
      'a branch name (letters, digits, . _ - /, not starting with - or .)',
    );
  return value;
}

/** Copy and link entries: relative paths or globs (`*`, `?`, `**`) that stay inside the project. */
function patterns(file: string, field: string, value: unknown): string[] {
  if (value === undefined) return [];
  const accepted = `an array of at most ${WORKSPACE_FILE_LIMITS.patterns} relative paths or globs`;
  if (!Array.isArray(value)) throw WorkspaceErrors.fileInvalid(file, field, 'must be an array.', accepted);
  if (value.length > WORKSPACE_FILE_LIMITS.patterns)
    throw WorkspaceErrors.fileInvalid(file, field, `has ${value.length} entries.`, accepted);
  return value.map((entry, i) => {
    const name = `${field}[${i}]`;
    if (typeof entry !== 'string' || entry.trim() === '')
      throw WorkspaceErrors.fileInvalid(file, name, 'must be a non-empty string.', 'a relative path or glob');
    if (entry.length > WORKSPACE_FILE_LIMITS.patternLength)
      throw WorkspaceErrors.fileInvalid(
        file,
        name,
        `is ${entry.length} characters long.`,
        `at most ${WORKSPACE_FILE_LIMITS.patternLength} characters`,
      );
    const normalised = entry.replace(/\/+$/, '').replace(/^\.\//, '');
    const segments = normalised.split('/');
    if (
      entry.startsWith('/') ||
      /^[A-Za-z]:/.test(entry) ||
      entry.includes('\\') ||
      segments.some((s) => s === '..' || s === '.' || s === '') ||
      segments[0] === '.git'
    )
      throw WorkspaceErrors.fileInvalid(
        file,
        name,
        `is ${JSON.stringify(entry)}.`,
        'a path relative to the project directory, without "..", "." or ".git" segments',
      );
    return normalised;
  });
}

function command(file: string, field: string, value: unknown, defaultTimeout: number): CommandSpec | null {
  if (value === undefined || value === null) return null;
  const accepted = `a command string, an argument array, or {"command": …, "timeoutSeconds": ${WORKSPACE_FILE_LIMITS.timeoutSeconds.min} to ${WORKSPACE_FILE_LIMITS.timeoutSeconds.max}}`;
  if (typeof value === 'string' || Array.isArray(value))
    return { command: commandValue(file, field, value, accepted), timeoutSeconds: defaultTimeout };
  if (!isObject(value))
    throw WorkspaceErrors.fileInvalid(file, field, `is ${JSON.stringify(value)}.`, accepted);
  for (const key of Object.keys(value))
    if (key !== 'command' && key !== 'timeoutSeconds')
      throw WorkspaceErrors.fileInvalid(file, `${field}.${key}`, 'is not a known field.', accepted);
  const timeout = value.timeoutSeconds ?? defaultTimeout;
  const { min, max } = WORKSPACE_FILE_LIMITS.timeoutSeconds;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < min || timeout > max)
    throw WorkspaceErrors.fileInvalid(
      file,
      `${field}.timeoutSeconds`,
      `is ${JSON.stringify(timeout)}.`,
      `a whole number of seconds from ${min} to ${max}`,
    );
  return {
    command: commandValue(file, `${field}.command`, value.command, accepted),
    timeoutSeconds: timeout,
  };
}

function commandValue(file: string, field: string, value: unknown, accepted: string): string | string[] {
  const { commandLength, commandArgs } = WORKSPACE_FILE_LIMITS;
  if (typeof value === 'string') {
    if (value.trim() === '' || value.length > commandLength)
      throw WorkspaceErrors.fileInvalid(
        file,
        field,
        value.trim() === '' ? 'is empty.' : `is ${value.length} characters long.`,
        `a command of 1 to ${commandLength} characters`,
      );
    return value;
  }
  if (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= commandArgs &&
    value.every((a) => typeof a === 'string' && a.length <= commandLength) &&
    value[0] !== ''
  )
    return value as string[];
  throw WorkspaceErrors.fileInvalid(file, field, `is ${JSON.stringify(value)}.`, accepted);
}

function ports(file: string, value: unknown): { count: number } {
  if (value === undefined) return { ...DEFAULT_WORKSPACE_FILE.ports };
  const { min, max } = WORKSPACE_FILE_LIMITS.ports;
  const count = isObject(value) ? value.count : undefined;
  if (isObject(value))
    for (const key of Object.keys(value))
      if (key !== 'count') throw WorkspaceErrors.fileInvalid(file, `ports.${key}`, 'is not a known field.');
  if (typeof count !== 'number' || !Number.isInteger(count) || count < min || count > max)
    throw WorkspaceErrors.fileInvalid(
      file,
      'ports.count',
      `is ${JSON.stringify(count)}.`,
      `a whole number from ${min} to ${max}`,
    );
  return { count };
}
