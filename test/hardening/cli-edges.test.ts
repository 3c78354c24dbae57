import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { cliData, cliEnv, runCli } from '../support/cli.js';
import { startTestServer, tempHome } from '../support/server.js';

/**
 * The CLI at its edges: numbers range-checked before they are sent (issue: `--version 4294967297`
 * wrapped to 1 and defeated the optimistic lock; `--lease 0` was read as the default), terminal
 * escapes in data shown escaped, and the small promises of the contract.
 */
let server: RunningServer;
let home: { home: string; cleanup(): void };
let env: Record<string, string>;

beforeAll(async () => {
  home = tempHome();
  server = await startTestServer(home.home);
  env = cliEnv(server, home.home);
});
afterAll(async () => {
  await server.close();
  home.cleanup();
});

interface Task {
  id: string;
  version: number;
  title: string;
  status: string;
}

describe('numbers are range-checked at the edge', () => {
  it('task update --version 4294967297 is refused (exit 2) and the task is unchanged', async () => {
    const task = await cliData<Task>(['task', 'create', 'Versioned'], env);
    const result = await runCli(
      ['task', 'update', task.id, '--title', 'Changed', '--version', '4294967297', '--json'],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.json.error).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'expectedVersion' },
    });
    expect(result.json.error?.message).toContain('--version');
    const after = await cliData<{ task: Task }>(['task', 'get', task.id], env);
    expect(after.task).toMatchObject({ title: 'Versioned', version: task.version });
    const huge = await runCli(
      ['task', 'update', task.id, '--title', 'x', '--version', '99999999999', '--json'],
      env,
    );
    expect(huge.code).toBe(2);
  });

  it('--lease 4294967356, --lease 0, --limit 0 and --timeline 0 are refused, not wrapped or defaulted', async () => {
    const task = await cliData<Task>(['task', 'create', 'Leased'], env);
    for (const args of [
      ['task', 'claim', task.id, '--lease', '4294967356'],
      ['task', 'claim', task.id, '--lease', '0'],
      ['events', '--limit', '0'],
      ['task', 'get', task.id, '--timeline', '0'],
      ['task', 'claim', task.id, '--lease', 'soon'],
    ]) {
      const result = await runCli([...args, '--json'], env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.json.error?.code).toBe('invalid_argument');
    }
    // Nothing was claimed by the refused calls.
    expect((await cliData<{ task: Task }>(['task', 'get', task.id], env)).task.status).toBe('pending');
  });
});

describe('text output', () => {
  it('shows control characters and terminal escapes of titles escaped, never raw', async () => {
    const title = 'Evil \u001b]0;pwned\u0007 \u001b[2J title\rX';
    await cliData(['task', 'create', title], env);
    const list = await runCli(['task', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain('\u001b');
    expect(list.stdout).not.toContain('\u0007');
    expect(list.stdout).not.toContain('\r');
    expect(list.stdout).toContain('Evil \\x1b]0;pwned\\x07 \\x1b[2J title\\x0dX');
    // --json carries the data as it is (JSON escapes it).
    const json = await cliData<Task[]>(['task', 'list'], env);
    expect(json.map((t) => t.title)).toContain(title);
  });
});

describe('the command line', () => {
  it('suggests the command meant, and `maestro task` alone lists its subcommands', async () => {
    const typo = await runCli(['task', 'craete', 'x', '--json'], env);
    expect(typo.code).toBe(2);
    expect(typo.json.error?.message).toContain("Did you mean 'maestro task create'");
    const group = await runCli(['task'], env);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('task create');
    expect(group.stdout).toContain('task dep add');
  });

  it('brackets only optional flags in usage lines', async () => {
    const help = await runCli(['task', 'block', '--help'], env);
    expect(help.stdout).toMatch(/Usage: maestro task block \[<id>\] --reason TEXT \[--version N\]/);
    const missing = await runCli(['task', 'block', 't_1', '--json'], env);
    expect(missing.code).toBe(2);
    expect(missing.json.error?.message).toContain('--reason');
  });

  it('--project takes a project name as well as its id', async () => {
    const project = await cliData<{ id: string; name: string }>(
      ['project', 'create', 'named-project', '--dir', `${home.home}/named`],
      env,
    );
    const task = await cliData<Task & { projectId: string }>(
      ['task', 'create', 'In the named project', '--project', 'named-project'],
      env,
    );
    expect(task.projectId).toBe(project.id);
    const listed = await cliData<Task[]>(['task', 'list', '--project', 'named-project'], env);
    expect(listed.map((t) => t.id)).toEqual([task.id]);
    const got = await cliData<{ id: string }>(['project', 'get', 'named-project'], env);
    expect(got.id).toBe(project.id);
  });

  it('config set says when the change takes effect, and config unset removes it', async () => {
    const set = await cliData<{ note: string; readBy: string }>(['config', 'set', 'maxSessions', '8'], env);
    expect(set.readBy).toBe('server');
    expect(set.note).toMatch(/Restart the server/);
    expect((await cliData<{ value: number }>(['config', 'get', 'maxSessions'], env)).value).toBe(8);
    const unset = await cliData<{ removed: boolean }>(['config', 'unset', 'maxSessions'], env);
    expect(unset.removed).toBe(true);
    expect((await cliData<{ value: number }>(['config', 'get', 'maxSessions'], env)).value).toBe(4);
    const cli = await cliData<{ note: string }>(['config', 'set', 'retries', '3'], env);
    expect(cli.note).toMatch(/next command/);
  });

  it('a parent task cannot complete while a child is unfinished', async () => {
    const parent = await cliData<Task>(['task', 'create', 'Parent'], env);
    const child = await cliData<Task>(['task', 'create', 'Child', '--parent', parent.id], env);
    await cliData(['task', 'start', parent.id], env);
    const refused = await runCli(['task', 'complete', parent.id, '--json'], env);
    expect(refused.code).toBe(4);
    expect(refused.json.error).toMatchObject({
      code: 'dependencies_not_met',
      details: { children: [{ taskId: child.id, status: 'pending' }] },
    });
    await cliData(['task', 'cancel', child.id], env);
    expect((await cliData<Task>(['task', 'complete', parent.id], env)).status).toBe('completed');
  });
});
