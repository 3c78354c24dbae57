import { createHash } from 'node:crypto';
import { OPERATION_NAMES, operationNamed } from '../../contract/operations.js';
import { parseArgs } from '../../contract/schema.js';
import { isSessionToken } from '../../contract/session-token.js';
import { nearest } from '../../contract/suggest.js';
import { EventsPrunedError, MaestroError } from '../../services/errors.js';
import { background } from '../../shared/background.js';
import {
  SERVER_PRINCIPAL,
  type MaestroEvent,
  type Principal,
  type RequestContext,
  type Services,
} from '../../services/index.js';
import type { Watch } from '../../services/events.js';
import { authorize, tokenMatches, type Authenticator } from '../auth.js';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';
import { describeError, toErrorBody } from '../errors.js';
import {
  implementations,
  SERVER_VERSION,
  type Implementations,
  type OperationContext,
} from '../operations.js';
import type { RunnerLink, SpawnDispatcher } from '../spawn/dispatcher.js';
import {
  CloseCode,
  parseMessage,
  type ClientMessage,
  type EventMessage,
  type ServerMessage,
} from './protocol.js';

type CommandMessage = Extract<ClientMessage, { type: 'command' }>;
type HelloMessage = Extract<ClientMessage, { type: 'hello' }>;

export { tokenMatches };

/** What the core needs from a transport: send messages, hold back while it is full, close. */
export interface Peer {
  send(message: ServerMessage): void;
  /**
   * Sends messages already serialised (shared by every client an event goes to), as one write; the
   * same array for the same batch, so a transport may encode a batch once too.
   */
  sendSerialized(frames: readonly SharedFrame[]): void;
  /** Resolves once the transport can take more (replay waits on it, live delivery does not). */
  writable(): Promise<void>;
  /** The client proved its token: it no longer counts against the caps on pending connections. */
  authenticated(): void;
  close(code: number, reason: string): void;
}

export interface CoreDeps {
  services: Services;
  /** The server token (the web UI's cookie carries it). */
  token: string;
  /** Who a hello's token is: the server token, or a live session's credential. */
  auth: Authenticator;
  log: Logger;
  metrics: ServerMetrics;
  dispatcher?: SpawnDispatcher;
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

const implCache = new WeakMap<Services, Implementations>();
/**
 * A message serialised once for every client it goes to. The object is the identity a transport
 * keys its own encoding on (the WebSocket gateway frames the bytes once, too).
 */
export interface SharedFrame {
  readonly text: string;
}

const serialized = new WeakMap<MaestroEvent, SharedFrame>();

/** An event's frame, serialised once however many clients it goes to. */
export function eventFrame(e: MaestroEvent): SharedFrame {
  let frame = serialized.get(e);
  if (!frame) serialized.set(e, (frame = { text: JSON.stringify(toEventMessage(e)) }));
  return frame;
}

const batchFrames = new WeakMap<readonly MaestroEvent[], readonly SharedFrame[]>();

/** A batch's frames: one array per batch, shared by every client that gets the whole batch. */
export function eventFrames(events: readonly MaestroEvent[]): readonly SharedFrame[] {
  let frames = batchFrames.get(events);
  if (!frames) batchFrames.set(events, (frames = events.map(eventFrame)));
  return frames;
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
  /** The hello's credential: the server token (or the web UI's cookie), or a session's own. */
  private principal: Principal = SERVER_PRINCIPAL;
  private helloSeen = false;
  /** While a session token is looked up: messages that come meanwhile wait for it, in order. */
  private authenticating: Promise<void> | null = null;
  private watch: Watch | null = null;
  private closed = false;
  private draining = false;
  private runner: RunnerLink | null = null;
  private stopOutput: (() => void) | null = null;
  private readonly gone = new AbortController();

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
    if (message.type === 'hello') {
      this.hello(message);
      return;
    }
    if (!this.helloDone && this.authenticating) {
      const waiting = this.authenticating;
      background('ws message after hello', () =>
        waiting.then(() => this.helloDone && this.dispatch(message)),
      );
      return;
    }
    if (!this.helloDone) {
      metrics.wsMessage(message.type, 'refused');
      this.peer.close(CloseCode.protocolError, 'hello must come first');
      return;
    }
    this.dispatch(message);
  }

