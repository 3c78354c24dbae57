import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSettings, type Settings } from '../../src/config/config.js';
import { METADATA, loadProto } from '../../src/contract/proto.js';
import { ERROR_METADATA_BODY, type ErrorBody } from '../../src/contract/error-codes.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/gateway/server.js';
import { createLogger } from '../../src/gateway/logger.js';
import { createTestDatabase, onPostgres } from './postgres.js';

/** A temporary MAESTRO_HOME, removed by `cleanup`. */
export function tempHome(prefix = 'maestro-test-'): { home: string; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export function testSettings(home: string, overrides: Partial<Settings> = {}): Settings {
  return {
    ...loadSettings({ env: { MAESTRO_HOME: home }, file: {} }),
    httpAddr: '127.0.0.1:0',
    grpcAddr: '127.0.0.1:0',
    logLevel: 'silent',
    ...overrides,
  };
}

const postgresByHome = new Map<string, Promise<string>>();

/** One database per home, so a server restarted on the same home finds its data again. */
function postgresFor(home: string): Promise<string> {
  let url = postgresByHome.get(home);
  if (!url) postgresByHome.set(home, (url = createTestDatabase()));
  return url;
}

/**
 * A real server on port 0 over a real SQLite file in a temporary home, or, in the `postgres` test
 * project, over a new PostgreSQL database of its own.
 */
export async function startTestServer(
  home: string,
  overrides: Partial<Settings> = {},
  options: StartOptions = {},
): Promise<RunningServer> {
  const db = onPostgres && !overrides.dbUrl ? { dbUrl: await postgresFor(home) } : {};
  return startServer(testSettings(home, { ...db, ...overrides }), {
    log: createLogger('silent'),
    ...options,
  });
}

type Callback = (error: grpc.ServiceError | null, reply: unknown) => void;
type AnyClient = Record<string, (req: unknown, md: grpc.Metadata, cb: Callback) => unknown>;

export interface CallOptions {
  actor?: string;
  session?: string;
  idempotencyKey?: string;
  token?: string;
}

/** A gRPC test client: `call('Tasks', 'create', {...})` resolves with the reply or rejects with the Maestro error. */
export class TestClient {
  private readonly clients = new Map<string, grpc.Client>();
  constructor(
    readonly address: string,
    readonly token: string,
    readonly defaults: CallOptions = {},
  ) {}

  static for(server: RunningServer, defaults: CallOptions = {}): TestClient {
    return new TestClient(`127.0.0.1:${server.grpc.port}`, server.token, defaults);
  }

  client(service: string): grpc.Client {
    let c = this.clients.get(service);
    if (!c) {
      const proto = loadProto() as unknown as {
        maestro: { v1: Record<string, typeof grpc.Client> };
        grpc: { health: { v1: Record<string, typeof grpc.Client> } };
      };
      const Ctor = service === 'Health' ? proto.grpc.health.v1.Health! : proto.maestro.v1[service]!;
      c = new Ctor(this.address, grpc.credentials.createInsecure());
      this.clients.set(service, c);
    }
    return c;
  }

  metadata(options: CallOptions = {}): grpc.Metadata {
    const o = { ...this.defaults, ...options };
    const md = new grpc.Metadata();
    if (o.token !== '') md.set('authorization', `Bearer ${o.token ?? this.token}`);
    md.set(METADATA.actor, o.actor ?? 'tester');
    if (o.session) md.set(METADATA.session, o.session);
    if (o.idempotencyKey) md.set(METADATA.idempotencyKey, o.idempotencyKey);
    return md;
  }

  call<T = Record<string, unknown>>(
    service: string,
    method: string,
    request: object = {},
    options: CallOptions = {},
  ): Promise<T> {
    const c = this.client(service) as unknown as AnyClient;
    return new Promise<T>((resolve, reject) => {
      c[method]!.call(c, request, this.metadata(options), (error, reply) =>
        error ? reject(asMaestroError(error)) : resolve(reply as T),
      );
    });
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

export interface GrpcFailure extends Error {
  grpcCode: number;
  body: ErrorBody;
}

export function asMaestroError(error: grpc.ServiceError): GrpcFailure {
  const raw = error.metadata?.get(ERROR_METADATA_BODY)[0];
  const body = raw
    ? (JSON.parse(Buffer.from(raw as Buffer).toString('utf8')) as ErrorBody)
    : { code: 'internal' as const, message: error.message };
  return Object.assign(new Error(body.message), { grpcCode: error.code, body });
}

/** Resolves with the Maestro error a promise rejects with; fails if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<ErrorBody> {
  try {
    await promise;
  } catch (error) {
    return (error as GrpcFailure).body;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
