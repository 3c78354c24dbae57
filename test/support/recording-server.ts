import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP request a stand-in received, as it came. */
export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/messages?beta=true`. */
  url: string;
  headers: IncomingHttpHeaders;
  raw: string;
  /** The parsed JSON body, when there was one. */
  body: unknown;
}

/** A request a stand-in answered without a scripted turn, or could not parse. */
export interface Unscripted {
  request: RecordedRequest;
  reason: string;
}

/** What a stand-in sends back: a status, headers and the body in chunks (a stream's events). */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  chunks: string[];
}

/**
 * The HTTP side the model API stand-ins share: every request recorded in arrival order with its
 * parsed JSON body, answered by `answer`; an answer that throws is recorded in `unscripted` and
 * sent as a 500 with the API's own error body (`errorBody`).
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  readonly unscripted: Unscripted[] = [];
  private readonly server: Server;

  constructor(
    answer: (request: RecordedRequest) => Promise<HttpReply>,
    errorBody: (message: string) => unknown,
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = raw === '' ? undefined : JSON.parse(raw);
        } catch {
          body = undefined;
        }
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          raw,
          body,
        };
        this.requests.push(recorded);
        void answer(recorded).then(
          ({ status, headers, chunks: out }) => {
            res.writeHead(status, headers);
            for (const chunk of out) res.write(chunk);
            res.end();
          },
          (error: unknown) => {
            this.unscripted.push({ request: recorded, reason: `turn threw: ${String(error)}` });
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify(errorBody(String(error))));
          },
        );
      });
    });
  }

  listen(): Promise<void> {
    return new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** `http://127.0.0.1:PORT`. */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
