import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { agentCatalog } from '../agents/profiles.js';
import { nearest } from '../contract/suggest.js';

/**
 * Every setting Maestro reads, in one table: its environment variable, its key in
 * `$MAESTRO_HOME/config.json`, its default and how it is checked. Precedence: flag > env > file >
 * default. The table in `docs/configuration.md` is generated from `SETTINGS`
 * (`scripts/config-docs.ts`), and a test fails when the two differ.
 */
export interface Settings {
  home: string;
  dbUrl: string;
  httpAddr: string;
  grpcAddr: string;
  token: string;
  agentCommand: string;
  leaseSeconds: number;
  sessionStaleSeconds: number;
  sessionLostSeconds: number;
  stuckSeconds: number;
  shutdownTimeoutSeconds: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  logFile: string;
  server: string;
  actor: string;
  retries: number;
  retryBaseMs: number;
  maxSessions: number;
  runner: 'auto' | 'tmux' | 'pipe' | 'off';
  spawnTimeoutSeconds: number;
  skillsDir: string;
  tmuxSocket: string;
  allowedHosts: string;
  trustProxy: boolean;
  agents: Record<string, unknown>;
  defaultAgent: string;
  workspaceDiskCapMb: number;
  webhooks: string;
  sqliteReaders: number;
}

/**
 * How a setting's text is read. `accepts` is what the error message and docs/configuration.md say
 * the setting takes, so the two can never disagree with the check.
 */
export interface ValueType<T> {
  accepts: string;
  /** In config.json it is a JSON object, not text (the env var holds that JSON as text). */
  object?: boolean;
  /** The value, or undefined when `raw` is not acceptable. */
  read(raw: string): T | undefined;
}

interface SettingSpec<K extends keyof Settings> {
  env: string;
  describe: string;
  /** Who reads it: a server setting takes effect when the server (re)starts, a CLI one at the next command. */
  readBy: 'server' | 'cli' | 'both';
  type: ValueType<Settings[K]>;
  /** The default, given the settings resolved so far (home first). */
  fallback: (s: Partial<Settings>) => Settings[K];
  /** The default as the docs show it (Markdown), when `fallback` depends on the machine or other settings. */
  shownDefault?: string;
  /** Command-line flags that set it; the first one names it in errors. */
  flags?: readonly string[];
  /** Never written to or read from the config file (secrets). */
  secret?: boolean;
  /** Read from the environment only (the config file lives in it). */
  envOnly?: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** Where the bad value came from: the flag, the env var or `config.json KEY`. */
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

const text: ValueType<string> = { accepts: 'any text', read: (raw) => raw };
const nonEmpty = (accepts: string): ValueType<string> => ({
  accepts,
  read: (raw) => (raw.trim() === '' ? undefined : raw),
});
const address: ValueType<string> = {
  accepts: 'HOST:PORT, port 0 to 65535 (IPv6 as [::1]:4570)',
  read: (raw) => {
    const m = /^(\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})$/.exec(raw);
    return m && Number(m[2]) <= 65535 ? raw : undefined;
  },
};
const boolean: ValueType<boolean> = {
  accepts: 'true or false',
  read: (raw) => (raw === 'true' ? true : raw === 'false' ? false : undefined),
};
const hostNames: ValueType<string> = {
  accepts: 'host names separated by commas (*.example.com for subdomains), or empty',
  read: (raw) =>
    raw.split(',').every((h) => h.trim() === '' || /^(\*\.)?[a-zA-Z0-9.-]{1,253}$/.test(h.trim()))
      ? raw
      : undefined,
};
const webhookUrls: ValueType<string> = {
  accepts: 'http(s) URLs separated by commas, or empty',
  read: (raw) =>
    raw.split(',').every((u) => u.trim() === '' || /^https?:\/\/[^\s,]{1,2000}$/.test(u.trim()))
      ? raw
      : undefined,
};
const agentProfiles: ValueType<Record<string, unknown>> = {
  accepts:
    'a JSON object of agent profiles, {"name": {"adapter": "claude|codex|command", ...}} (docs/agents.md)',
  object: true,
  read: (raw) => {
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      // Each profile's fields are checked where profiles are built (src/agents/profiles.ts).
      agentCatalog({ agents: value as Record<string, unknown>, defaultAgent: '', agentCommand: 'claude' });
      return value as Record<string, unknown>;
    } catch {
      return undefined;
    }
  },
};
const profileName: ValueType<string> = {
  accepts: 'a profile name (lowercase letters, digits, . _ -), or empty for the first of command, claude',
  read: (raw) => (raw === '' || /^[a-z0-9][a-z0-9._-]{0,63}$/.test(raw) ? raw : undefined),
};
const integer = (min: number, max: number): ValueType<number> => ({
  accepts: `a whole number from ${min} to ${max}`,
  read: (raw) => {
    const n = Number(raw);
    return /^\d+$/.test(raw) && n >= min && n <= max ? n : undefined;
  },
});
const oneOf = <T extends string>(values: readonly T[]): ValueType<T> => ({
  accepts: `one of ${values.join(', ')}`,
  read: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : undefined),
});
/**
 * `sqlite:PATH`, a bare file path (read as `sqlite:PATH`), or a PostgreSQL URL. Any other scheme
 * (`mysql://`, `file:`) is refused rather than taken for a file name.
 */
