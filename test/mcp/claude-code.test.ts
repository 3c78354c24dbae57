import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { selectTools, toolDefinitions } from '../../src/mcp/tools.js';
import { AnthropicStandIn, say, toolResults, toolUse, type Turn } from '../support/anthropic-stand-in.js';
import { CLI } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import {
  CLAUDE_BIN,
  describeRun,
  eventsOf,
  harnessProcesses,
  requireHarness,
  type HarnessRun,
} from '../harness/harness-process.js';

/**
 * The real Claude Code (pinned in package.json), headless, with `maestro mcp` as its MCP server
 * (`--mcp-config`) and the scripted Messages API stand-in as its model: the model calls Maestro's
 * tools by their `mcp__maestro__<tool>` names and the test reads the real server's state.
 */

const MODEL = 'claude-sonnet-4-5';
const HEADLESS = ['-p', '--output-format', 'stream-json', '--verbose', '--model', MODEL];

const harness = harnessProcesses();
const standIns: AnthropicStandIn[] = [];
const home = tempHome('maestro-mcp-claude-');
let server: RunningServer;
let grpc: TestClient;

beforeAll(async () => {
  requireHarness(CLAUDE_BIN, '2.1.328 (Claude Code)');
  server = await startTestServer(home.home);
  grpc = TestClient.for(server);
});
afterEach(async () => {
  for (const s of standIns.splice(0)) await s.close();
});
afterAll(async () => {
  grpc.close();
  await server.close();
  home.cleanup();
});

interface Task {
  id: string;
  title: string;
  status: string;
  claim: { holder: string } | null;
}

/** Claude Code's environment: the stand-in, a private config, no other traffic; Maestro's address. */
function claudeEnv(api: AnthropicStandIn, claudeHome: string, extra: Record<string, string> = {}) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: claudeHome,
    CLAUDE_CONFIG_DIR: join(claudeHome, '.claude'),
    ANTHROPIC_BASE_URL: api.url,
    ANTHROPIC_API_KEY: 'sk-ant-stand-in',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    // MCP tools in full in the request's `tools`, not deferred behind the tool search.
    ENABLE_TOOL_SEARCH: 'false',
    ...extra,
  };
}

/** The MCP config that starts the built `maestro mcp`, with what it needs to reach the server. */
function mcpConfig(env: Record<string, string>, args: string[] = []): string {
  return JSON.stringify({
    mcpServers: { maestro: { command: process.execPath, args: [CLI, 'mcp', ...args], env } },
  });
}

function maestroEnv(actor: string): Record<string, string> {
  return {
    MAESTRO_HOME: home.home,
    MAESTRO_SERVER: `127.0.0.1:${server.grpc.port}`,
    MAESTRO_TOKEN: server.token,
    MAESTRO_ACTOR: actor,
  };
}

async function standIn(...script: Turn[]): Promise<AnthropicStandIn> {
  const s = await AnthropicStandIn.start(script);
  standIns.push(s);
  return s;
}

async function finished(run: HarnessRun): Promise<number | string> {
  const code = await run.exited;
  expect(eventsOf(run, 'result'), describeRun(run)).not.toHaveLength(0);
  return code;
}

/** The JSON a tool result's text holds. */
const parsed = (text: string | undefined) => JSON.parse(text ?? 'null') as Record<string, unknown>;

