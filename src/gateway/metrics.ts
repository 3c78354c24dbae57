import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CloseCode } from '../contract/ws-messages.js';
import { SESSION_STATUSES, TASK_STATUSES } from '../contract/views.js';
import type { Services } from '../services/index.js';
import type { StatusCounts } from '../services/status.service.js';
import type { HttpRoute } from './http-server.js';
import type { Logger } from './logger.js';

/** What a WebSocket message came to: handled, answered with an error ack, or refused (bad frame, bad token, out of order). */
export type WsOutcome = 'ok' | 'error' | 'refused';

/** Close codes that get a label of their own; any other code a peer sends is counted as `other`. */
const KNOWN_CLOSE_CODES = new Set<number>([
  ...Object.values(CloseCode),
  1002,
  1003,
  1005,
  1006,
  1007,
  1008,
  1009,
  1010,
  1011,
  1012,
  1013,
  1014,
  1015,
]);

/** Sub-millisecond SQLite work up to multi-second PostgreSQL stalls. */
const DB_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const CALL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The server's Prometheus metrics, in a registry of its own: several servers can run in one
 * process (the tests do), and the global default registry would mix their figures. Every name and
 * label is listed in docs/operations.md.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly grpcRequests: Counter<'method' | 'code' | 'error'>;
  private readonly grpcDuration: Histogram<'method'>;
  private readonly grpcStreams: Gauge<'method'>;
  private readonly wsMessages: Counter<'type' | 'outcome'>;
  private readonly wsClients: Gauge;
  private readonly wsConnections: Counter;
  private readonly wsClosed: Counter<'code'>;
  private readonly dbDuration: Histogram<'kind'>;
  private pendingCounts: Promise<StatusCounts | null> | null = null;

  constructor(services: Services, version: string, log: Logger) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'maestro_build_info',
      help: 'Always 1; the labels say which build runs.',
      labelNames: ['version', 'node'],
      registers,
    }).set({ version, node: process.version }, 1);

    this.grpcRequests = new Counter({
      name: 'maestro_grpc_requests_total',
      help: 'gRPC calls finished, by method, gRPC status and Maestro error code.',
      labelNames: ['method', 'code', 'error'],
      registers,
    });
    this.grpcDuration = new Histogram({
      name: 'maestro_grpc_request_duration_seconds',
      help: 'Time from a unary gRPC call arriving to its status being sent, by method.',
      labelNames: ['method'],
      buckets: CALL_BUCKETS,
      registers,
    });
    this.grpcStreams = new Gauge({
      name: 'maestro_grpc_active_streams',
      help: 'Open gRPC server streams (Events.Watch, Sessions.Logs, Health.Watch), by method.',
      labelNames: ['method'],
      registers,
    });

    this.wsMessages = new Counter({
      name: 'maestro_ws_messages_total',
      help: 'WebSocket messages received, by type (hello, ping, command, invalid) and outcome (ok, error, refused).',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.wsClients = new Gauge({
      name: 'maestro_ws_clients',
      help: 'WebSocket clients connected now.',
      registers,
    });
    this.wsConnections = new Counter({
      name: 'maestro_ws_connections_total',
      help: 'WebSocket connections accepted.',
      registers,
    });
    this.wsClosed = new Counter({
      name: 'maestro_ws_connections_closed_total',
      help: 'WebSocket connections closed, by close code (codes outside the protocol and RFC 6455 are "other").',
      labelNames: ['code'],
      registers,
    });

    const published = new Counter({
      name: 'maestro_events_published_total',
      help: 'Events committed and published to live watchers, by event type; rate() is events per second.',
      labelNames: ['type'],
      registers,
    });
    const tokens = new Counter({
      name: 'maestro_agent_tokens_total',
      help: 'Tokens agents used, as their harnesses reported them, by project, agent profile and kind (input, output, cache_read, cache_write).',
      labelNames: ['project', 'agent', 'kind'],
      registers,
    });
    const cost = new Counter({
      name: 'maestro_agent_cost_usd_total',
      help: 'Cost in USD agents reported, by project and agent profile.',
      labelNames: ['project', 'agent'],
      registers,
    });
    const decisions = new Counter({
      name: 'maestro_autopilot_decisions_total',
      help: 'Decisions of the autopilot, by project and action (spawned, retried, blocked, waiting, stopped, stuck).',
      labelNames: ['project', 'action'],
      registers,
    });
    const budgetExceeded = new Counter({
      name: 'maestro_budget_exceeded_total',
      help: 'Budgets reached, by project and scope: task (a task blocked with budget_exceeded) or project (its autopilot turned off).',
      labelNames: ['project', 'scope'],
      registers,
    });
    const autopilotOn = new Gauge({
      name: 'maestro_autopilot_enabled',
      help: 'Whether the autopilot of a project is on (1) or off (0), as this server last saw it change.',
      labelNames: ['project'],
      registers,
    });
    // A session's cost is its harness's running total: the counter grows by what it added.
    const lastCost = new Map<string, number>();
    services.bus.subscribe((events) => {
      for (const e of events) {
        published.inc({ type: e.type });
        if (e.type.startsWith('autopilot.')) {
          const project = e.projectId ?? '';
          const action = e.type.slice('autopilot.'.length);
          if (action === 'on' || action === 'off') autopilotOn.set({ project }, action === 'on' ? 1 : 0);
          else if (action !== 'updated') decisions.inc({ project, action });
          const reason = String((e.data.autopilot as { reason?: string } | undefined)?.reason ?? '');
          if (action === 'off' && reason.startsWith('budget_exceeded'))
            budgetExceeded.inc({ project, scope: 'project' });
        }
        if (e.type === 'task.blocked') {
          const reason = String((e.data.task as { blockedReason?: string } | undefined)?.blockedReason ?? '');
          if (reason.startsWith('budget_exceeded'))
            budgetExceeded.inc({ project: e.projectId ?? '', scope: 'task' });
        }
        if (e.type !== 'session.usage') continue;
        const session = e.data.session as { agent?: string; usage?: { costUsd?: number } } | undefined;
        const delta = (e.data.delta ?? {}) as Record<string, number>;
        const labels = { project: e.projectId, agent: session?.agent || 'unknown' };
        for (const [kind, key] of [
          ['input', 'inputTokens'],
          ['output', 'outputTokens'],
          ['cache_read', 'cacheReadTokens'],
          ['cache_write', 'cacheWriteTokens'],
        ] as const) {
          if (delta[key]) tokens.inc({ ...labels, kind }, delta[key]);
        }
        const total = session?.usage?.costUsd ?? 0;
        const added = total - (lastCost.get(e.entityId) ?? 0);
        if (added > 0) cost.inc(labels, added);
        lastCost.set(e.entityId, total);
        if (lastCost.size > 10_000) lastCost.delete(lastCost.keys().next().value!);
      }
    });
    new Gauge({
      name: 'maestro_events_last_seq',
      help: 'The newest event-log seq.',
      registers,
      collect() {
        this.set(services.bus.lastSeq);
      },
    });

    // Counted at scrape time with one read for both gauges; a status with no rows reads 0.
    const counts = () => this.statusCounts(services, log);
    const byStatus = (name: string, what: string, known: readonly string[], pick: keyof StatusCounts) =>
      new Gauge({
        name,
        help: `${what} by status, counted in the database at scrape time.`,
        labelNames: ['status'],
        registers,
        async collect() {
          const all = await counts();
          this.reset();
          if (!all) return;
          for (const status of new Set([...known, ...Object.keys(all[pick])])) {
            this.set({ status }, all[pick][status] ?? 0);
          }
        },
      });
    byStatus('maestro_tasks_by_status', 'Tasks', TASK_STATUSES, 'tasks');
    byStatus('maestro_sessions_by_status', 'Agent sessions', SESSION_STATUSES, 'sessions');

    this.dbDuration = new Histogram({
      name: 'maestro_db_duration_seconds',
      help: 'Database work: kind="command" is one committed batch of commands (BEGIN to COMMIT), kind="read" one read.',
      labelNames: ['kind'],
      buckets: DB_BUCKETS,
      registers,
    });
  }

  /** One database read per scrape, shared by the two status gauges (prom-client collects them together). */
  private statusCounts(services: Services, log: Logger): Promise<StatusCounts | null> {
    this.pendingCounts ??= services.status
      .counts()
      .catch((error: unknown) => {
        log.warn('metrics: counting by status failed', { error: String(error) });
        return null;
      })
      .finally(() => (this.pendingCounts = null));
    return this.pendingCounts;
  }

  grpcStarted(method: string, stream: boolean): void {
    if (stream) this.grpcStreams.inc({ method });
  }

  /** A gRPC call ended; `seconds` is recorded for unary calls only (a stream's lifetime is not latency). */
  grpcEnded(method: string, stream: boolean, code: string, error: string | undefined, seconds: number): void {
    this.grpcRequests.inc(error ? { method, code, error } : { method, code });
    if (stream) this.grpcStreams.dec({ method });
    else this.grpcDuration.observe({ method }, seconds);
  }

  wsOpened(): void {
    this.wsConnections.inc();
    this.wsClients.inc();
  }

  wsEnded(code: number): void {
    this.wsClients.dec();
    this.wsClosed.inc({ code: KNOWN_CLOSE_CODES.has(code) ? String(code) : 'other' });
  }

  wsMessage(type: 'hello' | 'ping' | 'command' | 'invalid', outcome: WsOutcome): void {
    this.wsMessages.inc({ type, outcome });
  }

  /** The command runner's `observe` hook. */
  readonly observeDb = (kind: 'command' | 'read', seconds: number): void => {
    this.dbDuration.observe({ kind }, seconds);
  };

  /** Prometheus text exposition of every metric. */
  /**
   * The disk task worktrees take, from the workspace engine: measured at most every 30 s (it
   * walks the worktrees), so a scrape stays cheap.
   */
  watchWorkspaces(usage: () => Promise<{ totalBytes: number; workspaces: number }>): void {
    let cached: { at: number; value: Promise<{ totalBytes: number; workspaces: number } | null> } | null =
      null;
    const read = () => {
      if (!cached || Date.now() - cached.at > 30_000)
        cached = { at: Date.now(), value: usage().catch(() => null) };
      return cached.value;
    };
    new Gauge({
      name: 'maestro_workspace_disk_bytes',
      help: 'Disk taken by the task worktrees on disk (symlinked node_modules not counted).',
      registers: [this.registry],
      async collect() {
        const value = await read();
        if (value) this.set(value.totalBytes);
      },
    });
    new Gauge({
      name: 'maestro_workspaces_on_disk',
      help: 'Task worktrees on disk.',
      registers: [this.registry],
      async collect() {
        const value = await read();
        if (value) this.set(value.workspaces);
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** `GET /metrics`: no token, like the probes (see docs/operations.md on keeping the port private). */
export function metricsRoute(metrics: ServerMetrics): HttpRoute {
  return async (req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/metrics') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    const body = await metrics.text();
    res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
