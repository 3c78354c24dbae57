#!/usr/bin/env node
// What the tool definitions of `maestro mcp` cost a model's context: starts the built CLI's MCP
// server over stdio with the SDK's own client, lists its tools (the default set, then --tools all),
// and counts the tokens of the definitions. See bench/README.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { CLI, ROOT, parseOptions, runMain } from './lib.mjs';

const CLAUDE_BIN = join(ROOT, 'node_modules/.bin/claude');

const HELP = `Usage: node bench/mcp-tools.mjs [--server-name NAME]

Lists the tools of \`maestro mcp\` (default set and --tools all) with the MCP SDK's client and
prints what their definitions cost in tokens:
  o200k    tokens of the o200k_base BPE (gpt-tokenizer, offline); Claude's own tokenizer is not
           published, and counts of the same JSON differ between tokenizers by some 10-20 %
  chars/4  the usual rule of thumb: characters of the JSON / 4
Two forms are counted: the definitions as tools/list serves them (name, description,
inputSchema, annotations), and as Claude Code sends them to the Messages API
({name: mcp__<server>__<tool>, description, input_schema}). Run with \`node --import tsx\` (as
\`npm run bench:mcp\` does), it also starts the real Claude Code (node_modules/.bin/claude) with
the default set over --mcp-config against the scripted Messages API stand-in, and counts the
mcp__maestro__ tools in the request Claude Code really sends (ENABLE_TOOL_SEARCH=false).`;

/** The maestro tools in the first request the real Claude Code sends, or undefined without it. */
async function toolsClaudeSends(home, serverName) {
  if (!existsSync(CLAUDE_BIN)) return undefined;
  let AnthropicStandIn;
  try {
    ({ AnthropicStandIn } = await import('../test/support/anthropic-stand-in.ts'));
  } catch {
    return undefined; // plain node: no TypeScript loader
  }
  const { say } = await import('../test/support/anthropic-stand-in.ts');
  const api = await AnthropicStandIn.start([say('ok')]);
  try {
    const config = JSON.stringify({
      mcpServers: { [serverName]: { command: process.execPath, args: [CLI, 'mcp'] } },
    });
    const child = spawn(
      CLAUDE_BIN,
      [
        '-p',
        '--output-format',
        'json',
        '--model',
        'claude-sonnet-4-5',
        '--strict-mcp-config',
        '--mcp-config',
        config,
      ],
      {
        cwd: home,
        stdio: ['pipe', 'ignore', 'ignore'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          MAESTRO_HOME: home,
          CLAUDE_CONFIG_DIR: join(home, '.claude'),
          ANTHROPIC_BASE_URL: api.url,
          ANTHROPIC_API_KEY: 'sk-ant-stand-in',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          DISABLE_AUTOUPDATER: '1',
          DISABLE_TELEMETRY: '1',
          ENABLE_TOOL_SEARCH: 'false',
        },
      },
    );
    child.stdin.end('hello');
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    await new Promise((resolve) => child.once('close', resolve));
    clearTimeout(timer);
    const body = api.calls[0]?.body;
    if (!body) return undefined;
    const all = body.tools ?? [];
    return { mine: all.filter((t) => t.name.startsWith(`mcp__${serverName}__`)), all };
  } finally {
    await api.close();
  }
}

async function listTools(home, set) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--tools', set],
    env: { PATH: process.env.PATH ?? '', HOME: home, MAESTRO_HOME: home },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'bench-mcp-tools', version: '0.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    return tools;
  } finally {
    await client.close();
  }
}

function measure(tools, serverName) {
  const served = JSON.stringify(tools);
  const api = JSON.stringify(
    tools.map((t) => ({
      name: `mcp__${serverName}__${t.name}`,
      description: t.description,
      input_schema: t.inputSchema,
    })),
  );
  const perTool = tools
    .map((t) => ({ name: t.name, o200k: countTokens(JSON.stringify(t)) }))
    .sort((a, b) => b.o200k - a.o200k);
  return {
    tools: tools.length,
    served: { chars: served.length, charsOver4: Math.ceil(served.length / 4), o200k: countTokens(served) },
    api: { chars: api.length, charsOver4: Math.ceil(api.length / 4), o200k: countTokens(api) },
    largest: perTool.slice(0, 3),
    apiJson: api,
  };
}

/** Tool definitions as one JSON text, in name order (Claude Code orders them its own way). */
const byName = (tools) => JSON.stringify([...tools].sort((a, b) => a.name.localeCompare(b.name)));

async function main() {
  const options = parseOptions(['server-name'], HELP);
  const serverName = options['server-name'] ?? 'maestro';
  const home = mkdtempSync(join(tmpdir(), 'maestro-bench-mcp-'));
  try {
    const figures = {};
    for (const set of ['default', 'all']) figures[set] = measure(await listTools(home, set), serverName);
    console.log('maestro mcp: the cost of the tool definitions in a model context');
    console.log('tokenizer: o200k_base (gpt-tokenizer 4.0.0); also characters / 4\n');
    console.log(
      'set       tools  served: chars  o200k  chars/4   as sent by Claude Code: chars  o200k  chars/4',
    );
    for (const [set, f] of Object.entries(figures)) {
      console.log(
        `${set.padEnd(8)}  ${String(f.tools).padStart(5)}  ${String(f.served.chars).padStart(13)}  ${String(f.served.o200k).padStart(5)}  ${String(f.served.charsOver4).padStart(7)}   ${String(f.api.chars).padStart(29)}  ${String(f.api.o200k).padStart(5)}  ${String(f.api.charsOver4).padStart(7)}`,
      );
    }
    for (const [set, f] of Object.entries(figures)) {
      console.log(`largest (${set}): ${f.largest.map((t) => `${t.name} ${t.o200k}`).join(', ')}`);
    }
    const sent = await toolsClaudeSends(home, serverName);
    if (sent) {
      const json = JSON.stringify(sent.mine);
      const everything = JSON.stringify(sent.all);
      figures.claudeCode = {
        tools: sent.mine.length,
        chars: json.length,
        o200k: countTokens(json),
        charsOver4: Math.ceil(json.length / 4),
        sameAsDefinitions: byName(sent.mine) === byName(JSON.parse(figures.default.apiJson)),
        allTools: sent.all.length,
        allToolsO200k: countTokens(everything),
      };
      const c = figures.claudeCode;
      console.log(
        `\nthe real Claude Code's request (default set): ${c.tools} maestro tools, ${c.chars} chars, ${c.o200k} o200k, ${c.charsOver4} chars/4` +
          ` (all ${c.allTools} tools it sends, its own included: ${c.allToolsO200k} o200k);` +
          ` the same JSON as the definitions served: ${c.sameAsDefinitions ? 'yes' : 'no'}`,
      );
    } else {
      console.log('\n(the real Claude Code was not measured: run with node --import tsx and npm ci)');
    }
    const budget = 2000;
    const worst = Math.max(figures.default.served.o200k, figures.default.served.charsOver4);
    console.log(
      `\ndefault set: ${worst} tokens by the larger count; budget ${budget}: ${worst < budget ? 'within' : 'OVER'}`,
    );
    for (const f of Object.values(figures)) delete f.apiJson;
    console.log(
      JSON.stringify({ bench: 'mcp-tools', tokenizer: 'o200k_base (gpt-tokenizer 4.0.0)', ...figures }),
    );
    if (worst >= budget) process.exitCode = 1;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

runMain(main);
