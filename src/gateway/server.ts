import * as grpc from '@grpc/grpc-js';
import { existsSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopback, redactDbUrl, splitAddress, sqliteFile, type Settings } from '../config/config.js';
import type { ErrorBody } from '../contract/error-codes.js';
import { openDatabase, type Database } from '../services/db/database.js';
import { createServices, type Services } from '../services/index.js';
import type { Clock } from '../services/command-runner.js';
import { Background, type BackgroundErrorReporter } from '../shared/background.js';
import { sleep } from '../shared/backoff.js';
import { HealthHandlers } from './grpc/health.js';
import { callObserver, DEFAULT_SLOW_CALL_MS } from './grpc/call-observer.js';
import { DEFAULT_EVENT_STREAM_OPTIONS, EventStreams, type EventStreamOptions } from './grpc/event-stream.js';
import { GRPC_SERVICE_NAMES, GrpcOperations, SERVER_VERSION, type HandlerDeps } from './grpc/handlers.js';
import type { HostPolicy } from './http-guard.js';
import { createHttpServer } from './http-server.js';
import { Runner } from '../runner/runner.js';
import { PACKAGE_SKILLS_DIR } from './skills-dir.js';
import { SpawnDispatcher } from './spawn/dispatcher.js';
import { WorkspaceCoordinator } from './workspaces.js';
import type { EngineHooks } from '../workspaces/index.js';
import { AutopilotScheduler, DEFAULT_AUTOPILOT_OPTIONS, type AutopilotOptions } from './autopilot.js';
import { DEFAULT_WEBHOOK_BACKOFF, Webhooks, type WebhookOptions } from './webhooks.js';
import { DEFAULT_WEB_ROOT, staticFiles } from './static-files.js';
import { DEFAULT_WS_OPTIONS, WsGateway, type WsGatewayOptions } from './ws/ws-server.js';
import { createLogger, type Logger } from './logger.js';
import { metricsRoute, ServerMetrics } from './metrics.js';
import { privateDir, privateFile, privateSqliteFile, type Warn } from '../shared/private-files.js';
import { serverToken } from './token.js';
import { Authenticator } from './auth.js';

export interface RunningServer {
  http: { host: string; port: number };
  ws: WsGateway;
  dispatcher: SpawnDispatcher;
  runner: Runner | undefined;
  grpc: { host: string; port: number };
  token: string;
  services: Services;
  /** The open `Events.Watch` streams and what the server holds for them. */
  eventStreams: EventStreams;
  /**
   * Drains and stops: readiness and gRPC health go NOT_SERVING at once, new connections, calls and
   * WebSocket commands are refused, in-flight commands finish, server streams end with OK, WebSocket
   * clients get 1001, then the database closes. When that takes longer than `timeoutMs` (default
   * `shutdownTimeoutSeconds`), what is left is cut off and `forced` is true.
   */
  close(options?: { timeoutMs?: number }): Promise<{ forced: boolean }>;
}

export interface StartOptions {
  log?: Logger;
  clock?: Clock;
  /** How often leases and session heartbeats are checked. */
  sweepIntervalMs?: number;
  ws?: Partial<WsGatewayOptions>;
  /** Flow control of `Events.Watch` streams. */
  watch?: Partial<EventStreamOptions>;
  /** Folder of the built web UI (default web/dist). */
  webRoot?: string;
  /** Events kept in the log; older ones are pruned (a client asking for them gets `resync`). */
  eventRetention?: number;
  /** A unary gRPC call at least this slow is logged at warn (default 1000). */
  slowCallMs?: number;
  /** Fault injection into the workspace engine (tests kill the server at one of its points). */
  workspaceHooks?: EngineHooks;
  /** The autopilot's tick and retry backoff. */
  autopilot?: Partial<AutopilotOptions>;
  /** How webhook deliveries are retried. */
  webhooks?: Partial<Omit<WebhookOptions, 'urls'>>;
}

/**
 * The server could not start, for a reason the operator can fix: `body` carries the contract's
 * code (`address_in_use`, `invalid_argument`), which `maestro server start` turns into its exit code.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    readonly body: ErrorBody,
    options?: { cause?: unknown },
  ) {
    super(body.message, options);
  }
}

/** How long a mutation's idempotency key (and so its stored reply) is kept. */
const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

const GRPC_SERVICES = GRPC_SERVICE_NAMES.map((name) => `maestro.v1.${name}`);

/**
 * Start-up checks of what the server keeps on disk: the home folder, the log file and the SQLite
 * files are private (made so, or tightened with a warning), and the token is strong. Returns the
 * token; throws a ConfigError when it cannot be trusted.
 */
