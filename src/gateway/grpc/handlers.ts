import type * as grpc from '@grpc/grpc-js';
import { loadProto } from '../../contract/proto.js';
import type { EventsHandlers } from '../../generated/maestro/v1/Events.js';
import type { ProjectsHandlers } from '../../generated/maestro/v1/Projects.js';
import type { ReportsHandlers } from '../../generated/maestro/v1/Reports.js';
import type { ServerHandlers } from '../../generated/maestro/v1/Server.js';
import type { SessionsHandlers } from '../../generated/maestro/v1/Sessions.js';
import type { SubtasksHandlers } from '../../generated/maestro/v1/Subtasks.js';
import type { TasksHandlers } from '../../generated/maestro/v1/Tasks.js';
import type { MaestroEvent, RequestContext, Services } from '../../services/index.js';
import type { Logger } from '../logger.js';
import type { SpawnDispatcher } from '../spawn/dispatcher.js';
import type { LogChunk } from '../../generated/maestro/v1/LogChunk.js';
import type { SessionLogsRequest__Output } from '../../generated/maestro/v1/SessionLogsRequest.js';
import { MaestroError } from '../../services/errors.js';
import { SESSION_FINAL_STATUSES, type SessionStatus } from '../../machines/session.machine.js';
import { callLog } from './call-observer.js';
import { authenticate, requestContext } from './context.js';
import { toGrpcError } from './errors.js';

export const SERVER_VERSION = '0.1.0';

/** What every handler needs: the services, the token to check, a logger. */
export interface HandlerDeps {
  services: Services;
  token: string;
  log: Logger;
  /** Open server streams (Events.Watch), ended when the server shuts down. */
  streams: Set<{ end(): void }>;
  /** Starts agents; absent in tests that need no spawning. */
  dispatcher?: SpawnDispatcher;
  /** Called after each authenticated call, e.g. to count a session's CLI call as a heartbeat. */
  onCall?: (ctx: RequestContext, method: string) => void;
}

/**
 * Wraps a service call as a unary handler: authenticate, build the request context, make the one
 * service call, reply; every failure goes through `toGrpcError`.
 */
function unary<Req, Res>(
  deps: HandlerDeps,
  method: string,
  call: (req: Req, ctx: RequestContext) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (serverCall, callback) => {
    let ctx: RequestContext;
    try {
      authenticate(serverCall.metadata, deps.token);
      ctx = requestContext(serverCall.metadata);
    } catch (error) {
      callback(toGrpcError(error, callLog(deps.log, serverCall.metadata)));
      return;
    }
    deps.onCall?.(ctx, method);
    call(serverCall.request, ctx).then(
      (result) => callback(null, result),
      (error: unknown) => callback(toGrpcError(error, callLog(deps.log, serverCall.metadata))),
    );
  };
}

/** Ends a server stream with the Maestro error as its status (grpc-js sends an emitted status). */
function failStream(
  call: { emit(event: 'error', status: Partial<grpc.StatusObject>): boolean },
  error: unknown,
  log?: Logger,
): void {
  call.emit('error', toGrpcError(error, log));
}

/** proto3 `optional` string: present only when the client set it. */
const optional = (req: object, field: string): string | undefined =>
  (req as Record<string, unknown>)[`_${field}`] === field
    ? String((req as Record<string, unknown>)[field])
    : undefined;

export class ProjectHandlers {
  constructor(private readonly deps: HandlerDeps) {}
  addToServer(server: grpc.Server): void {
    const { projects } = this.deps.services;
    const handlers: ProjectsHandlers = {
      Create: unary(this.deps, 'Projects.Create', (req, ctx) => projects.create(ctx, req)),
      List: unary(this.deps, 'Projects.List', async () => ({ projects: await projects.list() })),
      Get: unary(this.deps, 'Projects.Get', (req) => projects.get(req.id)),
      Delete: unary(this.deps, 'Projects.Delete', (req, ctx) => projects.delete(ctx, req.id, req.cascade)),
      Resolve: unary(this.deps, 'Projects.Resolve', (req, ctx) => projects.resolve(ctx, req.workingDir)),
    };
    server.addService(loadProto().maestro.v1.Projects.service, handlers);
  }
}

