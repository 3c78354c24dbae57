import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { homeTag, type Settings } from '../../src/config/config.js';
import type { RunningServer } from '../../src/gateway/server.js';
import type { AgentSpec, ProcessEvents } from '../../src/runner/backend.js';
import { TmuxBackend } from '../../src/runner/tmux-backend.js';
import { ROOT, cliData, cliEnv } from '../support/cli.js';
import { serverProcesses, killTmuxServers } from '../support/process.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const PROBE = join(ROOT, 'test/support/probe-agent.mjs');
const TOKEN = 'tmux-runner-test-token-0123456789abcdef';

interface Session {
  id: string;
  status: string;
  exitCode: number;
  failureReason: string;
  terminal: { backend: string; host: string; socket: string; target: string } | null;
}

const processes = serverProcesses('maestro-tmux-');
const homes: { cleanup(): void }[] = [];
const servers: RunningServer[] = [];
const sockets: string[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  killTmuxServers(sockets.splice(0));
  for (const h of homes.splice(0)) h.cleanup();
});

const socketName = (tag: string) => `maestro-test-${process.pid}-${tag}`;

/** Spawns one session per new task through gRPC and waits until every one has ended. */
async function spawnMany(api: TestClient, count: number): Promise<Session[]> {
  const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const task = await api.call<{ id: string }>('Tasks', 'create', {
      projectId: project.id,
      title: `run ${i}`,
    });
    ids.push((await api.call<{ session: Session }>('Sessions', 'spawn', { taskId: task.id })).session.id);
  }
  return waitFor(
    `all ${count} sessions to end`,
    async () => {
      const { sessions } = await api.call<{ sessions: Session[] }>('Sessions', 'list', {});
      const mine = sessions.filter((s) => ids.includes(s.id));
      return (
        mine.length === count &&
        mine.every((s) => !['spawning', 'running', 'stale'].includes(s.status)) &&
        mine
      );
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

/** A `maestro server start` process with a tmux runner, with no locale unless `locale` sets one. */
async function tmuxServerProcess(agentCommand: string, locale: Record<string, string> = {}) {
  const home = processes.newHome();
  const socket = socketName(homeTag(home));
  sockets.push(socket);
  const server = await processes.start(home, {
    MAESTRO_RUNNER: 'tmux',
    MAESTRO_TOKEN: TOKEN,
    MAESTRO_TMUX_SOCKET: socket,
    MAESTRO_AGENT_COMMAND: agentCommand,
    MAESTRO_MAX_SESSIONS: '10',
    MAESTRO_LOG_LEVEL: 'warn',
    ...locale,
  });
  const api = new TestClient(server.grpc, TOKEN);
  clients.push(api);
  return { api, server };
}

describe('the tmux runner records exact outcomes', () => {
  it('an agent that exits 3 was recorded completed with exit 0: now 30 of 30 tmux spawns are failed with exit 3, with LANG unset', async () => {
    const { api } = await tmuxServerProcess(`sh -c 'exit 3'`);
    const sessions = await spawnMany(api, 30);
    expect(sessions.map((s) => `${s.status} ${s.exitCode}`)).toEqual(Array(30).fill('failed 3'));
    expect(sessions[0]!.failureReason).toBe('The agent exited with code 3.');
  });

  it('30 of 30 tmux spawns of an agent that exits 0 are completed, under LC_ALL=C (tmux prints tabs as _ there)', async () => {
    const { api } = await tmuxServerProcess(`sh -c 'exit 0'`, { LC_ALL: 'C' });
    const sessions = await spawnMany(api, 30);
    expect(sessions.map((s) => `${s.status} ${s.exitCode}`)).toEqual(Array(30).fill('completed 0'));
  });
});

describe('tmux servers and windows of several homes on one machine', () => {
  /** An in-process server whose agents wait until stopped; its tmux socket is the default one unless given. */
  async function hangingServer(overrides: Partial<Settings> = {}) {
    const h = tempHome('maestro-tmux-home-');
    homes.push(h);
    const out = join(h.home, 'probe');
    mkdirSync(out);
    const server = await startTestServer(h.home, {
      runner: 'tmux',
      agentCommand: `${process.execPath} ${PROBE} {promptFile} ${out} hang`,
      ...overrides,
    });
    servers.push(server);
    sockets.push(overrides.tmuxSocket ?? `maestro-${homeTag(h.home)}`);
    const api = TestClient.for(server);
    clients.push(api);
    // The CLI's own tmux setting points elsewhere: attach must use what the runner recorded.
    const env = cliEnv(server, h.home, { MAESTRO_TMUX_SOCKET: 'not-the-runners-socket' });
    return { home: h.home, api, env, out };
  }

  for (const shared of [false, true]) {
    it(`two homes ${shared ? 'sharing one tmux socket' : 'on their default sockets'} spawn s_1 at once without collision, and attach finds each one's own window`, async () => {
      const socket = socketName(`shared-${shared}`);
      const both = await Promise.all([0, 1].map(() => hangingServer(shared ? { tmuxSocket: socket } : {})));
      const tasks = await Promise.all(
        both.map(async ({ api }) => {
          const project = await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' });
          return api.call<{ id: string }>('Tasks', 'create', { projectId: project.id, title: 'hang' });
        }),
      );
      const spawned = await Promise.all(
        both.map(({ api }, i) =>
          api.call<{ session: Session }>('Sessions', 'spawn', { taskId: tasks[i]!.id }),
        ),
      );
      expect(spawned.map((s) => s.session.id)).toEqual(['s_1', 's_1']);
      const running = await Promise.all(
        both.map(({ api }) =>
          waitFor('s_1 to run', async () => {
            const s = await api.call<Session>('Sessions', 'get', { id: 's_1' });
            return s.status !== 'spawning' && s;
          }),
        ),
      );
      expect(running.map((s) => s.status)).toEqual(['running', 'running']);
      const attach = await Promise.all(
        both.map(({ env, home }) =>
          cliData<{ command: string[]; terminal: { socket: string; target: string } }>(
            ['session', 'attach', 's_1'],
            env,
            home,
          ),
        ),
      );
      const [a, b] = attach.map((x) => x.terminal);
      if (shared) expect(a!.socket).toBe(b!.socket);
      else expect(a!.socket).not.toBe(b!.socket);
      expect(`${a!.socket} ${a!.target}`).not.toBe(`${b!.socket} ${b!.target}`);
      for (const [i, { command, terminal }] of attach.entries()) {
        expect(command).toEqual(['tmux', '-S', terminal.socket, 'attach-session', '-t', terminal.target]);
        const where = execFileSync(
          'tmux',
          [
            '-S',
            terminal.socket,
            'display-message',
            '-p',
            '-t',
            terminal.target,
            '#{session_name} #{window_name}',
          ],
          { encoding: 'utf8' },
        ).trim();
        expect(where).toBe(`maestro-${homeTag(both[i]!.home)} s_1`);
        // Each window runs its own home's agent.
        await waitFor('the probe report', () => existsSync(join(both[i]!.out, 's_1.json')));
        const probe = JSON.parse(readFileSync(join(both[i]!.out, 's_1.json'), 'utf8')) as {
          promptFile: string;
        };
        expect(probe.promptFile.startsWith(both[i]!.home)).toBe(true);
      }
      await Promise.all(both.map(({ api }) => api.call('Sessions', 'stop', { id: 's_1' })));
    });
  }
});

describe('the tmux backend polling its panes', () => {
  it('an agent whose window opened while tmux listed the panes was recorded failed with 129 (vanished): now it runs on and ends with its own status', async () => {
    const h = tempHome('maestro-tmux-poll-');
    homes.push(h);
    const socket = socketName('poll-race');
    sockets.push(socket);
    const backend = new TmuxBackend({
      socket,
      session: 'maestro-poll-race',
      env: { PATH: process.env.PATH ?? '', HOME: h.home },
      dirFor: (id) => join(h.home, id),
    });
    const exits: string[] = [];
    const events: ProcessEvents = {
      started: () => undefined,
      exited: (id, code) => exits.push(`${id} ${code}`),
      failed: (id, reason) => exits.push(`${id} failed: ${reason}`),
    };
    const go = join(h.home, 'go');
    const spec = (sessionId: string): AgentSpec => {
      const dir = join(h.home, sessionId);
      mkdirSync(dir);
      return {
        sessionId,
        // Waits until the test lets it end, then exits 3.
        command: `while [ ! -e ${go} ]; do sleep 0.05; done; exit 3`,
        cwd: h.home,
        env: { PATH: process.env.PATH ?? '' },
        dir,
        logPath: join(dir, 'output.log'),
      };
    };
    try {
      // One agent tracked, so the backend polls.
      await backend.start(spec('s_1'), events);
      // The next listing of the panes is held once it has its answer from tmux.
      const internals = backend as unknown as { panes(): Promise<unknown> };
      const listPanes = internals.panes.bind(backend);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let listed!: () => void;
      const hasListed = new Promise<void>((resolve) => (listed = resolve));
      internals.panes = async () => {
        const panes = await listPanes();
        internals.panes = listPanes;
        listed();
        await held;
        return panes;
      };
      await hasListed;
      // A window opens after that listing, and its start ends before the poll reads the list.
      await backend.start(spec('s_2'), events);
      release();
      // The next poll starts only once the held one has gone through its list.
      await new Promise<void>((resolve) => {
        internals.panes = async () => {
          internals.panes = listPanes;
          resolve();
          return listPanes();
        };
      });
      expect(exits).toEqual([]);
      expect(backend.live().sort()).toEqual(['s_1', 's_2']);
      writeFileSync(go, '');
      await waitFor('both agents to end', () => exits.length === 2);
      expect(exits.sort()).toEqual(['s_1 3', 's_2 3']);
    } finally {
      backend.close();
    }
  });
});
