import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  MCP_OPERATIONS,
  ToolSetError,
  WAIT_TOOL,
  selectTools,
  toolCount,
  type ToolSet,
} from '../../src/mcp/tools.js';
import { asCliError, cliError } from '../errors.js';
import type { Command, CommandContext } from '../registry.js';
import { waitForEvent } from '../wait.js';
import { VERSION } from './version.js';

/**
 * `maestro mcp`: Maestro's operations as MCP tools over stdio, for agents that prefer tools to a
 * shell. The SDK loads here, lazily, so no other command pays for it.
 */

const TOOLS_FLAG = {
  type: 'string',
  value: 'SET',
  describe: `Tools to serve: default (${toolCount(selectTools('default'))} for workers and orchestrators), all (${toolCount(selectTools('all'))}), or tool names separated by commas (task_get,task_claim,wait).`,
} as const;

function tools(ctx: CommandContext): ToolSet {
  try {
    return selectTools(ctx.flag('tools'));
  } catch (error) {
    if (error instanceof ToolSetError) {
      throw cliError('invalid_argument', error.message, 'Run `maestro mcp --help`.', {
        field: 'tools',
        value: error.unknown,
        accepted: ['default', 'all', ...MCP_OPERATIONS.map((o) => o.replace(/\./g, '_')), WAIT_TOOL],
      });
    }
    throw error;
  }
}

/** Where a program is on PATH, or undefined. */
function onPath(program: string, env: CommandContext['env']): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The stdio server entry Claude Code stores: how it starts `maestro mcp`. */
function serverEntry(ctx: CommandContext, scope: string): Record<string, unknown> {
  const toolArgs = ctx.flag('tools') ? ['--tools', ctx.flag('tools')!] : [];
  if (scope === 'project') {
    // A project's .mcp.json is shared with everyone who clones it: `maestro` from their PATH.
    return { type: 'stdio', command: 'maestro', args: ['mcp', ...toolArgs] };
  }
  // This machine's config: this very CLI, by absolute path (Claude Code's PATH may differ), with the
  // Maestro home, server and --project it was installed with (never a token: that stays in the home).
  const script = realpathSync(process.argv[1] ?? 'maestro');
  const env: Record<string, string> = {};
  if (ctx.env.MAESTRO_HOME) env.MAESTRO_HOME = ctx.env.MAESTRO_HOME;
  if (ctx.flag('server') || ctx.env.MAESTRO_SERVER) env.MAESTRO_SERVER = ctx.settings.server;
  if (ctx.flag('project')) env.MAESTRO_PROJECT_ID = ctx.flag('project')!;
  return {
    type: 'stdio',
    command: process.execPath,
    args: [script, 'mcp', ...toolArgs],
    ...(Object.keys(env).length > 0 ? { env } : {}),
  };
}

export const MCP_COMMANDS: Command[] = [
  {
    path: ['mcp'],
    summary:
      "Serve Maestro's operations as MCP tools over stdio (for Claude Code and other MCP clients); runs until the client disconnects.",
    flags: { tools: TOOLS_FLAG },
    examples: [
      'maestro mcp',
      'maestro mcp --tools all',
      'claude --mcp-config \'{"mcpServers":{"maestro":{"command":"maestro","args":["mcp"]}}}\'',
    ],
    env: ['MAESTRO_PROJECT_ID', 'MAESTRO_SESSION_ID', 'MAESTRO_TASK_IDS'],
    async run(ctx) {
      const set = tools(ctx);
      const { serveMcp } = await import('../../src/mcp/server.js');
      const sessionTasks = (ctx.env.MAESTRO_TASK_IDS ?? '').split(',').filter((t) => t.trim());
      await serveMcp({
        tools: set,
        version: VERSION,
        context: { sessionTask: sessionTasks.length === 1 },
        backend: {
          call: (operation, args) => ctx.client().op(operation, args as never),
          defaultFor: async (kind) => (kind === 'project' ? ctx.projectId() : ctx.taskId(undefined)),
          wait: (request) => waitForEvent(ctx.client(), request),
          errorBody: (error) => asCliError(error).body,
        },
      });
      return { data: null, streamed: true };
    },
  },
  {
    path: ['mcp', 'install'],
    summary:
      "Add Maestro's MCP server to Claude Code's configuration (through `claude mcp add-json`; for a project without Claude Code, its .mcp.json).",
    flags: {
      scope: {
        type: 'string',
        choices: ['user', 'project', 'local'],
        describe:
          'user: every project of this user (default); project: .mcp.json in this folder, shared; local: this folder, for this user only.',
      },
      tools: TOOLS_FLAG,
    },
    mutatesLocally: true,
    examples: ['maestro mcp install', 'maestro mcp install --scope project --tools all'],
    env: ['PATH', 'MAESTRO_HOME', 'CLAUDE_CONFIG_DIR'],
    async run(ctx) {
      tools(ctx); // a bad --tools is refused before anything is written
      const scope = ctx.flag('scope') ?? 'user';
      const entry = serverEntry(ctx, scope);
      const claude = onPath('claude', ctx.env);
      if (claude) {
        const env = { ...process.env, ...ctx.env } as NodeJS.ProcessEnv;
        const opts = { cwd: ctx.cwd, env, encoding: 'utf8', timeout: 60_000 } as const;
        // Replaces an earlier entry: add-json refuses a name that exists.
        spawnSync(claude, ['mcp', 'remove', '--scope', scope, 'maestro'], opts);
        const added = spawnSync(
          claude,
          ['mcp', 'add-json', '--scope', scope, 'maestro', JSON.stringify(entry)],
          opts,
        );
        if (added.status !== 0) {
          throw cliError(
            'internal',
            `claude mcp add-json failed (exit ${added.status ?? added.signal}): ${`${added.stderr}${added.stdout}`.trim()}`,
            undefined,
            { claude },
          );
        }
        return {
          data: { name: 'maestro', scope, via: 'claude', claude, server: entry },
          human: `Added the MCP server 'maestro' to Claude Code (${scope} scope): ${[entry.command, ...(entry.args as string[])].join(' ')}`,
        };
      }
      if (scope !== 'project') {
        throw cliError(
          'invalid_argument',
          `Claude Code ('claude') is not on PATH; the ${scope} scope is written by 'claude mcp add-json'.`,
          'Install Claude Code, or use --scope project to write .mcp.json in this folder.',
          { field: 'scope' },
        );
      }
      const file = join(ctx.cwd, '.mcp.json');
      let config: { mcpServers?: Record<string, unknown> } = {};
      if (existsSync(file)) {
        try {
          config = JSON.parse(readFileSync(file, 'utf8')) as typeof config;
        } catch (error) {
          throw cliError(
            'invalid_argument',
            `${file} is not valid JSON (${(error as Error).message}); nothing was changed.`,
            undefined,
            { field: 'file', file },
          );
        }
      }
      config.mcpServers = { ...(config.mcpServers ?? {}), maestro: entry };
      writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
      return {
        data: { name: 'maestro', scope, via: 'file', file, server: entry },
        human: `Added the MCP server 'maestro' to ${file}.`,
      };
    },
  },
];
