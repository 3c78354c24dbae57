import * as grpc from '@grpc/grpc-js';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { redactDbUrl, splitAddress, type Settings } from '../config/config.js';
import { openDatabase } from '../services/db/database.js';
import { createServices, type Services } from '../services/index.js';
import type { Clock } from '../services/command-runner.js';
import { HealthHandlers } from './grpc/health.js';
import { callObserver, DEFAULT_SLOW_CALL_MS } from './grpc/call-observer.js';
import {
  EventHandlers,
  ProjectHandlers,
  ReportHandlers,
  SERVER_VERSION,
  ServerInfoHandlers,
  SessionHandlers,
  SubtaskHandlers,
  TaskHandlers,
  type HandlerDeps,
} from './grpc/handlers.js';
import { createHttpServer } from './http-server.js';
import { existsSync } from 'node:fs';
import { Runner } from '../runner/runner.js';
import { PACKAGE_SKILLS_DIR } from './skills-dir.js';
import { SpawnDispatcher } from './spawn/dispatcher.js';
import { DEFAULT_WEB_ROOT, staticFiles } from './static-files.js';
import { DEFAULT_WS_OPTIONS, WsGateway, type WsGatewayOptions } from './ws/ws-server.js';
import { createLogger, type Logger } from './logger.js';
import { metricsRoute, ServerMetrics } from './metrics.js';
import { readOrCreateToken } from './token.js';

export interface RunningServer {
  http: { host: string; port: number };
  ws: WsGateway;
  dispatcher: SpawnDispatcher;
  runner: Runner | undefined;
  grpc: { host: string; port: number };
  token: string;
  services: Services;
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
  /** Folder of the built web UI (default web/dist). */
  webRoot?: string;
  /** Events kept in the log; older ones are pruned (a client asking for them gets `resync`). */
  eventRetention?: number;
  /** A unary gRPC call at least this slow is logged at warn (default 1000). */
  slowCallMs?: number;
}

/** How long a mutation's idempotency key (and so its stored reply) is kept. */
const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

const GRPC_SERVICES = [
  'maestro.v1.Projects',
  'maestro.v1.Tasks',
  'maestro.v1.Subtasks',
  'maestro.v1.Reports',
  'maestro.v1.Sessions',
  'maestro.v1.Events',
  'maestro.v1.Server',
];

