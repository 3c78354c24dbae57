import { existsSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { ConfigError, loadSettings, type Settings } from '../src/config/config.js';
import { ERROR_CODES } from '../src/contract/error-codes.js';
import { isSessionToken } from '../src/contract/session-token.js';
import { MISSING_VALUE, parseArgs } from './args.js';
import { MaestroClient } from './client.js';
import { COMMANDS, VERSION } from './commands/index.js';
import { asCliError, cliError, usageError, type CliError } from './errors.js';
import { nearest } from '../src/contract/suggest.js';
import { groupHelp, helpFor, rootHelp } from './help.js';
import { failureJson, printable, setColor, successJson, useColor } from './output.js';
import { GLOBAL_FLAGS, usageLine, type Command, type CommandContext } from './registry.js';

export interface RunIo {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Finds the command whose path is the longest prefix of the positionals. */
export function findCommand(words: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of COMMANDS) {
    if (c.path.length <= words.length && c.path.every((p, i) => p === words[i])) {
      if (!best || c.path.length > best.path.length) best = c;
    }
  }
  return best ? { command: best, rest: words.slice(best.path.length) } : undefined;
}

const allFlags = (c?: Command) => ({ ...GLOBAL_FLAGS, ...(c?.flags ?? {}) });

/** Runs one CLI invocation and returns its exit code. Never throws. */
export async function run(io: RunIo): Promise<number> {
  // Flags that take values are known only once the command is found; a first pass over the words
  // that are not flags finds it.
  const probe = parseArgs(io.argv, (f) => allFlags()[f]?.type === 'string');
  // `maestro` alone on a terminal opens the TUI; anywhere else it prints the help.
  const bare = io.argv.length === 0 && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const found = findCommand(bare ? ['tui'] : probe.positionals);
  const spec = allFlags(found?.command);
  const parsed = parseArgs(io.argv, (f) => spec[f]?.type === 'string');
  const json = parsed.flags.has('json');
  let client: MaestroClient | undefined;
  const fail = (error: CliError) => {
    if (json) io.stdout(failureJson(error.body) + '\n');
    else
      io.stderr(
        printable(`error: ${error.body.message}${error.body.hint ? `\nhint: ${error.body.hint}` : ''}\n`),
      );
    return error.exitCode;
  };
  try {
    if (parsed.flags.has('version') && probe.positionals.length === 0) {
      io.stdout(json ? successJson({ version: VERSION }) + '\n' : `${VERSION}\n`);
      return 0;
    }
    if (!found) {
      if (probe.positionals.length === 0 || parsed.flags.has('help')) {
        io.stdout(
          json ? successJson({ commands: COMMANDS.map((c) => c.path.join(' ')) }) + '\n' : rootHelp(),
        );
        return 0;
      }
      // `maestro task` alone: the group's commands.
      const group = COMMANDS.filter((c) => probe.positionals.every((p, i) => c.path[i] === p));
      if (group.length > 0) {
        io.stdout(
          json
            ? successJson({ commands: group.map((c) => c.path.join(' ')) }) + '\n'
            : groupHelp(probe.positionals, group),
        );
        return 0;
      }
      throw unknownCommand(probe.positionals);
    }
    const { command } = found;
    const rest = parsed.positionals.slice(command.path.length);
    if (parsed.flags.has('help')) {
      io.stdout(
        json ? successJson({ usage: usageLine(command), summary: command.summary }) + '\n' : helpFor(command),
      );
      return 0;
    }
    if (command.mutatesLocally) refuseInSession(command, io.env);
    for (const [name, values] of parsed.flags) {
      const f = spec[name];
      if (!f) {
        throw usageError(
          `Unknown flag --${name} for 'maestro ${command.path.join(' ')}'.`,
          usageLine(command),
          { flag: name },
        );
      }
      if (values.includes(MISSING_VALUE) || (f.type === 'string' && values.some((v) => v === '')))
        throw usageError(`Flag --${name} needs a value.`, usageLine(command), { flag: name });
      if (!f.repeatable && values.length > 1)
        throw usageError(`Flag --${name} was given more than once.`, usageLine(command), { flag: name });
      if (f.choices) {
        for (const v of values.flatMap((x) => x.split(','))) {
          if (!f.choices.includes(v)) {
            throw cliError(
              'invalid_argument',
              `--${name} '${v}' is not one of ${f.choices.join(', ')}.`,
              `Accepted values for --${name}: ${f.choices.join(', ')}.`,
              {
                field: name,
                accepted: [...f.choices],
              },
            );
          }
        }
      }
    }
    for (const [name, f] of Object.entries(command.flags ?? {})) {
      if (f.required && !parsed.flags.has(name)) {
        throw usageError(`Missing --${name}: ${f.describe}`, usageLine(command), { flag: name });
      }
    }
    const args: Record<string, string | undefined> = {};
    const declared = command.args ?? [];
    declared.forEach((a, i) => {
      args[a.name] = a.variadic ? rest.slice(i).join(' ') || undefined : rest[i];
      if (a.required && !args[a.name]) {
        throw usageError(`Missing argument <${a.name}>.`, usageLine(command), { argument: a.name });
      }
    });
    if (!declared.some((a) => a.variadic) && rest.length > declared.length) {
      throw usageError(`Unexpected argument '${rest[declared.length]}'.`, usageLine(command));
    }

    let settings: Settings;
    try {
      const flagsFor: Partial<Record<keyof Settings, string>> = {};
      const server = parsed.flags.get('server')?.[0];
      const actor = parsed.flags.get('actor')?.[0];
      if (server) flagsFor.server = server;
      if (actor) flagsFor.actor = actor;
      settings = loadSettings({ env: io.env, flags: flagsFor });
    } catch (error) {
      if (error instanceof ConfigError)
        throw cliError('invalid_argument', error.message, undefined, { field: error.key });
      throw error;
    }
    setColor(!json && useColor(process.stdout, io.env));
    const sessionId = io.env.MAESTRO_SESSION_ID || undefined;
    const actor = settings.actor || sessionId || `${safeUser()}@${hostname()}`;
    let projectId: Promise<string> | undefined;
    const ctx: CommandContext = {
      args,
      rest,
      flag: (n) => parsed.flags.get(n)?.[0],
      flagList: (n) =>
        (parsed.flags.get(n) ?? [])
          .flatMap((v) => v.split(','))
          .map((v) => v.trim())
          .filter(Boolean),
      has: (n) => parsed.flags.has(n),
      json,
      settings,
      env: io.env,
      cwd: io.cwd,
      client: () =>
        (client ??= new MaestroClient({
          server: settings.server,
          token: settings.token || readToken(settings.home),
          actor,
          sessionId,
          attempts: settings.retries,
          retryBaseMs: settings.retryBaseMs,
        })),
      projectId: () =>
        (projectId ??= (async () => {
          const explicit = parsed.flags.get('project')?.[0] || io.env.MAESTRO_PROJECT_ID;
          if (explicit) return explicit;
          const project = await ctx.client().op('project.resolve', { workingDir: io.cwd });
          return project.id;
        })().catch((error: unknown) => {
          // Not kept: a long-running command (maestro mcp) asks again on its next call.
          projectId = undefined;
          throw error;
        })),
      taskId: (value) => {
        if (value) return value;
        const fromSession = (io.env.MAESTRO_TASK_IDS ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (fromSession.length === 1) return fromSession[0]!;
        throw usageError(
          fromSession.length > 1
            ? `This session has several tasks (${fromSession.join(', ')}); name one.`
            : 'Missing argument <id>: outside a session the task id is required.',
          usageLine(command),
          { argument: 'id' },
        );
      },
      op: (name, opArgs) => ctx.client().op(name, opArgs, argumentNamer(command)),
      int: (name) => {
        const value = parsed.flags.get(name)?.[0];
        if (value === undefined) return undefined;
        if (!/^-?\d{1,20}$/.test(value)) {
          throw usageError(`--${name} takes a whole number, not '${value}'.`, usageLine(command), {
            flag: name,
          });
        }
        return Number(value);
      },
      writeLine: (line) => io.stdout(line + '\n'),
    };
    const result = await command.run(ctx);
    if (!result.streamed) {
      const human = typeof result.human === 'function' ? (json ? undefined : result.human()) : result.human;
      if (json || human === undefined) io.stdout(successJson(result.data, result.envelope) + '\n');
      else if (human) io.stdout(printable(human.endsWith('\n') ? human : human + '\n'));
    }
    return result.exitCode ?? 0;
  } catch (error) {
    return fail(asCliError(error));
  } finally {
    client?.close();
  }
}

/**
 * How an operation's argument is named to the person who typed the command: by the flag that sets
 * it (`--lease`), by the positional (`<id>`), else as the flag its name would be.
 */
function argumentNamer(command: Command): (arg: string) => string {
  return (arg) => {
    for (const [flag, spec] of Object.entries(command.flags ?? {})) {
      if ((spec.arg ?? flag) === arg) return `--${flag}`;
    }
    const positional = (command.args ?? []).find((a) => a.name === arg || camel(a.name) === arg);
    if (positional) return `<${positional.name}>`;
    if (arg === 'id' || arg === 'taskId') return '<id>';
    return `--${arg.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  };
}

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

function unknownCommand(words: readonly string[]): CliError {
  const typed = words.join(' ');
  const paths = COMMANDS.map((c) => c.path.join(' '));
  // Compare with commands of as many words as were typed, so `task craete x` still finds `task create`.
  const candidates = [...new Set(COMMANDS.map((c) => c.path.slice(0, words.length).join(' ')))];
  const near = nearest(typed, candidates) ?? nearest(words.slice(0, 2).join(' '), paths);
  return cliError(
    'invalid_argument',
    `Unknown command '${typed}'.${near ? ` Did you mean 'maestro ${near}'?` : ''}`,
    "Run 'maestro --help' for the list of commands.",
    { command: typed, ...(near ? { suggestion: near } : {}) },
  );
}

/**
 * Inside an agent session the CLI does not change this machine's Maestro files (`config set`,
 * `config unset`, `skill install`): an agent must not rewrite the server's config.json, its skills
 * or its harness's hooks. A session is known by its variables or by a session token.
 */
function refuseInSession(command: Command, env: RunIo['env']): void {
  const marker = env.MAESTRO_SESSION_ID
    ? 'MAESTRO_SESSION_ID'
    : env.MAESTRO_ROLE
      ? 'MAESTRO_ROLE'
      : isSessionToken(env.MAESTRO_TOKEN)
        ? 'MAESTRO_TOKEN'
        : undefined;
  if (!marker) return;
  const name = command.path.join(' ');
  throw cliError(
    'permission_denied',
    `'maestro ${name}' changes files on this machine; it is refused inside an agent session (${marker} is set).`,
    'Ask the operator to run it outside the session.',
    { field: marker, command: name },
  );
}

function readToken(home: string): string {
  const path = `${home}/token`;
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

export { ERROR_CODES };
