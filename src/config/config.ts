import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Every setting Maestro reads, in one table: its environment variable, its key in
 * `$MAESTRO_HOME/config.json`, its default and how it is checked. Precedence: flag > env > file >
 * default. `docs/configuration.md` documents the same table.
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
}

type Parser<T> = (raw: string, key: string) => T;

interface SettingSpec<K extends keyof Settings> {
  env: string;
  describe: string;
  parse: Parser<Settings[K]>;
  /** The default, given the settings resolved so far (home first). */
  fallback: (s: Partial<Settings>) => Settings[K];
  /** Never written to or shown from the config file (secrets). */
  secret?: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

const text: Parser<string> = (raw) => raw;
const address: Parser<string> = (raw, key) => {
  const m = /^(\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})$/.exec(raw);
  if (!m || Number(m[2]) > 65535)
    throw new ConfigError(key, `${key} must be HOST:PORT (port 0 to 65535), not '${raw}'.`);
  return raw;
};
const integer =
  (min: number, max: number): Parser<number> =>
  (raw, key) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(key, `${key} must be a whole number from ${min} to ${max}, not '${raw}'.`);
    }
    return n;
  };
const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const logLevel: Parser<Settings['logLevel']> = (raw, key) => {
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(key, `${key} must be one of ${LOG_LEVELS.join(', ')}, not '${raw}'.`);
  }
  return raw as Settings['logLevel'];
};
const dbUrl: Parser<string> = (raw, key) => {
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(raw)) {
    throw new ConfigError(key, `${key} must be sqlite:PATH or postgres://..., not '${raw}'.`);
  }
  return raw;
};

