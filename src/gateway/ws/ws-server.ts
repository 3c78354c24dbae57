import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createActor, type Actor } from 'xstate';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { connectionMachine } from '../../machines/connection.machine.js';
import { REQUEST_ID, requestId } from '../request-id.js';
import { ClientSession, tokenMatches, type CoreDeps } from './session-core.js';
import { CloseCode, MAX_FRAME_BYTES, type ServerMessage } from './protocol.js';

export interface WsGatewayOptions {
  /** How often the server pings each client; two missed pongs terminate it. */
  pingIntervalMs: number;
  /** Unsent bytes a client may fall behind by before it is closed with 4429. */
  maxBufferedBytes: number;
  /** Time a client has to send `hello`. */
  helloTimeoutMs: number;
}

export const DEFAULT_WS_OPTIONS: WsGatewayOptions = {
  pingIntervalMs: 15_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  helloTimeoutMs: 10_000,
};

interface Client {
  ws: WebSocket;
  session: ClientSession;
  connection: Actor<typeof connectionMachine>;
  awaitingPong: boolean;
}

export const TOKEN_COOKIE = 'maestro_token';

export function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * The `ws` adapter of the gateway: upgrade checks (path, Origin, cookie), one ClientSession per
 * socket, server pings with a connection machine per client, bounded send buffers.
 */
export class WsGateway {
  // Frames up to twice the limit are read and refused with 4413; larger ones are cut off by ws (1009),
  // so a peer that has not even said hello can never make the server buffer much.
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 2 * MAX_FRAME_BYTES });
  private readonly clients = new Set<Client>();
  private readonly pinger: NodeJS.Timeout;
  private draining = false;

  constructor(
    private readonly deps: CoreDeps,
    private readonly options: WsGatewayOptions = DEFAULT_WS_OPTIONS,
  ) {
    this.pinger = setInterval(() => this.pingAll(), options.pingIntervalMs);
    this.pinger.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Handles an HTTP upgrade; answers non-/ws paths and foreign origins with an HTTP error. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== '/ws') return refuse(404, 'Not Found');
    if (this.draining) return refuse(503, 'Service Unavailable');
    if (!sameOrigin(req)) return refuse(403, 'Forbidden');
    const preAuthenticated = tokenMatches(cookieToken(req), this.deps.token);
    const id = requestId(req.headers[REQUEST_ID]);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, preAuthenticated, id));
  }

  /** `id` is the connection's request id: the upgrade's `x-request-id` header, else a new one. */
  private accept(ws: WebSocket, preAuthenticated: boolean, id: string): void {
    const { metrics } = this.deps;
    const log = this.deps.log.child({ connectionId: id });
    const opened = performance.now();
    metrics.wsOpened();
    log.debug('ws connected');
    const connection = createActor(connectionMachine).start();
    connection.send({ type: 'OPENED' });
    const limit = this.options.maxBufferedBytes;
    const overflowed = () => {
      if (ws.bufferedAmount <= limit) return false;
      ws.close(CloseCode.tooSlow, 'send buffer overflowed');
      setTimeout(() => ws.terminate(), 2000).unref();
      return true;
    };
    const sendSerialized = (frames: readonly string[]) => {
      if (ws.readyState !== ws.OPEN || overflowed()) return;
      // One write for the whole batch rather than a system call per event.
      const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
      socket?.cork();
      for (const frame of frames) ws.send(frame);
      socket?.uncork();
    };
    const writable = () =>
      new Promise<void>((resolve) => {
        const check = () =>
          ws.readyState !== ws.OPEN || ws.bufferedAmount < limit / 2 ? resolve() : void setTimeout(check, 5);
        check();
      });
    const session = new ClientSession(
      { ...this.deps, log },
      {
        send: (message: ServerMessage) => sendSerialized([JSON.stringify(message)]),
        sendSerialized,
        writable,
        close: (code, reason) => ws.close(code, reason),
      },
      preAuthenticated,
      id,
    );
    const client: Client = { ws, session, connection, awaitingPong: false };
    this.clients.add(client);
    if (this.draining) session.drain();
    const helloTimer = setTimeout(() => {
      if (!session.helloDone) ws.close(CloseCode.timeout, 'no hello');
    }, this.options.helloTimeoutMs);
    helloTimer.unref();

    ws.on('message', (data: RawData, isBinary: boolean) => {
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
      if (size > MAX_FRAME_BYTES) return ws.close(CloseCode.tooLarge, 'frame too large');
      if (isBinary) return ws.close(CloseCode.protocolError, 'binary frames are not part of the protocol');
      session.handle(
        Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'),
      );
    });
    ws.on('pong', () => {
      client.awaitingPong = false;
      connection.send({ type: 'PONG' });
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', (code) => {
      metrics.wsEnded(code);
      const fields = { code, durationMs: Math.round(performance.now() - opened) };
      // Codes the server sends for a misbehaving or overwhelmed client are worth an operator's look.
      if (code >= 4000 && code < 5000) log.warn('ws closed', fields);
      else log.debug('ws closed', fields);
      clearTimeout(helloTimer);
      connection.send({ type: 'CLOSED', code });
      connection.stop();
      session.dispose();
      this.clients.delete(client);
    });
  }

  private pingAll(): void {
    for (const client of this.clients) {
      if (client.awaitingPong) client.connection.send({ type: 'PONG_MISSED' });
      if (client.connection.getSnapshot().value === 'closed') {
        client.ws.terminate();
        continue;
      }
      client.awaitingPong = true;
      client.ws.ping();
    }
  }

  /**
   * The first step of a shutdown: refuse new connections (HTTP 503) and new commands (an ack with
   * `server_unavailable`), while commands already running finish and get their acks.
   */
  drain(): void {
    this.draining = true;
    for (const client of this.clients) client.session.drain();
  }

  /**
   * Closes every client with 1001 (going away) and resolves once they have all gone; a client that
   * does not answer the close within `graceMs` is cut off.
   */
  async close(graceMs = 2000): Promise<void> {
    this.drain();
    clearInterval(this.pinger);
    for (const client of this.clients) client.ws.close(CloseCode.goingAway, 'server shutting down');
    const deadline = Date.now() + graceMs;
    while (this.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.terminate();
    this.wss.close();
  }

  /** Cuts every connection at once, without a close handshake. */
  terminate(): void {
    clearInterval(this.pinger);
    for (const client of this.clients) client.ws.terminate();
  }
}

/**
 * A browser's upgrade is accepted only from a page of this server: its Origin names the host the
 * request was sent to, over http or https (behind a TLS-terminating proxy the page is https and
 * the server sees http), or the host a proxy forwarded (`X-Forwarded-Host`). Clients that are not
 * browsers send no Origin; they still need the token.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const forwarded = req.headers['x-forwarded-host'];
  const hosts = [req.headers.host, ...(typeof forwarded === 'string' ? forwarded.split(',') : [])];
  return hosts.some((host) => host !== undefined && host.trim().toLowerCase() === url.host);
}
