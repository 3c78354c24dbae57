import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { tempHome } from '../support/server.js';
import { CLAUDE_BIN, requireHarness } from '../harness/harness-process.js';

/**
 * `maestro mcp install` writes Claude Code's configuration, and the real Claude Code (pinned in
 * package.json) reads it back with `claude mcp get` and `claude mcp list`.
 */

const homes: { cleanup(): void }[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup();
});
beforeAll(() => {
  requireHarness(CLAUDE_BIN, '2.1.328 (Claude Code)');
});

/** A private HOME and Claude config, a project folder, and PATH with or without `claude`. */
function machine(withClaude: boolean) {
  const h = tempHome('maestro-mcp-install-');
  homes.push(h);
  const project = join(h.home, 'project');
  mkdirSync(project);
  const base = `${dirname(process.execPath)}:/usr/bin:/bin`;
  const env: Record<string, string> = {
    PATH: withClaude ? `${dirname(CLAUDE_BIN)}:${base}` : base,
    HOME: h.home,
    MAESTRO_HOME: join(h.home, '.maestro'),
    CLAUDE_CONFIG_DIR: join(h.home, '.claude'),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    NO_COLOR: '1',
  };
  const claude = (...args: string[]) => {
    const r = spawnSync(CLAUDE_BIN, args, { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  return { home: h.home, project, env, claude };
}

describe('maestro mcp install', () => {
  it('user scope: through `claude mcp add-json`; Claude Code lists it, starts it and finds it connected', async () => {
    const m = machine(true);
    const r = await runCli(['mcp', 'install', '--json'], m.env, m.project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({
      scope: 'user',
      via: 'claude',
      server: {
        type: 'stdio',
        command: process.execPath,
        args: [CLI, 'mcp'],
        env: { MAESTRO_HOME: m.env.MAESTRO_HOME },
      },
    });
    const got = m.claude('mcp', 'get', 'maestro');
    expect(got.code, got.out).toBe(0);
    expect(got.out).toMatch(/Scope: User config/);
    expect(got.out).toContain(`Command: ${process.execPath}`);
    expect(got.out).toContain(`Args: ${CLI} mcp`);
    // `claude mcp list` starts the server and speaks MCP to it.
    expect(m.claude('mcp', 'list').out).toMatch(/maestro: .* - ✔ Connected/);

    // Installing again replaces the entry (here with every tool, another server and a project).
    const again = await runCli(
      ['mcp', 'install', '--tools', 'all', '--server', '127.0.0.1:7777', '--project', 'web', '--json'],
      m.env,
      m.project,
    );
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.json.data).toMatchObject({
      server: { env: { MAESTRO_SERVER: '127.0.0.1:7777', MAESTRO_PROJECT_ID: 'web' } },
    });
    const replaced = m.claude('mcp', 'get', 'maestro').out;
    expect(replaced).toContain(`Args: ${CLI} mcp --tools all`);
    expect(replaced).toContain('MAESTRO_SERVER=127.0.0.1:7777');
  });

  it('project scope: .mcp.json in the folder, starting `maestro mcp` from PATH', async () => {
    const m = machine(true);
    const r = await runCli(['mcp', 'install', '--scope', 'project', '--json'], m.env, m.project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(m.project, '.mcp.json'), 'utf8'))).toEqual({
      mcpServers: { maestro: { type: 'stdio', command: 'maestro', args: ['mcp'] } },
    });
    const got = m.claude('mcp', 'get', 'maestro');
    expect(got.out).toMatch(/Scope: Project config/);
    expect(got.out).toContain('Command: maestro');
  });

  it('without Claude Code: the project scope writes .mcp.json itself, keeping other servers; Claude Code reads it', async () => {
    const m = machine(false);
    writeFileSync(
      join(m.project, '.mcp.json'),
      JSON.stringify({ mcpServers: { other: { command: 'other-server', args: [] } } }),
    );
    const r = await runCli(['mcp', 'install', '--scope', 'project', '--json'], m.env, m.project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ via: 'file', file: join(m.project, '.mcp.json') });
    const config = JSON.parse(readFileSync(join(m.project, '.mcp.json'), 'utf8')) as {
      mcpServers: Record<string, unknown>;
    };
    expect(Object.keys(config.mcpServers).sort()).toEqual(['maestro', 'other']);
    const got = m.claude('mcp', 'get', 'maestro');
    expect(got.code, got.out).toBe(0);
    expect(got.out).toMatch(/Scope: Project config/);
    expect(got.out).toContain('Args: mcp');
  });

  it('refuses what it cannot do, and changes nothing', async () => {
    const m = machine(false);
    const user = await runCli(['mcp', 'install', '--json'], m.env, m.project);
    expect(user.code).toBe(2);
    expect(user.json.error).toMatchObject({ code: 'invalid_argument', details: { field: 'scope' } });
    expect(existsSync(join(m.home, '.claude'))).toBe(false);

    writeFileSync(join(m.project, '.mcp.json'), '{ not json');
    const broken = await runCli(['mcp', 'install', '--scope', 'project', '--json'], m.env, m.project);
    expect(broken.json.error).toMatchObject({ code: 'invalid_argument', details: { field: 'file' } });
    expect(readFileSync(join(m.project, '.mcp.json'), 'utf8')).toBe('{ not json');

    const tools = await runCli(
      ['mcp', 'install', '--scope', 'project', '--tools', 'nope', '--json'],
      m.env,
      m.project,
    );
    expect(tools.json.error).toMatchObject({ code: 'invalid_argument', details: { field: 'tools' } });

    // Inside an agent session it does not rewrite the harness's configuration.
    const inSession = await runCli(
      ['mcp', 'install', '--scope', 'project', '--json'],
      { ...m.env, MAESTRO_SESSION_ID: 's_1' },
      m.project,
    );
    expect(inSession.code).toBe(6);
    expect(inSession.json.error).toMatchObject({ code: 'permission_denied' });
    expect(readFileSync(join(m.project, '.mcp.json'), 'utf8')).toBe('{ not json');
  });
});
