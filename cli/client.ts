import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { ERROR_METADATA_BODY, isErrorCode, type ErrorBody } from '../src/contract/error-codes.js';
import { METADATA, loadProto } from '../src/contract/proto.js';
import { CliError, cliError } from './errors.js';

export interface ClientOptions {
  server: string;
  token: string;
  actor: string;
  sessionId?: string;
  /** Attempts for UNAVAILABLE / DEADLINE_EXCEEDED, the first included. */
  attempts: number;
  retryBaseMs: number;
  deadlineMs?: number;
}

type Unary = (
  req: unknown,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (e: grpc.ServiceError | null, r: unknown) => void,
) => void;

export type ServiceName = 'Projects' | 'Tasks' | 'Subtasks' | 'Reports' | 'Sessions' | 'Events' | 'Server';

const RETRYABLE = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]);

/**
 * The CLI's connection to the server. Each logical call gets one idempotency key that every retry
 * reuses, so a mutation whose reply was lost is applied once however often it is retried.
 */
export class MaestroClient {
  private readonly channel: grpc.Channel;
  private readonly clients = new Map<ServiceName, grpc.Client>();

  constructor(private readonly options: ClientOptions) {
    this.channel = new grpc.Channel(options.server, grpc.credentials.createInsecure(), {
      'grpc.enable_retries': 0,
      'grpc.initial_reconnect_backoff_ms': 50,
      'grpc.max_reconnect_backoff_ms': 1000,
    });
  }

  private client(service: ServiceName): grpc.Client {
    let client = this.clients.get(service);
    if (!client) {
      const Ctor = loadProto().maestro.v1[service] as unknown as typeof grpc.Client;
      client = new Ctor(this.options.server, grpc.credentials.createInsecure(), {
        channelOverride: this.channel,
      });
      this.clients.set(service, client);
    }
    return client;
  }

  metadata(idempotencyKey?: string): grpc.Metadata {
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${this.options.token}`);
    md.set(METADATA.actor, this.options.actor);
    if (this.options.sessionId) md.set(METADATA.session, this.options.sessionId);
    if (idempotencyKey) md.set(METADATA.idempotencyKey, idempotencyKey);
    return md;
  }

  /** One unary call with retries; `mutation` adds the idempotency key. */
  async call<Res>(service: ServiceName, method: string, request: object, mutation = false): Promise<Res> {
    const key = mutation ? randomUUID() : undefined;
    const fn = (this.client(service) as unknown as Record<string, Unary>)[
      method[0]!.toLowerCase() + method.slice(1)
    ];
    if (!fn) throw cliError('internal', `Unknown method ${service}.${method}.`);
    for (let attempt = 1; ; attempt++) {
      try {
        return await new Promise<Res>((resolve, reject) => {
          const deadline = new Date(Date.now() + (this.options.deadlineMs ?? 10_000));
          fn.call(this.client(service), request, this.metadata(key), { deadline }, (error, reply) =>
            error ? reject(error) : resolve(reply as Res),
          );
        });
      } catch (error) {
        const e = error as grpc.ServiceError;
        if (RETRYABLE.has(e.code) && attempt < this.options.attempts) {
          await sleep(backoff(this.options.retryBaseMs, attempt));
          continue;
        }
        throw decodeError(e, this.options.server);
      }
    }
  }

  /** Streams the event log from `sinceSeq`; resolves when the stream ends, rejects on error. */
  watch(
    sinceSeq: number,
    onEvent: (event: Record<string, unknown>) => void,
  ): { done: Promise<void>; cancel(): void } {
    const client = this.client('Events') as unknown as {
      watch(req: object, md: grpc.Metadata): grpc.ClientReadableStream<Record<string, unknown>>;
    };
    const stream = client.watch({ sinceSeq }, this.metadata());
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', onEvent);
      stream.on('end', resolve);
      stream.on('error', (e: grpc.ServiceError) =>
        e.code === grpc.status.CANCELLED ? resolve() : reject(decodeError(e, this.options.server)),
      );
    });
    return { done, cancel: () => stream.cancel() };
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.channel.close();
  }
}

export function backoff(baseMs: number, attempt: number): number {
  const exp = baseMs * 2 ** (attempt - 1);
  return Math.min(exp, 5000) * (0.5 + Math.random());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Turns a gRPC failure back into the server's Maestro error (or the closest contract code). */
export function decodeError(error: grpc.ServiceError, server: string): CliError {
  const raw = error.metadata?.get(ERROR_METADATA_BODY)[0];
  if (raw !== undefined) {
    try {
      const body = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw)) as ErrorBody;
      if (isErrorCode(body.code)) return new CliError(body);
    } catch {
      // fall through to the status mapping
    }
  }
  switch (error.code) {
    case grpc.status.UNAVAILABLE:
    case grpc.status.DEADLINE_EXCEEDED:
      return cliError(
        'server_unavailable',
        `The Maestro server at ${server} is not reachable (${error.details || 'unavailable'}).`,
        "Run 'maestro server start', or set MAESTRO_SERVER to the server's gRPC address.",
        { server },
      );
    case grpc.status.UNAUTHENTICATED:
      return cliError(
        'unauthenticated',
        error.details || 'The server refused the token.',
        'Set MAESTRO_TOKEN to the server token.',
      );
    default:
      return cliError('internal', error.details || error.message, undefined, { grpcCode: error.code });
  }
}
