import { killTmuxServers } from '../support/process.js';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicStandIn, say, toolResults, toolUse } from '../support/anthropic-stand-in.js';
import { waitFor } from '../support/wait.js';
import { CLAUDE_BIN, harnessProcesses, requireHarness } from './harness-process.js';

/**
 * The real Claude Code in interactive mode, in a tmux window, as a person could attach to it: the
 * first-run dialogs are answered in its config beforehand, the permission mode never prompts, and
 * the session is ended with `/exit` once the work is done.
 */

const harness = harnessProcesses();
const socket = `maestro-harness-${process.pid}`;
const standIns: AnthropicStandIn[] = [];
afterEach(async () => {
  killTmuxServers([socket]);
  for (const s of standIns.splice(0)) await s.close();
});

beforeAll(() => {
  requireHarness(CLAUDE_BIN, '2.1.328 (Claude Code)');
});

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'worker');

/**
 * The config that answers Claude Code's first-run dialogs: onboarding (whose connectivity check
 * would fail offline), the folder trust dialog for `work`, and the "use this API key?" question
 * (answered by the key's last 20 characters).
 */
function seedConfig(configDir: string, work: string, apiKey: string): void {
  mkdirSync(configDir, { recursive: true });
  const config = {
    hasCompletedOnboarding: true,
    projects: { [work]: { hasTrustDialogAccepted: true } },
    customApiKeyResponses: { approved: [apiKey.slice(-20)], rejected: [] },
  };
  writeFileSync(join(configDir, '.claude.json'), JSON.stringify(config));
}

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

describe('Claude Code interactive in tmux', () => {
  it('starts with no dialog, edits through its Write tool without a prompt, and ends with exit 0 on /exit', async () => {
    const home = harness.tempDir('claude-home');
    const work = harness.tempDir('claude-work');
    const target = join(work, 'out.txt');
    const api = await AnthropicStandIn.start([
      toolUse('Write', { file_path: target, content: 'hello\n' }),
      say('All done.'),
    ]);
    standIns.push(api);
    const apiKey = 'sk-ant-stand-in-interactive';
    const configDir = join(home, '.claude');
    seedConfig(configDir, work, apiKey);
    const sessionId = randomUUID();
    const status = join(home, 'exit-status');

    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      CLAUDE_CONFIG_DIR: configDir,
      ANTHROPIC_BASE_URL: api.url,
      ANTHROPIC_API_KEY: apiKey,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
    };
    const args = [
      '--session-id',
      sessionId,
      // dontAsk: what is not allowed below is denied, never asked about (a prompt would block).
      '--permission-mode',
      'dontAsk',
      '--allowedTools',
      'Bash(maestro *)',
      'Edit',
      'Write',
      '--',
      'Write hello to out.txt',
    ];
    const command = [
      'env -i',
      ...Object.entries(env).map(([k, v]) => shellQuote(`${k}=${v}`)),
      shellQuote(CLAUDE_BIN),
      ...args.map(shellQuote),
      `; echo $? > ${shellQuote(status)}`,
    ].join(' ');
    // remain-on-exit keeps the pane readable after claude has left.
    tmux(
      'new-session',
      '-d',
      '-s',
      'worker',
      '-x',
      '160',
      '-y',
      '45',
      '-c',
      work,
      command,
      ';',
      'set-option',
      '-w',
      '-t',
      'worker',
      'remain-on-exit',
      'on',
    );

    await waitFor('the task to be done', () => api.calls.length === 2 && screen().includes('All done.'), {
      timeoutMs: 20_000,
    });
    expect(readFileSync(target, 'utf8')).toBe('hello\n');
    expect(toolResults(api.calls[1]!.body)).toMatchObject([{ isError: false }]);
    const shown = screen();
    expect(shown).not.toContain('trust this folder');
    expect(shown).not.toContain('Detected a custom API key');
    expect(shown).not.toContain('Do you want to proceed?');
    expect(existsSync(join(configDir, 'projects'))).toBe(true);

    // The session stays at its prompt until it is told to leave: type /exit, then Enter once the
    // text is on screen (Enter sent with the text can be taken as part of a paste).
    tmux('send-keys', '-t', 'worker', '-l', '/exit');
    await waitFor('/exit to be typed', () => screen().includes('/exit'));
    tmux('send-keys', '-t', 'worker', 'Enter');
    await waitFor('claude to exit', () => existsSync(status) && readFileSync(status, 'utf8').trim(), {
      timeoutMs: 20_000,
    });
    expect(readFileSync(status, 'utf8').trim()).toBe('0');
    expect(screen()).toContain(`claude --resume ${sessionId}`);
    expect(api.unscripted).toEqual([]);
  });
});
