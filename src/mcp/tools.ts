import {
  OPERATIONS,
  OPERATION_NAMES,
  type OperationName,
  type OperationSpec,
} from '../contract/operations.js';
import type { FieldSpec, Shape } from '../contract/schema.js';
import { WAIT_TOOL_ARGS } from '../contract/wait.js';

/**
 * The MCP tools of `maestro mcp`, generated from the operation registry: one tool per operation
 * that has a gRPC method (the runner's WebSocket-only operations have none), named after the
 * operation with `_` for `.` (`task.get` is `task_get`; Claude Code shows it as
 * `mcp__maestro__task_get`), its arguments' JSON Schema built from the registry's schema with the
 * same limits. A tool's call is the operation's call: the arguments are checked by the registry's
 * schema and sent the way the CLI sends them.
 */

/** A JSON Schema, as MCP tool definitions carry it. */
export type JsonSchema = Record<string, unknown>;

export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, JsonSchema>; required?: string[] };
  annotations: { readOnlyHint: boolean };
}

/**
 * The tools a worker and an orchestrator need, served by default: reading and claiming work,
 * moving a task through its lifecycle, subtasks, reports, spawning a worker, the project's status;
 * with them, the `wait` tool (below). Their definitions cost under 2,000 tokens (`npm run bench:mcp`
 * measures them).
 */
export const DEFAULT_TOOL_OPERATIONS = [
  'task.get',
  'task.list',
  'task.ready',
  'task.create',
  'task.claim',
  'task.start',
  'task.complete',
  'task.block',
  'subtask.create',
  'subtask.complete',
  'report',
  'session.spawn',
  'status',
] as const satisfies readonly OperationName[];

/**
 * What the MCP server fills in for an argument the caller leaves out, as the CLI does: `project`,
 * the CLI's project (`--project`, MAESTRO_PROJECT_ID, the working directory's); `task`, the
 * session's task when MAESTRO_TASK_IDS names exactly one.
 */
export type DefaultKind = 'project' | 'task';

const DEFAULT_DESCRIPTIONS: Record<DefaultKind, string> = {
  project: "project id or name (default: the MCP server's project)",
  task: "task id (default: this session's task)",
};

/** The task argument of the operations whose CLI command takes the session's task when it is left out. */
const SESSION_TASK_ARGUMENT: Partial<Record<OperationName, string>> = {
  'task.get': 'id',
  'task.update': 'id',
  'task.start': 'id',
  'task.release': 'id',
  'task.block': 'id',
  'task.unblock': 'id',
  'task.complete': 'id',
  'subtask.create': 'taskId',
  'subtask.list': 'taskId',
  'subtask.complete': 'taskId',
  'subtask.reopen': 'taskId',
  'subtask.delete': 'taskId',
  report: 'taskId',
};

/** Where the tools are served: inside a session with one task, that task is the default. */
export interface ToolContext {
  sessionTask?: boolean;
}

/** The arguments of an operation the server fills in when they are left out. */
export function defaultedArguments(
  operation: OperationName,
  context: ToolContext = {},
): Record<string, DefaultKind> {
  const spec = (OPERATIONS as Record<string, OperationSpec>)[operation]!;
  const out: Record<string, DefaultKind> = {};
  if (Object.hasOwn(spec.args, 'projectId')) out.projectId = 'project';
  const taskArg = SESSION_TASK_ARGUMENT[operation];
  if (context.sessionTask && taskArg) out[taskArg] = 'task';
  return out;
}

/** The tool name of an operation: `task.dep.add` is `task_dep_add`. */
export const toolName = (operation: OperationName): string => operation.replace(/\./g, '_');

/** Every operation an MCP client may call: those carried over gRPC, in the registry's order. */
export const MCP_OPERATIONS: readonly OperationName[] = OPERATION_NAMES.filter(
  (name) => (OPERATIONS as Record<string, OperationSpec>)[name]!.grpc !== undefined,
);

const byToolName = new Map(MCP_OPERATIONS.map((name) => [toolName(name), name]));

/** The operation a tool name denotes (never a property of Object.prototype). */
export function operationOfTool(name: string): OperationName | undefined {
  return byToolName.get(name);
}

