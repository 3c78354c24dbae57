import { randomUUID } from 'node:crypto';
import { ERROR_METADATA_BODY, isErrorCode, type ErrorBody } from '../src/contract/error-codes.js';
import { methodCodec } from '../src/contract/wire-codec.js';
import {
  OPERATIONS,
  STREAMS,
  type InputOf,
  type OperationName,
  type GrpcService,
  type OperationSpec,
  type ResultOf,
  type StreamArgsOf,
  type StreamName,
} from '../src/contract/operations.js';
import { parseArgs, type FieldNamer } from '../src/contract/schema.js';
import { METADATA } from '../src/contract/proto-metadata.js';
import { DEFAULT_BACKOFF, backoffDelay, sleep } from '../src/shared/backoff.js';
import { CliError, cliError } from './errors.js';
import { GrpcCallError, GrpcTransport, Status } from './grpc-transport.js';

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

export type ServiceName = GrpcService;

const RETRYABLE = new Set<number>([Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED]);

/**
 * The CLI's connection to the server. Each logical call gets one idempotency key that every retry
 * reuses, so a mutation whose reply was lost is applied once however often it is retried.
 */
export class MaestroClient {
  private readonly transport: GrpcTransport;

  constructor(private readonly options: ClientOptions) {
    this.transport = new GrpcTransport(options.server);
  }

  metadata(idempotencyKey?: string): Record<string, string> {
    const md: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      [METADATA.actor]: this.options.actor,
    };
    if (this.options.sessionId) md[METADATA.session] = this.options.sessionId;
    if (idempotencyKey) md[METADATA.idempotencyKey] = idempotencyKey;
    return md;
  }

  private codec(service: ServiceName, method: string) {
    const codec = methodCodec(service, method);
    if (!codec) throw cliError('internal', `Unknown method ${service}.${method}.`);
    return codec;
  }

  /**
   * Runs an operation of the registry: its arguments are checked against the registry's schema
   * here (a bad value never reaches the server), and a mutation carries an idempotency key that
   * every retry reuses. `names` says how the caller named each argument (`--lease`), for errors.
   */
  op<N extends OperationName>(name: N, args: InputOf<N>, names?: FieldNamer): Promise<ResultOf<N>> {
    const spec = (OPERATIONS as Record<string, OperationSpec>)[name]!;
    const checked = parseArgs(spec.args, args as Record<string, unknown>, names);
    const { service, method } = spec.grpc!;
    return this.call<ResultOf<N>>(service, method, checked, spec.mutates);
  }

  /** A server stream of the registry (`events.watch`, `session.logs`); see `stream`. */
  openStream<N extends StreamName>(
    name: N,
    args: StreamArgsOf<N>,
    onMessage: (message: Record<string, unknown>) => void,
  ): { done: Promise<void>; cancel(): void } {
    const spec = (STREAMS as Record<string, OperationSpec>)[name]!;
    const checked = parseArgs(spec.args, args as Record<string, unknown>);
    return this.stream(spec.grpc!.service, spec.grpc!.method, checked, onMessage);
  }

  /** One unary call with retries; `mutation` adds the idempotency key. */
  private async call<Res>(
    service: ServiceName,
    method: string,
    request: object,
    mutation = false,
  ): Promise<Res> {
    const codec = this.codec(service, method);
    const key = mutation ? randomUUID() : undefined;
    const body = codec.serialize(request);
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.transport.unary(
          codec.path,
          body,
          this.metadata(key),
          this.options.deadlineMs ?? 10_000,
        );
        return codec.deserialize(reply) as Res;
      } catch (error) {
        const e =
          error instanceof GrpcCallError ? error : new GrpcCallError(Status.UNAVAILABLE, String(error), {});
        if (RETRYABLE.has(e.code) && attempt < this.options.attempts) {
          await sleep(backoffDelay({ ...DEFAULT_BACKOFF, baseMs: this.options.retryBaseMs }, attempt));
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
    return this.openStream('events.watch', { sinceSeq }, onEvent);
  }

  /** A server stream; resolves when it ends, rejects with the decoded error. */
  private stream(
    service: ServiceName,
    method: string,
    request: object,
    onMessage: (message: Record<string, unknown>) => void,
  ): { done: Promise<void>; cancel(): void } {
    const codec = this.codec(service, method);
    let cancelled = false;
    const call = this.transport.serverStream(codec.path, codec.serialize(request), this.metadata(), (m) =>
      onMessage(codec.deserialize(m)),
    );
    return {
      done: call.done.catch((error: unknown) => {
        if (cancelled) return;
        throw decodeError(error as GrpcCallError, this.options.server);
      }),
      cancel: () => {
        cancelled = true;
        call.cancel();
      },
    };
  }

  close(): void {
    this.transport.close();
  }
}

/** Turns a gRPC failure back into the server's Maestro error (or the closest contract code). */
export function decodeError(error: GrpcCallError, server: string): CliError {
  const raw = error.metadata[ERROR_METADATA_BODY];
  if (raw !== undefined) {
    try {
      const body = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as ErrorBody;
      if (isErrorCode(body.code)) return new CliError(body);
    } catch {
      // fall through to the status mapping
    }
  }
  switch (error.code) {
    case Status.UNAVAILABLE:
    case Status.DEADLINE_EXCEEDED:
      return cliError(
        'server_unavailable',
        `The Maestro server at ${server} is not reachable (${error.details || 'unavailable'}).`,
        "Run 'maestro server start', or set MAESTRO_SERVER to the server's gRPC address.",
        { server },
      );
    case 16:
      return cliError(
        'unauthenticated',
        error.details || 'The server refused the token.',
        'Set MAESTRO_TOKEN to the server token.',
      );
    default:
      return cliError('internal', error.details || 'The call failed.', undefined, { grpcCode: error.code });
  }
}