const databaseUrl: ValueType<string> = {
  accepts: 'sqlite:PATH, a file path, or postgres://USER:PASSWORD@HOST:PORT/DB (also postgresql://)',
  read: (raw) => {
    if (/^postgres(ql)?:\/\/[^/\s]+/.test(raw)) return raw;
    if (raw.startsWith('sqlite:')) return raw.length > 'sqlite:'.length ? raw : undefined;
    if (raw.trim() === '' || /^[a-zA-Z][\w+.-]*:/.test(raw)) return undefined;
    return `sqlite:${raw}`;
  },
};

export const SETTINGS: { [K in keyof Settings]: SettingSpec<K> } = {
  home: {
    readBy: 'both',
    env: 'MAESTRO_HOME',
    describe: 'Folder for the database, token and config.json.',
    type: nonEmpty('a folder path'),
    fallback: () => join(homedir(), '.maestro'),
    shownDefault: '`~/.maestro`',
    envOnly: true,
  },
  dbUrl: {
    readBy: 'server',
    env: 'MAESTRO_DB_URL',
    describe: 'The database: SQLite (WAL) or PostgreSQL. A bare path means sqlite:PATH.',
    type: databaseUrl,
    fallback: (s) => `sqlite:${join(s.home!, 'maestro.db')}`,
    shownDefault: '`sqlite:$MAESTRO_HOME/maestro.db`',
    flags: ['--db'],
  },
  httpAddr: {
    readBy: 'server',
    env: 'MAESTRO_HTTP_ADDR',
    describe: 'HTTP, WebSocket and web UI address of the server.',
    type: address,
    fallback: () => '127.0.0.1:4570',
    flags: ['--host', '--http-port'],
  },
  grpcAddr: {
    readBy: 'server',
    env: 'MAESTRO_GRPC_ADDR',
    describe: 'gRPC address of the server.',
    type: address,
    fallback: () => '127.0.0.1:4571',
    flags: ['--host', '--grpc-port'],
  },
  token: {
    readBy: 'both',
    env: 'MAESTRO_TOKEN',
    describe: 'Bearer token; by default read from $MAESTRO_HOME/token (made at first start).',
    type: text,
    fallback: () => '',
    shownDefault: 'empty: use the token file',
    secret: true,
  },
  agentCommand: {
    readBy: 'server',
    env: 'MAESTRO_AGENT_COMMAND',
    describe:
      'Server: a command line for agents (the `command` adapter; `{promptFile}` is replaced, else the prompt is on stdin). Anything but `claude` makes a profile `command` the default.',
    type: nonEmpty('a command line'),
    fallback: () => 'claude',
  },
  agents: {
    readBy: 'server',
    env: 'MAESTRO_AGENTS',
    describe:
      'Server: agent profiles by name (adapter, command, args, permissions, env, model, mode); see docs/agents.md.',
    type: agentProfiles,
    fallback: () => ({}),
    shownDefault: 'none: the built-in `claude` and `codex`',
  },
  defaultAgent: {
    readBy: 'server',
    env: 'MAESTRO_DEFAULT_AGENT',
    describe: 'Server: the profile a spawn without --agent uses.',
    type: profileName,
    fallback: () => '',
    shownDefault: '`command` when agentCommand is set, else `claude`',
  },
  leaseSeconds: {
    readBy: 'server',
    env: 'MAESTRO_LEASE_SECONDS',
    describe: 'Server: how long a claim made outside a session lasts.',
    type: integer(1, 86_400),
    fallback: () => 1800,
  },
  sessionStaleSeconds: {
    readBy: 'server',
    env: 'MAESTRO_SESSION_STALE_SECONDS',
    describe: 'Server: silence after which a running session is stale.',
    type: integer(1, 86_400),
    fallback: () => 60,
  },
  sessionLostSeconds: {
    readBy: 'server',
    env: 'MAESTRO_SESSION_LOST_SECONDS',
    describe:
      'Server: silence, counted from the last heartbeat, after which a stale session is lost and its claims lapse.',
    type: integer(1, 86_400),
    fallback: () => 180,
  },
  stuckSeconds: {
    readBy: 'server',
    env: 'MAESTRO_STUCK_SECONDS',
    describe:
      'Server: a live session with no transcript activity, no output and no CLI call for this long is flagged stuck and nudged once; as long again, it is stopped (and retried by the autopilot). 0 turns this off.',
    type: integer(0, 86_400),
    fallback: () => 900,
  },
  shutdownTimeoutSeconds: {
    readBy: 'server',
    env: 'MAESTRO_SHUTDOWN_TIMEOUT_SECONDS',
    describe:
      'Server: how long a SIGTERM/SIGINT drain may take before the server cuts off what is left and exits 1.',
    type: integer(1, 3600),
    fallback: () => 10,
  },
  logLevel: {
    readBy: 'server',
    env: 'MAESTRO_LOG_LEVEL',
    describe: 'Server log level (JSON lines on stderr).',
    type: oneOf(['debug', 'info', 'warn', 'error', 'silent'] as const),
    fallback: () => 'info',
  },
  logFile: {
    readBy: 'server',
    env: 'MAESTRO_LOG_FILE',
    describe: 'Server log file (JSON lines, appended, its folder created); empty: stderr.',
    type: { accepts: 'a file path, or empty for stderr', read: (raw) => raw },
    fallback: () => '',
    shownDefault: 'empty: stderr',
  },
  server: {
    readBy: 'cli',
    env: 'MAESTRO_SERVER',
    describe: 'CLI: the gRPC address it talks to.',
    type: address,
    fallback: (s) => s.grpcAddr ?? '127.0.0.1:4571',
    shownDefault: 'the resolved `grpcAddr`',
    flags: ['--server'],
  },
  actor: {
    readBy: 'cli',
    env: 'MAESTRO_ACTOR',
    describe: 'CLI: who it acts as (at most 200 characters on the wire).',
    type: text,
    fallback: () => '',
    shownDefault: 'empty: the session id inside a session, else `user@host`',
    flags: ['--actor'],
  },
  retries: {
    readBy: 'cli',
    env: 'MAESTRO_RETRIES',
    describe: 'CLI: attempts for an unreachable server, the first included.',
    type: integer(1, 20),
    fallback: () => 5,
  },
  workspaceDiskCapMb: {
    readBy: 'server',
    env: 'MAESTRO_WORKSPACE_DISK_CAP_MB',
    describe:
      'Server: a cap on the disk all task worktrees take together, in MiB (0: none); `status` warns past 80%, `workspace prune` keeps under it.',
    type: integer(0, 100_000_000),
    fallback: () => 0,
  },
  sqliteReaders: {
    readBy: 'server',
    env: 'MAESTRO_SQLITE_READERS',
    describe:
      'Server, SQLite: reader threads that run list pages, status counts and event pages beside the writer (0: on the server thread, in the command queue).',
    type: integer(0, 8),
    fallback: () => 2,
  },
  maxSessions: {
    readBy: 'server',
    env: 'MAESTRO_MAX_SESSIONS',
    describe: 'Server: agent sessions that may run at once; more spawns wait in order.',
    type: integer(1, 1000),
    fallback: () => 4,
  },
  runner: {
    readBy: 'server',
    env: 'MAESTRO_RUNNER',
    describe: 'Server: its own runner: auto (tmux if installed, else pipe), tmux, pipe, or off.',
    type: oneOf(['auto', 'tmux', 'pipe', 'off'] as const),
    fallback: () => 'auto',
  },
  spawnTimeoutSeconds: {
    readBy: 'server',
    env: 'MAESTRO_SPAWN_TIMEOUT_SECONDS',
    describe: 'Server: a spawn fails (spawn_failed) when no runner is connected for this long.',
    type: integer(1, 86_400),
    fallback: () => 30,
  },
  skillsDir: {
    readBy: 'both',
    env: 'MAESTRO_SKILLS_DIR',
    describe: 'Installed skills folder: one folder per skill, each with its SKILL.md.',
    type: nonEmpty('a folder path'),
    fallback: () => join(homedir(), '.agents-ui', 'maestro-skills'),
    shownDefault: '`~/.agents-ui/maestro-skills`',
  },
  tmuxSocket: {
    readBy: 'both',
    env: 'MAESTRO_TMUX_SOCKET',
    describe:
      'Name of the tmux server (tmux -L) that holds agent terminals; by default one per Maestro home, so two homes never share one.',
    type: {
      accepts: '1 to 64 letters, digits, dots, dashes or underscores',
      read: (raw) => (/^[\w.-]{1,64}$/.test(raw) ? raw : undefined),
    },
    fallback: (s) => `maestro-${homeTag(s.home!)}`,
    shownDefault: '`maestro-<tag of $MAESTRO_HOME>`',
  },
  webhooks: {
    readBy: 'server',
    env: 'MAESTRO_WEBHOOKS',
    describe:
      'Server: URLs that get a Slack-compatible JSON POST ({"text": ...}) when a worker asks a question, a task is blocked, a session fails, a budget is hit, or a project’s tasks are all done (docs/autopilot.md).',
    type: webhookUrls,
    fallback: () => '',
    shownDefault: 'empty: none',
  },
  allowedHosts: {
    readBy: 'server',
    env: 'MAESTRO_ALLOWED_HOSTS',
    describe:
      'Server: host names its HTTP side answers to besides IP addresses and localhost (a proxy’s public name); requests for other names are refused (DNS rebinding).',
    type: hostNames,
    fallback: () => '',
    shownDefault: 'empty: IP addresses and localhost only',
  },
  trustProxy: {
    readBy: 'server',
    env: 'MAESTRO_TRUST_PROXY',
    describe:
      'Server: believe X-Forwarded-Host from a reverse proxy in front (only set it when one is, and it sets the header).',
    type: boolean,
    fallback: () => false,
  },
  retryBaseMs: {
    readBy: 'cli',
    env: 'MAESTRO_RETRY_BASE_MS',
    describe: 'CLI: first retry delay; it doubles each attempt (capped at 5 s), with jitter x0.5 to x1.5.',
    type: integer(1, 60_000),
    fallback: () => 100,
  },
};

