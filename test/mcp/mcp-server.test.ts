import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/contract/operations.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { DEFAULT_TOOL_OPERATIONS, MCP_OPERATIONS } from '../../src/mcp/tools.js';
import { CLI, ROOT, cliEnv, runCli } from '../support/cli.js';
import { openWatches } from '../support/prometheus.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';

/**
 * `maestro mcp` as an MCP client sees it: the SDK's own Client and StdioClientTransport start the
 * built CLI, which reaches a real server on port 0 over gRPC like every other command.
 */

interface Task {
  id: string;
  title: string;
  status: string;
  projectId: string;
  claim: { holder: string } | null;
}

const home = tempHome('maestro-mcp-');
let server: RunningServer;
let grpc: TestClient;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startTestServer(home.home);
  grpc = TestClient.for(server);
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});
afterAll(async () => {
  grpc.close();
  await server.close();
  home.cleanup();
});

async function connect(args: string[] = [], extra: Record<string, string> = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    env: cliEnv(server, home.home, { MAESTRO_ACTOR: 'mcp-worker', ...extra }),
    cwd: home.home,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'mcp-test', version: '0.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const block = result.content[0];
  if (block?.type !== 'text') throw new Error(`tool ${name} answered no text: ${JSON.stringify(result)}`);
  return { isError: result.isError === true, value: JSON.parse(block.text) as Record<string, unknown> };
}

/** A call that must succeed: its reply. */
async function ok<T>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const r = await call(client, name, args);
  if (r.isError) throw new Error(`tool ${name} failed: ${JSON.stringify(r.value)}`);
  return r.value as T;
}

/** A call that must fail: the Maestro error it carries. */
async function refused(client: Client, name: string, args: Record<string, unknown> = {}) {
  const r = await call(client, name, args);
  expect(r.isError, JSON.stringify(r.value)).toBe(true);
  return r.value.error as { code: string; message: string; details?: Record<string, unknown> };
}

const taskCount = async () => (await grpc.call<{ tasks: Task[] }>('Tasks', 'List', {})).tasks.length;