function checkHome(settings: Settings, log: Logger): string {
  const warn: Warn = (message, fields) => log.warn(message, fields);
  privateDir(settings.home, warn);
  const token = serverToken(settings.token, settings.home, warn);
  if (settings.logFile) privateFile(settings.logFile, warn);
  const sqlite = sqliteFile(settings.dbUrl);
  if (sqlite) privateSqliteFile(sqlite, warn);
  return token;
}

/** Which Host and Origin headers the HTTP side accepts (src/gateway/http-guard.ts). */
function hostPolicy(settings: Settings): HostPolicy {
  return {
    allowedHosts: settings.allowedHosts
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    trustProxy: settings.trustProxy,
  };
}

/** Listening beyond loopback over plain HTTP sends the token in clear: say so at start. */
function warnIfExposed(log: Logger, addresses: Record<string, string>): void {
  for (const [what, host] of Object.entries(addresses)) {
    if (isLoopback(host)) continue;
    log.warn(
      `${what} listens on ${host} without TLS: the token and every request cross the network in clear`,
      {
        hint: 'Put a TLS-terminating proxy in front (docs/deployment.md), or bind to 127.0.0.1.',
      },
    );
  }
}

/**
 * Opens the database and serves gRPC, health and readiness; the composition root of the server.
 * A start that fails part-way undoes what it had started (listeners, database, the SQLite file's
 * claim) before it throws, so the process can exit at once.
 */
export async function startServer(settings: Settings, options: StartOptions = {}): Promise<RunningServer> {
  // A logger the server makes is the server's to close; one passed in belongs to the caller.
  const ownLog = options.log ? undefined : createLogger(settings.logLevel, { file: settings.logFile });
  const log = options.log ?? ownLog!;
  const undo: (() => unknown)[] = [];
  try {
    return await start(settings, options, log, undo, () => ownLog?.close());
  } catch (error) {
    for (const step of undo.reverse())
      await Promise.resolve()
        .then(step)
        .catch(() => undefined);
    ownLog?.close();
    throw error;
  }
}

