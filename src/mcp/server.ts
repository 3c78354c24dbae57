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
import { background } from '../shared/background.js';
import {
  defaultedArguments,
  operationOfTool,
  toolDefinition,
  toolName,
  type DefaultKind,
  type ToolContext,
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
  /** The Maestro error a failure carries (the CLI's translation). */
  errorBody(error: unknown): ErrorBody;
}

export interface McpServeOptions {
  operations: readonly OperationName[];
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
  const served = new Set(options.operations);
  const context = options.context ?? {};
  const tools = options.operations.map((o) => toolDefinition(o, context));
  const server = new Server(
    { name: 'maestro', version: options.version },
    { capabilities: { tools: { listChanged: false } } },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const operation = operationOfTool(request.params.name);
    if (!operation || !served.has(operation)) {
      return errorResult({
        code: 'invalid_argument',
        message: `Unknown tool '${request.params.name}'.`,
        hint: `This server serves ${[...served].map(toolName).join(', ')}; start it with --tools all for every operation.`,
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
