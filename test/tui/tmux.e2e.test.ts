import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { CLI, cliData, cliEnv } from '../support/cli.js';
import { startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/**
 * The real `maestro tui` (the built CLI) in a real terminal: a tmux pane of 120×40 on a socket of
 * its own, read with `capture-pane` and typed into with `send-keys`, against a real server.
 */

const SOCKET = `maestro-tui-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'tui');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'tui', ...k);
const type = (text: string) => tmux('send-keys', '-t', 'tui', '-l', text);
const shell = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface TaskOut {
  id: string;
  title: string;
  status: string;
}

describe('maestro tui in tmux', () => {
  const home = tempHome('maestro-tui-e2e-');
  let server: RunningServer;
  let env: Record<string, string>;

  const waitScreen = (what: string, test: (s: string) => boolean, timeoutMs = 10_000) =>
    waitFor(
      what,
      () => {
        const s = screen();
        return test(s) && s;
      },
      { timeoutMs },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the screen was:\n${screen()}`);
    });

  beforeAll(async () => {
    server = await startTestServer(home.home);
    env = cliEnv(server, home.home, { MAESTRO_ACTOR: 'person' });
  });

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    // tmux leaves its socket file behind.
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, SOCKET), {
      force: true,
    });
    await server.close();
    home.cleanup();
  });

  it('shows the tasks, follows the CLI live, and drives the server from the keyboard', async () => {
    await cliData(['task', 'create', 'Existing high task', '--priority', 'high'], env, home.home);
    const blocked = await cliData<TaskOut>(['task', 'create', 'Existing blocked task'], env, home.home);
    await cliData(['task', 'block', blocked.id, '--reason', 'Needs a key'], env, home.home);

    const vars = Object.entries({ ...env, NO_COLOR: '1' })
      .map(([k, v]) => `${k}=${shell(v)}`)
      .join(' ');
    // The pane outlives the TUI so that its exit status can be read.
    const command = `env -u CI ${vars} ${shell(process.execPath)} ${shell(CLI)} tui; echo "tui exited with $?"; sleep 60`;
    tmux('new-session', '-d', '-s', 'tui', '-x', '120', '-y', '40', '-c', home.home, command);

    const first = await waitScreen(
      'the board',
      (s) => s.includes('● live') && s.includes('Existing blocked task'),
    );
    expect(first).toMatch(/PENDING 1\s+IN PROGRESS 0\s+BLOCKED 1/);
    expect(first).toContain('H Existing high task');
    expect(first).toContain('⚠ Needs a key');
    expect(first).toContain('q quit');

    // Made through the CLI: it appears without a key press.
    await cliData(['task', 'create', 'Made by the CLI', '--label', 'cli'], env, home.home);
    await waitScreen('the CLI task', (s) => s.includes('Made by the CLI') && /PENDING 2/.test(s));

    keys('n');
    await waitScreen('the title prompt', (s) => s.includes('New task title:'));
    type('Typed in tmux');
    keys('Enter');
    const created = await waitScreen('the created task', (s) =>
      /Created t_\d+ \(pending\): Typed in tmux/.test(s),
    );
    const id = /Created (t_\d+)/.exec(created)![1]!;
    expect((await cliData<{ task: TaskOut }>(['task', 'get', id], env, home.home)).task).toMatchObject({
      title: 'Typed in tmux',
      status: 'pending',
    });

    // The cursor is on the new task: start it, then complete it.
    keys('s');
    await waitScreen('started', (s) => s.includes(`Started ${id} (in_progress)`));
    keys('c');
    await waitScreen('completed', (s) => s.includes(`Completed ${id} (completed)`) && /COMPLETED 1/.test(s));
    const done = await cliData<{ task: TaskOut }>(['task', 'get', id], env, home.home);
    expect(done.task.status).toBe('completed');

    // A real resize (SIGWINCH): 80×24 is a single list with a section per status.
    tmux('resize-window', '-t', 'tui', '-x', '80', '-y', '24');
    const narrow = await waitScreen('the list layout', (s) => s.includes('── PENDING (2)'));
    expect(narrow).toMatch(/── COMPLETED \(1\)/);
    expect(narrow).toContain('Typed in tmux');

    keys('q');
    await waitScreen('the exit', (s) => s.includes('tui exited with 0'));
    tmux('kill-session', '-t', 'tui');
  });

  it('`maestro` with no arguments on a terminal opens the TUI', async () => {
    const vars = Object.entries({ ...env, NO_COLOR: '1' })
      .map(([k, v]) => `${k}=${shell(v)}`)
      .join(' ');
    const command = `env -u CI ${vars} ${shell(process.execPath)} ${shell(CLI)}; echo "maestro exited with $?"; sleep 60`;
    tmux('new-session', '-d', '-s', 'tui', '-x', '100', '-y', '30', '-c', home.home, command);
    await waitScreen('the board', (s) => s.includes('● live') && s.includes('Typed in tmux'));
    keys('q');
    await waitScreen('the exit', (s) => s.includes('maestro exited with 0'));
    tmux('kill-session', '-t', 'tui');
  });
});
