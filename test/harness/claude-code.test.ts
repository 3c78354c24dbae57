import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AnthropicStandIn,
  bash,
  gatewayToken,
  rateLimitError,
  requestText,
  say,
  toolResults,
  toolUse,
  usageLimitError,
  userMessages,
  type Turn,
  type Usage,
} from '../support/anthropic-stand-in.js';
import { waitFor } from '../support/wait.js';
import {
  CLAUDE_BIN,
  describeRun,
  eventsOf,
  harnessProcesses,
  requireHarness,
  type HarnessRun,
} from './harness-process.js';

/**
 * The real Claude Code (pinned in package.json), headless, against the scripted Messages API
 * stand-in. Nothing but the model is fake. The invocation is the one docs/agents-harness-notes.md
 * documents for an unattended worker.
 */

const VERSION = '2.1.328';
/** A model whose list prices Claude Code knows, so the cost it reports can be checked exactly. */
const MODEL = 'claude-sonnet-4-5';
/** USD per token for MODEL: input, output, cache read, cache write (5-minute). */
const PRICE = { input: 3e-6, output: 15e-6, cacheRead: 0.3e-6, cacheWrite: 3.75e-6 };

const HEADLESS = ['-p', '--output-format', 'stream-json', '--verbose', '--model', MODEL];
/** The default worker policy: edits in the working folder, and `maestro` in the shell. */
const WORKER_POLICY = [
  '--permission-mode',
  'acceptEdits',
  '--allowedTools',
  'Bash(maestro *)',
  'Edit',
  'Write',
];

const harness = harnessProcesses();
const standIns: AnthropicStandIn[] = [];
afterEach(async () => {
  for (const s of standIns.splice(0)) await s.close();
});

beforeAll(() => {
  requireHarness(CLAUDE_BIN, `${VERSION} (Claude Code)`);
});

async function standIn(...script: Turn[]): Promise<AnthropicStandIn> {
  const s = await AnthropicStandIn.start(script);
  standIns.push(s);
  return s;
}

/** The environment of an unattended Claude Code: the stand-in, a private config, no other traffic. */
function claudeEnv(
  api: AnthropicStandIn,
  home: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ANTHROPIC_BASE_URL: api.url,
    ANTHROPIC_API_KEY: 'sk-ant-stand-in',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    ...extra,
  };
}

function workspace(owner?: { uid: number; gid: number }) {
  return { home: harness.tempDir('claude-home', owner), work: harness.tempDir('claude-work', owner) };
}

async function finished(run: HarnessRun): Promise<number | string> {
  const code = await run.exited;
  expect(eventsOf(run, 'result'), describeRun(run)).not.toHaveLength(0);
  return code;
}

/** The `result` event Claude Code prints at the end of each turn (the last one). */
interface ClaudeResult {
  subtype: string;
  is_error: boolean;
  result: string;
  session_id: string;
  num_turns: number;
  total_cost_usd: number;
  usage: Usage;
  api_error_status?: number | null;
  api_error?: string;
  permission_denials?: unknown[];
}

function resultOf(run: HarnessRun): ClaudeResult {
  const results = eventsOf(run, 'result');
  return results[results.length - 1] as unknown as ClaudeResult;
}

