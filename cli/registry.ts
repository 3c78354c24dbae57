import type { Settings } from '../src/config/config.js';
import type { InputOf, OperationName, ResultOf } from '../src/contract/operations.js';
import type { MaestroClient } from './client.js';

export interface FlagSpec {
  /** `string` flags take a value; `boolean` ones are switches. */
  type: 'string' | 'boolean';
  describe: string;
  choices?: readonly string[];
  repeatable?: boolean;
  /** Shown in the usage line, e.g. TEXT, ID, N. */
  value?: string;
  /** The command cannot run without it (shown without brackets in the usage line). */
  required?: boolean;
  /** The operation argument it sets, when its name differs (`--lease` sets `leaseSeconds`). */
  arg?: string;
}

export interface ArgSpec {
  name: string;
  required?: boolean;
  variadic?: boolean;
}

export interface CommandContext {
  /** Positionals by the names the command declared. */
  args: Record<string, string | undefined>;
  rest: string[];
  flag(name: string): string | undefined;
  flagList(name: string): string[];
  has(name: string): boolean;
  json: boolean;
  settings: Settings;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  client(): MaestroClient;
  /**
   * Runs an operation of the registry; its arguments are checked against the registry's schema
   * first, and a refused argument is named by its flag (`--lease`) or argument (`<id>`).
   */
  op<N extends OperationName>(name: N, args: InputOf<N>): Promise<ResultOf<N>>;
  /** A whole-number flag: undefined when absent; a usage error when it is not a number. */
  int(name: string): number | undefined;
  /** The project a command acts on: --project, MAESTRO_PROJECT_ID, the cwd's project, or default. */
  projectId(): Promise<string>;
  /** A task id from the argument, or the session's task (MAESTRO_TASK_IDS) when it is optional. */
  taskId(value: string | undefined): string;
  /** Writes one line to stdout now (streaming commands). */
  writeLine(line: string): void;
}

export interface CommandResult {
  data: unknown;
  /**
   * Human-readable output; the JSON envelope is used when absent. A function is only called
   * without --json, so an agent never pays for a table it does not read.
   */
  human?: string | (() => string);
  /** Fields of the `--json` envelope beside `ok` and `data` (a listing's `nextCursor`). */
  envelope?: Record<string, unknown>;
  /** Already written (streaming commands): nothing more to print. */
  streamed?: boolean;
  /** Exit with this code rather than 0 (a long-running command that ended badly, after its output). */
  exitCode?: number;
}

export interface Command {
  path: readonly string[];
  summary: string;
  args?: readonly ArgSpec[];
  flags?: Readonly<Record<string, FlagSpec>>;
  examples?: readonly string[];
  /** Environment variables that change what this command does. */
  env?: readonly string[];
  /**
   * The registry operation the command runs (its docs say whether it mutates, and so carries an
   * idempotency key and is retried safely). Local commands (config, skill) have none.
   */
  operation?: OperationName;
  /** A local command that changes files (config set): shown as such in the docs. */
  mutatesLocally?: boolean;
  run(ctx: CommandContext): Promise<CommandResult>;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  json: {
    type: 'boolean',
    describe: 'Print one JSON document: {"ok":true,"data":...} or {"ok":false,"error":...}.',
  },
  help: { type: 'boolean', describe: 'Show help for the command.' },
  server: { type: 'string', value: 'HOST:PORT', describe: 'gRPC address of the server (MAESTRO_SERVER).' },
  actor: { type: 'string', value: 'NAME', describe: 'Who is acting, outside a session (MAESTRO_ACTOR).' },
  project: { type: 'string', value: 'ID', describe: 'Project to act on (MAESTRO_PROJECT_ID).' },
};

export function usageLine(command: Command): string {
  const args = (command.args ?? []).map((a) => {
    const name = `<${a.name}>${a.variadic ? '...' : ''}`;
    return a.required ? name : `[${name}]`;
  });
  const flags = Object.entries(command.flags ?? {}).map(([name, f]) => {
    const value = f.type === 'string' ? ` ${f.choices ? f.choices.join('|') : (f.value ?? 'VALUE')}` : '';
    return f.required ? `--${name}${value}` : `[--${name}${value}]`;
  });
  return ['maestro', ...command.path, ...args, ...flags, '[--json]'].join(' ');
}
