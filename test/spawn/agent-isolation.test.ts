import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { ROOT, runCli } from '../support/cli.js';
import { serverProcesses, killTmuxServers } from '../support/process.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const PROBE = join(ROOT, 'test/support/probe-agent.mjs');
const TOKEN = 'agent-isolation-test-token-0123456789abcdef';
const BACKENDS = ['tmux', 'pipe'] as const;

interface Probe {
  cwd: string;
  env: Record<string, string>;
  argv: string[];
  pid: number;
}
interface Session {
  id: string;
  status: string;
  exitCode: number;
}

const processes = serverProcesses('maestro-isolation-');
const homes: { cleanup(): void }[] = [];
const servers: RunningServer[] = [];
const sockets: string[] = [];
const clients: TestClient[] = [];
const agents: number[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  for (const pid of agents.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  killTmuxServers(sockets.splice(0));
  for (const h of homes.splice(0)) h.cleanup();
});

const readProbe = (out: string, sessionId: string) =>
  waitFor(`the agent of ${sessionId} to report`, () => {
    const file = join(out, `${sessionId}.json`);
    return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as Probe);
  });

/** Every `INJECTED-*` file that appeared where a stray command could have written one. */
function injected(home: string): string[] {
  return [home, ROOT, tmpdir()].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.startsWith('INJECTED'))
      .map((name) => join(dir, name)),
  );
}

describe.each(BACKENDS)('the %s runner treats every string as data', (backend) => {
  it('a working directory and a session name full of tmux formats, shell syntax, newlines and quotes: the agent starts in that directory and nothing in them runs', async () => {
    const h = tempHome('maestro-isolation-');
    homes.push(h);
    const home = h.home;
    const out = join(home, 'probe');
    mkdirSync(out);
    const marker = (tag: string) => join(home, `INJECTED-${tag}`);
    const weird = join(
      home,
      'projects',
      `#(touch ${marker('tmux-command')})`,
      `#{pane_pid} #{session_name} ##{window_name}`,
      `$(touch ${marker('dollar')})`,
      `;touch ${marker('semicolon')};`,
      `new\nline 'single' "double" \`touch ${marker('backtick')}\``,
    );
    mkdirSync(weird, { recursive: true });
    const socket = `maestro-test-${process.pid}-isolation-${backend}`;
    sockets.push(socket);
    const server = await startTestServer(home, {
      runner: backend,
      tmuxSocket: socket,
      agentCommand: `${process.execPath} ${PROBE} {promptFile} ${out} exit`,
    });
    servers.push(server);
    const api = TestClient.for(server);
    clients.push(api);
    const project = await api.call<{ id: string; workingDir: string }>('Projects', 'create', {
      name: `#(touch ${marker('project')}) $(touch ${marker('project2')})`,
      workingDir: weird,
    });
    expect(project.workingDir).toBe(weird);
    const task = await api.call<{ id: string }>('Tasks', 'create', {
      projectId: project.id,
      title: `#(touch ${marker('title')}) $(touch ${marker('title2')})`,
    });
    const name = `w #(touch ${marker('name')}) #{pane_pid} $(touch ${marker('name2')}); touch ${marker('name3')}\n'"`;
    const spawned = await api.call<{ session: Session }>('Sessions', 'spawn', { taskId: task.id, name });
    const probe = await readProbe(out, spawned.session.id);
    expect(probe.cwd).toBe(realpathSync(weird));
    expect(probe.env.MAESTRO_ACTOR).toBe(name);
    const ended = await waitFor('the session to end', async () => {
      const s = await api.call<Session>('Sessions', 'get', { id: spawned.session.id });
      return s.status !== 'running' && s.status !== 'spawning' && s;
    });
    expect(ended).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(injected(home)).toEqual([]);
  });
});