function sum(usages: Usage[]): Required<Usage> {
  return usages.reduce<Required<Usage>>(
    (t, u) => ({
      input_tokens: t.input_tokens + u.input_tokens,
      output_tokens: t.output_tokens + u.output_tokens,
      cache_creation_input_tokens: t.cache_creation_input_tokens + (u.cache_creation_input_tokens ?? 0),
      cache_read_input_tokens: t.cache_read_input_tokens + (u.cache_read_input_tokens ?? 0),
    }),
    { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  );
}

describe('Claude Code headless (-p, stream-json) against the Messages API stand-in', () => {
  it('runs scripted Bash tool calls, the second built from the first one`s output, and reports the declared tokens and their cost', async () => {
    const usage: Usage[] = [
      {
        input_tokens: 1200,
        output_tokens: 30,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 500,
      },
      { input_tokens: 1300, output_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 700 },
      {
        input_tokens: 1400,
        output_tokens: 12,
        cache_creation_input_tokens: 50,
        cache_read_input_tokens: 900,
      },
    ];
    const api = await standIn(
      bash('echo id=t_42', { usage: usage[0] }),
      (call) => {
        const [printed] = toolResults(call.body);
        const id = /id=(\S+)/.exec(printed?.text ?? '')?.[1] ?? 'missing';
        return bash(`echo hello ${id} > out.txt`, { usage: usage[1] });
      },
      say('done', usage[2]),
    );
    const { home, work } = workspace();

    const run = harness.start(CLAUDE_BIN, [...HEADLESS, ...WORKER_POLICY], {
      cwd: work,
      env: claudeEnv(api, home),
      input: 'Write hello and the task id to out.txt.',
    });

    expect(await finished(run), describeRun(run)).toBe(0);
    expect(readFileSync(join(work, 'out.txt'), 'utf8')).toBe('hello t_42\n');
    expect(api.unscripted).toEqual([]);
    expect(api.calls).toHaveLength(3);

    const [init] = eventsOf(run, 'system', 'init');
    const sessionId = init?.session_id as string;
    expect(init).toMatchObject({
      model: MODEL,
      permissionMode: 'acceptEdits',
      apiKeySource: 'ANTHROPIC_API_KEY',
    });
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // The stand-in saw the key and the session, and got back each tool's result.
    expect(api.calls[0]!.request.headers['x-api-key']).toBe('sk-ant-stand-in');
    expect(api.calls[0]!.request.headers['x-claude-code-session-id']).toBe(sessionId);
    expect(toolResults(api.calls[1]!.body)).toMatchObject([{ text: 'id=t_42', isError: false }]);
    expect(toolResults(api.calls[2]!.body)).toMatchObject([{ isError: false }]);
    // stream-json echoes each tool result as a `user` event.
    expect(eventsOf(run, 'user')).toHaveLength(2);

    const result = resultOf(run);
    const total = sum(usage);
    expect(result).toMatchObject({ subtype: 'success', is_error: false, result: 'done', num_turns: 3 });
    expect(result.session_id).toBe(sessionId);
    expect(result.usage).toMatchObject(total);
    const cost =
      total.input_tokens * PRICE.input +
      total.output_tokens * PRICE.output +
      total.cache_read_input_tokens * PRICE.cacheRead +
      total.cache_creation_input_tokens * PRICE.cacheWrite;
    expect(result.total_cost_usd).toBeCloseTo(cost, 12);
  });

  it('--resume <session id> sends the earlier conversation and keeps the session id', async () => {
    const api = await standIn(say('first answer'), say('second answer'));
    const { home, work } = workspace();
    const sessionId = randomUUID();

    const first = harness.start(CLAUDE_BIN, [...HEADLESS, '--session-id', sessionId], {
      cwd: work,
      env: claudeEnv(api, home),
      input: 'first prompt',
    });
    expect(await finished(first), describeRun(first)).toBe(0);
    expect(resultOf(first).session_id).toBe(sessionId);

    const second = harness.start(CLAUDE_BIN, [...HEADLESS, '--resume', sessionId], {
      cwd: work,
      env: claudeEnv(api, home),
      input: 'second prompt',
    });
    expect(await finished(second), describeRun(second)).toBe(0);

    const resumed = api.calls[1]!.body;
    const texts = userMessages(resumed);
    expect(texts[0]).toContain('first prompt');
    expect(texts.at(-1)).toBe('second prompt');
    expect(resumed.messages.filter((m) => m.role === 'assistant').map((m) => m.content)).toEqual([
      [{ type: 'text', text: 'first answer' }],
    ]);
    expect(eventsOf(second, 'system', 'init')[0]?.session_id).toBe(sessionId);
    expect(resultOf(second)).toMatchObject({ session_id: sessionId, result: 'second answer' });
  });

  it('a stream-json user message written to stdin mid-run reaches the model in its next request', async () => {
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const api = await standIn(
      async () => {
        await firstHeld;
        return bash('echo working');
      },
      say('noted'),
      say('second turn'),
    );
    const { home, work } = workspace();
    const run = harness.start(
      CLAUDE_BIN,
      [
        ...HEADLESS,
        '--input-format',
        'stream-json',
        '--replay-user-messages',
        ...WORKER_POLICY,
        '--allowedTools',
        'Bash(echo *)',
      ],
      { cwd: work, env: claudeEnv(api, home), keepInputOpen: true },
    );
    const message = (text: string) => ({ type: 'user', message: { role: 'user', content: text } });

    run.send(message('start the task'));
    await waitFor('the first model call', () => api.calls.length === 1, { timeoutMs: 20_000 });
    run.send(message('STEER: also update the README'));
    // Lines on stdin are read in order: the answer to a control request sent after the message
    // proves Claude Code has read the message while the model call is still open.
    run.send({ type: 'control_request', request_id: 'probe-1', request: { subtype: 'get_settings' } });
    await waitFor('the control response', () =>
      run.events.some((e) => e.type === 'control_response' && JSON.stringify(e).includes('"probe-1"')),
    );
    expect(api.calls).toHaveLength(1);
    releaseFirst();

    await waitFor('the first result', () => eventsOf(run, 'result').length === 1, { timeoutMs: 20_000 });
    expect(requestText(api.calls[0]!.body)).not.toContain('STEER');
    expect(requestText(api.calls[1]!.body)).toContain('STEER: also update the README');
    // --replay-user-messages echoes it once consumed, marked isReplay.
    expect(
      eventsOf(run, 'user').filter((e) => e.isReplay === true && JSON.stringify(e).includes('STEER')),
    ).toHaveLength(1);

    // The process serves further turns until stdin closes.
    run.send(message('and one more thing'));
    await waitFor('the second result', () => eventsOf(run, 'result').length === 2, { timeoutMs: 20_000 });
    expect(userMessages(api.calls[2]!.body).at(-1)).toBe('and one more thing');
    run.endInput();
    expect(await run.exited, describeRun(run)).toBe(0);
    expect(api.unscripted).toEqual([]);
  });

  it('a 429 rate limit is retried after its retry-after, with an api_retry event, and the run succeeds', async () => {
    const api = await standIn(rateLimitError({ retryAfterSeconds: 1 }), say('after the retry'));
    const { home, work } = workspace();
    const run = harness.start(CLAUDE_BIN, HEADLESS, { cwd: work, env: claudeEnv(api, home), input: 'hi' });

    expect(await finished(run), describeRun(run)).toBe(0);
    const retries = eventsOf(run, 'system', 'api_retry');
    expect(retries).toMatchObject([{ attempt: 1, error_status: 429, error: 'rate_limit' }]);
    // The delay it announces follows retry-after (plus jitter), not its own shorter first backoff.
    expect(retries[0]!.retry_delay_ms).toBeGreaterThanOrEqual(1000);
    expect(resultOf(run)).toMatchObject({ subtype: 'success', is_error: false, result: 'after the retry' });
    expect(api.calls).toHaveLength(2);
  });

  it('a usage limit is reported as such, with its reset time, and ends the run with exit 1', async () => {
    const resetsAt = new Date(Date.now() + 2 * 3600_000);
    const api = await standIn(usageLimitError({ resetsAt, claim: 'five_hour' }));
    const { home, work } = workspace();
    // The subscriber-style credential: with a plain API key Claude Code reads no reset time.
    const env = claudeEnv(api, home, { ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: gatewayToken() });
    const run = harness.start(CLAUDE_BIN, HEADLESS, { cwd: work, env, input: 'hi' });

    expect(await finished(run), describeRun(run)).toBe(1);
    const resetSeconds = Math.floor(resetsAt.getTime() / 1000);
    expect(eventsOf(run, 'rate_limit_event')).toMatchObject([
      { rate_limit_info: { status: 'rejected', resetsAt: resetSeconds, rateLimitType: 'five_hour' } },
    ]);
    const result = resultOf(run);
    expect(result).toMatchObject({ is_error: true, api_error_status: 429, api_error: 'usage_limit_reached' });
    expect(result.result).toMatch(/^You've hit your 5-hour limit · resets /);
    // A reset hours away is not waited for: one call, no retries.
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]!.request.headers.authorization).toBe(`Bearer ${env.ANTHROPIC_AUTH_TOKEN}`);
  });

  it('with an API key the same usage limit is a plain 429 error, without a reset time', async () => {
    const api = await standIn(usageLimitError({ resetsAt: new Date(Date.now() + 2 * 3600_000) }));
    const { home, work } = workspace();
    const run = harness.start(CLAUDE_BIN, HEADLESS, { cwd: work, env: claudeEnv(api, home), input: 'hi' });

    expect(await finished(run), describeRun(run)).toBe(1);
    expect(eventsOf(run, 'rate_limit_event')).toEqual([]);
    const result = resultOf(run);
    expect(result).toMatchObject({ is_error: true, api_error_status: 429 });
    expect(result.result).toMatch(/^API Error: Request rejected \(429\)/);
  });
});

