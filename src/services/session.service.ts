import { formatId } from '../contract/ids.js';
import {
  EMPTY_USAGE,
  addUsage,
  type SessionOutcome,
  type SessionUsage,
  type TerminalAddress,
  type UsageLimit,
} from '../contract/views.js';
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
import type { CredentialService } from './credential.service.js';
import { SessionSchema, type SessionRow } from './db/entities.js';
import { SessionErrors, invalidArgument } from './errors.js';
import { assertInScope, assertOwnSession } from './scope.js';
import { SYSTEM, loadTask, projectRowId, scopedProjectRow, type TaskService } from './task.service.js';
import { idOf, oneOf, optionalText } from './validate.js';
import { sessionView, type SessionView } from './views.js';

export const SESSION_ROLES = ['worker', 'orchestrator'] as const;
export const PROCESS_REPORTS = ['started', 'exited', 'failed', 'stopped'] as const;
export const TERMINAL_BACKENDS = ['tmux', 'pipe'] as const;

function terminalOf(t: TerminalAddress): TerminalAddress {
  return {
    backend: oneOf('terminal.backend', t.backend, TERMINAL_BACKENDS),
    host: optionalText('terminal.host', t.host, 255),
    socket: optionalText('terminal.socket', t.socket, 4096),
    target: optionalText('terminal.target', t.target, 255),
  };
}

export interface SessionServiceOptions {
  /** A running session with no heartbeat for this long becomes stale. */
  staleAfterMs: number;
  /** A stale session with no heartbeat for this long (since the last one) is lost; its claims lapse. */
  lostAfterMs: number;
  /** A session paused at a usage limit whose harness named no reset waits this long. */
  pauseWithoutResetMs: number;
}

/** Task statuses in which a worker's job is done. */
const DONE_STATUSES = ['completed', 'in_review', 'cancelled'];

export const DEFAULT_SESSION_OPTIONS: SessionServiceOptions = {
  staleAfterMs: 60_000,
  lostAfterMs: 180_000,
  pauseWithoutResetMs: 15 * 60_000,
};

