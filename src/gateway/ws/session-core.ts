import { createHash, timingSafeEqual } from 'node:crypto';
import type { ErrorBody } from '../../contract/error-codes.js';
import { MaestroError } from '../../services/errors.js';
import type { MaestroEvent, RequestContext, Services } from '../../services/index.js';
import type { Watch } from '../../services/events.js';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';
import { Args, MUTATIONS, operations, type Operation } from '../operations.js';
import type { RunnerLink, SpawnDispatcher } from '../spawn/dispatcher.js';
import {
  CloseCode,
  parseMessage,
  type ClientMessage,
  type EventMessage,
  type ServerMessage,
} from './protocol.js';

type CommandMessage = Extract<ClientMessage, { type: 'command' }>;

/** What the core needs from a transport: send messages, hold back while it is full, close. */
export interface Peer {
  send(message: ServerMessage): void;
  /** Sends messages already serialised (shared by every client an event goes to), as one write. */
  sendSerialized(frames: readonly string[]): void;
  /** Resolves once the transport can take more (replay waits on it, live delivery does not). */
  writable(): Promise<void>;
  close(code: number, reason: string): void;
}

export interface CoreDeps {
  services: Services;
  token: string;
  log: Logger;
  metrics: ServerMetrics;
  dispatcher?: SpawnDispatcher;
}

