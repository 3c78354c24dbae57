import * as grpc from '@grpc/grpc-js';
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIMITS } from '../../src/contract/operations.js';
import { ERROR_METADATA_CODE } from '../../src/contract/error-codes.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { TestClient, failure, startTestServer, tempHome } from '../support/server.js';

/**
 * Every list and string a request carries has a bound, checked before anything else reads it, in
 * linear time, on gRPC and WebSocket alike (issue: one request with 300,000 labels froze the server
 * for 90 s; a 3,000,001-character working directory was stored).
 */
let server: RunningServer;
let api: TestClient;
let home: { home: string; cleanup(): void };
let projectId: string;

beforeAll(async () => {
  home = tempHome();
  server = await startTestServer(home.home);
  api = TestClient.for(server);
  projectId = (await api.call<{ id: string }>('Projects', 'Resolve', { workingDir: home.home })).id;
});
afterAll(async () => {
  api.close();
  await server.close();
  home.cleanup();
});

const count = async () => (await api.call<{ tasks: unknown[] }>('Tasks', 'List', { projectId })).tasks.length;

describe('limits on what a request carries', () => {
  it('a create with 300,000 labels is refused as invalid_argument, creates nothing, and the server keeps answering', async () => {
    const before = await count();
    const labels = Array.from({ length: 300_000 }, (_, i) => `l${i}`);
    const abusive = failure(api.call('Tasks', 'Create', { projectId, title: 'abuse', labels }));
    // A normal call made while the abusive one is in flight is answered too.
    const normal = api.call<{ tasks: unknown[] }>('Tasks', 'List', { projectId });
    const [refused] = await Promise.all([abusive, normal]);
    expect(refused).toMatchObject({ code: 'invalid_argument', details: { field: 'labels' } });
    expect(refused.message).toContain(`the limit is ${LIMITS.labels}`);
    expect(await count()).toBe(before);
  });

  it('refuses a working directory of 3,000,001 characters, and a title and description over their limits', async () => {
    const dir = failure(
      api.call('Projects', 'Create', { name: 'huge-dir', workingDir: `/${'d'.repeat(3_000_000)}` }),
    );
    expect(await dir).toMatchObject({ code: 'invalid_argument', details: { field: 'workingDir' } });
    expect(await failure(api.call('Tasks', 'Create', { projectId, title: 't'.repeat(501) }))).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'title' },
    });
    expect(
      await failure(api.call('Tasks', 'Create', { projectId, title: 'ok', description: 'd'.repeat(20_001) })),
    ).toMatchObject({ code: 'invalid_argument', details: { field: 'description' } });
    expect(
      (await api.call<{ projects: { name: string }[] }>('Projects', 'List', {})).projects.map((p) => p.name),
    ).not.toContain('huge-dir');
  });

  it('a task keeps at most 50 labels, however they are added', async () => {
    const task = await api.call<{ id: string }>('Tasks', 'Create', {
      projectId,
      title: 'labelled',
      labels: Array.from({ length: 50 }, (_, i) => `k${i}`),
    });
    expect(
      await failure(api.call('Tasks', 'Update', { id: task.id, addLabels: ['one-more'] })),
    ).toMatchObject({ code: 'invalid_argument', details: { field: 'label' } });
    // Swapping one label for another stays within the limit.
    const swapped = await api.call<{ labels: string[] }>('Tasks', 'Update', {
      id: task.id,
      addLabels: ['new'],
      removeLabels: ['k0'],
    });
    expect(swapped.labels).toHaveLength(50);
    expect(swapped.labels).toContain('new');
  });

  it('range-checks numbers: a lease of 0 or over a day and a timeline of 0 are refused, not read as defaults', async () => {
    const task = await api.call<{ id: string }>('Tasks', 'Create', { projectId, title: 'numbers' });
    for (const leaseSeconds of [0, 86_401, -5]) {
      expect(await failure(api.call('Tasks', 'Claim', { id: task.id, leaseSeconds }))).toMatchObject({
        code: 'invalid_argument',
        details: { field: 'leaseSeconds' },
      });
    }
    expect(await failure(api.call('Tasks', 'Get', { id: task.id, timelineLimit: 0 }))).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'timelineLimit' },
    });
    expect(await failure(api.call('Events', 'List', { sinceSeq: 0, limit: 0 }))).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'limit' },
    });
    // Unset still means the default.
    const claimed = await api.call<{ task: { claim: { expiresAt: string } } }>('Tasks', 'Claim', {
      id: task.id,
    });
    expect(Date.parse(claimed.task.claim.expiresAt)).toBeGreaterThan(Date.now() + 60_000);
  });

  it('answers request bytes that are not the method’s message with invalid_argument and a maestro-code', async () => {
    const client = new grpc.Client(`127.0.0.1:${server.grpc.port}`, grpc.credentials.createInsecure());
    const md = api.metadata();
    const status = await new Promise<grpc.ServiceError>((resolve) => {
      client.makeUnaryRequest(
        '/maestro.v1.Tasks/Get',
        (b: Buffer) => b,
        (b: Buffer) => b,
        // Field 3 with wire type 6, which protobuf does not have.
        Buffer.from([0x1e]),
        md,
        (error) => resolve(error!),
      );
    });
    client.close();
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(status.metadata.get(ERROR_METADATA_CODE)[0]).toBe('invalid_argument');
  });

  it('answers a truncated request frame with invalid_argument, not UNIMPLEMENTED', async () => {
    const session = http2.connect(`http://127.0.0.1:${server.grpc.port}`);
    const req = session.request({
      ':method': 'POST',
      ':path': '/maestro.v1.Tasks/Get',
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization: `Bearer ${server.token}`,
    });
    // The length prefix promises 100 bytes; 3 come, then the stream ends.
    const frame = Buffer.alloc(8);
    frame.writeUInt32BE(100, 1);
    frame.write('abc', 5);
    req.end(frame);
    const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => {
      let seen: http2.IncomingHttpHeaders = {};
      req.on('response', (h) => (seen = { ...seen, ...h }));
      req.on('trailers', (t) => (seen = { ...seen, ...t }));
      req.on('data', () => undefined);
      req.on('end', () => resolve(seen));
    });
    session.close();
    expect(headers['grpc-status']).toBe(String(grpc.status.INVALID_ARGUMENT));
    expect(headers[ERROR_METADATA_CODE]).toBe('invalid_argument');
  });
});

describe('limits over WebSocket', () => {
  const ack = (message: object) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.http.port}/ws`);
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token: server.token, clientId: 'lim' })));
      ws.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as Record<string, unknown>;
        if (m.type === 'welcome') ws.send(JSON.stringify(message));
        if (m.type === 'ack') {
          ws.close();
          resolve(m);
        }
      });
    });

  it('refuses 100,000 labels in one command before reading them', async () => {
    const labels = Array.from({ length: 100_000 }, (_, i) => `${i}`);
    const reply = await ack({
      type: 'command',
      id: 'big',
      op: 'task.create',
      args: { projectId, title: 'x', labels },
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { field: 'labels' } },
    });
  });

  it('does not take properties of Object.prototype for ops: constructor and __proto__ are unknown ops', async () => {
    for (const op of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const reply = await ack({ type: 'command', id: `p-${op}`, op, args: {} });
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument', details: { field: 'op' } },
      });
    }
  });

  it('refuses an argument the op does not take, naming it', async () => {
    const reply = await ack({ type: 'command', id: 'typo', op: 'task.list', args: { projectID: projectId } });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { field: 'projectID' } },
    });
  });
});