/** Agent sessions and their lifecycle; a session that ends or is lost gives up its claims. */
export class SessionService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly tasks: TaskService,
    private readonly credentials: CredentialService,
    readonly options: SessionServiceOptions = DEFAULT_SESSION_OPTIONS,
  ) {}

  /**
   * Records a session. With `credential` (a spawn), its token is made in the same transaction, so
   * the session and its credential commit together; the plaintext goes to the dispatcher
   * (`credentials.tokenFor`) and is never stored, nor part of the reply.
   */
  async create(
    ctx: RequestContext,
    input: {
      projectId: string;
      taskIds: readonly string[];
      role?: string;
      name?: string;
      skill?: string;
      /** Spawned sessions: the agent profile, its mode, the harness conversation id, the session resumed. */
      agent?: string;
      mode?: string;
      harnessSessionId?: string;
      resumedFrom?: string;
      /** A spawn: make the session's credential in the same transaction. */
      credential?: boolean;
    },
  ): Promise<SessionView> {
    let minted: { sessionId: string; token: string } | undefined;
    const created = await this.runner.run('session.create', ctx, async (tx) => {
      minted = undefined;
      const role = oneOf('role', input.role || 'worker', SESSION_ROLES);
      const projectId = await projectRowId(tx.em, input.projectId);
      assertInScope(tx.ctx, projectId);
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
        agent: input.agent ?? '',
        mode: input.mode ?? 'headless',
        harnessSessionId: input.harnessSessionId ?? '',
        resumedFrom: input.resumedFrom ?? '',
        usage: { ...EMPTY_USAGE },
      });
      await tx.em.flush();
      if (!row.name) row.name = `${role}-${row.id}`;
      await tx.em.flush();
      const view = sessionView(row);
      await tx.emit('session.created', 'session', view.id, view.projectId, { session: view });
      if (input.credential) {
        const token = await this.credentials.mint(tx, {
          sessionRowId: row.id,
          role,
          projectRowId: projectId,
        });
        minted = { sessionId: view.id, token };
      }
      return view;
    });
    // Only now has it committed. A reply replayed for a retried key made none: the dispatcher then
    // makes one for the session.
    if (minted?.sessionId === created.id) this.credentials.handOff(minted.sessionId, minted.token);
    return created;
  }

  list(
    input: { projectId?: string; status?: readonly string[] },
    ctx?: RequestContext,
  ): Promise<SessionView[]> {
    return this.runner.read(async (em) => {
      const where: Record<string, unknown> = {};
      const project = await scopedProjectRow(em, ctx, input.projectId);
      if (project !== undefined) where.project = project;
      if (input.status?.length)
        where.status = { $in: input.status.map((s) => oneOf('status', s, SESSION_STATUSES)) };
      return (await em.find(SessionSchema, where, { orderBy: { id: 'asc' } })).map(sessionView);
    });
  }

  get(id: string, ctx?: RequestContext): Promise<SessionView> {
    return this.runner.read(async (em) => sessionView(await this.load(em, id, ctx)));
  }

  reportProcess(
    ctx: RequestContext,
    input: {
      id: string;
      kind: string;
      pid?: number;
      exitCode?: number;
      reason?: string;
      /** With `started`: where the agent runs. */
      terminal?: TerminalAddress | null;
    },
  ): Promise<SessionView> {
    return this.runner.run('session.report', ctx, async (tx) => {
      const kind = oneOf('kind', input.kind, PROCESS_REPORTS);
      const terminal = kind === 'started' && input.terminal ? terminalOf(input.terminal) : undefined;
      const row = await this.load(tx.em, input.id, tx.ctx);
      // A harness that stopped at a usage limit: the session waits for the reset with its claims
      // and conversation kept, and the sweep starts its agent again then.
      if (kind === 'exited' && pausesAt(row) && (row.status === 'running' || row.status === 'stale')) {
        const until = pausesAt(row)!;
        const resumeAt = until > 0 ? until : tx.now + this.options.pauseWithoutResetMs;
        const view = await this.apply(tx, row, { type: 'PAUSE' }, (r) => {
          r.pausedUntil = resumeAt;
        });
        for (const taskId of row.taskIds) {
          await this.tasks.note(
            tx,
            taskId,
            'session',
            `Session ${view.id} (${row.name}) paused at a usage limit; its agent resumes at ${new Date(resumeAt).toISOString()}.`,
          );
        }
        return view;
      }
      const event: SessionEvent =
        kind === 'started'
          ? { type: 'STARTED', pid: input.pid ?? 0, at: tx.now }
          : kind === 'exited'
            ? { type: 'EXITED', exitCode: input.exitCode ?? 0 }
            : kind === 'failed'
              ? { type: 'SPAWN_FAILED', reason: input.reason || 'The agent could not be started.' }
              : { type: 'STOP' };
      return this.apply(tx, row, event, (r) => {
        if (terminal) r.terminal = terminal;
      });
    });
  }

  stop(ctx: RequestContext, id: string): Promise<SessionView> {
    return this.transition('session.stop', ctx, id, () => ({ type: 'STOP' }));
  }

  /** Records a sign of life; a stale session is running again. A session's token beats only for itself. */
  heartbeat(ctx: RequestContext, id: string): Promise<SessionView> {
    return this.runner.run('session.heartbeat', { ...ctx, idempotencyKey: undefined }, async (tx) => {
      const row = await this.load(tx.em, id, tx.ctx);
      assertOwnSession(tx.ctx, row.id);
      return this.apply(tx, row, { type: 'HEARTBEAT', at: tx.now });
    });
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
      // Paused sessions whose limit has reset go back to spawning: the dispatcher starts their
      // agent again, continuing its conversation.
      const paused = await tx.em.find(SessionSchema, { status: 'paused', pausedUntil: { $lte: tx.now } });
      for (const row of paused) {
        await this.apply(tx, row, { type: 'RESUME' }, (r) => {
          r.pausedUntil = null;
          r.resumes = (r.resumes ?? 0) + 1;
          r.usageLimit = null;
          r.resultText = '';
        });
        changed.push(formatId('session', row.id));
      }
      return changed;
    });
  }

  /**
   * What the harness said about its work, read from its structured output: usage to add, the
   * latest cost (a harness's own running total), its conversation id, its final answer, a limit.
   * Recorded as it comes, so a session that dies mid-way keeps what it used.
   */
  recordAgentReport(
    id: string,
    report: {
      usage?: Partial<SessionUsage>;
      /** The harness's running total of cost for this session's process, replacing the recorded one. */
      costUsd?: number;
      harnessSessionId?: string;
      resultText?: string;
      usageLimit?: UsageLimit | null;
    },
  ): Promise<SessionView> {
    return this.runner.run('session.agent-report', SYSTEM, async (tx) => {
      const row = await this.load(tx.em, id);
      const usage = addUsage({ ...EMPTY_USAGE, ...(row.usage ?? {}) }, report.usage ?? {});
      if (report.costUsd !== undefined) usage.costUsd = Math.round(report.costUsd * 1e9) / 1e9;
      row.usage = usage;
      if (report.harnessSessionId) row.harnessSessionId = report.harnessSessionId.slice(0, 200);
      if (report.resultText !== undefined) row.resultText = report.resultText.slice(0, 20_000);
      if (report.usageLimit !== undefined) row.usageLimit = report.usageLimit;
      row.updatedAt = new Date(tx.now);
      await tx.em.flush();
      const view = sessionView(row);
      await tx.emit('session.usage', 'session', view.id, view.projectId, {
        session: view,
        ...(report.usage ? { delta: report.usage } : {}),
      });
      return view;
    });
  }

  private transition(
    operation: string,
    ctx: RequestContext,
    id: string,
    event: (tx: Tx) => SessionEvent,
  ): Promise<SessionView> {
    return this.runner.run(operation, ctx, async (tx) =>
      this.apply(tx, await this.load(tx.em, id, tx.ctx), event(tx)),
    );
  }

  /** Applies `event`; `change` edits the row's other columns, only when the machine accepts it. */
  private async apply(
    tx: Tx,
    row: SessionRow,
    event: SessionEvent,
    change?: (row: SessionRow) => void,
  ): Promise<SessionView> {
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
    change?.(row);
    row.state = decision.state;
    row.status = decision.state.value;
    row.updatedAt = new Date(tx.now);
    row.heartbeatAt = decision.state.context.lastHeartbeatAt ?? row.heartbeatAt;
    const ended = SESSION_FINAL_STATUSES.includes(row.status as SessionStatus);
    if (ended && !row.endedAt) row.endedAt = new Date(tx.now);
    let unfinished: string[] = [];
    if (ended && !row.outcome) {
      const outcome = await this.outcomeOf(tx, row, event);
      row.outcome = outcome.outcome;
      unfinished = outcome.unfinished;
    }
    await tx.em.flush();
    const view = sessionView(row);
    if (from !== row.status) {
      await tx.emit(`session.${row.status}`, 'session', id, view.projectId, {
        session: view,
        from,
        to: row.status,
      });
    }
    if (ended) {
      // A worker that exits cleanly but left its task unfinished says so on the task's timeline.
      for (const taskId of unfinished) {
        await this.tasks.note(
          tx,
          taskId,
          'session',
          `Session ${id} (${row.name}) ended without completing the task (outcome task_incomplete).`,
        );
      }
      // The session's credentials stop working in the transaction that ends it.
      await this.credentials.revoke(tx, row.id);
      await this.tasks.releaseSessionClaims(tx, id, `session ${id} is ${row.status}`);
    }
    return view;
  }

  /**
   * What came of a session that just ended, from how it ended and the state of its tasks: a clean
   * exit with every task done (completed, or handed over for review) is `task_completed`; a clean
   * exit that left a task unfinished is `task_incomplete`.
   */
  private async outcomeOf(
    tx: Tx,
    row: SessionRow,
    event: SessionEvent,
  ): Promise<{ outcome: SessionOutcome; unfinished: string[] }> {
    if (row.status === 'stopped') return { outcome: 'stopped', unfinished: [] };
    if (row.status === 'lost') return { outcome: 'lost', unfinished: [] };
    if (event.type === 'SPAWN_FAILED') return { outcome: 'spawn_failed', unfinished: [] };
    if (row.status === 'failed') {
      return { outcome: row.usageLimit?.kind === 'usage' ? 'usage_limited' : 'failed', unfinished: [] };
    }
    const unfinished: string[] = [];
    for (const taskId of row.taskIds) {
      const status = await this.tasks.statusOf(tx, taskId);
      if (status !== undefined && !DONE_STATUSES.includes(status)) unfinished.push(taskId);
    }
    // An orchestrator's goal may rightly stay open; only workers are held to their task.
    if (row.role !== 'worker') return { outcome: 'task_completed', unfinished: [] };
    return unfinished.length
      ? { outcome: 'task_incomplete', unfinished }
      : { outcome: 'task_completed', unfinished: [] };
  }

  /** A session by id; with a session's credential, only one of its project. */
  private async load(em: Tx['em'], id: string, ctx?: RequestContext): Promise<SessionRow> {
    const rowId = idOf('session', id);
    const row = rowId ? await em.findOne(SessionSchema, { id: rowId }) : null;
    if (!row) throw SessionErrors.notFound(id);
    assertInScope(ctx, row.project.id, `session ${id}`);
    return row;
  }
}

/**
 * When a session that reported a usage limit may go on: the reset's epoch milliseconds, 0 when the
 * harness named none, undefined when it reported no usage limit (a rate limit with no reset is a
 * failure like any other, retried by the autopilot).
 */
function pausesAt(row: SessionRow): number | undefined {
  const limit = row.usageLimit;
  if (!limit) return undefined;
  const reset = limit.resetsAt ? Date.parse(limit.resetsAt) : NaN;
  if (limit.kind === 'usage') return Number.isFinite(reset) ? reset : 0;
  return Number.isFinite(reset) ? reset : undefined;
}
