import { describe, expect, it } from 'vitest';
import { EMPTY_USAGE } from '../contract/views.js';
import {
  ADAPTERS,
  BUILT_IN_PROFILES,
  ProfileError,
  agentCatalog,
  parseProfile,
  type AgentSignal,
} from './index.js';
import { ClaudeStreamParser } from './claude.js';
import { CodexJsonParser, resetFromText } from './codex.js';

const claude = BUILT_IN_PROFILES.claude!;
const feed = (parser: { line(t: string): AgentSignal[] }, events: unknown[]) =>
  events.flatMap((e) => parser.line(typeof e === 'string' ? e : JSON.stringify(e)));

describe('the claude adapter', () => {
  it('headless: stream-json both ways, the prompt on its input, list flags last, the default worker policy', () => {
    const plan = ADAPTERS.claude.plan(claude, { prompt: 'do it', harnessSessionId: 'abc', resume: '' });
    expect(plan.input).toBe('stream');
    expect(plan.initialInput).toBe(
      `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'do it' } })}\n`,
    );
    expect(plan.command).toBe(
      "'claude' '-p' '--output-format' 'stream-json' '--verbose' '--input-format' 'stream-json' '--session-id' 'abc' '--permission-mode' 'acceptEdits' '--allowedTools' 'Bash(maestro *)' 'Read' 'Edit' 'Write' 'Glob' 'Grep' 'TodoWrite'",
    );
    expect(plan.command).not.toContain('do it');
    expect(plan.env).toMatchObject({ DISABLE_AUTOUPDATER: '1' });
    expect(plan.env.IS_SANDBOX).toBeUndefined();
  });

  it('full permissions lift the limits with the sandbox switch; a list names exactly its tools; resume and model', () => {
    const full = ADAPTERS.claude.plan(
      { ...claude, permissions: 'full', model: 'claude-sonnet-4-5' },
      { prompt: 'x', harnessSessionId: '', resume: 'r1' },
    );
    expect(full.command).toContain("'--dangerously-skip-permissions'");
    expect(full.command).toContain("'--model' 'claude-sonnet-4-5'");
    expect(full.command).toContain("'--resume' 'r1'");
    expect(full.command).not.toContain('--session-id');
    expect(full.env.IS_SANDBOX).toBe('1');
    const listed = ADAPTERS.claude.plan(
      { ...claude, permissions: ['Read'] },
      { prompt: 'x', harnessSessionId: '', resume: '' },
    );
    expect(listed.command.endsWith("'--allowedTools' 'Read'")).toBe(true);
  });

  it('interactive: the prompt after -- from the prompt file, no permission prompt, ended with /exit', () => {
    const profile = { ...claude, mode: 'interactive' as const };
    const plan = ADAPTERS.claude.plan(profile, { prompt: 'x', harnessSessionId: 'abc', resume: '' });
    expect(plan.command.endsWith(' -- "$(cat {promptFile})"')).toBe(true);
    expect(plan.command).toContain("'--permission-mode' 'dontAsk'");
    expect(plan.trustWorkingDir).toBe(true);
    expect(ADAPTERS.claude.finish(profile)).toEqual({ keys: '/exit' });
    expect(ADAPTERS.claude.message(profile, 'hi')).toEqual({ keys: 'hi' });
    expect(ADAPTERS.claude.finish(claude)).toEqual({ close: true });
  });

  it('reads tokens from each result (summed), the cost from the last total, and a usage limit with its reset', () => {
    const signals = feed(new ClaudeStreamParser(), [
      { type: 'system', subtype: 'init', session_id: 'sid-1', model: 'm', permissionMode: 'acceptEdits' },
      {
        type: 'assistant',
        message: {
          content: [{ type: 'tool_use', name: 'Bash', input: { command: 'ls' } }],
          usage: { output_tokens: 1 },
        },
      },
      {
        type: 'result',
        num_turns: 2,
        usage: { input_tokens: 20, output_tokens: 10, cache_read_input_tokens: 3 },
        total_cost_usd: 0.0002,
        result: 'ok',
      },
      'not json at all',
      { type: 'rate_limit_event', rate_limit_info: { status: 'rejected', resetsAt: 1_800_000_000 } },
      {
        type: 'result',
        num_turns: 1,
        is_error: true,
        api_error: 'usage_limit_reached',
        usage: { input_tokens: 5, output_tokens: 0 },
        total_cost_usd: 0.0003,
        result: "You've hit your limit",
      },
    ]);
    const usage = signals.filter((s) => s.kind === 'usage').map((s) => (s as { usage: object }).usage);
    expect(usage).toEqual([
      { toolCalls: 1 },
      { turns: 2, inputTokens: 20, outputTokens: 10, cacheReadTokens: 3, cacheWriteTokens: 0, durationMs: 0 },
      { turns: 1, inputTokens: 5, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, durationMs: 0 },
    ]);
    expect(signals.filter((s) => s.kind === 'cost').at(-1)).toEqual({ kind: 'cost', costUsd: 0.0003 });
    expect(signals[0]).toEqual({ kind: 'harness-session', id: 'sid-1' });
    expect(signals.find((s) => s.kind === 'limit')).toEqual({
      kind: 'limit',
      limit: {
        kind: 'usage',
        resetsAt: new Date(1_800_000_000_000).toISOString(),
        message: "You've hit your limit",
      },
    });
    expect(
      signals.some(
        (s) => s.kind === 'entry' && s.entry.kind === 'output' && s.entry.text === 'not json at all',
      ),
    ).toBe(true);
  });
});

