import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createActor, type Actor } from 'xstate';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { connectionMachine } from '../../machines/connection.machine.js';
import { DEFAULT_HOST_POLICY, hostAllowed, originAllowed, type HostPolicy } from '../http-guard.js';
import { REQUEST_ID, requestId } from '../request-id.js';
import { ClientSession, tokenMatches, type CoreDeps, type SharedFrame } from './session-core.js';
import { CloseCode, MAX_FRAME_BYTES, type ServerMessage } from './protocol.js';

export interface WsGatewayOptions {
  /** How often the server pings each client; two missed pongs terminate it. */
  pingIntervalMs: number;
  /**
   * Bytes a client may be behind by. Past it in events (and agent output) the client is closed with
   * 4429 (it resumes from the log); past it in anything, answers included, the server stops reading
   * the client's commands until half of it has gone out, so answers are never dropped.
   */
  maxBufferedBytes: number;
  /** Time a client has to send `hello`. */
  helloTimeoutMs: number;
  /** Which Host and Origin headers an upgrade may carry. */
  hosts: HostPolicy;
  /** Connections that have not said hello yet, from one remote address; more are refused (HTTP 429). */
  maxPendingPerAddress: number;
  /** Connections that have not said hello yet, in all; more are refused (HTTP 429). */
  maxPending: number;
}

export const DEFAULT_WS_OPTIONS: WsGatewayOptions = {
  pingIntervalMs: 15_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  helloTimeoutMs: 10_000,
  hosts: DEFAULT_HOST_POLICY,
  maxPendingPerAddress: 32,
  maxPending: 256,
};

interface Client {
  ws: WebSocket;
  out: SendBuffer;
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
  private pendingTotal = 0;
  private readonly pendingByAddress = new Map<string, number>();

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

  /** Connections that have not said hello yet. */
  get pendingCount(): number {
    return this.pendingTotal;
  }

  /** Bytes handed to the clients' sockets and not yet written, over all clients. */
  get bufferedBytes(): number {
    let total = 0;
    for (const client of this.clients) total += client.out.bytes;
    return total;
  }