export function tokenMatches(given: string | undefined, token: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const toEventMessage = (e: MaestroEvent): EventMessage => ({
  type: 'event',
  seq: e.seq,
  eventType: e.type,
  entityType: e.entityType,
  entityId: e.entityId,
  projectId: e.projectId,
  data: e.data,
  createdAt: e.createdAt,
});

const opsCache = new WeakMap<Services, Record<string, Operation>>();
const serialized = new WeakMap<MaestroEvent, string>();

/** An event's frame, serialised once however many clients it goes to. */
export function eventFrame(e: MaestroEvent): string {
  let frame = serialized.get(e);
  if (!frame) serialized.set(e, (frame = JSON.stringify(toEventMessage(e))));
  return frame;
}

/** The idempotency key of a WebSocket command: bounded whatever the ids' lengths. */
export function commandKey(clientId: string, commandId: string): string {
  return `ws:${createHash('sha256').update(clientId).update('\n').update(commandId).digest('base64url')}`;
}

/**
 * One client connection, independent of the transport: the hello handshake, replay then live
 * events, commands with acks, pings. The ws adapter feeds it frames and carries its messages.
 */
export class ClientSession {
  private clientId: string | null = null;
  private watch: Watch | null = null;
  private closed = false;
  private draining = false;
  private runner: RunnerLink | null = null;
  private stopOutput: (() => void) | null = null;

  constructor(
    private readonly deps: CoreDeps,
    private readonly peer: Peer,
    /** The upgrade request carried a valid token cookie. */
    private readonly preAuthenticated: boolean,
    /** The connection's request id; a command's is `<connectionId>/<command id>`. */
    private readonly connectionId: string,
  ) {}

  get helloDone(): boolean {
    return this.clientId !== null;
  }

  handle(raw: string): void {
    const parsed = parseMessage(raw);
    const { metrics } = this.deps;
    if (!parsed.ok) {
      metrics.wsMessage('invalid', 'refused');
      this.peer.send({ type: 'error', error: parsed.error });
      return;
    }
    const message = parsed.message;
    if (message.type !== 'hello' && !this.helloDone) {
      metrics.wsMessage(message.type, 'refused');
      this.peer.close(CloseCode.protocolError, 'hello must come first');
      return;
    }
    switch (message.type) {
      case 'hello':
        void this.hello(message);
        return;
      case 'ping':
        metrics.wsMessage('ping', 'ok');
        this.peer.send({
          type: 'pong',
          ...(message.id ? { id: message.id } : {}),
          serverTime: new Date().toISOString(),
        });
        return;
      case 'command':
        void this.command(message);
        return;
    }
  }

  private async hello(message: Extract<ClientMessage, { type: 'hello' }>): Promise<void> {
    if (this.helloDone) {
      this.deps.metrics.wsMessage('hello', 'refused');
      this.peer.close(CloseCode.protocolError, 'hello was already received');
      return;
    }
    if (!this.preAuthenticated && !tokenMatches(message.token, this.deps.token)) {
      this.deps.metrics.wsMessage('hello', 'refused');
      this.peer.close(CloseCode.unauthenticated, 'bad token');
      return;
    }
    this.deps.metrics.wsMessage('hello', 'ok');
    this.deps.log.debug('ws hello', { clientId: message.clientId, role: message.role ?? 'client' });
    this.clientId = message.clientId;
    const dispatcher = this.deps.dispatcher;
    if (message.role === 'runner' && dispatcher) {
      this.runner = {
        runnerId: message.clientId,
        capacity: message.capacity ?? 4,
        send: (m) => this.peer.send(m),
      };
      this.peer.send({
        type: 'welcome',
        serverTime: new Date().toISOString(),
        seq: this.deps.services.bus.lastSeq,
        clientId: message.clientId,
      });
      dispatcher.attachRunner(this.runner);
      return;
    }
    if (dispatcher) {
      this.stopOutput = dispatcher.onOutput((sessionId, data) =>
        this.peer.send({ type: 'output', sessionId, data }),
      );
    }
    const { events, bus } = this.deps.services;
    const lastSeq = bus.lastSeq;
    this.peer.send({
      type: 'welcome',
      serverTime: new Date().toISOString(),
      seq: lastSeq,
      clientId: message.clientId,
    });
    let since = message.sinceSeq ?? lastSeq;
    if (message.sinceSeq !== undefined && message.sinceSeq > lastSeq) {
      // The client remembers events this log never had (another database, or a restore): start over.
      this.peer.send({
        type: 'resync',
        seq: lastSeq,
        reason: `seq ${message.sinceSeq} is ahead of this server's log (${lastSeq})`,
      });
      since = lastSeq;
    } else if (message.sinceSeq !== undefined && message.sinceSeq < lastSeq) {
      const first = await events.firstSeq();
      if (first > 0 && message.sinceSeq < first - 1) {
        this.peer.send({
          type: 'resync',
          seq: lastSeq,
          reason: `events after ${message.sinceSeq} are no longer kept (oldest is ${first})`,
        });
        since = lastSeq;
      }
    }
    if (this.closed) return;
    try {
      let replaying = true;
      const watch = await events.watch(since, async (batch) => {
        this.peer.sendSerialized(batch.map(eventFrame));
        if (replaying) await this.peer.writable();
      });
      replaying = false;
      if (this.closed) watch.close();
      else this.watch = watch;
    } catch (error) {
      this.deps.log.error('ws replay failed', { error: String(error) });
      this.peer.close(CloseCode.goingAway, 'replay failed');
    }
  }

  /** The server is shutting down: commands from now on are refused, so that the ones running can finish. */
  drain(): void {
    this.draining = true;
  }

  private async command(message: CommandMessage): Promise<void> {
    const started = performance.now();
    if (message.op.startsWith('runner.')) return this.runnerCommand(message, started);
    if (this.draining) {
      return this.fail(
        message,
        started,
        new MaestroError(
          'server_unavailable',
          'The server is shutting down.',
          'Send the command again once the server is back; its id makes the retry safe.',
        ),
      );
    }
    let ops = opsCache.get(this.deps.services);
    if (!ops) opsCache.set(this.deps.services, (ops = operations(this.deps.services)));
    const op = ops[message.op];
    const ctx: RequestContext = {
      actor: `web:${this.clientId}`,
      sessionId: null,
      ...(MUTATIONS.has(message.op) ? { idempotencyKey: commandKey(this.clientId!, message.id) } : {}),
    };
    try {
      if (!op) {
        throw new MaestroError(
          'invalid_argument',
          `Unknown op '${message.op}'.`,
          `Known ops: ${Object.keys(ops).join(', ')}.`,
          {
            field: 'op',
          },
        );
      }
      const data = await op(new Args(message.args), ctx);
      this.succeed(message, started, data);
    } catch (error) {
      this.fail(message, started, error);
    }
  }

  /** What a command's log lines say: its request id (`<connectionId>/<command id>`), op and duration. */
  private commandFields(message: CommandMessage, started: number): Record<string, unknown> {
    return {
      requestId: `${this.connectionId}/${message.id}`,
      op: message.op,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  private succeed(message: CommandMessage, started: number, data: unknown): void {
    this.deps.metrics.wsMessage('command', 'ok');
    this.deps.log.debug('ws command', this.commandFields(message, started));
    this.peer.send({ type: 'ack', id: message.id, ok: true, data });
  }

  /** Answers a failed command with its Maestro error; anything else is logged and reported as internal. */
  private fail(message: CommandMessage, started: number, error: unknown): void {
    const body: ErrorBody =
      error instanceof MaestroError
        ? error.toBody()
        : { code: 'internal', message: 'An internal error occurred.' };
    const fields = { ...this.commandFields(message, started), errorCode: body.code };
    this.deps.metrics.wsMessage('command', 'error');
    if (error instanceof MaestroError) this.deps.log.warn('ws command failed', fields);
    else this.deps.log.error('ws command failed', { ...fields, error: String(error) });
    this.peer.send({ type: 'ack', id: message.id, ok: false, error: body });
  }

  /** Commands only a runner may send: reports on the processes it owns. */
  private async runnerCommand(message: CommandMessage, started: number): Promise<void> {
    const { dispatcher } = this.deps;
    const runner = this.runner;
    try {
      if (!runner || !dispatcher) {
        throw new MaestroError(
          'invalid_argument',
          `'${message.op}' is for runners; say role "runner" in hello.`,
          undefined,
          {
            field: 'op',
          },
        );
      }
      const a = new Args(message.args);
      let data: unknown = null;
      if (message.op === 'runner.report') {
        const pid = a.int('pid');
        const exitCode = a.int('exitCode');
        const reason = a.optStr('reason');
        data = await dispatcher.report(runner, {
          sessionId: a.str('sessionId'),
          kind: a.str('kind'),
          pid,
          exitCode,
          reason,
        });
      } else if (message.op === 'runner.output') dispatcher.output(a.str('sessionId'), a.str('data'));
      else if (message.op === 'runner.heartbeat') await dispatcher.heartbeat(a.strList('sessionIds'));
      else
        throw new MaestroError('invalid_argument', `Unknown runner op '${message.op}'.`, undefined, {
          field: 'op',
        });
      this.succeed(message, started, data);
    } catch (error) {
      this.fail(message, started, error);
    }
  }

  dispose(): void {
    this.closed = true;
    this.stopOutput?.();
    if (this.runner) this.deps.dispatcher?.detachRunner(this.runner);
    this.watch?.close();
    this.watch = null;
  }
}
