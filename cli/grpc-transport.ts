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
 * Splits the response body into gRPC messages (a flag byte, a 4-byte length, the message) in
 * linear time: chunks are kept as they come and each byte is copied at most once, when a message
 * spans chunks. (Concatenating the buffer on every chunk was quadratic in a large reply.)
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  /** The first chunk still unread (chunks before it are done with). */
  private head = 0;
  private buffered = 0;
  /** The length of the message being read, once its header is in; -1 before. */
  private need = -1;

  constructor(private readonly onMessage: (message: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.need < 0) {
        if (this.buffered < 5) return;
        this.need = this.take(5).readUInt32BE(1);
      }
      if (this.buffered < this.need) return;
      const message = this.take(this.need);
      this.need = -1;
      this.onMessage(message);
    }
  }

  /** The next `n` buffered bytes (n <= buffered): a view when one chunk holds them, else a copy. */
  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    this.buffered -= n;
    const first = this.chunks[this.head]!;
    if (first.length >= n) {
      this.advance(first, n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[this.head]!;
      const part = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, part);
      filled += part;
      this.advance(chunk, part);
    }
    return out;
  }

  /** Marks `used` bytes of the head chunk read. */
  private advance(chunk: Buffer, used: number): void {
    if (used < chunk.length) {
      this.chunks[this.head] = chunk.subarray(used);
      return;
    }
    this.head++;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
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
      const frames = new FrameReader(onMessage);
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
      stream.on('data', (chunk: Buffer) => frames.push(chunk));
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