  /**
   * Handles an HTTP upgrade; answers non-/ws paths, foreign origins and a pending-connection cap
   * reached with an HTTP error, before any WebSocket state is made.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== '/ws') return refuse(404, 'Not Found');
    if (this.draining) return refuse(503, 'Service Unavailable');
    if (!hostAllowed(req, this.options.hosts) || !originAllowed(req, this.options.hosts))
      return refuse(403, 'Forbidden');
    const address = remoteAddress(req);
    if (
      this.pendingTotal >= this.options.maxPending ||
      (this.pendingByAddress.get(address) ?? 0) >= this.options.maxPendingPerAddress
    ) {
      this.deps.log.debug('ws upgrade refused: too many connections waiting for hello', { address });
      return refuse(429, 'Too Many Requests');
    }
    const preAuthenticated = tokenMatches(cookieToken(req), this.deps.token);
    const id = requestId(req.headers[REQUEST_ID]);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, preAuthenticated, id, address));
  }

  /** Holds a pending slot for a connection until it says hello or closes; the release is idempotent. */
  private holdPending(address: string): () => void {
    this.pendingTotal++;
    this.pendingByAddress.set(address, (this.pendingByAddress.get(address) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.pendingTotal--;
      const left = (this.pendingByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.pendingByAddress.set(address, left);
      else this.pendingByAddress.delete(address);
    };
  }

  /** `id` is the connection's request id: the upgrade's `x-request-id` header, else a new one. */
  private accept(ws: WebSocket, preAuthenticated: boolean, id: string, address: string): void {
    const { metrics } = this.deps;
    const log = this.deps.log.child({ connectionId: id });
    const opened = performance.now();
    const releasePending = this.holdPending(address);
    metrics.wsOpened();
    log.debug('ws connected');
    const connection = createActor(connectionMachine).start();
    connection.send({ type: 'OPENED' });
    const out = new SendBuffer(ws, this.options.maxBufferedBytes);
    const session = new ClientSession(
      { ...this.deps, log },
      {
        send: (message: ServerMessage) =>
          out.send(
            [JSON.stringify(message)],
            message.type === 'output' || message.type === 'transcript' ? 'droppable' : 'kept',
          ),
        sendSerialized: (frames) => out.sendShared(frames),
        writable: () => out.writable(),
        authenticated: releasePending,
        close: (code, reason) => ws.close(code, reason),
      },
      preAuthenticated,
      id,
    );
    const client: Client = { ws, out, session, connection, awaitingPong: false };
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
      releasePending();
      out.closed();
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
    const gone = [...this.clients].map(
      (client) => new Promise<void>((resolve) => client.ws.once('close', () => resolve())),
    );
    for (const client of this.clients) client.ws.close(CloseCode.goingAway, 'server shutting down');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(gone),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
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
 * What a connection has handed to its socket and not yet seen written, by kind: events and agent
 * output (`droppable`: a client that misses them resumes from the log) and everything else
 * (`kept`: acks, welcome, resync, pongs, errors). Only the droppable bytes can get a client closed
 * with 4429, so a burst of answers to a client that reads never loses one; while the total is over
 * the limit the client's commands are not read, so a client that does not read cannot make the
 * server pile up answers either.
 */
class SendBuffer {
  private total = 0;
  private droppable = 0;
  private inputPaused = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly ws: WebSocket,
    private readonly limit: number,
  ) {}

  send(frames: readonly string[], kind: 'droppable' | 'kept'): void {
    const ws = this.ws;
    if (ws.readyState !== ws.OPEN || frames.length === 0) return;
    if (kind === 'droppable' && this.droppable > this.limit) {
      ws.close(CloseCode.tooSlow, 'send buffer overflowed');
      setTimeout(() => ws.terminate(), 2000).unref();
      return;
    }
    let bytes = 0;
    for (const frame of frames) bytes += frame.length;
    this.total += bytes;
    if (kind === 'droppable') this.droppable += bytes;
    // The socket writes frames in order, so the last frame's callback says the batch has gone out.
    const written = () => {
      this.total -= bytes;
      if (kind === 'droppable') this.droppable -= bytes;
      if (this.inputPaused && this.total <= this.limit / 2) {
        this.inputPaused = false;
        ws.resume();
      }
      this.wake();
    };
    // One write for the whole batch rather than a system call per event.
    const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    socket?.cork();
    frames.forEach((frame, i) => ws.send(frame, i === frames.length - 1 ? written : undefined));
    socket?.uncork();
    if (!this.inputPaused && this.total > this.limit) {
      this.inputPaused = true;
      ws.pause();
    }
  }

  /**
   * Events shared by many clients: each one's WebSocket frame (header and payload) is built once,
   * whatever the number of clients, and so is a batch's run of frames: the same buffer is written
   * to every socket that gets the batch, in one write. Server frames are not masked and the server
   * negotiates no compression, so a frame is the same for every client; ws writes its own frames
   * synchronously too, so writes never interleave.
   */
  sendShared(frames: readonly SharedFrame[]): void {
    const ws = this.ws;
    const socket = (ws as unknown as { _socket?: WireSocket })._socket;
    if (!socket || ws.extensions !== '') {
      this.send(
        frames.map((f) => f.text),
        'droppable',
      );
      return;
    }
    if (ws.readyState !== ws.OPEN || frames.length === 0) return;
    if (this.droppable > this.limit) {
      ws.close(CloseCode.tooSlow, 'send buffer overflowed');
      setTimeout(() => ws.terminate(), 2000).unref();
      return;
    }
    const wire = wireBatch(frames);
    const bytes = wire.length;
    this.total += bytes;
    this.droppable += bytes;
    const written = () => {
      this.total -= bytes;
      this.droppable -= bytes;
      if (this.inputPaused && this.total <= this.limit / 2) {
        this.inputPaused = false;
        ws.resume();
      }
      this.wake();
    };
    socket.write(wire, written);
    if (!this.inputPaused && this.total > this.limit) {
      this.inputPaused = true;
      ws.pause();
    }
  }

  /** Resolves once less than half the limit is unwritten (replay waits on it between pages). */
  writable(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.ws.readyState !== this.ws.OPEN || this.total <= this.limit / 2) {
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Bytes handed to the socket and not yet written. */
  get bytes(): number {
    return this.total;
  }

  closed(): void {
    this.wake();
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}

interface WireSocket {
  cork(): void;
  uncork(): void;
  write(chunk: Buffer, cb?: () => void): boolean;
}

const wireFrames = new WeakMap<SharedFrame, Buffer>();
const wireBatches = new WeakMap<readonly SharedFrame[], Buffer>();

/** A batch's frames back to back, as one buffer, built once per batch (see `eventFrames`). */
export function wireBatch(frames: readonly SharedFrame[]): Buffer {
  if (frames.length === 1) return wireFrame(frames[0]!);
  let wire = wireBatches.get(frames);
  if (!wire) wireBatches.set(frames, (wire = Buffer.concat(frames.map(wireFrame))));
  return wire;
}

/** A text message as one unmasked, final WebSocket frame (the WebSocket wire format), built once per message. */
export function wireFrame(frame: SharedFrame): Buffer {
  let wire = wireFrames.get(frame);
  if (wire) return wire;
  const payload = Buffer.from(frame.text, 'utf8');
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  wire = Buffer.allocUnsafe(head + n);
  wire[0] = 0x81; // FIN, text
  if (n < 126) wire[1] = n;
  else if (n < 65_536) {
    wire[1] = 126;
    wire.writeUInt16BE(n, 2);
  } else {
    wire[1] = 127;
    wire.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(wire, head);
  wireFrames.set(frame, wire);
  return wire;
}

/** The peer's address, one key per host whether it came over IPv4 or as an IPv4-mapped IPv6 address. */
function remoteAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