describe('the codex adapter', () => {
  it('exec --json with the prompt on stdin, the worker sandbox with the network, resume by thread', () => {
    const plan = ADAPTERS.codex.plan(BUILT_IN_PROFILES.codex!, {
      prompt: 'x',
      harnessSessionId: '',
      resume: 'th-1',
    });
    expect(plan.input).toBe('prompt');
    expect(plan.command).toBe(
      "'codex' 'exec' '--json' '--skip-git-repo-check' '-s' 'workspace-write' '-c' 'sandbox_workspace_write.network_access=true' 'resume' 'th-1'",
    );
    expect(ADAPTERS.codex.message(BUILT_IN_PROFILES.codex!, 'hi')).toBeNull();
  });

  it('records the difference of the running totals, from the resumed session’s totals', () => {
    const parser = new CodexJsonParser({ ...EMPTY_USAGE, inputTokens: 100, outputTokens: 10 });
    const signals = feed(parser, [
      { type: 'turn.completed', usage: { input_tokens: 400, output_tokens: 30, cached_input_tokens: 0 } },
      { type: 'turn.completed', usage: { input_tokens: 450, output_tokens: 35, cached_input_tokens: 5 } },
    ]);
    expect(signals.filter((s) => s.kind === 'usage')).toEqual([
      { kind: 'usage', usage: { turns: 1, inputTokens: 300, outputTokens: 20, cacheReadTokens: 0 } },
      { kind: 'usage', usage: { turns: 1, inputTokens: 50, outputTokens: 5, cacheReadTokens: 5 } },
    ]);
  });

  it('a usage limit names its reset in local time: the next such time', () => {
    const now = new Date(2026, 11, 2, 18, 0, 0);
    expect(resetFromText('You’ve hit your usage limit … try again at 7:22 PM.', now)).toBe(
      new Date(2026, 11, 2, 19, 22).toISOString(),
    );
    expect(resetFromText('… try again at 5:00 PM.', now)).toBe(new Date(2026, 11, 3, 17, 0).toISOString());
    expect(resetFromText('no time here', now)).toBe('');
  });
});

describe('profiles', () => {
  it('refuses a profile that is not one, naming the field', () => {
    expect(() => parseProfile('x', { adapter: 'gpt' })).toThrow(ProfileError);
    expect(() => parseProfile('x', { adapter: 'claude', nope: 1 })).toThrow(/unknown field 'nope'/);
    expect(() => parseProfile('x', { adapter: 'claude', env: { MAESTRO_TOKEN: 'x' } })).toThrow(
      /not a variable/,
    );
    expect(() => parseProfile('Bad Name', {})).toThrow(/profile name/);
    expect(parseProfile('fast', { adapter: 'claude', model: 'm', permissions: ['Read'] })).toMatchObject({
      command: 'claude',
      permissions: ['Read'],
      mode: 'headless',
    });
  });

  it('claude is the default; agentCommand set to something else makes a command profile the default', () => {
    expect(agentCatalog({ agents: {}, defaultAgent: '', agentCommand: 'claude' }).defaultAgent).toBe(
      'claude',
    );
    const legacy = agentCatalog({ agents: {}, defaultAgent: '', agentCommand: 'my-agent {promptFile}' });
    expect(legacy.defaultAgent).toBe('command');
    expect(
      ADAPTERS.command.plan(legacy.profiles.command!, { prompt: '', harnessSessionId: '', resume: '' }),
    ).toMatchObject({
      input: 'none',
      program: 'my-agent',
    });
    expect(
      ADAPTERS.command.plan(
        { ...legacy.profiles.command!, command: 'my-agent' },
        { prompt: '', harnessSessionId: '', resume: '' },
      ).input,
    ).toBe('prompt');
    expect(() => agentCatalog({ agents: {}, defaultAgent: 'nope', agentCommand: 'claude' })).toThrow(
      /not a profile/,
    );
  });
});