describe.each(BACKENDS)('the %s runner gives agents an environment of their own', (backend) => {
  it("the server's own variables leaked into agents and the token was on tmux's command line: now agents get the allowlist plus their session's variables, and their session's own token, on no command line", async () => {
    const home = processes.newHome();
    const out = join(home, 'probe');
    mkdirSync(out);
    const socket = `maestro-test-${process.pid}-env-${backend}`;
    sockets.push(socket);
    const serverOnly = {
      MAESTRO_LOG_FILE: join(home, 'logs', 'server.log'),
      MAESTRO_TMUX_SOCKET: socket,
      MAESTRO_DB_URL: `sqlite:${join(home, 'elsewhere.db')}`,
      MAESTRO_AGENT_COMMAND: `${process.execPath} ${PROBE} {promptFile} ${out} hang`,
      MAESTRO_RUNNER: backend,
      MAESTRO_LOG_LEVEL: 'warn',
      SECRET_OF_THE_SERVER: 'not for agents',
    };
    const server = await processes.start(home, {
      ...serverOnly,
      MAESTRO_TOKEN: TOKEN,
      ANTHROPIC_API_KEY: 'sk-ant-for-the-agent',
      LC_CTYPE: 'C',
    });
    const api = new TestClient(server.grpc, TOKEN);
    clients.push(api);
    const project = await api.call<{ id: string }>('Projects', 'create', { name: 'env', workingDir: home });
    const task = await api.call<{ id: string }>('Tasks', 'create', {
      projectId: project.id,
      title: 'look around',
    });
    const { session } = await api.call<{ session: Session }>('Sessions', 'spawn', { taskId: task.id });
    const probe = await readProbe(out, session.id);
    agents.push(probe.pid);

    expect(probe.env).toMatchObject({
      MAESTRO_SESSION_ID: session.id,
      MAESTRO_TASK_IDS: task.id,
      MAESTRO_ROLE: 'worker',
      MAESTRO_PROJECT_ID: project.id,
      MAESTRO_SERVER: server.grpc,
      MAESTRO_TOKEN: expect.stringMatching(/^mst_[A-Za-z0-9_-]{43}$/),
      MAESTRO_ACTOR: `worker-${session.id.slice(2)}`,
      ANTHROPIC_API_KEY: 'sk-ant-for-the-agent',
      LC_CTYPE: 'C',
      PATH: process.env.PATH,
      HOME: home,
    });
    for (const name of [
      ...Object.keys(serverOnly),
      'MAESTRO_HOME',
      'TMUX',
      'TMUX_PANE',
      'MAESTRO_LAUNCHER',
    ]) {
      expect(probe.env, name).not.toHaveProperty(name);
    }
    // The agent has a token of its own session, never the server's.
    const sessionToken = probe.env.MAESTRO_TOKEN!;
    expect(sessionToken).not.toBe(TOKEN);
    expect(probe.argv.join(' ')).not.toContain(TOKEN);
    expect(probe.argv.join(' ')).not.toContain(sessionToken);

    // No process on this machine carries either token in its command line: not tmux, not the agent.
    const withToken = readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .filter((pid) => {
        try {
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          return cmdline.includes(TOKEN) || cmdline.includes(sessionToken);
        } catch {
          return false;
        }
      });
    expect(withToken).toEqual([]);
    if (backend === 'tmux') {
      const tmuxPid = execFileSync('tmux', ['-L', socket, 'display-message', '-p', '#{pid}'], {
        encoding: 'utf8',
      }).trim();
      const environ = readFileSync(`/proc/${tmuxPid}/environ`, 'utf8');
      expect(environ).not.toContain(TOKEN);
      expect(environ).not.toContain(sessionToken);
      expect(environ).not.toContain('MAESTRO_HOME=');
      expect(environ).not.toContain('SECRET_OF_THE_SERVER');
    }

    // The session's token travels in its private env file; the launcher is the only thing a terminal runs.
    const dir = join(home, 'runner', session.id);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'env')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'launch.sh')).mode & 0o777).toBe(0o700);
    const envFile = readFileSync(join(dir, 'env'), 'utf8');
    expect(envFile).toContain(`export MAESTRO_TOKEN='${sessionToken}'`);
    expect(envFile).not.toContain(TOKEN);

    await api.call('Sessions', 'stop', { id: session.id });
    await waitFor('the agent to be stopped', () => {
      try {
        process.kill(probe.pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    if (backend === 'pipe') {
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: home,
        MAESTRO_HOME: home,
        MAESTRO_SERVER: server.grpc,
        MAESTRO_TOKEN: TOKEN,
      };
      const attach = await runCli(['session', 'attach', session.id, '--json'], env, home);
      expect(attach.json).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect(attach.json.error?.message).toContain('runs without a terminal');
    }
  });
});
