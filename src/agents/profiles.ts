/**
 * Agent profiles: which harness a session runs, how it is started and with which permissions.
 * Profiles come from the server's configuration (`agents` in config.json, `defaultAgent`), never
 * from a request: `session spawn --agent NAME` only names one. See docs/agents.md.
 */
export const ADAPTER_NAMES = ['claude', 'codex', 'command'] as const;
export type AdapterName = (typeof ADAPTER_NAMES)[number];

export const AGENT_MODES = ['headless', 'interactive'] as const;
export type AgentMode = (typeof AGENT_MODES)[number];

/**
 * What a worker may do without asking: `default` runs `maestro` and edits files in its working
 * directory; `full` lifts the harness's limits (its own sandbox switch, also as root); a list names
 * the harness's allowed tools exactly.
 */
export type PermissionPolicy = 'default' | 'full' | readonly string[];

export interface AgentProfile {
  name: string;
  adapter: AdapterName;
  /** The program (or, for the `command` adapter, the whole command line). */
  command: string;
  /** Extra arguments, placed before the ones Maestro adds (the prompt never follows a flag). */
  args: readonly string[];
  permissions: PermissionPolicy;
  /** Set in the agent's environment (API keys, provider settings), over what it inherits. */
  env: Readonly<Record<string, string>>;
  model: string;
  mode: AgentMode;
}

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(
    /** `agents.<name>.<field>`, for the error. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The profiles every server has, before configuration adds or replaces any. */
export const BUILT_IN_PROFILES: Readonly<Record<string, AgentProfile>> = {
  claude: {
    name: 'claude',
    adapter: 'claude',
    command: 'claude',
    args: [],
    permissions: 'default',
    env: {},
    model: '',
    mode: 'headless',
  },
  codex: {
    name: 'codex',
    adapter: 'codex',
    command: 'codex',
    args: [],
    permissions: 'default',
    env: {},
    model: '',
    mode: 'headless',
  },
};

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const FIELDS = ['adapter', 'command', 'args', 'permissions', 'env', 'model', 'mode'];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function text(field: string, value: unknown, max: number, optional: boolean): string {
  if (value === undefined && optional) return '';
  if (typeof value !== 'string' || (!optional && value.trim() === '') || value.length > max) {
    throw new ProfileError(field, `${field} must be text of ${optional ? 0 : 1} to ${max} characters.`);
  }
  if (value.includes('\0') || value.includes('\n'))
    throw new ProfileError(field, `${field} must be one line.`);
  return value;
}

function textList(field: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 100)
    throw new ProfileError(field, `${field} must be a list of at most 100 texts.`);
  return value.map((v, i) => text(`${field}[${i}]`, v, 4096, false));
}

/** Checks one profile from the configuration; `name` is its key under `agents`. */
export function parseProfile(name: string, raw: unknown): AgentProfile {
  const at = `agents.${name}`;
  if (!NAME.test(name))
    throw new ProfileError(at, `${at}: a profile name is lowercase letters, digits, . _ - (1 to 64).`);
  if (!isObject(raw)) throw new ProfileError(at, `${at} must be an object.`);
  for (const key of Object.keys(raw)) {
    if (!FIELDS.includes(key))
      throw new ProfileError(
        `${at}.${key}`,
        `${at} has an unknown field '${key}'; it takes ${FIELDS.join(', ')}.`,
      );
  }
  const adapter = raw.adapter ?? 'command';
  if (!(ADAPTER_NAMES as readonly unknown[]).includes(adapter)) {
    throw new ProfileError(`${at}.adapter`, `${at}.adapter must be one of ${ADAPTER_NAMES.join(', ')}.`);
  }
  const mode = raw.mode ?? 'headless';
  if (!(AGENT_MODES as readonly unknown[]).includes(mode))
    throw new ProfileError(`${at}.mode`, `${at}.mode must be headless or interactive.`);
  let permissions: PermissionPolicy = 'default';
  if (raw.permissions === 'full' || raw.permissions === 'default') permissions = raw.permissions;
  else if (Array.isArray(raw.permissions)) permissions = textList(`${at}.permissions`, raw.permissions);
  else if (raw.permissions !== undefined)
    throw new ProfileError(
      `${at}.permissions`,
      `${at}.permissions must be "default", "full" or a list of tools.`,
    );
  const env: Record<string, string> = {};
  if (raw.env !== undefined) {
    if (!isObject(raw.env)) throw new ProfileError(`${at}.env`, `${at}.env must be an object of texts.`);
    for (const [k, v] of Object.entries(raw.env)) {
      if (!ENV_NAME.test(k) || k.startsWith('MAESTRO_'))
        throw new ProfileError(`${at}.env`, `${at}.env: '${k}' is not a variable a profile may set.`);
      env[k] = text(`${at}.env.${k}`, v, 64 * 1024, true);
    }
  }
  const base = BUILT_IN_PROFILES[String(adapter)];
  return {
    name,
    adapter: adapter as AdapterName,
    command:
      raw.command === undefined && base ? base.command : text(`${at}.command`, raw.command, 4096, false),
    args: textList(`${at}.args`, raw.args),
    permissions,
    env,
    model: text(`${at}.model`, raw.model, 200, true),
    mode: mode as AgentMode,
  };
}

export interface AgentCatalog {
  profiles: Readonly<Record<string, AgentProfile>>;
  defaultAgent: string;
}

/**
 * The profiles a server offers: the built-in `claude` and `codex`, the configured ones (which may
 * replace them), and, when `agentCommand` is set to anything but `claude`, a `command` profile of
 * that command line, which is then the default unless `defaultAgent` says otherwise (the setting
 * of earlier versions keeps working).
 */
export function agentCatalog(input: {
  agents: Readonly<Record<string, unknown>>;
  defaultAgent: string;
  agentCommand: string;
}): AgentCatalog {
  const profiles: Record<string, AgentProfile> = { ...BUILT_IN_PROFILES };
  let fallback = 'claude';
  if (input.agentCommand.trim() && input.agentCommand.trim() !== 'claude') {
    profiles.command = {
      name: 'command',
      adapter: 'command',
      command: input.agentCommand,
      args: [],
      permissions: 'default',
      env: {},
      model: '',
      mode: 'headless',
    };
    fallback = 'command';
  }
  for (const [name, raw] of Object.entries(input.agents)) profiles[name] = parseProfile(name, raw);
  const defaultAgent = input.defaultAgent || fallback;
  if (!profiles[defaultAgent]) {
    throw new ProfileError(
      'defaultAgent',
      `defaultAgent '${defaultAgent}' is not a profile; profiles: ${Object.keys(profiles).join(', ')}.`,
    );
  }
  return { profiles, defaultAgent };
}
