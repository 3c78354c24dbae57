import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentEnvironment } from './agent-env.js';
import { readExitStatus, writeLauncher } from './launcher.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function session(command: string, env: Record<string, string>, cwdName = 'work') {
  const root = mkdtempSync(join(tmpdir(), 'maestro-launcher-'));
  dirs.push(root);
  const dir = join(root, 'session');
  const cwd = join(root, cwdName);
  mkdirSync(dir);
  mkdirSync(cwd, { recursive: true });
  const files = writeLauncher({ dir, sessionId: 's_1', cwd, command, env });
  const run = spawnSync('/bin/sh', [files.launcher], {
    env: { LEAKED: 'from the caller' },
    encoding: 'utf8',
  });
  return { run, files, cwd, dir };
}

describe('the launcher', () => {
  it('hands values with quotes, newlines and shell or tmux syntax to the agent unchanged, in the working directory', () => {
    const value = `it's "quoted"\n$(touch x) \`touch y\` #(touch z) #{pane_pid} ; \\ end`;
    // Relative paths: the files land in the working directory only if the launcher entered it.
    const { run, cwd, dir } = session(
      `printf '%s' "$VALUE" > value; pwd > pwd; env > env`,
      { VALUE: value },
      `a #(b) $(c) 'd' "e"\nf`,
    );
    expect(run.status).toBe(0);
    expect(readFileSync(join(cwd, 'value'), 'utf8')).toBe(value);
    expect(readFileSync(join(cwd, 'pwd'), 'utf8')).toBe(`${cwd}\n`);
    expect(readFileSync(join(cwd, 'env'), 'utf8')).not.toContain('LEAKED');
    expect(readFileSync(join(dir, 'agent-pid'), 'utf8')).toMatch(/^\d+\n$/);
    // Nothing in the value or the directory's name ran (it would have touched x, y, z, b or c).
    expect(readdirSync(cwd).sort()).toEqual(['env', 'pwd', 'value']);
    expect(readdirSync(dir).sort()).toEqual(['agent-pid', 'env', 'exit-status', 'launch.sh']);
  });

  it('records the exact exit status, also of an agent killed by a signal', () => {
    for (const [command, status] of [
      ['exit 3', 3],
      ['exit 0', 0],
      ['exit 255', 255],
      ['kill -9 $$', 137],
    ] as const) {
      const { run, files } = session(command, {});
      expect(run.status, command).toBe(status);
      expect(readExitStatus(files), command).toBe(status);
    }
  });
});

describe('agentEnvironment', () => {
  it("passes on the allowlist and the session's MAESTRO_* variables, nothing of the server's own", () => {
    const env = agentEnvironment(
      {
        PATH: '/bin',
        HOME: '/home/a',
        LC_ALL: 'C',
        ANTHROPIC_API_KEY: 'k',
        MAESTRO_HOME: '/srv/maestro',
        MAESTRO_DB_URL: 'postgres://u:p@h/db',
        MAESTRO_TOKEN: 'server token from the environment',
        AWS_SECRET_ACCESS_KEY: 'no',
        TMUX: '/tmp/tmux-0/default,1,0',
      },
      { MAESTRO_SESSION_ID: 's_1', MAESTRO_TOKEN: 'the session token' },
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/home/a',
      LC_ALL: 'C',
      ANTHROPIC_API_KEY: 'k',
      MAESTRO_SESSION_ID: 's_1',
      MAESTRO_TOKEN: 'the session token',
    });
    expect(() => agentEnvironment({}, { PATH: '/evil' })).toThrow(/only MAESTRO_\* variables/);
  });
});
