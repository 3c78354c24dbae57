/**
 * The environment an agent starts with. Nothing is inherited by default: the runner (often the
 * Maestro server itself) holds its own secrets and settings (`MAESTRO_HOME`, `MAESTRO_DB_URL`,
 * `MAESTRO_LOG_FILE`, `MAESTRO_TMUX_SOCKET`, …) that are no agent's business. An agent gets the
 * variables below from the runner's environment, then its session's `MAESTRO_*` variables.
 */

/** Variables passed on by name: what a shell, a locale and a harness on this machine need. */
export const AGENT_ENV_NAMES: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'TERM',
  'COLORTERM',
  'TZ',
  'TMPDIR',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'XDG_RUNTIME_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'IS_SANDBOX',
];

/** Variables passed on by prefix: the locale, and the API keys and settings of the harnesses. */
export const AGENT_ENV_PREFIXES: readonly string[] = [
  'LC_',
  'ANTHROPIC_',
  'CLAUDE_CODE_',
  'OPENAI_',
  'CODEX_',
];

/** What a server may set for a session: `MAESTRO_*` names only. */
export const SESSION_ENV_NAME = /^MAESTRO_[A-Z0-9_]{1,64}$/;

export function passedOn(name: string): boolean {
  return AGENT_ENV_NAMES.includes(name) || AGENT_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The agent's environment: the allowed part of `base`, then the session's variables over it. */
export function agentEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  session: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && passedOn(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(session)) {
    if (!SESSION_ENV_NAME.test(name))
      throw new Error(`A session may set only MAESTRO_* variables, not '${name}'.`);
    env[name] = value;
  }
  return env;
}
