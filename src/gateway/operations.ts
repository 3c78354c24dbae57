import { OPERATIONS, type ArgsOf, type OperationName, type ResultOf } from '../contract/operations.js';
import { MaestroError } from '../services/errors.js';
import { budgetArgument } from '../services/budgets.js';
import type { RequestContext, Services } from '../services/index.js';
import type { MaestroEvent } from '../services/events.js';
import type { RunnerLink, SpawnDispatcher } from './spawn/dispatcher.js';
import type { WorkspaceCoordinator } from './workspaces.js';

/**
 * The service call behind every operation of src/contract/operations.ts, written once. The gRPC
 * handlers and the WebSocket gateway both dispatch here after checking the caller and the
 * arguments against the registry; neither maps operations to services on its own.
 */
export interface OperationContext {
  request: RequestContext;
  /** The runner connection a `runner.*` operation came from (WebSocket only). */
  runner?: RunnerLink;
}

export type Implementation<N extends OperationName> = (
  args: ArgsOf<N>,
  ctx: OperationContext,
) => Promise<ResultOf<N>>;

export type Implementations = { [N in OperationName]: Implementation<N> };

export interface ImplementationDeps {
  services: Services;
  /** Starts agents; absent on a server that does not spawn (some tests). */
  dispatcher?: SpawnDispatcher;
  /** Git worktrees per task and the merge queue; absent on a server without them (some tests). */
  workspaces?: WorkspaceCoordinator;
  serverVersion: string;
}

export const SERVER_VERSION = '0.1.0';

/** An event as gRPC and `events.list` carry it: its data as JSON text. */
export const toWireEvent = (e: MaestroEvent) => ({ ...e, dataJson: JSON.stringify(e.data) });

function noDispatcher(): MaestroError {
  return new MaestroError('spawn_failed', 'This server does not start agents.');
}

function needRunner(ctx: OperationContext): RunnerLink {
  if (!ctx.runner) {
    throw new MaestroError(
      'permission_denied',
      'Only a runner connection may send runner operations.',
      undefined,
      { field: 'op' },
    );
  }
  return ctx.runner;
}