/** The JSON Schema of one argument, with the registry's limits. */
export function fieldSchema(spec: FieldSpec, describe = true): JsonSchema {
  const d = describe ? { description: spec.describe } : {};
  switch (spec.kind) {
    case 'string':
      return { type: 'string', ...d, maxLength: spec.max };
    case 'int':
      return { type: 'integer', ...d, minimum: spec.min, maximum: spec.max };
    case 'bool':
      return { type: 'boolean', ...d };
    case 'enum':
      return { type: 'string', ...d, enum: [...spec.values] };
    case 'list':
      // The item's own description repeats the list's: only the list's is kept.
      return { type: 'array', ...d, items: fieldSchema(spec.item, false), maxItems: spec.maxItems };
    case 'object':
      return { ...objectSchema(spec.fields), ...d };
  }
}

function required(spec: FieldSpec): boolean {
  return spec.kind !== 'bool' && spec.kind !== 'list' && !spec.optional;
}

function objectSchema(
  shape: Shape,
  defaulted: Readonly<Record<string, DefaultKind>> = {},
): ToolDefinition['inputSchema'] {
  const properties: Record<string, JsonSchema> = {};
  const needed: string[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const kind = Object.hasOwn(defaulted, key) ? defaulted[key] : undefined;
    const schema = fieldSchema(field.spec);
    if (kind) schema.description = DEFAULT_DESCRIPTIONS[kind];
    properties[key] = schema;
    if (required(field.spec) && !kind) needed.push(key);
  }
  return { type: 'object', properties, ...(needed.length > 0 ? { required: needed } : {}) };
}

/** The MCP definition of an operation's tool. */
export function toolDefinition(operation: OperationName, context: ToolContext = {}): ToolDefinition {
  const spec = (OPERATIONS as Record<string, OperationSpec>)[operation]!;
  return {
    name: toolName(operation),
    description: spec.summary,
    inputSchema: objectSchema(spec.args, defaultedArguments(operation, context)),
    annotations: { readOnlyHint: !spec.mutates },
  };
}

/** A tool set chosen by `--tools`: `default`, `all`, or tool or operation names separated by commas. */
export class ToolSetError extends Error {
  override readonly name = 'ToolSetError';
  constructor(
    message: string,
    readonly unknown: string,
  ) {
    super(message);
  }
}

/**
 * The one tool that is not an operation of the registry: `wait`, the CLI's `maestro wait` (it
 * watches the event log until a matching event), for an orchestrator that waits instead of polling.
 */
export const WAIT_TOOL = 'wait';

export function waitToolDefinition(): ToolDefinition {
  return {
    name: WAIT_TOOL,
    description:
      'Block until a matching event after the call (a task done, a session failed, a task blocked, a question, a task for review); returns {timedOut, event}.',
    inputSchema: objectSchema(WAIT_TOOL_ARGS),
    annotations: { readOnlyHint: true },
  };
}

/** The tools a server serves: operations of the registry, and whether `wait` is one of them. */
export interface ToolSet {
  operations: OperationName[];
  wait: boolean;
}

/** How many tools a set serves. */
export const toolCount = (set: ToolSet): number => set.operations.length + (set.wait ? 1 : 0);

/** The definitions of a set's tools, as `tools/list` serves them: the operations', then `wait`. */
export function toolDefinitions(set: ToolSet, context: ToolContext = {}): ToolDefinition[] {
  const tools = set.operations.map((o) => toolDefinition(o, context));
  if (set.wait) tools.push(waitToolDefinition());
  return tools;
}

export function selectTools(choice: string | undefined): ToolSet {
  const words = (choice ?? 'default')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  const out = new Set<OperationName>();
  let wait = false;
  for (const word of words.length > 0 ? words : ['default']) {
    if (word === 'default' || word === 'all') {
      (word === 'default' ? DEFAULT_TOOL_OPERATIONS : MCP_OPERATIONS).forEach((o) => out.add(o));
      wait = true;
    } else if (word === WAIT_TOOL) wait = true;
    else {
      const op = operationOfTool(word) ?? operationOfTool(word.replace(/\./g, '_'));
      if (!op) {
        throw new ToolSetError(
          `--tools '${word}' is not a tool; use default, all, or tool names such as task_get or wait.`,
          word,
        );
      }
      out.add(op);
    }
  }
  return { operations: MCP_OPERATIONS.filter((o) => out.has(o)), wait };
}