export const SETTINGS: { [K in keyof Settings]: SettingSpec<K> } = {
  home: {
    env: 'MAESTRO_HOME',
    describe: 'Folder for the database, token and config.',
    parse: text,
    fallback: () => join(homedir(), '.maestro'),
  },
  dbUrl: {
    env: 'MAESTRO_DB_URL',
    describe: 'Database: sqlite:PATH (WAL) or postgres://...',
    parse: dbUrl,
    fallback: (s) => `sqlite:${join(s.home!, 'maestro.db')}`,
  },
  httpAddr: {
    env: 'MAESTRO_HTTP_ADDR',
    describe: 'HTTP, WebSocket and web UI address.',
    parse: address,
    fallback: () => '127.0.0.1:4570',
  },
  grpcAddr: {
    env: 'MAESTRO_GRPC_ADDR',
    describe: 'gRPC address.',
    parse: address,
    fallback: () => '127.0.0.1:4571',
  },
  token: {
    env: 'MAESTRO_TOKEN',
    describe: 'Bearer token; by default read from $MAESTRO_HOME/token (made at first start).',
    parse: text,
    fallback: () => '',
    secret: true,
  },
  agentCommand: {
    env: 'MAESTRO_AGENT_COMMAND',
    describe: 'Command that starts a worker agent.',
    parse: text,
    fallback: () => 'claude',
  },
  leaseSeconds: {
    env: 'MAESTRO_LEASE_SECONDS',
    describe: 'How long a claim made outside a session lasts.',
    parse: integer(1, 86_400),
    fallback: () => 1800,
  },
  sessionStaleSeconds: {
    env: 'MAESTRO_SESSION_STALE_SECONDS',
    describe: 'Silence after which a running session is stale.',
    parse: integer(1, 86_400),
    fallback: () => 60,
  },
  sessionLostSeconds: {
    env: 'MAESTRO_SESSION_LOST_SECONDS',
    describe: 'Silence after which a stale session is lost and its claims lapse.',
    parse: integer(1, 86_400),
    fallback: () => 180,
  },
  logLevel: {
    env: 'MAESTRO_LOG_LEVEL',
    describe: 'Server log level.',
    parse: logLevel,
    fallback: () => 'info',
  },
  logFile: {
    env: 'MAESTRO_LOG_FILE',
    describe: 'Server log file (JSON lines, appended); empty: stderr.',
    parse: text,
    fallback: () => '',
  },
  server: {
    env: 'MAESTRO_SERVER',
    describe: "gRPC address the CLI talks to (defaults to the server's gRPC address).",
    parse: address,
    fallback: (s) => s.grpcAddr ?? '127.0.0.1:4571',
  },
  actor: {
    env: 'MAESTRO_ACTOR',
    describe: 'Who the CLI acts as outside a session.',
    parse: text,
    fallback: () => '',
  },
  retries: {
    env: 'MAESTRO_RETRIES',
    describe: 'CLI attempts for an unavailable server.',
    parse: integer(1, 20),
    fallback: () => 5,
  },
  maxSessions: {
    env: 'MAESTRO_MAX_SESSIONS',
    describe: 'Agent sessions that may run at once; more spawns wait in order.',
    parse: integer(1, 1000),
    fallback: () => 4,
  },
  runner: {
    env: 'MAESTRO_RUNNER',
    describe: "The server's own runner: auto (tmux if installed, else pipe), tmux, pipe, or off.",
    parse: (raw, key) => {
      if (!['auto', 'tmux', 'pipe', 'off'].includes(raw))
        throw new ConfigError(key, `${key} must be auto, tmux, pipe or off, not '${raw}'.`);
      return raw as Settings['runner'];
    },
    fallback: () => 'auto',
  },
  spawnTimeoutSeconds: {
    env: 'MAESTRO_SPAWN_TIMEOUT_SECONDS',
    describe: 'A spawn fails (spawn_failed) when no runner is connected for this long.',
    parse: integer(1, 86_400),
    fallback: () => 30,
  },
  skillsDir: {
    env: 'MAESTRO_SKILLS_DIR',
    describe: 'Installed skills folder (<skill>/SKILL.md).',
    parse: text,
    fallback: () => join(homedir(), '.agents-ui', 'maestro-skills'),
  },
  tmuxSocket: {
    env: 'MAESTRO_TMUX_SOCKET',
    describe: 'Name of the tmux server (tmux -L) that holds agent terminals.',
    parse: text,
    fallback: () => 'maestro',
  },
  retryBaseMs: {
    env: 'MAESTRO_RETRY_BASE_MS',
    describe: 'First CLI retry delay (doubles, with jitter).',
    parse: integer(1, 60_000),
    fallback: () => 100,
  },
};

export const SETTING_KEYS = Object.keys(SETTINGS) as (keyof Settings)[];

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

/** Resolves every setting once, validating each; the first bad value throws a ConfigError naming it. */
export function loadSettings(sources: ConfigSources): Settings {
  const resolved: Partial<Settings> = {};
  const pick = <K extends keyof Settings>(key: K, file: Record<string, unknown>) => {
    const spec = SETTINGS[key];
    const flag = sources.flags?.[key];
    const env = sources.env[spec.env];
    const fromFile = spec.secret ? undefined : file[key];
    if (flag !== undefined) return spec.parse(flag, `--${key}`);
    if (env !== undefined && env !== '') return spec.parse(env, spec.env);
    if (fromFile !== undefined && fromFile !== null)
      return spec.parse(String(fromFile), `config.json ${key}`);
    return spec.fallback(resolved);
  };
  resolved.home = pick('home', {});
  const file = sources.file ?? readConfigFile(resolved.home);
  for (const key of Object.keys(file)) {
    if (!(key in SETTINGS))
      throw new ConfigError(
        key,
        `config.json has an unknown key '${key}'; known keys: ${SETTING_KEYS.join(', ')}.`,
      );
  }
  for (const key of SETTING_KEYS) {
    if (key !== 'home') (resolved as Record<string, unknown>)[key] = pick(key, file);
  }
  return resolved as Settings;
}

export function splitAddress(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  return { host: addr.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(addr.slice(i + 1)) };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
