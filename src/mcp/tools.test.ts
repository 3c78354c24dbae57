import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../contract/operations.js';
import {
  DEFAULT_TOOL_OPERATIONS,
  MCP_OPERATIONS,
  ToolSetError,
  operationOfTool,
  selectTools,
  toolDefinition,
  waitToolDefinition,
} from './tools.js';

const byRegistry = (a: string, b: string) =>
  MCP_OPERATIONS.indexOf(a as never) - MCP_OPERATIONS.indexOf(b as never);

describe('MCP tools from the operation registry', () => {
  it('names each operation with _ for . and finds it back; runner operations are not tools', () => {
    expect(toolDefinition('task.dep.add').name).toBe('task_dep_add');
    expect(operationOfTool('task_dep_add')).toBe('task.dep.add');
    expect(operationOfTool('constructor')).toBeUndefined();
    expect(operationOfTool('runner_report')).toBeUndefined();
    expect(MCP_OPERATIONS).not.toContain('runner.report');
    expect(MCP_OPERATIONS.length).toBe(Object.values(OPERATIONS).filter((o) => 'grpc' in o).length);
  });

  it('turns the schema`s limits into JSON Schema, and marks what is required', () => {
    const block = toolDefinition('task.block');
    expect(block).toEqual({
      name: 'task_block',
      description: OPERATIONS['task.block'].summary,
      inputSchema: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'task id', maxLength: 64 },
          reason: { type: 'string', description: 'what blocks it', maxLength: 2000 },
          expectedVersion: {
            type: 'integer',
            description: 'refuse unless the task is at this version',
            minimum: 1,
            maximum: 2_147_483_647,
          },
        },
        required: ['id', 'reason'],
      },
      annotations: { readOnlyHint: false },
    });
    const report = toolDefinition('session.report').inputSchema.properties.terminal!;
    expect(report).toMatchObject({ type: 'object', required: ['backend', 'host', 'socket', 'target'] });
    expect(toolDefinition('status').inputSchema).toEqual({
      type: 'object',
      properties: {
        projectId: { type: 'string', description: expect.stringMatching(/default/), maxLength: 200 },
      },
    });
  });

  it('selects default, all, or named tools; an unknown name is refused', () => {
    expect(selectTools(undefined)).toEqual({
      operations: [...DEFAULT_TOOL_OPERATIONS].sort(byRegistry),
      wait: true,
    });
    expect(selectTools('all')).toEqual({ operations: MCP_OPERATIONS, wait: true });
    expect(selectTools('default,task_delete').operations).toContain('task.delete');
    expect(selectTools('whoami, task.get')).toEqual({ operations: ['task.get', 'whoami'], wait: false });
    expect(selectTools('wait')).toEqual({ operations: [], wait: true });
    expect(() => selectTools('task_nope')).toThrow(ToolSetError);
  });

  it('the wait tool takes the CLI`s --for, --task and --timeout, with their limits', () => {
    const wait = waitToolDefinition();
    expect(wait.name).toBe('wait');
    expect(wait.annotations.readOnlyHint).toBe(true);
    expect(wait.inputSchema.required).toBeUndefined();
    expect(wait.inputSchema.properties.for).toMatchObject({
      type: 'array',
      items: { type: 'string', enum: ['done', 'failed', 'blocked', 'question', 'review', 'any'] },
    });
    expect(wait.inputSchema.properties.timeoutSeconds).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 3600,
    });
  });
});