async function start(
  settings: Settings,
  options: StartOptions,
  log: Logger,
  undo: (() => unknown)[],
  closeLog: () => void,
): Promise<RunningServer> {
  const token = checkHome(settings, log);
  const db = await openDatabase({
    url: settings.dbUrl,
    readers: settings.sqliteReaders,
    warn: (message) => log.warn(message),
  });
  undo.push(() => db.close());
  const report: BackgroundErrorReporter = (what, error) =>
    log.error(`${what} failed`, { error: String(error) });
  const services = await createServices(db, {
    clock: options.clock,
    onFollowError: (error) => log.warn("reading other servers' events failed", { error: String(error) }),
    tasks: { defaultLeaseMs: settings.leaseSeconds * 1000 },
    sessions: {
      staleAfterMs: settings.sessionStaleSeconds * 1000,
      lostAfterMs: settings.sessionLostSeconds * 1000,
    },
  });
  services.runner.report = report;
  // Background work of the server (sweeps, probes, heartbeats): failures go to the log, and a
  // shutdown waits for what is running.
  const jobs = new Background(report);

  const metrics = new ServerMetrics(services, SERVER_VERSION, log);
  services.runner.observe = metrics.observeDb;

  const health = new HealthHandlers(GRPC_SERVICES);
  const status = servingStatus(health, services, db, log);
  const beats = new Map<string, number>();
  const streams = new Set<{ end(): void }>();
  // Every wire asks one authenticator: the server token, or a live session's credential.
  const auth = new Authenticator(token, services.credentials);
  const eventStreams = new EventStreams(
    { services, log, streams },
    { ...DEFAULT_EVENT_STREAM_OPTIONS, ...options.watch },
  );
  const deps: HandlerDeps = {
    services,
    auth,
    log,
    streams,
    eventStreams,
    // A CLI call from inside a session is a sign of life too (at most one heartbeat per 5 s).
    onCall: (ctx) => {
      if (!ctx.sessionId) return;
      // A CLI call is progress, for stuck detection.
      deps.dispatcher?.autopilot?.active(ctx.sessionId);
      const now = services.runner.clock();
      if (now - (beats.get(ctx.sessionId) ?? 0) < 5000) return;
      beats.set(ctx.sessionId, now);
      const sessionId = ctx.sessionId;
      // A session that has ended refuses heartbeats; that is no failure worth a log line.
      jobs.run('session heartbeat', () =>
        services.sessions.heartbeat({ actor: 'maestro', sessionId: null }, sessionId).catch(() => undefined),
      );
    },
  };
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
    // Nothing serves channelz (the gRPC introspection service); tracking every call for it cost
    // about a tenth of what the server allocates per call.
    'grpc.enable_channelz': 0,
    interceptors: [callObserver(metrics, log, { slowCallMs: options.slowCallMs ?? DEFAULT_SLOW_CALL_MS })],
  });
  health.addToServer(grpcServer);
  new GrpcOperations(deps).addToServer(grpcServer);
  const grpcAddr = splitAddress(settings.grpcAddr);
  undo.push(() => grpcServer.forceShutdown());
  const grpcPort = await bindGrpc(grpcServer, grpcAddr);

  const dispatcher = new SpawnDispatcher(
    services,
    {
      home: settings.home,
      agents: {
        agents: settings.agents,
        defaultAgent: settings.defaultAgent,
        agentCommand: settings.agentCommand,
      },
      maxSessions: settings.maxSessions,
      noRunnerTimeoutMs: settings.spawnTimeoutSeconds * 1000,
      grpcAddress: `${loopbackFor(grpcAddr.host)}:${grpcPort}`,
      skillsDir: existsSync(settings.skillsDir) ? settings.skillsDir : PACKAGE_SKILLS_DIR,
    },
    log,
  );
  undo.push(() => dispatcher.close());
  deps.dispatcher = dispatcher;
  const workspaces = new WorkspaceCoordinator(
    services,
    {
      home: settings.home,
      maxTotalBytes: settings.workspaceDiskCapMb > 0 ? settings.workspaceDiskCapMb * 1024 * 1024 : null,
      hooks: options.workspaceHooks,
    },
    log,
  );
  undo.push(() => workspaces.close());
  dispatcher.workspaces = workspaces;
  metrics.watchWorkspaces(() => workspaces.diskUsage());
  // Merges a crash interrupted are finished or rolled back before anything new is dispatched.
  await workspaces.recover();
  await dispatcher.recover();
  const autopilot = new AutopilotScheduler(services, dispatcher, log, {
    ...DEFAULT_AUTOPILOT_OPTIONS,
    stuckMs: settings.stuckSeconds * 1000,
    ...options.autopilot,
  });
  undo.push(() => autopilot.close());
  dispatcher.autopilot = autopilot;
  const urls = settings.webhooks
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const webhooks = urls.length
    ? new Webhooks(
        services,
        { urls, attempts: 6, backoff: DEFAULT_WEBHOOK_BACKOFF, timeoutMs: 10_000, ...options.webhooks },
        log,
      )
    : undefined;
  undo.push(() => webhooks?.close());
  const hosts = hostPolicy(settings);
  const ws = new WsGateway(
    { services, token, auth, log, metrics, dispatcher },
    { ...DEFAULT_WS_OPTIONS, hosts, ...options.ws },
  );
  undo.push(() => ws.terminate());
  const expected = db.knownMigrations();
  const applied = await db.appliedMigrations();
  const httpServer = createHttpServer(
    [
      { name: 'database', check: () => db.ping() },
      { name: 'migrations', check: async () => expected.every((m) => applied.includes(m)) },
      { name: 'storage', check: () => !services.runner.storageFull },
      { name: 'grpc', check: () => health.serving },
      { name: 'accepting', check: () => !status.draining },
    ],
    [metricsRoute(metrics), staticFiles(options.webRoot ?? DEFAULT_WEB_ROOT, token)],
    hosts,
  );
  httpServer.on('upgrade', (req, socket, head) => ws.handleUpgrade(req, socket, head));
  const httpAddr = splitAddress(settings.httpAddr);
  undo.push(() => httpServer.close());
  const httpPort = await listenHttp(httpServer, httpAddr);
  status.started();

  const runner =
    settings.runner === 'off'
      ? undefined
      : new Runner({
          url: `ws://${loopbackFor(httpAddr.host)}:${httpPort}/ws`,
          token,
          home: settings.home,
          runnerId: 'local',
          capacity: settings.maxSessions,
          backend: settings.runner,
          tmuxSocket: settings.tmuxSocket,
          report: (what, error) => log.error(`runner: ${what} failed`, { error: String(error) }),
          // Several heartbeats fit in the stale window, so one late beat never marks a session stale.
          heartbeatMs: Math.min(5000, (settings.sessionStaleSeconds * 1000) / 3),
        });
  undo.push(() => runner?.close());
  await runner?.start();

  // Other servers on a shared database announce their commits; the sweep polls too, in case an
  // announcement was lost with a connection.
  const stopListening = await db.listen(
    (lastSeq) => jobs.run("reading other servers' events", () => services.follower?.poll(lastSeq)),
    (error) => log.warn('listening for other servers failed; retrying', { error: String(error) }),
  );
  const loops = startLoops({
    services,
    jobs,
    status,
    intervalMs: options.sweepIntervalMs ?? 1000,
    eventRetention: options.eventRetention ?? 100_000,
    log,
  });

  warnIfExposed(log, { HTTP: httpAddr.host, gRPC: grpcAddr.host });
  log.info('server started', {
    http: `${httpAddr.host}:${httpPort}`,
    grpc: `${grpcAddr.host}:${grpcPort}`,
    db: redactDbUrl(settings.dbUrl),
    migrations: applied,
  });

  let closing: Promise<{ forced: boolean }> | undefined;
  return {
    http: { host: httpAddr.host, port: httpPort },
    ws,
    dispatcher,
    runner,
    grpc: { host: grpcAddr.host, port: grpcPort },
    token,
    services,
    eventStreams,
    close(closeOptions = {}) {
      closing ??= shutdown({
        timeoutMs: closeOptions.timeoutMs ?? settings.shutdownTimeoutSeconds * 1000,
        log,
        status,
        health,
        loops,
        ws,
        runner,
        dispatcher,
        webhooks,
        streams,
        grpcServer,
        services,
        jobs,
        httpServer,
        stopListening,
        db,
        closeLog,
      });
      return closing;
    },
  };
}

