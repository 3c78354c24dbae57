import type { Readable, Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { ErrorBody } from '../contract/error-codes.js';
import type { OperationName } from '../contract/operations.js';
import { parseArgs } from '../contract/schema.js';
import { MCP_WAIT_DEFAULT_SECONDS, WAIT_TOOL_ARGS } from '../contract/wait.js';
import { background } from '../shared/background.js';
import {
  WAIT_TOOL,
  defaultedArguments,
  operationOfTool,
  toolDefinitions,
  type DefaultKind,
  type ToolContext,
  type ToolSet,
} from './tools.js';

/**
 * `maestro mcp`: the MCP server over stdio, built on the official SDK's low-level `Server` (the
 * tools' JSON Schemas come from the operation registry, and the registry's own schema checks the
 * arguments, so a refused argument is Maestro's `invalid_argument` naming the field). This module
 * is loaded only by the `mcp` command, so the rest of the CLI never loads the SDK.
 */

/** How the MCP server reaches Maestro: the CLI's client, given by the `mcp` command. */
export interface McpBackend {
  /** Runs one operation of the registry (arguments checked against its schema first). */
  call(operation: OperationName, args: Record<string, unknown>): Promise<unknown>;
  /** The value of an argument the caller left out: the CLI's project, or the session's task. */
  defaultFor(kind: DefaultKind): Promise<string>;
  /** The `wait` tool: the first matching event after the call, or timedOut (the CLI's `maestro wait`). */
  wait(request: { kinds: string[]; tasks: string[]; timeoutSeconds: number }): Promise<unknown>;
  /** The Maestro error a failure carries (the CLI's translation). */
  errorBody(error: unknown): ErrorBody;
}

export interface McpServeOptions {
  tools: ToolSet;
  /** Where the tools are served (inside a session with one task, that task is the default). */
  context?: ToolContext;
  backend: McpBackend;
  version: string;
  input?: Readable;
  output?: Writable;
}

/** A tool's failure: the Maestro error as JSON text (`{"error":{code,message,...}}`), flagged isError. */
export function errorResult(body: ErrorBody): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: body }) }] };
}

/** Builds the server (not yet connected); `serveMcp` connects it to stdio. */
export function createMcpServer(options: Omit<McpServeOptions, 'input' | 'output'>): Server {
  const { backend } = options;
  const served = new Set(options.tools.operations);
  const context = options.context ?? {};
  const tools = toolDefinitions(options.tools, context);
  const servedNames = tools.map((t) => t.name);
  const server = new Server(
    { name: 'maestro', version: options.version },
    { capabilities: { tools: { listChanged: false } } },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    if (request.params.name === WAIT_TOOL && options.tools.wait) {
      try {
        const args = parseArgs(WAIT_TOOL_ARGS, request.params.arguments ?? {});
        const result = await backend.wait({
          kinds: args.for,
          tasks: args.task,
          timeoutSeconds: args.timeoutSeconds ?? MCP_WAIT_DEFAULT_SECONDS,
        });
        return { content: [{ type: 'text', text: JSON.stringify(result) }] };
      } catch (error) {
        return errorResult(backend.errorBody(error));
      }
    }
    const operation = operationOfTool(request.params.name);
    if (!operation || !served.has(operation)) {
      return errorResult({
        code: 'invalid_argument',
        message: `Unknown tool '${request.params.name}'.`,
        hint: `This server serves ${servedNames.join(', ')}; start it with --tools all for every operation.`,
        details: { field: 'name' },
      });
    }
    try {
      const args: Record<string, unknown> = { ...(request.params.arguments ?? {}) };
      for (const [key, kind] of Object.entries(defaultedArguments(operation, context))) {
        if ((args[key] ?? '') === '') args[key] = await backend.defaultFor(kind);
      }
      const result = await backend.call(operation, args);
      return { content: [{ type: 'text', text: JSON.stringify(result ?? null) }] };
    } catch (error) {
      return errorResult(backend.errorBody(error));
    }
  });
  return server;
}

/** Serves MCP over stdio until the client closes the input. */
export async function serveMcp(options: McpServeOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const server = createMcpServer(options);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  const transport = new StdioServerTransport(input, options.output ?? process.stdout);
  await server.connect(transport);
  const ended = () => background('closing the MCP server', () => server.close());
  input.once('end', ended);
  input.once('close', ended);
  await closed;
}