describe('Claude Code calling maestro mcp (--mcp-config)', () => {
  it('the model creates, claims and completes a task through Maestro`s tools; the server has it', async () => {
    let created: Task | undefined;
    const api = await standIn(
      toolUse('mcp__maestro__task_create', { title: 'Written by Claude', priority: 'high' }),
      (call) => {
        created = parsed(toolResults(call.body)[0]?.text) as unknown as Task;
        return toolUse('mcp__maestro__task_claim', { id: created.id });
      },
      (call) => {
        expect(toolResults(call.body)[0]).toMatchObject({ isError: false });
        return toolUse('mcp__maestro__task_complete', { id: created!.id });
      },
      say('done'),
    );
    const claudeHome = harness.tempDir('mcp-claude-home');
    const work = harness.tempDir('mcp-claude-work');
    const run = harness.start(
      CLAUDE_BIN,
      [
        ...HEADLESS,
        '--strict-mcp-config',
        '--mcp-config',
        mcpConfig(maestroEnv('claude-worker')),
        '--allowedTools',
        'mcp__maestro__*',
      ],
      { cwd: work, env: claudeEnv(api, claudeHome), input: 'Record a task, claim it and complete it.' },
    );

    expect(await finished(run), describeRun(run)).toBe(0);
    expect(api.unscripted).toEqual([]);
    const [init] = eventsOf(run, 'system', 'init');
    expect(init, describeRun(run)).toMatchObject({ mcp_servers: [{ name: 'maestro', status: 'connected' }] });
    // The default tools, and only those, reached the model with their registry schemas.
    const sent = api.calls[0]!.body.tools ?? [];
    const maestroTools = sent.filter((t) => t.name.startsWith('mcp__maestro__')).map((t) => t.name);
    expect(maestroTools.sort()).toEqual(
      toolDefinitions(selectTools('default'))
        .map((t) => `mcp__maestro__${t.name}`)
        .sort(),
    );
    expect(maestroTools).toEqual(
      expect.arrayContaining(['mcp__maestro__task_claim', 'mcp__maestro__status', 'mcp__maestro__wait']),
    );

    expect(created).toMatchObject({ title: 'Written by Claude', status: 'pending' });
    const onServer = await grpc.call<{ task: Task }>('Tasks', 'Get', { id: created!.id });
    expect(onServer.task).toMatchObject({ title: 'Written by Claude', status: 'completed' });
    const claimedBy = await grpc.call<{ timeline: { actor: string; kind: string }[] }>('Tasks', 'Get', {
      id: created!.id,
    });
    expect(claimedBy.timeline.map((e) => e.actor)).toContain('claude-worker');
    const completedResult = parsed(toolResults(api.calls[3]!.body)[0]?.text);
    expect(completedResult).toMatchObject({ id: created!.id, status: 'completed' });
  });

  it('a refused call reaches the model as an error result with the Maestro code; nothing changes', async () => {
    const before = (await grpc.call<{ tasks: Task[] }>('Tasks', 'List', {})).tasks.length;
    const api = await standIn(
      toolUse('mcp__maestro__task_create', { title: 'Bad priority', priority: 'urgent' }),
      toolUse('mcp__maestro__task_complete', { id: 't_99999' }),
      say('gave up'),
    );
    const claudeHome = harness.tempDir('mcp-claude-home');
    const work = harness.tempDir('mcp-claude-work');
    const run = harness.start(
      CLAUDE_BIN,
      [
        ...HEADLESS,
        '--strict-mcp-config',
        '--mcp-config',
        mcpConfig(maestroEnv('claude-worker')),
        '--allowedTools',
        'mcp__maestro__task_create',
        'mcp__maestro__task_complete',
      ],
      { cwd: work, env: claudeEnv(api, claudeHome), input: 'Try it.' },
    );

    expect(await finished(run), describeRun(run)).toBe(0);
    const [bad] = toolResults(api.calls[1]!.body);
    expect(bad?.isError, describeRun(run)).toBe(true);
    expect(parsed(bad?.text)).toMatchObject({
      error: {
        code: 'invalid_argument',
        details: { field: 'priority', accepted: ['high', 'medium', 'low'] },
      },
    });
    const [missing] = toolResults(api.calls[2]!.body);
    expect(missing?.isError).toBe(true);
    expect(parsed(missing?.text)).toMatchObject({ error: { code: 'task_not_found' } });
    expect((await grpc.call<{ tasks: Task[] }>('Tasks', 'List', {})).tasks.length).toBe(before);
  });

  it('without env in the config, maestro mcp gets Claude Code`s environment (a worker session`s variables)', async () => {
    const api = await standIn(
      toolUse('mcp__maestro__task_create', { title: 'From the inherited env' }),
      say('ok'),
    );
    const claudeHome = harness.tempDir('mcp-claude-home');
    const work = harness.tempDir('mcp-claude-work');
    const config = JSON.stringify({
      mcpServers: { maestro: { command: process.execPath, args: [CLI, 'mcp'] } },
    });
    const run = harness.start(
      CLAUDE_BIN,
      [
        ...HEADLESS,
        '--strict-mcp-config',
        '--mcp-config',
        config,
        '--allowedTools',
        'mcp__maestro__task_create',
      ],
      { cwd: work, env: claudeEnv(api, claudeHome, maestroEnv('inherited-actor')), input: 'Record it.' },
    );
    expect(await finished(run), describeRun(run)).toBe(0);
    const [result] = toolResults(api.calls[1]!.body);
    expect(result?.isError, result?.text).toBe(false);
    const task = parsed(result?.text) as unknown as Task;
    const detail = await grpc.call<{ task: Task; timeline: { actor: string }[] }>('Tasks', 'Get', {
      id: task.id,
    });
    expect(detail.task.title).toBe('From the inherited env');
    expect(detail.timeline.map((e) => e.actor)).toContain('inherited-actor');
  });
});