describe('Claude Code with an MCP server (--mcp-config)', () => {
  it('the model calls an MCP tool by its mcp__<server>__<tool> name and gets its result', async () => {
    const api = await standIn(toolUse('mcp__maestro__whoami', {}), say('done'));
    const { home, work } = workspace();
    const config = JSON.stringify({
      mcpServers: {
        maestro: { command: process.execPath, args: [join(import.meta.dirname, 'mcp-stub-server.mjs')] },
      },
    });
    const run = harness.start(
      CLAUDE_BIN,
      [...HEADLESS, '--strict-mcp-config', '--mcp-config', config, '--allowedTools', 'mcp__maestro__whoami'],
      // Without ENABLE_TOOL_SEARCH=false MCP tools are deferred: named in a system message, not in `tools`.
      { cwd: work, env: claudeEnv(api, home, { ENABLE_TOOL_SEARCH: 'false' }), input: 'who am I?' },
    );

    expect(await finished(run), describeRun(run)).toBe(0);
    expect(eventsOf(run, 'system', 'init')[0]).toMatchObject({
      mcp_servers: [{ name: 'maestro', status: 'connected' }],
      tools: expect.arrayContaining(['mcp__maestro__whoami']) as unknown,
    });
    expect(api.calls[0]!.body.tools?.map((t) => t.name)).toContain('mcp__maestro__whoami');
    expect(toolResults(api.calls[1]!.body)).toMatchObject([
      { text: 'session s_7 on task t_42', isError: false },
    ]);
    expect(resultOf(run)).toMatchObject({ subtype: 'success', result: 'done' });
  });
});

