import { existsSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { ConfigError, loadSettings, type Settings } from '../src/config/config.js';
import { ERROR_CODES } from '../src/contract/error-codes.js';
import { MISSING_VALUE, parseArgs } from './args.js';
import { MaestroClient } from './client.js';
import { COMMANDS, VERSION } from './commands/index.js';
import { CliError, cliError, usageError } from './errors.js';
import { helpFor, rootHelp } from './help.js';
import { failureJson, setColor, successJson, useColor } from './output.js';
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
    else io.stderr(`error: ${error.body.message}${error.body.hint ? `\nhint: ${error.body.hint}` : ''}\n`);
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
      throw cliError(
        'invalid_argument',
        `Unknown command '${probe.positionals.join(' ')}'.`,
        "Run 'maestro --help' for the list of commands.",
        {
          command: probe.positionals.join(' '),
        },
      );
    }
    const { command } = found;
    const rest = parsed.positionals.slice(command.path.length);
    if (parsed.flags.has('help')) {
      io.stdout(
        json ? successJson({ usage: usageLine(command), summary: command.summary }) + '\n' : helpFor(command),
      );
      return 0;
    }
    for (const [name, values] of parsed.flags) {
      const f = spec[name];
      if (!f) {
        throw usageError(
          `Unknown flag --${name} for 'maestro ${command.path.join(' ')}'.`,
          usageLine(command),
          { flag: name },
        );
      }
      if (values.includes(MISSING_VALUE))
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
          const project = await ctx
            .client()
            .call<{ id: string }>('Projects', 'Resolve', { workingDir: io.cwd }, true);
          return project.id;
        })()),
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
      writeLine: (line) => io.stdout(line + '\n'),
    };
    const result = await command.run(ctx);
    if (!result.streamed) {
      if (json || result.human === undefined) io.stdout(successJson(result.data) + '\n');
      else if (result.human) io.stdout(result.human.endsWith('\n') ? result.human : result.human + '\n');
    }
    return result.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CliError) return fail(error);
    if (error instanceof ConfigError)
      return fail(cliError('invalid_argument', error.message, undefined, { field: error.key }));
    return fail(cliError('internal', error instanceof Error ? error.message : String(error)));
  } finally {
    client?.close();
  }
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
