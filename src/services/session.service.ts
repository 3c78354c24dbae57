import { formatId } from '../contract/ids.js';
import { decide, initialState } from '../machines/decide.js';
import {
  SESSION_FINAL_STATUSES,
  SESSION_MACHINE_VERSION,
  SESSION_STATUSES,
  sessionMachine,
  type SessionContext,
  type SessionEvent,
  type SessionStatus,
} from '../machines/session.machine.js';
import type { CommandRunner, RequestContext, Tx } from './command-runner.js';
import { SessionSchema, type SessionRow } from './db/entities.js';
import { SessionErrors, invalidArgument } from './errors.js';
import { SYSTEM, loadTask, projectRowId, type TaskService } from './task.service.js';
import { idOf, oneOf, optionalText } from './validate.js';
import { sessionView, type SessionView } from './views.js';

export const SESSION_ROLES = ['worker', 'orchestrator'] as const;
export const PROCESS_REPORTS = ['started', 'exited', 'failed', 'stopped'] as const;

export interface SessionServiceOptions {
  /** A running session with no heartbeat for this long becomes stale. */
  staleAfterMs: number;
  /** A stale session with no heartbeat for this long (since the last one) is lost; its claims lapse. */
  lostAfterMs: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionServiceOptions = { staleAfterMs: 60_000, lostAfterMs: 180_000 };

/** Agent sessions and their lifecycle; a session that ends or is lost gives up its claims. */
export class SessionService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly tasks: TaskService,
    readonly options: SessionServiceOptions = DEFAULT_SESSION_OPTIONS,
  ) {}

  create(
    ctx: RequestContext,
    input: { projectId: string; taskIds: readonly string[]; role?: string; name?: string; skill?: string },
  ): Promise<SessionView> {
    return this.runner.run('session.create', ctx, async (tx) => {
      const role = oneOf('role', input.role || 'worker', SESSION_ROLES);
      const projectId = await projectRowId(tx.em, input.projectId);
      const taskIds: string[] = [];
      for (const id of input.taskIds) {
        const task = await loadTask(tx.em, id);
        if (task.projectId !== projectId)
          throw invalidArgument('task', `Task ${id} belongs to another project.`);
        taskIds.push(formatId('task', task.id));
      }
      const state = initialState<SessionContext>(sessionMachine);
      const row = tx.em.create(SessionSchema, {
        project: projectId,
        taskIds,
        role,
        name: optionalText('name', input.name, 200),
        skill: optionalText('skill', input.skill, 200),
        status: state.value,
        state,
        machineVersion: SESSION_MACHINE_VERSION,
        heartbeatAt: tx.now,
        createdAt: new Date(tx.now),
        updatedAt: new Date(tx.now),
      });
      await tx.em.flush();
      if (!row.name) row.name = `${role}-${row.id}`;
      await tx.em.flush();
      const view = sessionView(row);
      await tx.emit('session.created', 'session', view.id, view.projectId, { session: view });
      return view;
    });
  }

  list(input: { projectId?: string; status?: readonly string[] }): Promise<SessionView[]> {
    return this.runner.read(async (em) => {
      const where: Record<string, unknown> = {};
      if (input.projectId) where.project = await projectRowId(em, input.projectId);
      if (input.status?.length)
        where.status = { $in: input.status.map((s) => oneOf('status', s, SESSION_STATUSES)) };
      return (await em.find(SessionSchema, where, { orderBy: { id: 'asc' } })).map(sessionView);
    });
  }

  get(id: string): Promise<SessionView> {
    return this.runner.read(async (em) => sessionView(await this.load(em, id)));
  }

  reportProcess(
    ctx: RequestContext,
    input: { id: string; kind: string; pid?: number; exitCode?: number; reason?: string },
  ): Promise<SessionView> {
    return this.runner.run('session.report', ctx, async (tx) => {
      const kind = oneOf('kind', input.kind, PROCESS_REPORTS);
      const event: SessionEvent =
        kind === 'started'
          ? { type: 'STARTED', pid: input.pid ?? 0, at: tx.now }
          : kind === 'exited'
            ? { type: 'EXITED', exitCode: input.exitCode ?? 0 }
            : kind === 'failed'
              ? { type: 'SPAWN_FAILED', reason: input.reason || 'The agent could not be started.' }
              : { type: 'STOP' };
      return this.apply(tx, await this.load(tx.em, input.id), event);
    });
  }

  stop(ctx: RequestContext, id: string): Promise<SessionView> {
    return this.transition('session.stop', ctx, id, () => ({ type: 'STOP' }));
  }

  /** Records a sign of life; a stale session is running again. */
  heartbeat(ctx: RequestContext, id: string): Promise<SessionView> {
    return this.transition('session.heartbeat', { ...ctx, idempotencyKey: undefined }, id, (tx) => ({
      type: 'HEARTBEAT',
      at: tx.now,
    }));
  }

  /**
   * Moves sessions whose heartbeats stopped to stale, and stale ones past the lost deadline to
   * lost (releasing their claims). Deadlines come from the stored heartbeat time, so a restarted
   * server picks up where the last one stopped.
   */
  sweep(): Promise<string[]> {
    return this.runner.run('session.sweep', SYSTEM, async (tx) => {
      const rows = await tx.em.find(SessionSchema, { status: { $in: ['running', 'stale'] } });
      const changed: string[] = [];
      for (const row of rows) {
        const silentFor = tx.now - (row.heartbeatAt ?? 0);
        const due =
          (row.status === 'running' && silentFor >= this.options.staleAfterMs) ||
          (row.status === 'stale' && silentFor >= this.options.lostAfterMs);
        if (!due) continue;
        await this.apply(tx, row, { type: 'HEARTBEAT_MISSED' });
        changed.push(formatId('session', row.id));
      }
      return changed;
    });
  }

  private transition(
    operation: string,
    ctx: RequestContext,
    id: string,
    event: (tx: Tx) => SessionEvent,
  ): Promise<SessionView> {
    return this.runner.run(operation, ctx, async (tx) =>
      this.apply(tx, await this.load(tx.em, id), event(tx)),
    );
  }

  private async apply(tx: Tx, row: SessionRow, event: SessionEvent): Promise<SessionView> {
    const id = formatId('session', row.id);
    const decision = decide(sessionMachine, row.state, event);
    if (!decision.ok) {
      throw SessionErrors.invalidTransition(
        id,
        decision.from,
        event.type,
        decision.allowed.filter((e) => e !== 'HEARTBEAT_MISSED'),
      );
    }
    const from = row.status;
    row.state = decision.state;
    row.status = decision.state.value;
    row.updatedAt = new Date(tx.now);
    row.heartbeatAt = decision.state.context.lastHeartbeatAt ?? row.heartbeatAt;
    const ended = SESSION_FINAL_STATUSES.includes(row.status as SessionStatus);
    if (ended && !row.endedAt) row.endedAt = new Date(tx.now);
    await tx.em.flush();
    const view = sessionView(row);
    if (from !== row.status) {
      await tx.emit(`session.${row.status}`, 'session', id, view.projectId, {
        session: view,
        from,
        to: row.status,
      });
    }
    if (ended) await this.tasks.releaseSessionClaims(tx, id, `session ${id} is ${row.status}`);
    return view;
  }

  private async load(em: Tx['em'], id: string): Promise<SessionRow> {
    const rowId = idOf('session', id);
    const row = rowId ? await em.findOne(SessionSchema, { id: rowId }) : null;
    if (!row) throw SessionErrors.notFound(id);
    return row;
  }
}