/**
 * A short, stable name for a Maestro home (10 hex digits of its absolute path's SHA-256): it keeps
 * the tmux servers and windows of two homes on one machine apart.
 */
export function homeTag(home: string): string {
  return createHash('sha256').update(resolve(home)).digest('hex').slice(0, 10);
}

export const SETTING_KEYS = Object.keys(SETTINGS) as (keyof Settings)[];

/** The keys `$MAESTRO_HOME/config.json` may hold. */
export const FILE_KEYS = SETTING_KEYS.filter((k) => !SETTINGS[k].secret && !SETTINGS[k].envOnly);

/** Reads one value of a setting; `where` (flag, env var or `config.json KEY`) names it in the error. */
export function parseSetting<K extends keyof Settings>(
  key: K,
  raw: string,
  where: string = key,
): Settings[K] {
  const { type } = SETTINGS[key];
  const value = type.read(raw);
  if (value === undefined) throw new ConfigError(where, `${where} must be ${type.accepts}, not '${raw}'.`);
  return value;
}

export interface ConfigSources {
  env: Readonly<Record<string, string | undefined>>;
  flags?: Partial<Record<keyof Settings, string>>;
  /** The parsed config file; read from `$MAESTRO_HOME/config.json` when omitted. */
  file?: Record<string, unknown>;
}