export class TaskHandlers {
  constructor(private readonly deps: HandlerDeps) {}
  addToServer(server: grpc.Server): void {
    const { tasks } = this.deps.services;
    const d = this.deps;
    const handlers: TasksHandlers = {
      Create: unary(d, 'Tasks.Create', (req, ctx) => tasks.create(ctx, req)),
      Get: unary(d, 'Tasks.Get', (req) => tasks.get(req.id, req.timelineLimit)),
      List: unary(d, 'Tasks.List', async (req) => ({ tasks: await tasks.list(req) })),
      Ready: unary(d, 'Tasks.Ready', async (req) => ({
        tasks: await tasks.ready(req.projectId || undefined),
      })),
      Update: unary(d, 'Tasks.Update', (req, ctx) =>
        tasks.update(ctx, {
          id: req.id,
          title: optional(req, 'title'),
          description: optional(req, 'description'),
          priority: optional(req, 'priority'),
          addLabels: req.addLabels,
          removeLabels: req.removeLabels,
          expectedVersion: req.expectedVersion,
        }),
      ),
      Start: unary(d, 'Tasks.Start', (req, ctx) => tasks.start(ctx, req.id)),
      Claim: unary(d, 'Tasks.Claim', (req, ctx) => tasks.claim(ctx, req)),
      Release: unary(d, 'Tasks.Release', (req, ctx) => tasks.release(ctx, req.id)),
      Block: unary(d, 'Tasks.Block', (req, ctx) => tasks.block(ctx, req.id, req.reason)),
      Unblock: unary(d, 'Tasks.Unblock', (req, ctx) => tasks.unblock(ctx, req.id)),
      Complete: unary(d, 'Tasks.Complete', (req, ctx) => tasks.complete(ctx, req.id)),
      Reopen: unary(d, 'Tasks.Reopen', (req, ctx) => tasks.reopen(ctx, req.id)),
      Cancel: unary(d, 'Tasks.Cancel', (req, ctx) => tasks.cancel(ctx, req.id)),
      Delete: unary(d, 'Tasks.Delete', (req, ctx) => tasks.delete(ctx, req.id, req.cascade)),
      AddDependency: unary(d, 'Tasks.AddDependency', (req, ctx) =>
        tasks.addDependency(ctx, req.taskId, req.dependsOnId),
      ),
      RemoveDependency: unary(d, 'Tasks.RemoveDependency', (req, ctx) =>
        tasks.removeDependency(ctx, req.taskId, req.dependsOnId),
      ),
    };
    server.addService(loadProto().maestro.v1.Tasks.service, handlers);
  }
}

export class SubtaskHandlers {
  constructor(private readonly deps: HandlerDeps) {}
  addToServer(server: grpc.Server): void {
    const { subtasks } = this.deps.services;
    const d = this.deps;
    const handlers: SubtasksHandlers = {
      Create: unary(d, 'Subtasks.Create', (req, ctx) => subtasks.create(ctx, req.taskId, req.title)),
      List: unary(d, 'Subtasks.List', async (req) => ({ subtasks: await subtasks.list(req.taskId) })),
      Complete: unary(d, 'Subtasks.Complete', (req, ctx) =>
        subtasks.complete(ctx, req.taskId, req.subtaskId),
      ),
      Reopen: unary(d, 'Subtasks.Reopen', (req, ctx) => subtasks.reopen(ctx, req.taskId, req.subtaskId)),
      Delete: unary(d, 'Subtasks.Delete', (req, ctx) => subtasks.delete(ctx, req.taskId, req.subtaskId)),
    };
    server.addService(loadProto().maestro.v1.Subtasks.service, handlers);
  }
}

export class ReportHandlers {
  constructor(private readonly deps: HandlerDeps) {}
  addToServer(server: grpc.Server): void {
    const { reports } = this.deps.services;
    const handlers: ReportsHandlers = {
      Report: unary(this.deps, 'Reports.Report', (req, ctx) => reports.report(ctx, req)),
    };
    server.addService(loadProto().maestro.v1.Reports.service, handlers);
  }
}

export class SessionHandlers {
  constructor(private readonly deps: HandlerDeps) {}