describe('Claude Code invocation rules', () => {
  it('a prompt after a list flag is read as the flag`s value; on stdin it is safe', async () => {
    const api = await standIn(say('ok'));
    const { home, work } = workspace();
    const eaten = harness.start(
      CLAUDE_BIN,
      [...HEADLESS, '--allowedTools', 'Bash(maestro *)', 'do the task'],
      {
        cwd: work,
        env: claudeEnv(api, home),
      },
    );
    expect(await eaten.exited).toBe(1);
    expect(eaten.stderr()).toContain('was read as a value of --allowedTools');
    expect(api.calls).toHaveLength(0);

    const safe = harness.start(CLAUDE_BIN, [...HEADLESS, '--allowedTools', 'Bash(maestro *)'], {
      cwd: work,
      env: claudeEnv(api, home),
      input: 'do the task',
    });
    expect(await finished(safe), describeRun(safe)).toBe(0);
    expect(userMessages(api.calls[0]!.body).at(-1)).toBe('do the task');
  });

  it('without a permission policy a file-writing Bash call is denied and reported, and the run still exits 0', async () => {
    const api = await standIn(bash('echo hello > out.txt'), say('could not'));
    const { home, work } = workspace();
    const run = harness.start(CLAUDE_BIN, HEADLESS, { cwd: work, env: claudeEnv(api, home), input: 'write' });

    expect(await finished(run), describeRun(run)).toBe(0);
    expect(eventsOf(run, 'system', 'permission_denied')).toMatchObject([{ tool_name: 'Bash' }]);
    expect(toolResults(api.calls[1]!.body)).toMatchObject([{ isError: true }]);
    expect(resultOf(run)).toMatchObject({ subtype: 'success', is_error: false });
    expect(resultOf(run).permission_denials).toHaveLength(1);
  });

  it('--dangerously-skip-permissions: refused for root unless IS_SANDBOX=1, accepted for a normal user', async () => {
    const root = process.getuid?.() === 0;
    const api = await standIn(
      bash('echo hello > out.txt'),
      say('done'),
      bash('echo hello > out.txt'),
      say('done'),
    );
    const bypass = [...HEADLESS, '--dangerously-skip-permissions'];

    if (root) {
      const { home, work } = workspace();
      const refused = harness.start(CLAUDE_BIN, bypass, {
        cwd: work,
        env: claudeEnv(api, home),
        input: 'write',
      });
      expect(await refused.exited).toBe(1);
      expect(refused.stderr()).toContain('cannot be used with root/sudo privileges');

      const sandboxed = harness.start(CLAUDE_BIN, bypass, {
        cwd: work,
        env: claudeEnv(api, home, { IS_SANDBOX: '1' }),
        input: 'write',
      });
      expect(await finished(sandboxed), describeRun(sandboxed)).toBe(0);
      expect(eventsOf(sandboxed, 'system', 'init')[0]?.permissionMode).toBe('bypassPermissions');
      expect(readFileSync(join(work, 'out.txt'), 'utf8')).toBe('hello\n');
    }

    // As a normal user (when the suite runs as root: the same invocation as `nobody`).
    const user = root ? { uid: 65534, gid: 65534 } : undefined;
    const { home, work } = workspace(user);
    const run = harness.start(CLAUDE_BIN, bypass, {
      cwd: work,
      env: claudeEnv(api, home),
      input: 'write',
      ...user,
    });
    expect(await finished(run), describeRun(run)).toBe(0);
    expect(eventsOf(run, 'system', 'init')[0]?.permissionMode).toBe('bypassPermissions');
    expect(readFileSync(join(work, 'out.txt'), 'utf8')).toBe('hello\n');
    if (!root) expect(api.calls).toHaveLength(2);
  });
});