  private dispatch(message: Exclude<ClientMessage, HelloMessage>): void {
    const { metrics } = this.deps;
    switch (message.type) {
      case 'ping':
        metrics.wsMessage('ping', 'ok');
        this.peer.send({
          type: 'pong',
          ...(message.id ? { id: message.id } : {}),
          serverTime: new Date().toISOString(),
        });
        return;
      case 'command':
        background('ws command', () => this.command(message), this.reportFailure);
        return;
    }
  }

  /**
   * Authenticates the hello: the server token (or, for a browser, the cookie) at once; a session's
   * token after a lookup, with the messages that follow held back until it is done. A runner must
   * use the server token.
   */
  private hello(message: HelloMessage): void {
    if (this.helloSeen) {
      this.deps.metrics.wsMessage('hello', 'refused');
      this.peer.close(CloseCode.protocolError, 'hello was already received');
      return;
    }
    this.helloSeen = true;
    // A runner is handed agents' environments (their tokens among them): a browser's cookie is not
    // its credential, the token in its own hello is.
    const viaCookie = this.preAuthenticated && message.role !== 'runner';
    if (viaCookie || tokenMatches(message.token, this.deps.token)) {
      this.welcome(message, SERVER_PRINCIPAL);
      return;
    }
    if (message.role !== 'runner' && isSessionToken(message.token)) {
      const token = message.token;
      this.authenticating = this.deps.auth.principal(token).then(
        (principal) => {
          if (!this.closed) this.welcome(message, principal);
        },
        () => this.refuse(message),
      );
      background('ws hello', () => this.authenticating, this.helloFailed);
      return;
    }
    this.refuse(message);
  }

  private refuse(message: HelloMessage): void {
    this.deps.metrics.wsMessage('hello', 'refused');
    this.peer.close(
      CloseCode.unauthenticated,
      message.role === 'runner' && (this.preAuthenticated || isSessionToken(message.token))
        ? 'a runner must send the server token in hello'
        : 'bad token',
    );
  }

  /** The hello is authenticated: welcome, then (for a client) replay and live events. */
  private welcome(message: HelloMessage, principal: Principal): void {
    this.principal = principal;
    this.deps.metrics.wsMessage('hello', 'ok');
    this.peer.authenticated();
    this.deps.log.debug('ws hello', {
      clientId: message.clientId,
      role: message.role ?? 'client',
      ...(principal.kind === 'session' ? { sessionId: principal.sessionId } : {}),
    });
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
    // Terminal output and transcripts of every session go to the server token's clients; a
    // session's token gets none (they carry no project to scope them by).
    if (dispatcher && principal.kind === 'server') {
      const stopOutput = dispatcher.onOutput((sessionId, data) =>
        this.peer.send({ type: 'output', sessionId, data }),
      );
      const stopTranscript = dispatcher.agents.onTranscript((sessionId, entry) =>
        this.peer.send({ type: 'transcript', sessionId, entry }),
      );
      this.stopOutput = () => {
        stopOutput();
        stopTranscript();
      };
    }
    const lastSeq = this.deps.services.bus.lastSeq;
    this.peer.send({
      type: 'welcome',
      serverTime: new Date().toISOString(),
      seq: lastSeq,
      clientId: message.clientId,
    });
    let since = message.sinceSeq ?? lastSeq;
    if (since > lastSeq) {
      // The client remembers events this log never had (another database, or a restore): start over.
      this.peer.send({
        type: 'resync',
        seq: lastSeq,
        reason: `seq ${since} is ahead of this server's log (${lastSeq})`,
      });
      since = lastSeq;
    }
    background('ws hello', () => this.follow(since), this.helloFailed);
  }