  /** Sends the log so far, then (with `follow`) new output until the session ends or the client leaves. */
  private async streamLogs(
    call: grpc.ServerWritableStream<SessionLogsRequest__Output, LogChunk>,
  ): Promise<void> {
    const { dispatcher, services } = this.deps;
    try {
      const session = await services.sessions.get(call.request.id);
      const existing = dispatcher?.logs(session.id) ?? '';
      if (existing) call.write({ data: existing });
      if (
        !call.request.follow ||
        !dispatcher ||
        SESSION_FINAL_STATUSES.includes(session.status as SessionStatus)
      ) {
        call.end();
        return;
      }
      // Ending stops the output first: a write after end() would break the stream instead of closing it.
      const stream = {
        end: () => {
          stop();
          if (!call.writableEnded) call.end();
        },
      };
      this.deps.streams.add(stream);
      const stopOutput = dispatcher.onOutput((id, data) => {
        if (id === session.id) call.write({ data });
      });
      const stopEvents = services.bus.subscribe((events) => {
        for (const e of events) {
          const status = (e.data.session as { status?: string } | undefined)?.status as
            SessionStatus | undefined;
          if (e.entityId === session.id && status && SESSION_FINAL_STATUSES.includes(status)) {
            setTimeout(() => stream.end(), 300);
          }
        }
      });
      const stop = () => {
        stopOutput();
        stopEvents();
        this.deps.streams.delete(stream);
      };
      call.on('cancelled', stop);
      call.on('close', stop);
      call.on('finish', stop);
    } catch (error) {
      failStream(call, error, callLog(this.deps.log, call.metadata));
    }
  }
  addToServer(server: grpc.Server): void {
    const { sessions } = this.deps.services;
    const d = this.deps;
    const handlers: SessionsHandlers = {
      Spawn: unary(d, 'Sessions.Spawn', async (req, ctx) => {
        if (!d.dispatcher) throw new MaestroError('spawn_failed', 'This server does not start agents.');
        return d.dispatcher.spawn(ctx, {
          taskId: req.taskId,
          role: req.role,
          name: req.name,
          skill: req.skill,
        });
      }),
      Logs: (call) => {
        try {
          authenticate(call.metadata, d.token);
        } catch (error) {
          failStream(call, error);
          return;
        }
        void this.streamLogs(call);
      },
      Create: unary(d, 'Sessions.Create', (req, ctx) => sessions.create(ctx, req)),
      List: unary(d, 'Sessions.List', async (req) => ({ sessions: await sessions.list(req) })),
      Get: unary(d, 'Sessions.Get', (req) => sessions.get(req.id)),
      ReportProcess: unary(d, 'Sessions.ReportProcess', (req, ctx) => sessions.reportProcess(ctx, req)),
      Heartbeat: unary(d, 'Sessions.Heartbeat', (req, ctx) => sessions.heartbeat(ctx, req.id)),
      Stop: unary(d, 'Sessions.Stop', (req, ctx) => sessions.stop(ctx, req.id)),
    };
    server.addService(loadProto().maestro.v1.Sessions.service, handlers);
  }
}

const toProtoEvent = (e: MaestroEvent) => ({ ...e, dataJson: JSON.stringify(e.data) });

export class EventHandlers {
  constructor(private readonly deps: HandlerDeps) {}

  /** A resume point older than the log keeps would silently skip events: refuse it instead. */
  private async checkRetained(sinceSeq: number): Promise<void> {
    const { events, bus } = this.deps.services;
    const first = await events.firstSeq();
    if (sinceSeq > 0 && first > 0 && sinceSeq < first - 1) {
      throw new MaestroError(
        'invalid_argument',
        `Events after ${sinceSeq} are no longer kept (the oldest is ${first}).`,
        `Reload the state you need, then watch from seq ${bus.lastSeq}.`,
        { field: 'sinceSeq', oldestSeq: first, lastSeq: bus.lastSeq },
      );
    }
  }
  addToServer(server: grpc.Server): void {
    const { events } = this.deps.services;
    const handlers: EventsHandlers = {
      List: unary(this.deps, 'Events.List', async (req) => {
        const page = await events.list(req.sinceSeq, req.limit || 1000);
        return { events: page.events.map(toProtoEvent), lastSeq: page.lastSeq };
      }),
      Watch: (call) => {
        try {
          authenticate(call.metadata, this.deps.token);
        } catch (error) {
          failStream(call, error);
          return;
        }
        let closed = false;
        let watch: { close(): void } | undefined;
        // Ending (at shutdown) stops the feed first: a write after end() would break the stream
        // instead of closing it with OK.
        const stream = {
          end: () => {
            stop();
            if (!call.writableEnded) call.end();
          },
        };
        this.deps.streams.add(stream);
        const stop = () => {
          closed = true;
          this.deps.streams.delete(stream);
          watch?.close();
        };
        call.on('cancelled', stop);
        call.on('close', stop);
        call.on('error', stop);
        void this.checkRetained(call.request.sinceSeq)
          .then(() =>
            events.watch(call.request.sinceSeq, (batch) => {
              if (closed) return;
              for (const e of batch) call.write(toProtoEvent(e));
            }),
          )
          .then(
            (w) => {
              watch = w;
              if (closed) w.close();
            },
            (error: unknown) => failStream(call, error, callLog(this.deps.log, call.metadata)),
          );
      },
    };
    server.addService(loadProto().maestro.v1.Events.service, handlers);
  }
}

export class ServerInfoHandlers {
  constructor(private readonly deps: HandlerDeps) {}
  addToServer(server: grpc.Server): void {
    const { status, bus } = this.deps.services;
    const handlers: ServerHandlers = {
      WhoAmI: unary(this.deps, 'Server.WhoAmI', async (_req, ctx) => ({
        actor: ctx.actor,
        sessionId: ctx.sessionId ?? '',
        serverVersion: SERVER_VERSION,
        lastSeq: bus.lastSeq,
      })),
      Status: unary(this.deps, 'Server.Status', (req) => status.status(req.projectId || undefined)),
    };
    server.addService(loadProto().maestro.v1.Server.service, handlers);
  }
}