export function configFilePath(home: string): string {
  return join(home, 'config.json');
}

export function readConfigFile(home: string): Record<string, unknown> {
  const path = configFilePath(home);
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('config.json', `${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('config.json', `${path} must hold a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Refuses a config file with a key Maestro does not read: a typo would otherwise be ignored and
 * the default used without a word.
 */
function checkFileKeys(file: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(file)) {
    const spec = (SETTINGS as Record<string, SettingSpec<keyof Settings>>)[key];
    if (spec && (spec.secret || spec.envOnly)) {
      throw new ConfigError(
        `config.json ${key}`,
        `config.json cannot set ${key}: it is read from the environment only (${spec.env}).`,
      );
    }
    if (!spec) {
      const near = nearest(key, FILE_KEYS);
      throw new ConfigError(
        `config.json ${key}`,
        `config.json has an unknown key '${key}'${near ? ` (did you mean '${near}'?)` : ''}; known keys: ${FILE_KEYS.join(', ')}.`,
      );
    }
    if (value !== null && typeof value === 'object' && !spec.type.object) {
      throw new ConfigError(
        `config.json ${key}`,
        `config.json ${key} must be ${spec.type.accepts}, not ${JSON.stringify(value)}.`,
      );
    }
  }
}

/**
 * Resolves every setting once. Every value given is checked, also one that a higher source
 * overrides (a bad line in config.json is a fault even while an env var hides it); the first bad
 * one throws a ConfigError naming it.
 */
export function loadSettings(sources: ConfigSources): Settings {
  const resolved: Partial<Settings> = {};
  const pick = <K extends keyof Settings>(key: K, file: Record<string, unknown>) => {
    const spec = SETTINGS[key];
    const flag = sources.flags?.[key];
    const env = sources.env[spec.env];
    const raw = spec.secret || spec.envOnly ? undefined : file[key];
    const fromFlag = flag === undefined ? undefined : parseSetting(key, flag, spec.flags?.[0] ?? `--${key}`);
    const fromEnv = env === undefined || env === '' ? undefined : parseSetting(key, env, spec.env);
    const fromFile =
      raw === undefined || raw === null
        ? undefined
        : parseSetting(
            key,
            typeof raw === 'object' ? JSON.stringify(raw) : String(raw),
            `config.json ${key}`,
          );
    return fromFlag ?? fromEnv ?? fromFile ?? spec.fallback(resolved);
  };
  resolved.home = pick('home', {});
  const file = sources.file ?? readConfigFile(resolved.home);
  checkFileKeys(file);
  for (const key of SETTING_KEYS) {
    if (key !== 'home') (resolved as Record<string, unknown>)[key] = pick(key, file);
  }
  return resolved as Settings;
}

/** A database URL fit to print or log: a PostgreSQL password becomes `***`. */
export function redactDbUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

/** The SQLite file a database URL names, or undefined for PostgreSQL. */
export function sqliteFile(dbUrl: string): string | undefined {
  if (/^postgres(ql)?:/.test(dbUrl)) return undefined;
  return dbUrl.startsWith('sqlite:') ? dbUrl.slice('sqlite:'.length) : dbUrl;
}

export function splitAddress(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  return { host: addr.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(addr.slice(i + 1)) };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
