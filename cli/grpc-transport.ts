import {
  connect,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
} from 'node:http2';

/** gRPC status codes the CLI acts on. */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  UNAVAILABLE: 14,
  INTERNAL: 13,
} as const;

/** A gRPC failure as the CLI sees it: the status code, its message and the trailing metadata. */
export class GrpcCallError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
    readonly metadata: Readonly<Record<string, string>>,
  ) {
    super(details);
  }
}

/**
 * The gRPC wire protocol (HTTP/2, length-prefixed messages, status in trailers) over node:http2,
 * for the CLI only. Loading @grpc/grpc-js costs more than half of a CLI call's start-up; the CLI
 * needs one connection, unary calls and one server stream, which this covers. The server, tests
 * and integrations use grpc-js.
 */
export class GrpcTransport {
  private session: ClientHttp2Session | undefined;
  private active = 0;

  constructor(private readonly address: string) {}

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(`http://${this.address}`);
    session.on('error', () => undefined); // surfaced through the stream that hit it
    session.unref();
    this.session = session;
    return session;
  }

  private open(path: string, metadata: Record<string, string>, deadlineMs?: number): ClientHttp2Stream {
    const headers: Record<string, string> = {
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: path,
      [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      te: 'trailers',
      'user-agent': 'maestro-cli',
      ...metadata,
    };
    if (deadlineMs) headers['grpc-timeout'] = `${Math.max(1, Math.ceil(deadlineMs))}m`;
    const session = this.connection();
    // The connection keeps the process alive only while a call is under way.
    if (this.active++ === 0) session.ref();
    const stream = session.request(headers);
    stream.on('close', () => {
      if (--this.active === 0) session.unref();
    });
    return stream;
  }

  /** Sends one request message and collects the response messages until the status arrives. */
  private exchange(
    path: string,
    request: Buffer,
    metadata: Record<string, string>,
    onMessage: (message: Buffer) => void,
    deadlineMs?: number,
  ): { done: Promise<void>; cancel(): void } {
    const stream = this.open(path, metadata, deadlineMs);
    let settled = false;
    const done = new Promise<void>((resolve, reject) => {
      let headers: IncomingHttpHeaders = {};
      let buffer: Buffer = Buffer.alloc(0);
      const finish = (error?: GrpcCallError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const timer = deadlineMs
        ? setTimeout(() => {
            stream.close(constants.NGHTTP2_CANCEL);
            finish(new GrpcCallError(Status.DEADLINE_EXCEEDED, 'Deadline exceeded', {}));
          }, deadlineMs)
        : undefined;
      stream.on('response', (h) => (headers = h));
      stream.on('data', (chunk: Buffer) => {
        buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
        while (buffer.length >= 5) {
          const length = buffer.readUInt32BE(1);
          if (buffer.length < 5 + length) break;
          onMessage(buffer.subarray(5, 5 + length));
          buffer = buffer.subarray(5 + length);
        }
      });
      const status = (trailers: IncomingHttpHeaders) => {
        const all = { ...headers, ...trailers };
        const code = Number(all['grpc-status'] ?? Status.UNKNOWN);
        if (code === Status.OK) return finish();
        const text = decodeURIComponent(String(all['grpc-message'] ?? ''));
        const md: Record<string, string> = {};
        for (const [k, v] of Object.entries(all)) if (typeof v === 'string' && !k.startsWith(':')) md[k] = v;
        finish(new GrpcCallError(code, text, md));
      };
      stream.on('trailers', status);
      stream.on('end', () => {
        if (settled) return;
        // A trailers-only response carries the status in the headers; no status at all means the
        // connection went away mid-call, which is worth a retry.
        if (headers['grpc-status'] !== undefined) status({});
        else
          finish(new GrpcCallError(Status.UNAVAILABLE, 'The connection ended before the call finished.', {}));
      });
      stream.on('error', (error: NodeJS.ErrnoException) =>
        finish(new GrpcCallError(Status.UNAVAILABLE, `${error.code ?? 'error'}: ${error.message}`, {})),
      );
      stream.on('close', () => {
        if (!settled)
          finish(
            new GrpcCallError(Status.UNAVAILABLE, 'The connection closed before the call finished.', {}),
          );
      });
    });
    const frame = Buffer.alloc(5 + request.length);
    frame.writeUInt32BE(request.length, 1);
    request.copy(frame, 5);
    stream.end(frame);
    return {
      done,
      cancel: () => {
        if (!settled) {
          settled = true;
          stream.close(constants.NGHTTP2_CANCEL);
        }
      },
    };
  }

  async unary(
    path: string,
    request: Buffer,
    metadata: Record<string, string>,
    deadlineMs: number,
  ): Promise<Buffer> {
    let reply: Buffer | undefined;
    await this.exchange(path, request, metadata, (m) => (reply = m), deadlineMs).done;
    if (!reply) throw new GrpcCallError(Status.INTERNAL, 'The server sent no reply message.', {});
    return reply;
  }

  serverStream(
    path: string,
    request: Buffer,
    metadata: Record<string, string>,
    onMessage: (message: Buffer) => void,
  ): { done: Promise<void>; cancel(): void } {
    return this.exchange(path, request, metadata, onMessage);
  }

  close(): void {
    this.session?.close();
  }
}