const loopbackFor = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

/** Binds gRPC; an address that is taken or cannot be used is a StartupError naming the setting. */
function bindGrpc(server: grpc.Server, addr: { host: string; port: number }): Promise<number> {
  const target = `${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${addr.port}`;
  return new Promise((resolve, reject) =>
    server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(listenError(error, 'gRPC', 'grpcAddr', target)) : resolve(port),
    ),
  );
}

function listenHttp(server: HttpServer, addr: { host: string; port: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) =>
      reject(listenError(error, 'HTTP', 'httpAddr', `${addr.host}:${addr.port}`));
    server.once('error', failed);
    server.listen(addr.port, addr.host, () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * What a failed listen means for the operator. grpc-js reports the system error only in its
 * message, so the code is looked for there too.
 */
function listenError(error: Error, what: string, field: 'grpcAddr' | 'httpAddr', address: string): Error {
  const text = `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`;
  const flag = field === 'grpcAddr' ? '--grpc-port' : '--http-port';
  if (/EADDRINUSE/.test(text)) {
    return new StartupError(
      {
        code: 'address_in_use',
        message: `The ${what} address ${address} is already in use: another Maestro server, or another program, listens there.`,
        hint: `Stop that program, or give this server another address (${flag}, ${field === 'grpcAddr' ? 'MAESTRO_GRPC_ADDR' : 'MAESTRO_HTTP_ADDR'}).`,
        details: { field, address },
      },
      { cause: error },
    );
  }
  if (/EACCES|EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN/.test(text)) {
    // grpc-js wraps the system's error: "No address added out of total 1 resolved errors: [listen …]".
    const reason = /\[(.*)\]/.exec(error.message)?.[1] ?? error.message;
    return new StartupError(
      {
        code: 'invalid_argument',
        message: `The ${what} address ${address} cannot be used (${reason}).`,
        hint: `Choose a host this machine has and a port it may open (${flag}, --host).`,
        details: { field, address },
      },
      { cause: error },
    );
  }
  return error;
}

/** Whether the server should say SERVING: started, not draining, the database reachable and writable. */
interface ServingStatus {
  readonly draining: boolean;
  started(): void;
  drain(): void;
  /** Result of the last database ping. */
  reachable(ok: boolean): void;
}

function servingStatus(health: HealthHandlers, services: Services, db: Database, log: Logger): ServingStatus {
  let up = false;
  let draining = false;
  let reachable = true;
  const update = () => {
    if (!up || draining) return;
    const serving = reachable && !services.runner.storageFull;
    if (serving !== health.serving) health.setAll(serving ? 'SERVING' : 'NOT_SERVING');
  };
  services.runner.onStorageChange = (full) => {
    if (full) log.error('database full: writes are refused until there is room', { db: redactDbUrl(db.url) });
    else log.info('database takes writes again');
    update();
  };
  return {
    get draining() {
      return draining;
    },
    started() {
      up = true;
      update();
    },
    drain() {
      draining = true;
      health.setAll('NOT_SERVING');
    },
    reachable(ok) {
      if (ok !== reachable)
        log[ok ? 'info' : 'error'](ok ? 'database reachable again' : 'database unreachable');
      reachable = ok;
      update();
    },
  };
}

interface LoopDeps {
  services: Services;
  jobs: Background;
  status: ServingStatus;
  intervalMs: number;
  eventRetention: number;
  log: Logger;
}

/**
 * The server's periodic work. Every run goes through `jobs` (so a failure is logged and a shutdown
 * can wait for it), and a run still going when the next is due is skipped, not doubled.
 */
function startLoops({ services, jobs, status, intervalMs, eventRetention, log }: LoopDeps): { stop(): void } {
  const every = (what: string, ms: number, work: () => Promise<unknown>) => {
    let running = false;
    const timer = setInterval(() => {
      if (running || status.draining) return;
      running = true;
      jobs.run(what, () => work().finally(() => (running = false)));
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    // Leases and heartbeats are deadlines stored in rows; this notices when they pass.
    every('sweep', intervalMs, () =>
      Promise.all([
        services.tasks.expireLeases(),
        services.sessions.sweep(),
        services.events.prune(eventRetention),
        services.follower?.poll(),
      ]),
    ),
    // Idempotency keys only need to outlive the retries of a call; a day is far longer than those.
    every('pruning idempotency keys', 60_000, () =>
      services.runner
        .pruneIdempotencyKeys(Date.now() - IDEMPOTENCY_KEY_TTL_MS)
        .catch((error: unknown) => log.warn('pruning idempotency keys failed', { error: String(error) })),
    ),
    // gRPC health and readiness follow the database: reachable, and with room to write. While it is
    // full, a probe write finds out when there is room again.
    every('database probe', intervalMs, async () => {
      const ok = await services.db.ping();
      if (ok && services.runner.storageFull) await services.runner.probeStorage();
      status.reachable(ok);
    }),
  ];
  return { stop: () => timers.forEach(clearInterval) };
}

interface ShutdownParts {
  timeoutMs: number;
  log: Logger;
  status: ServingStatus;
  health: HealthHandlers;
  loops: { stop(): void };
  ws: WsGateway;
  runner: Runner | undefined;
  dispatcher: SpawnDispatcher;
  webhooks: Webhooks | undefined;
  streams: Set<{ end(): void }>;
  grpcServer: grpc.Server;
  services: Services;
  jobs: Background;
  httpServer: HttpServer;
  stopListening: () => Promise<void>;
  db: Database;
  closeLog: () => void;
}

/**
 * The drain (docs/operations.md). Every wait in it yields to the event loop, so the bound
 * (`timeoutMs`) and a second signal always get their turn; past the bound what is left is cut off.
 */
async function shutdown(p: ShutdownParts): Promise<{ forced: boolean }> {
  const started = Date.now();
  p.status.drain();
  p.health.endWatches();
  p.loops.stop();
  p.ws.drain();
  p.runner?.close();
  p.dispatcher.autopilot?.close();
  p.dispatcher.close();
  p.dispatcher.workspaces?.close();
  for (const stream of p.streams) stream.end();
  const drained = (async () => {
    // Refuses new connections and calls; resolves once the calls already running have answered.
    await new Promise<void>((resolve) => p.grpcServer.tryShutdown(() => resolve()));
    await p.dispatcher.autopilot?.idle();
    await p.services.runner.idle();
    await p.jobs.settled();
    await p.services.runner.idle();
    // Notifications in flight get a moment; their retries end with the close.
    await Promise.race([p.webhooks?.settled(), sleep(2000)]);
    p.webhooks?.close();
    // The acks of WebSocket commands that just committed go out before the close frames.
    await new Promise((resolve) => setImmediate(resolve));
    await p.ws.close(2000);
    p.httpServer.closeAllConnections();
    await new Promise<void>((resolve) => p.httpServer.close(() => resolve()));
    return 'drained' as const;
  })().catch((error: unknown) => {
    p.log.error('shutdown failed', { error: String(error) });
    return 'failed' as const;
  });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    drained,
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), p.timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'drained') {
    if (outcome === 'timeout')
      p.log.error('shutdown timed out: cutting off what is left', { timeoutMs: p.timeoutMs });
    p.grpcServer.forceShutdown();
    p.ws.terminate();
    p.httpServer.closeAllConnections();
    p.httpServer.close();
    p.jobs.run('stopping the listener for other servers', p.stopListening);
    // A command may still be running: the database stays open and the process exit ends it.
    // SQLite keeps what was committed; an open transaction is rolled back.
    return { forced: true };
  }
  await p.stopListening();
  await p.db.close();
  p.log.info('server stopped', { ms: Date.now() - started });
  p.closeLog();
  return { forced: false };
}