export function implementations(deps: ImplementationDeps): Implementations {
  const s = deps.services;
  // Read at each call: the gRPC server is bound (and its port known) before the dispatcher exists.
  const spawner = () => {
    if (!deps.dispatcher) throw noDispatcher();
    return deps.dispatcher;
  };
  const coordinator = () => {
    const coordinator = deps.workspaces ?? deps.dispatcher?.workspaces;
    if (!coordinator) throw new MaestroError('workspace_failed', 'This server does not manage workspaces.');
    return coordinator;
  };
  return {
    'project.create': (a, { request }) => s.projects.create(request, a),
    'project.list': async (_a, { request }) => ({ projects: await s.projects.list(request) }),
    'project.get': (a, { request }) => s.projects.get(a.id, request),
    'project.delete': (a, { request }) => s.projects.delete(request, a.id, a.cascade),
    'project.resolve': (a, { request }) => s.projects.resolve(request, a.workingDir ?? ''),

    'task.create': (a, { request }) => s.tasks.create(request, a),
    'task.get': (a, { request }) => s.tasks.get(a.id, a.timelineLimit ?? 50, request),
    'task.list': (a, { request }) => s.tasks.list(a, request),
    'task.ready': async (a, { request }) => ({ tasks: await s.tasks.ready(a.projectId, request) }),
    'task.update': (a, { request }) => s.tasks.update(request, a),
    'task.start': (a, { request }) => s.tasks.start(request, a.id, a.expectedVersion),
    'task.claim': (a, { request }) => s.tasks.claim(request, a),
    'task.release': (a, { request }) => s.tasks.release(request, a.id, a.expectedVersion),
    'task.block': (a, { request }) => s.tasks.block(request, a.id, a.reason, a.expectedVersion),
    'task.unblock': (a, { request }) => s.tasks.unblock(request, a.id, a.expectedVersion),
    'task.complete': (a, { request }) => s.tasks.complete(request, a.id, a.expectedVersion),
    'task.reopen': (a, { request }) => s.tasks.reopen(request, a.id, a.expectedVersion),
    'task.cancel': (a, { request }) => s.tasks.cancel(request, a.id, a.expectedVersion),
    'task.delete': (a, { request }) => s.tasks.delete(request, a.id, a.cascade),
    'task.dep.add': (a, { request }) => s.tasks.addDependency(request, a.taskId, a.dependsOnId),
    'task.dep.remove': (a, { request }) => s.tasks.removeDependency(request, a.taskId, a.dependsOnId),

    'subtask.create': (a, { request }) => s.subtasks.create(request, a.taskId, a.title),
    'subtask.list': async (a, { request }) => ({ subtasks: await s.subtasks.list(a.taskId, request) }),
    'subtask.complete': (a, { request }) => s.subtasks.complete(request, a.taskId, a.subtaskId),
    'subtask.reopen': (a, { request }) => s.subtasks.reopen(request, a.taskId, a.subtaskId),
    'subtask.delete': (a, { request }) => s.subtasks.delete(request, a.taskId, a.subtaskId),

    report: (a, { request }) => s.reports.report(request, a),

    'session.spawn': async (a, { request }) => {
      const dispatcher = spawner();
      // An orchestrator's token spawns for its own project's tasks: refused before anything is read
      // or written (the session's creation checks it again, in its transaction).
      if (request.caller?.kind === 'session') await s.tasks.get(a.taskId, 1, request);
      await dispatcher.autopilot?.assertWithinBudget(a.taskId);
      return dispatcher.spawn(request, a);
    },
    'session.create': (a, { request }) => s.sessions.create(request, a),
    'session.list': async (a, { request }) => ({ sessions: await s.sessions.list(a, request) }),
    'session.get': (a, { request }) => s.sessions.get(a.id, request),
    'session.report': (a, { request }) => s.sessions.reportProcess(request, a),
    'session.heartbeat': (a, { request }) => s.sessions.heartbeat(request, a.id),
    'session.stop': (a, { request }) => s.sessions.stop(request, a.id),
    // The dispatcher reads the session without the caller; a session's token is checked first.
    'session.send': async (a, { request }) => {
      const dispatcher = spawner();
      await s.sessions.get(a.id, request);
      return dispatcher.send(request, a.id, a.message);
    },
    'session.resume': async (a, { request }) => {
      const dispatcher = spawner();
      await s.sessions.get(a.id, request);
      return dispatcher.resume(request, a.id);
    },
    'session.transcript': async (a, { request }) => {
      const session = await s.sessions.get(a.id, request);
      return spawner().agents.transcript(session.id, a.after ?? 0, a.limit ?? 1000);
    },
    'agent.list': () => spawner().agents.list(),
    'session.output': async (a, { request }) => {
      const session = await s.sessions.get(a.id, request);
      return spawner().tail(session.id, a.tailBytes ?? 65_536);
    },

    'events.list': async (a, { request }) => {
      const page = await s.events.listPage(a);
      const caller = request.caller;
      // A session's token sees its own project's events: the page is read, then filtered.
      const events =
        caller?.kind === 'session'
          ? page.events.filter((e) => e.projectId === caller.projectId)
          : page.events;
      return { events: events.map(toWireEvent), lastSeq: page.lastSeq, nextPageToken: page.nextPageToken };
    },
    whoami: async (_a, { request }) => ({
      actor: request.actor,
      sessionId: request.sessionId ?? '',
      serverVersion: deps.serverVersion,
      lastSeq: s.bus.lastSeq,
    }),
    status: async (a, { request }) => {
      const result = await s.status.status(a.projectId, request);
      const workspaces = deps.workspaces ?? deps.dispatcher?.workspaces;
      return workspaces ? { ...result, workspaceDisk: await workspaces.diskStatus() } : result;
    },

    'project.configure': (a, { request }) => s.projects.configure(request, a),
    'workspace.list': (a, { request }) => coordinator().list(a.projectId, request),
    'workspace.prune': (a) => coordinator().prune(a),
    'workspace.restore': (a, { request }) => coordinator().restore(request, a.taskId, a.snapshot),
    'merge_queue.list': async (a, { request }) => ({ queue: await s.workspaces.queue(a.projectId, request) }),
    'task.diff': (a, { request }) => coordinator().diff(request, a.taskId, a.stat),
    'task.review': async (a, { request }) => {
      const noted = await s.workspaces.comment(request, a);
      // To the task's running worker now; otherwise the next worker's prompt carries it.
      const running = (await s.sessions.list({ status: ['running', 'stale'] })).filter((x) =>
        x.taskIds.includes(noted.taskId),
      );
      const dispatcher = deps.dispatcher;
      for (const session of running) {
        if (!dispatcher) break;
        const sent = dispatcher.agents.send(session, noted.message, request.actor);
        if (sent.delivered) return { ...noted, delivered: true, note: `Sent to ${session.id}.` };
      }
      return {
        ...noted,
        delivered: false,
        note: "No running worker took it: the next worker's prompt carries it.",
      };
    },
    'task.approve': async (a, { request }) => {
      const workspace = await s.workspaces.approve(request, a.taskId);
      if (a.comment) await s.workspaces.comment(request, { taskId: a.taskId, comment: a.comment });
      return workspace;
    },
    'task.reject': (a, { request }) => s.workspaces.reject(request, a.taskId, a.comment),

    'autopilot.get': (a, { request }) => s.autopilots.get(a.projectId, request),
    'autopilot.set': async (a, { request }) => {
      const dispatcher = spawner();
      // An unknown profile is refused before anything changes.
      if (a.agent) dispatcher.agents.profile(a.agent);
      const view = await s.autopilots.set(request, a.projectId, {
        ...(a.state ? { enabled: a.state === 'on' } : {}),
        maxWorkers: a.maxWorkers,
        label: a.label,
        agent: a.agent,
        maxAttempts: a.maxAttempts,
        ...(a.budget !== undefined ? { budget: budgetArgument('budget', a.budget) } : {}),
      });
      dispatcher.autopilot?.kick();
      return view;
    },
    'autopilot.doctor': async (a, { request }) => {
      const autopilot = spawner().autopilot;
      if (!autopilot) throw noDispatcher();
      return autopilot.doctor(a.projectId, request);
    },

    'runner.report': (a, ctx) => spawner().report(needRunner(ctx), a),
    'runner.output': async (a, ctx) => {
      spawner().output(needRunner(ctx), a.sessionId, a.data);
      return null;
    },
    'runner.heartbeat': (a, ctx) => spawner().heartbeat(needRunner(ctx), a.sessionIds),
  };
}

/** Every operation has an implementation: checked when the module loads, not when a call arrives. */
export function assertComplete(impl: Implementations): void {
  for (const name of Object.keys(OPERATIONS)) {
    if (typeof (impl as Record<string, unknown>)[name] !== 'function') {
      throw new Error(`Operation ${name} has no implementation.`);
    }
  }
}
