import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { CLI, cliData, cliEnv } from '../support/cli.js';
import { startTestServer, tempHome } from '../support/server.js';
import { skillText } from '../support/skill-commands.js';

interface Spawned {
  id: string;
  role: string;
  skill: string;
}

const servers: RunningServer[] = [];
const homes: { cleanup(): void }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) h.cleanup();
});

async function spawnPrompt(skillsDir: string, role: 'worker' | 'orchestrator', home: string) {
  const server = await startTestServer(home, { agentCommand: 'true', runner: 'pipe', skillsDir });
  servers.push(server);
  const env = cliEnv(server, home);
  const task = await cliData<{ id: string }>(['task', 'create', 'Wire the skills in'], env, home);
  const session = await cliData<Spawned>(['session', 'spawn', '--task', task.id, '--role', role], env, home);
  expect(session).toMatchObject({ role, skill: `maestro-${role}` });
  return readFileSync(join(home, 'sessions', session.id, 'prompt.md'), 'utf8');
}

describe("a spawned session's prompt carries its role's skill", () => {
  it('from the skills folder that maestro skill install filled (a local edit included)', async () => {
    const h = tempHome('maestro-prompt-');
    homes.push(h);
    const skillsDir = join(h.home, 'skills');
    await cliData(
      ['skill', 'install'],
      { PATH: process.env.PATH ?? '', HOME: h.home, MAESTRO_SKILLS_DIR: skillsDir },
      h.home,
    );
    const installed = join(skillsDir, 'maestro-worker', 'SKILL.md');
    appendFileSync(installed, '\nHouse rule: run the linter before completing.\n');

    const worker = await spawnPrompt(skillsDir, 'worker', h.home);
    expect(worker).toContain('## Skill');
    expect(worker).toContain(readFileSync(installed, 'utf8').trim());
    expect(worker).toContain('House rule: run the linter before completing.');
    expect(worker).not.toContain('name: maestro-orchestrator');

    await servers.pop()!.close();
    const orchestrator = await spawnPrompt(skillsDir, 'orchestrator', h.home);
    expect(orchestrator).toContain(skillText('maestro-orchestrator').trim());
  });

  it("from the package's skills/ when no skills folder is installed", async () => {
    const h = tempHome('maestro-prompt-');
    homes.push(h);
    const prompt = await spawnPrompt(join(h.home, 'not-installed'), 'worker', h.home);
    expect(prompt).toContain(skillText('maestro-worker').trim());
  });

  it("from the built server (maestro server start), which finds the package's skills/ from its bundle", async () => {
    const h = tempHome('maestro-prompt-');
    homes.push(h);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: h.home,
      MAESTRO_HOME: h.home,
      MAESTRO_SKILLS_DIR: join(h.home, 'not-installed'),
      MAESTRO_AGENT_COMMAND: 'true',
      MAESTRO_RUNNER: 'pipe',
      MAESTRO_LOG_LEVEL: 'silent',
    };
    const child = spawn(
      process.execPath,
      [CLI, 'server', 'start', '--http-port', '0', '--grpc-port', '0', '--json'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout! }).once('line', resolve),
      );
      const { grpc } = (JSON.parse(line) as { data: { grpc: string } }).data;
      const cli = { ...env, MAESTRO_SERVER: grpc, NO_COLOR: '1' };
      const task = await cliData<{ id: string }>(['task', 'create', 'From the bundle'], cli, h.home);
      const session = await cliData<Spawned>(['session', 'spawn', '--task', task.id], cli, h.home);
      const prompt = readFileSync(join(h.home, 'sessions', session.id, 'prompt.md'), 'utf8');
      expect(prompt).toContain(skillText('maestro-worker').trim());
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