describe('maestro mcp over stdio, with the MCP SDK client', () => {
  it('serves the small default tool set, generated from the registry', async () => {
    const client = await connect();
    expect(client.getServerVersion()).toMatchObject({ name: 'maestro', version: '0.1.0' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [...DEFAULT_TOOL_OPERATIONS.map((o) => o.replace(/\./g, '_')), 'wait'].sort(),
    );
    const claim = tools.find((t) => t.name === 'task_claim')!;
    expect(claim.description).toBe(OPERATIONS['task.claim'].summary);
    expect(claim.annotations).toMatchObject({ readOnlyHint: false });
    expect(claim.inputSchema.properties).toMatchObject({
      leaseSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
      next: { type: 'boolean' },
    });
    const create = tools.find((t) => t.name === 'task_create')!;
    // projectId is filled in by the server when left out: only the title is required.
    expect(create.inputSchema.required).toEqual(['title']);
    expect(create.inputSchema.properties).toMatchObject({
      title: { type: 'string', maxLength: 500 },
      priority: { enum: ['high', 'medium', 'low'] },
      labels: { type: 'array', maxItems: 50 },
    });
    expect(tools.find((t) => t.name === 'task_get')!.annotations).toMatchObject({ readOnlyHint: true });
    expect(tools.find((t) => t.name === 'task_complete')!.inputSchema.required).toEqual(['id']);
    // The definitions stay small (bench/mcp-tools.mjs counts tokens): about 6,000 characters.
    expect(JSON.stringify(tools).length).toBeLessThan(8000);
  });

  it('--tools all serves every operation carried over gRPC; a list serves just those', async () => {
    const all = await (await connect(['--tools', 'all'])).listTools();
    expect(all.tools.map((t) => t.name)).toEqual([
      ...MCP_OPERATIONS.map((o) => o.replace(/\./g, '_')),
      'wait',
    ]);
    expect(all.tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['task_dep_add', 'session_transcript', 'project_create', 'whoami']),
    );
    expect(all.tools.map((t) => t.name)).not.toContain('runner_report');
    const some = await (await connect(['--tools', 'task_get,session.list'])).listTools();
    expect(some.tools.map((t) => t.name)).toEqual(['task_get', 'session_list']);
  });

  it('wait blocks until a matching event after the call, as maestro wait does, or answers timedOut', async () => {
    const client = await connect();
    // In a project of its own, so that the other tests' counts are not changed.
    const { id: projectId } = await grpc.call<{ id: string }>('Projects', 'Create', { name: 'waiting' });
    const first = await ok<Task>(client, 'task_create', { title: 'Waited for', projectId });
    const other = await ok<Task>(client, 'task_create', { title: 'Not waited for', projectId });
    // A completion of another task does not match; the one of the waited task does.
    const waited = call(client, 'wait', { for: ['done'], task: [first.id], timeoutSeconds: 60 });
    const orchestrator = TestClient.for(server, { actor: 'mcp-worker' });
    try {
      // Once the wait watches the event log (an Events.Watch stream open on the server), a
      // completion of the other task, then of the waited one.
      await expect.poll(() => openWatches(server), { timeout: 15_000 }).toBe(1);
      for (const t of [other, first]) {
        await orchestrator.call('Tasks', 'Claim', { id: t.id, leaseSeconds: 600 });
        await orchestrator.call('Tasks', 'Start', { id: t.id });
        await orchestrator.call('Tasks', 'Complete', { id: t.id });
      }
      const result = await waited;
      expect(result.isError, JSON.stringify(result.value)).toBe(false);
      expect(result.value).toMatchObject({
        timedOut: false,
        event: { type: 'task.completed', kind: 'done', entityId: first.id },
      });
    } finally {
      orchestrator.close();
    }
    // Nothing more happens: timedOut, not an error.
    expect(await ok(client, 'wait', { for: ['question'], timeoutSeconds: 1 })).toEqual({
      timedOut: true,
      event: null,
    });
    // Its arguments are checked like an operation's.
    const bad = await refused(client, 'wait', { for: ['soon'] });
    expect(bad.code).toBe('invalid_argument');
    expect(bad.message).toMatch(/done, failed/);
    expect((await refused(client, 'wait', { timeoutSeconds: 0 })).code).toBe('invalid_argument');
  });

  it('calls that mutate and read reach the server as the CLI`s do; the project defaults to the cwd`s', async () => {
    const client = await connect();
    const created = await ok<Task>(client, 'task_create', { title: 'Wire the API', priority: 'high' });
    expect(created).toMatchObject({ title: 'Wire the API', status: 'pending' });
    // The server has it, in the project of the working directory (the default project).
    const onServer = await grpc.call<{ task: Task }>('Tasks', 'Get', { id: created.id });
    expect(onServer.task).toMatchObject({ id: created.id, title: 'Wire the API' });
    const project = await grpc.call<{ id: string }>('Projects', 'Resolve', { workingDir: home.home });
    expect(created.projectId).toBe(project.id);

    const ready = await ok<{ tasks: Task[] }>(client, 'task_ready');
    expect(ready.tasks.map((t) => t.id)).toContain(created.id);
    const claimed = await ok<{ claimed: boolean; task: Task }>(client, 'task_claim', { id: created.id });
    expect(claimed).toMatchObject({
      claimed: true,
      task: { status: 'in_progress', claim: { holder: 'mcp-worker' } },
    });
    await ok(client, 'subtask_create', { taskId: created.id, title: 'Routes' });
    await ok(client, 'report', { taskId: created.id, kind: 'progress', message: 'routes drafted' });
    const done = await ok<Task>(client, 'task_complete', { id: created.id });
    expect(done.status).toBe('completed');

    const detail = await ok<{ task: Task; subtasks: { title: string }[]; timeline: { message?: string }[] }>(
      client,
      'task_get',
      { id: created.id },
    );
    expect(detail.task.status).toBe('completed');
    expect(detail.subtasks.map((s) => s.title)).toEqual(['Routes']);
    expect((await grpc.call<{ task: Task }>('Tasks', 'Get', { id: created.id })).task.status).toBe(
      'completed',
    );
    const status = await ok<{ byStatus: { key: string; count: number }[] }>(client, 'status');
    expect(status.byStatus).toEqual(expect.arrayContaining([{ key: 'completed', count: 1 }]));
  });

  it('inside a session with one task (MAESTRO_TASK_IDS), that task is the default, as in the CLI', async () => {
    const task = await grpc.call<Task>('Tasks', 'Create', { projectId: 'default', title: 'Session task' });
    const client = await connect([], { MAESTRO_TASK_IDS: task.id });
    const { tools } = await client.listTools();
    const complete = tools.find((t) => t.name === 'task_complete')!;
    expect(complete.inputSchema.required ?? []).not.toContain('id');
    expect(complete.inputSchema.properties).toMatchObject({
      id: { description: "task id (default: this session's task)" },
    });
    expect(tools.find((t) => t.name === 'report')!.inputSchema.required).toEqual(['kind', 'message']);

    expect(await ok<Task>(client, 'task_start')).toMatchObject({ id: task.id, status: 'in_progress' });
    await ok(client, 'report', { kind: 'complete', message: 'done in the session' });
    expect(await ok<Task>(client, 'task_complete', {})).toMatchObject({ id: task.id, status: 'completed' });
    expect((await grpc.call<{ task: Task }>('Tasks', 'Get', { id: task.id })).task.status).toBe('completed');
  });

  it('a bad argument is invalid_argument naming the field, and nothing is changed', async () => {
    const client = await connect();
    const before = await taskCount();
    const long = await refused(client, 'task_create', { title: 'x'.repeat(501) });
    expect(long).toMatchObject({ code: 'invalid_argument', details: { field: 'title' } });
    expect(long.message).toMatch(/501 characters; the limit is 500/);
    const priority = await refused(client, 'task_create', { title: 'ok', priority: 'urgent' });
    expect(priority).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'priority', accepted: ['high', 'medium', 'low'] },
    });
    const unknown = await refused(client, 'task_create', { title: 'ok', owner: 'me' });
    expect(unknown).toMatchObject({ code: 'invalid_argument', details: { field: 'owner' } });
    const missing = await refused(client, 'task_create', {});
    expect(missing).toMatchObject({ code: 'invalid_argument', details: { field: 'title' } });
    const lease = await refused(client, 'task_claim', { next: true, leaseSeconds: 0 });
    expect(lease).toMatchObject({ code: 'invalid_argument', details: { field: 'leaseSeconds' } });
    expect(await taskCount()).toBe(before);
    expect((await grpc.call<{ tasks: Task[] }>('Tasks', 'List', { status: ['in_progress'] })).tasks).toEqual(
      [],
    );
  });

  it('a refusal of the server keeps its Maestro code; a tool outside the set is refused', async () => {
    const client = await connect();
    expect(await refused(client, 'task_get', { id: 't_99999' })).toMatchObject({ code: 'task_not_found' });
    const task = await ok<Task>(client, 'task_create', { title: 'Not started' });
    const early = await refused(client, 'task_complete', { id: task.id });
    expect(early.code).toBe('invalid_transition');
    expect((await grpc.call<{ task: Task }>('Tasks', 'Get', { id: task.id })).task.status).toBe('pending');
    const outside = await refused(client, 'task_delete', { id: task.id });
    expect(outside).toMatchObject({ code: 'invalid_argument', details: { field: 'name' } });
    expect((await grpc.call<{ task: Task }>('Tasks', 'Get', { id: task.id })).task.id).toBe(task.id);
  });

  it('a wrong token is the server`s unauthenticated, as in the CLI', async () => {
    const client = await connect([], { MAESTRO_TOKEN: 'not-the-token' });
    expect(await refused(client, 'status')).toMatchObject({ code: 'unauthenticated' });
  });

  it('an unreachable server is server_unavailable after the CLI`s retries', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = await connect([], {
      MAESTRO_SERVER: `127.0.0.1:${port}`,
      MAESTRO_RETRIES: '2',
      MAESTRO_RETRY_BASE_MS: '1',
      MAESTRO_PROJECT_ID: 'default',
    });
    expect(await refused(client, 'task_list')).toMatchObject({
      code: 'server_unavailable',
      details: { server: `127.0.0.1:${port}` },
    });
  });

  it('a long-running server outlives an outage: calls fail with server_unavailable, then work again', async () => {
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: server.grpc.port });
    try {
      proxy.cut();
      const client = await connect([], {
        MAESTRO_SERVER: `127.0.0.1:${proxy.port}`,
        MAESTRO_RETRIES: '2',
        MAESTRO_RETRY_BASE_MS: '1',
      });
      // The project is resolved on the first call that needs it: that fails while the server is away…
      expect(await refused(client, 'task_create', { title: 'During the outage' })).toMatchObject({
        code: 'server_unavailable',
      });
      proxy.restore();
      // …and is resolved again once it is back.
      const task = await ok<Task>(client, 'task_create', { title: 'After the outage' });
      const project = await grpc.call<{ id: string }>('Projects', 'Resolve', { workingDir: home.home });
      expect(task.projectId).toBe(project.id);
    } finally {
      await proxy.close();
    }
  });

  it('an unknown --tools is refused before serving, with the CLI`s exit code', async () => {
    const r = await runCli(['mcp', '--tools', 'task_frobnicate', '--json'], cliEnv(server, home.home));
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'tools', value: 'task_frobnicate' },
    });
  });
});

describe('the CLI bundle', () => {
  it('loads the MCP SDK only in the mcp command`s chunk, never on the --json path', () => {
    const dist = join(ROOT, 'dist');
    const staticImports = (file: string) =>
      [...readFileSync(join(dist, file), 'utf8').matchAll(/^import\s(?:[^;]*?from\s*)?"\.\/([^"]+)"/gm)].map(
        (m) => (file.startsWith('chunks/') && !m[1]!.startsWith('chunks/') ? `chunks/${m[1]}` : m[1]!),
      );
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const next of staticImports(file)) visit(next);
    };
    visit('cli.js');
    expect(seen.size).toBeGreaterThan(1);
    for (const file of seen)
      expect(readFileSync(join(dist, file), 'utf8'), file).not.toMatch(/@modelcontextprotocol/);
    const withSdk = readdirSync(join(dist, 'chunks')).filter(
      (f) =>
        f.endsWith('.js') &&
        readFileSync(join(dist, 'chunks', f), 'utf8').includes('node_modules/@modelcontextprotocol/sdk'),
    );
    expect(withSdk).toHaveLength(1);
    expect(existsSync(join(dist, 'chunks', withSdk[0]!))).toBe(true);
  });
});
