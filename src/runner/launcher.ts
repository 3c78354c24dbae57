import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Quotes a string for /bin/sh: any byte but NUL stays data. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Escapes a string for a tmux command that tmux expands formats in (`#(…)`, `#{…}`) before running it. */
export const tmuxLiteral = (s: string) => s.replace(/#/g, '##');

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface LauncherFiles {
  /** The script a terminal runs (`/bin/sh <launcher>`), mode 0700. */
  launcher: string;
  /** `export NAME='value'` lines, mode 0600: the agent's whole environment. */
  envFile: string;
  /** The agent's pid, written by the launcher just before the agent command starts. */
  pidFile: string;
  /** The agent's exit status, written atomically (temporary file, then rename) once it ends. */
  exitFile: string;
}

export function launcherFiles(dir: string): LauncherFiles {
  return {
    launcher: join(dir, 'launch.sh'),
    envFile: join(dir, 'env'),
    pidFile: join(dir, 'agent-pid'),
    exitFile: join(dir, 'exit-status'),
  };
}

/**
 * Writes the launcher of one session into its private folder. Terminals run only this file, so
 * nothing a project or request controls (working directory, names, environment values) ever reaches
 * tmux or a shell except as quoted data in it:
 *
 * 1. it re-executes itself under `env -i` (keeping only the terminal's TERM), so the environment of
 *    the runner or of the tmux server never leaks into the agent;
 * 2. it runs `beforeRun` (tmux: wait until output capture is in place), with that empty environment;
 * 3. it reads the agent's environment from the env file (secrets stay off every command line);
 * 4. it enters the working directory, writes the agent's pid and runs the command in the foreground;
 * 5. it records the exact exit status in a file, so no backend has to guess it from a dead pane.
 */
export function writeLauncher(input: {
  dir: string;
  sessionId: string;
  cwd: string;
  command: string;
  env: Record<string, string>;
  beforeRun?: string;
  /** A file (or FIFO) that becomes the agent's stdin; absent: it keeps the terminal's. */
  stdin?: string;
}): LauncherFiles {
  const files = launcherFiles(input.dir);
  const lines: string[] = [];
  for (const [name, value] of Object.entries(input.env)) {
    if (!ENV_NAME.test(name)) throw new Error(`'${name}' is not a valid environment variable name.`);
    if (value.includes('\0')) throw new Error(`The value of ${name} holds a NUL byte.`);
    lines.push(`export ${name}=${shellQuote(value)}`);
  }
  writeFileSync(files.envFile, lines.join('\n') + '\n', { mode: 0o600 });
  chmodSync(files.envFile, 0o600);
  if (input.cwd.includes('\0')) throw new Error('The working directory holds a NUL byte.');
  const q = shellQuote;
  const exitTemp = `${files.exitFile}.tmp`;
  const record = (status: string) =>
    `printf '%s\\n' ${status} > ${q(exitTemp)} && mv -f ${q(exitTemp)} ${q(files.exitFile)}`;
  const script = [
    '#!/bin/sh',
    `# Maestro launcher of session ${input.sessionId}, written by its runner. Every value below is quoted data.`,
    '[ "${MAESTRO_LAUNCHER-}" = clean ] || exec /usr/bin/env -i MAESTRO_LAUNCHER=clean ${TERM+"TERM=$TERM"} /bin/sh "$0"',
    'unset MAESTRO_LAUNCHER',
    // Before the agent's environment is read, so that nothing it runs sees the secrets.
    ...(input.beforeRun ? [input.beforeRun] : []),
    `. ${q(files.envFile)}`,
    `cd -- ${q(input.cwd)} || { printf '%s\\n' ${q(`maestro: cannot enter the working directory ${input.cwd}`)} >&2; ${record('126')}; exit 126; }`,
    // A Ctrl-C typed into the terminal reaches the agent; the launcher stays to record its status.
    'trap : INT QUIT',
    `/bin/sh -c 'printf "%s\\n" "$$" > "$1.tmp" && mv -f "$1.tmp" "$1" && exec /bin/sh -c "$2"' maestro-agent ${q(files.pidFile)} ${q(input.command)}${input.stdin ? ` < ${q(input.stdin)}` : ''}`,
    'status=$?',
    record('"$status"'),
    'exit "$status"',
    '',
  ].join('\n');
  writeFileSync(files.launcher, script, { mode: 0o700 });
  chmodSync(files.launcher, 0o700);
  return files;
}

/** The exit status the launcher recorded, or undefined when it has not (still running, or killed). */
export function readExitStatus(files: LauncherFiles): number | undefined {
  if (!existsSync(files.exitFile)) return undefined;
  const text = readFileSync(files.exitFile, 'utf8').trim();
  return /^\d{1,3}$/.test(text) ? Number(text) : undefined;
}

/** Waits for the launcher to write the agent's pid; undefined when it did not within `timeoutMs`. */
export async function readPid(files: LauncherFiles, timeoutMs = 5000): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(files.pidFile)) {
      const text = readFileSync(files.pidFile, 'utf8').trim();
      if (/^\d+$/.test(text)) return Number(text);
    }
    if (Date.now() > deadline) return undefined;
    await sleep(10);
  }
}