  /**
   * Replays from `since`, then delivers live events. When the log no longer holds the events the
   * replay needs next (asked for too old a seq, or a prune passed a slow replay), the client gets
   * `resync` with the newest seq and events carry on from there: every event, or a resync, never a
   * silent gap.
   */
  private async follow(since: number): Promise<void> {
    const { events } = this.deps.services;
    for (let from = since; !this.closed;) {
      let replaying = true;
      try {
        const watch = await events.watch(
          from,
          async (batch) => {
            const caller = this.principal;
            // A session's token sees its own project's events only.
            const visible =
              caller.kind === 'session' ? batch.filter((e) => e.projectId === caller.projectId) : batch;
            if (visible.length) this.peer.sendSerialized(eventFrames(visible));
            if (replaying) await this.peer.writable();
          },
          { signal: this.gone.signal },
        );
        replaying = false;
        if (this.closed) watch.close();
        else this.watch = watch;
        return;
      } catch (error) {
        if (!(error instanceof EventsPrunedError)) {
          this.deps.log.error('ws replay failed', { error: String(error) });
          this.peer.close(CloseCode.goingAway, 'replay failed');
          return;
        }
        from = error.lastSeq;
        this.peer.send({
          type: 'resync',
          seq: from,
          reason: `events after ${error.afterSeq} are no longer kept (oldest is ${error.oldestSeq})`,
        });
      }
    }
  }

  /** A command answers every failure itself; one that escapes anyway is logged, never unhandled. */
  private readonly reportFailure = (what: string, error: unknown): void => {
    this.deps.log.error(`${what} failed`, { error: String(error) });
  };

  /** A hello that failed in an unexpected way: logged, and the connection closed (1001), as a failed replay is. */
  private readonly helloFailed = (what: string, error: unknown): void => {
    this.deps.log.error(`${what} failed`, { error: String(error) });
    this.peer.close(CloseCode.goingAway, 'hello failed');
  };

  /** The server is shutting down: commands from now on are refused, so that the ones running can finish. */
  drain(): void {
    this.draining = true;
  }

  private async command(message: CommandMessage): Promise<void> {
    const started = performance.now();
    try {
      if (this.draining) {
        throw new MaestroError(
          'server_unavailable',
          'The server is shutting down.',
          'Send the command again once the server is back; its id makes the retry safe.',
        );
      }
      const spec = operationNamed(message.op);
      if (!spec) {
        const near = nearest(message.op, OPERATION_NAMES);
        throw new MaestroError(
          'invalid_argument',
          `Unknown op '${message.op.slice(0, 50)}'.${near ? ` Did you mean '${near}'?` : ''}`,
          `Known ops: ${OPERATION_NAMES.join(', ')}.`,
          { field: 'op' },
        );
      }
      if ((spec.access === 'runner') !== (this.runner !== null)) {
        throw new MaestroError(
          'permission_denied',
          spec.access === 'runner'
            ? `'${spec.name}' is for runners: say role "runner" in hello, with the server token.`
            : `A runner connection sends only runner operations, not '${spec.name}'.`,
          undefined,
          { field: 'op' },
        );
      }
      authorize(this.principal, spec.name, spec.access);
      const args = parseArgs(spec.args, message.args, (field) => `args.${field}`);
      const caller = this.principal;
      const ctx: RequestContext = {
        actor: `web:${this.clientId}`,
        sessionId: caller.kind === 'session' ? caller.sessionId : null,
        principal: caller.kind === 'session' ? caller.sessionId : 'server',
        caller,
        ...(spec.mutates ? { idempotencyKey: commandKey(this.clientId!, message.id) } : {}),
      };
      const call = this.impl()[spec.name] as (args: unknown, ctx: OperationContext) => Promise<unknown>;
      const data = await call(args, { request: ctx, ...(this.runner ? { runner: this.runner } : {}) });
      this.succeed(message, started, data);
    } catch (error) {
      this.fail(message, started, error);
    }
  }

  private impl(): Implementations {
    let impl = implCache.get(this.deps.services);
    if (!impl) {
      impl = implementations({
        services: this.deps.services,
        dispatcher: this.deps.dispatcher,
        serverVersion: SERVER_VERSION,
      });
      implCache.set(this.deps.services, impl);
    }
    return impl;
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
    const body = toErrorBody(error);
    const fields = { ...this.commandFields(message, started), errorCode: body.code };
    this.deps.metrics.wsMessage('command', 'error');
    if (body.code !== 'internal') this.deps.log.warn('ws command failed', fields);
    else this.deps.log.error('ws command failed', { ...fields, error: describeError(error) });
    this.peer.send({ type: 'ack', id: message.id, ok: false, error: body });
  }

  dispose(): void {
    this.closed = true;
    this.gone.abort();
    this.stopOutput?.();
    if (this.runner) this.deps.dispatcher?.detachRunner(this.runner);
    this.watch?.close();
    this.watch = null;
  }
}