/** Opens the database and serves gRPC, health and readiness; the composition root of the server. */
export async function startServer(settings: Settings, options: StartOptions = {}): Promise<RunningServer> {
  // A logger the server makes is the server's to close; one passed in belongs to the caller.
  const ownLog = options.log ? undefined : createLogger(settings.logLevel, { file: settings.logFile });
  const log = options.log ?? ownLog!;
  mkdirSync(settings.home, { recursive: true, mode: 0o700 });
  const token = settings.token || readOrCreateToken(settings.home);
  const db = await openDatabase({ url: settings.dbUrl, warn: (message) => log.warn(message) });
  const services = await createServices(db, {
    clock: options.clock,
    onFollowError: (error) => log.warn("reading other servers' events failed", { error: String(error) }),
    tasks: { defaultLeaseMs: settings.leaseSeconds * 1000 },
    sessions: {
      staleAfterMs: settings.sessionStaleSeconds * 1000,
      lostAfterMs: settings.sessionLostSeconds * 1000,
    },
  });

  const metrics = new ServerMetrics(services, SERVER_VERSION, log);
  services.runner.observe = metrics.observeDb;

  let draining = false;
  const health = new HealthHandlers(GRPC_SERVICES);
  const beats = new Map<string, number>();
  const deps: HandlerDeps = {
    services,
    token,
    log,
    streams: new Set(),
    // A CLI call from inside a session is a sign of life too (at most one heartbeat per 5 s).
    onCall: (ctx) => {
      if (!ctx.sessionId) return;
      const now = Date.now();
      if (now - (beats.get(ctx.sessionId) ?? 0) < 5000) return;
      beats.set(ctx.sessionId, now);
      services.sessions
        .heartbeat({ actor: 'maestro', sessionId: null }, ctx.sessionId)
        .catch(() => undefined);
    },
  };
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
    interceptors: [callObserver(metrics, log, { slowCallMs: options.slowCallMs ?? DEFAULT_SLOW_CALL_MS })],
  });
  for (const handlers of [
    health,
    new ProjectHandlers(deps),
    new TaskHandlers(deps),
    new SubtaskHandlers(deps),
    new ReportHandlers(deps),
    new SessionHandlers(deps),
    new EventHandlers(deps),
    new ServerInfoHandlers(deps),
  ]) {
    handlers.addToServer(grpcServer);
  }
  const grpcAddr = splitAddress(settings.grpcAddr);
  const grpcPort = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync(
      `${grpcAddr.host.includes(':') ? `[${grpcAddr.host}]` : grpcAddr.host}:${grpcAddr.port}`,
      grpc.ServerCredentials.createInsecure(),
      (error, port) => (error ? reject(error) : resolve(port)),
    ),
  );

  const expected = db.knownMigrations();
  const dispatcher = new SpawnDispatcher(
    services,
    {
      home: settings.home,
      agentCommand: settings.agentCommand,
      maxSessions: settings.maxSessions,
      noRunnerTimeoutMs: settings.spawnTimeoutSeconds * 1000,
      grpcAddress: `${grpcAddr.host === '0.0.0.0' || grpcAddr.host === '::' ? '127.0.0.1' : grpcAddr.host}:${grpcPort}`,
      token,
      skillsDir: existsSync(settings.skillsDir) ? settings.skillsDir : PACKAGE_SKILLS_DIR,
    },
    log,
  );
  deps.dispatcher = dispatcher;
  await dispatcher.recover();
  const ws = new WsGateway(
    { services, token, log, metrics, dispatcher },
    { ...DEFAULT_WS_OPTIONS, ...options.ws },
  );
  const httpServer = createHttpServer(
    [
      { name: 'database', check: () => db.ping() },
      { name: 'migrations', check: async () => expected.every((m) => applied.includes(m)) },
      { name: 'grpc', check: () => health.serving },
      { name: 'accepting', check: () => !draining },
    ],
    [metricsRoute(metrics), staticFiles(options.webRoot ?? DEFAULT_WEB_ROOT, token)],
  );
  httpServer.on('upgrade', (req, socket, head) => ws.handleUpgrade(req, socket, head));
  const applied = await db.appliedMigrations();
  const httpAddr = splitAddress(settings.httpAddr);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(httpAddr.port, httpAddr.host, () => resolve());
  });
  const httpPort = (httpServer.address() as AddressInfo).port;
  health.setAll('SERVING');

  const runner =
    settings.runner === 'off'
      ? undefined
      : new Runner({
          url: `ws://${httpAddr.host === '0.0.0.0' || httpAddr.host === '::' ? '127.0.0.1' : httpAddr.host}:${httpPort}/ws`,
          token,
          home: settings.home,
          runnerId: 'local',
          capacity: settings.maxSessions,
          backend: settings.runner,
          tmuxSocket: settings.tmuxSocket,
          // Several heartbeats fit in the stale window, so one late beat never marks a session stale.
          heartbeatMs: Math.min(5000, (settings.sessionStaleSeconds * 1000) / 3),
        });
  await runner?.start();

  // Other servers on a shared database announce their commits; the sweep polls too, in case an
  // announcement was lost with a connection.
  const stopListening = await db.listen(
    () => void services.follower?.poll(),
    (error) => log.warn('listening for other servers failed; retrying', { error: String(error) }),
  );

  // Leases and heartbeats are deadlines stored in rows; this loop notices when they pass.
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping || draining) return;
    sweeping = true;
    Promise.all([
      services.tasks.expireLeases(),
      services.sessions.sweep(),
      services.events.prune(options.eventRetention ?? 100_000),
      services.follower?.poll(),
    ])
      .catch((error: unknown) => log.error('sweep failed', { error: String(error) }))
      .finally(() => (sweeping = false));
  }, options.sweepIntervalMs ?? 1000);
  sweep.unref();

  // Idempotency keys only need to outlive the retries of a call; a day is far longer than those.
  const forgetKeys = setInterval(() => {
    if (draining) return;
    services.runner
      .pruneIdempotencyKeys(Date.now() - IDEMPOTENCY_KEY_TTL_MS)
      .catch((error: unknown) => log.warn('pruning idempotency keys failed', { error: String(error) }));
  }, 60_000);
  forgetKeys.unref();

  // gRPC health follows the database: a server that cannot reach it says NOT_SERVING until it can.
  let probing = false;
  const probe = setInterval(() => {
    if (probing || draining) return;
    probing = true;
    void db
      .ping()
      .then((ok) => {
        if (draining || ok === health.serving) return;
        health.setAll(ok ? 'SERVING' : 'NOT_SERVING');
        log[ok ? 'info' : 'error'](ok ? 'database reachable again' : 'database unreachable');
      })
      .finally(() => (probing = false));
  }, options.sweepIntervalMs ?? 1000);
  probe.unref();

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
    close(closeOptions = {}) {
      closing ??= (async () => {
        const timeoutMs = closeOptions.timeoutMs ?? settings.shutdownTimeoutSeconds * 1000;
        const started = Date.now();
        draining = true;
        health.setAll('NOT_SERVING');
        health.endWatches();
        clearInterval(sweep);
        clearInterval(probe);
        clearInterval(forgetKeys);
        ws.drain();
        runner?.close();
        dispatcher.close();
        for (const stream of deps.streams) stream.end();
        const drained = (async () => {
          // Refuses new connections and calls; resolves once the calls already running have answered.
          await new Promise<void>((resolve) => grpcServer.tryShutdown(() => resolve()));
          await services.runner.idle();
          // The acks of WebSocket commands that just committed go out before the close frames.
          await new Promise((resolve) => setImmediate(resolve));
          await ws.close(2000);
          httpServer.closeAllConnections();
          await new Promise<void>((resolve) => httpServer.close(() => resolve()));
          return 'drained' as const;
        })().catch((error: unknown) => {
          log.error('shutdown failed', { error: String(error) });
          return 'failed' as const;
        });
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          drained,
          new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
        ]);
        clearTimeout(timer);
        if (outcome !== 'drained') {
          if (outcome === 'timeout') log.error('shutdown timed out: cutting off what is left', { timeoutMs });
          grpcServer.forceShutdown();
          ws.terminate();
          httpServer.closeAllConnections();
          httpServer.close();
          void stopListening();
          // A command may still be running: the database stays open and the process exit ends it.
          // SQLite keeps what was committed; an open transaction is rolled back.
          return { forced: true };
        }
        await stopListening();
        await db.close();
        log.info('server stopped', { ms: Date.now() - started });
        ownLog?.close();
        return { forced: false };
      })();
      return closing;
    },
  };
}
