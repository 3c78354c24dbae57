import { overBudget, spendOf, type AutopilotView, type Budget } from '../contract/autopilot.js';
import type { DoctorEntry, DoctorResult } from '../contract/operations.js';
import {
  liveWorkerCount,
  SESSION_FINAL_STATUSES,
  SESSION_STATUSES,
  type SessionStatus,
  type TaskView,
} from '../contract/views.js';
import { taskBudgets } from '../services/budgets.js';
import { MaestroError } from '../services/errors.js';
import type { Clock } from '../services/command-runner.js';
import type { RequestContext, Services } from '../services/index.js';
import type { SessionView } from '../services/views.js';
import { Background } from '../shared/background.js';
import { backoffDelay, type BackoffPolicy } from '../shared/backoff.js';
import type { Logger } from './logger.js';
import type { SpawnDispatcher } from './spawn/dispatcher.js';

export interface AutopilotOptions {
  /** The periodic tick, besides the events it reacts to. */
  tickMs: number;
  /** The wait before a task's next worker after one that failed (the shared backoff). */
  retryBackoff: BackoffPolicy;
  /** Silence after which a live session is stuck (nudged; as long again, stopped); 0: never. */
  stuckMs: number;
}

export const DEFAULT_AUTOPILOT_OPTIONS: AutopilotOptions = {
  tickMs: 2000,
  retryBackoff: { baseMs: 5000, maxMs: 5 * 60_000, factor: 2, jitter: 0.2 },
  stuckMs: 900_000,
};

const AUTOPILOT: RequestContext = { actor: 'autopilot', sessionId: null };

/** Outcomes of a worker that count as a failed attempt at its task. */
const FAILED_OUTCOMES = ['failed', 'lost', 'task_incomplete', 'spawn_failed', 'usage_limited', 'stopped'];

/** Reasons the autopilot blocks a task with, which make its dependents fail closed too. */
export const FOR_GOOD =
  /^(dependency t_\d+ (was cancelled|failed for good)|gave up after \d+ attempts|budget_exceeded)/;

const OWN_DECISIONS = new Set(
  ['waiting', 'spawned', 'retried', 'blocked', 'stopped', 'stuck'].map((a) => `autopilot.${a}`),
);

const live = (s: SessionView) => !SESSION_FINAL_STATUSES.includes(s.status as SessionStatus);
/** The statuses of sessions that have not ended (what budgets and stuck detection watch). */
const LIVE_STATUSES = SESSION_STATUSES.filter((s) => !SESSION_FINAL_STATUSES.includes(s));

/** What the autopilot does with one pending task now. */
interface Plan {
  task: TaskView;
  kind: 'spawn' | 'retry' | 'block' | 'wait' | 'skip';
  reason: string;
  waitingOn: string[];
  ready?: boolean;
  neverReady?: boolean;
  previous?: SessionView;
  attempt?: number;
  profile?: string;
}

/** Why a pending task does not start now, or '' when it can. */
export interface Readiness {
  task: TaskView;
  /** The dependencies it waits for, not yet completed. */
  waitingOn: { id: string; status: string }[];
  /** A dependency that can never complete: the task fails closed. */
  neverReady: string;
}

/** The dependency state of every pending task of a project. */
export function readinessOf(tasks: readonly TaskView[]): Map<string, Readiness> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const out = new Map<string, Readiness>();
  // A task can never become ready when a task it waits on, directly or through a chain, was
  // cancelled or failed for good.
  const doomed = new Map<string, string>();
  const visiting = new Set<string>();
  const doom = (t: TaskView): string => {
    if (doomed.has(t.id)) return doomed.get(t.id)!;
    if (visiting.has(t.id)) return '';
    visiting.add(t.id);
    let reason = '';
    for (const depId of t.dependsOn) {
      const dep = byId.get(depId);
      if (!dep) continue;
      if (dep.status === 'cancelled') reason = `dependency ${dep.id} was cancelled`;
      else if (dep.status === 'blocked' && FOR_GOOD.test(dep.blockedReason))
        reason = `dependency ${dep.id} failed for good (${dep.blockedReason})`;
      else if (dep.status !== 'completed') {
        const chain = doom(dep);
        if (chain) reason = chain.startsWith('dependency') ? `${chain} (through ${dep.id})` : chain;
      }
      if (reason) break;
    }
    visiting.delete(t.id);
    doomed.set(t.id, reason);
    return reason;
  };
  for (const t of tasks) {
    if (t.status !== 'pending') continue;
    out.set(t.id, {
      task: t,
      waitingOn: t.dependsOn
        .map((d) => byId.get(d))
        .filter((d): d is TaskView => d !== undefined && d.status !== 'completed')
        .map((d) => ({ id: d.id, status: d.status })),
      neverReady: doom(t),
    });
  }
  return out;
}

/**
 * The autopilot's scheduler: for every project whose autopilot is on, a worker for each ready task
 * (pending, every dependency completed, unclaimed, matching the filter), in priority order, within
 * the project's cap and the runners' capacity; retries with the shared backoff; fail-closed
 * blocking; budgets. It reacts to events (a tick coalesces them) and ticks periodically too; what
 * it knows comes from the database each time, so a restarted server carries on where it stopped.
 */
export class AutopilotScheduler {
  private readonly jobs: Background;
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private enabledCache: Promise<AutopilotView[]> | null = null;
  private liveCache: Promise<SessionView[]> | null = null;
  private again = false;
  private closed = false;
  /** The last 'waiting' reason said per task, so that each is one event, not one per tick. */
  private readonly said = new Map<string, string>();
  /** Sessions told they are over budget (they are then stopped). */
  private readonly told = new Set<string>();
  /** The last sign of progress of each live session: transcript, output or a CLI call. */
  private readonly activity = new Map<string, number>();
  /** Sessions flagged stuck and nudged: when. */
  private readonly nudged = new Map<string, number>();
  private readonly stopListening: (() => void)[] = [];

  constructor(
    private readonly services: Services,
    private readonly dispatcher: SpawnDispatcher,
    private readonly log: Logger,
    private readonly options: AutopilotOptions = DEFAULT_AUTOPILOT_OPTIONS,
    private readonly clock: Clock = services.runner.clock,
  ) {
    this.jobs = new Background((what, error) => log.error(`${what} failed`, { error: String(error) }));
    this.unsubscribe = services.bus.subscribe((events) => {
      const changes = events.filter((e) => !OWN_DECISIONS.has(e.type));
      // A project's autopilot changed (on, off, its limits): read the enabled ones again.
      if (changes.some((e) => e.type.startsWith('autopilot.'))) this.enabledCache = null;
      // A session changed (started, ended, its usage): read the live ones again.
      if (events.some((e) => e.entityType === 'session')) this.liveCache = null;
      // Its own decisions change nothing it reads; everything else may make a task ready.
      if (changes.length) this.kick();
    });
    // The tick reads everything afresh, so nothing depends on an event alone.
    this.timer = setInterval(() => {
      this.enabledCache = null;
      this.liveCache = null;
      this.kick();
    }, options.tickMs);
    this.timer.unref();
    this.stopListening.push(
      dispatcher.onOutput((sessionId) => this.active(sessionId)),
      // A message sent to the agent is on its transcript too; that is not the agent's progress.
      dispatcher.agents.onTranscript((sessionId, entry) => {
        if (entry.kind !== 'user') this.active(sessionId);
      }),
    );
  }

  /** A sign of progress of a session (its transcript grew, it wrote output, it called the CLI). */
  active(sessionId: string): void {
    this.activity.set(sessionId, this.clock());
    this.nudged.delete(sessionId);
  }

  /** Runs a tick soon; calls while one runs make it go round once more. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const loop = async () => {
      try {
        do {
          this.again = false;
          await this.tick();
        } while (this.again && !this.closed);
      } finally {
        this.running = undefined;
      }
    };
    this.running = loop();
    this.jobs.run('the autopilot', () => this.running!);
  }

  /** Resolves when the tick running now (if any) is done. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Refuses to start a worker on a task past its budget (`budget_exceeded`). */
  async assertWithinBudget(taskId: string): Promise<void> {
    const budget = (await taskBudgets(this.services.runner, [taskId])).get(taskId);
    if (!budget) return;
    const task = await this.services.tasks.get(taskId, 1);
    const sessions = (await this.services.sessions.list({ projectId: task.task.projectId })).filter((s) =>
      s.taskIds.includes(taskId),
    );
    const over = overBudget(budget, spendOf(sessions, this.clock()));
    if (over)
      throw new MaestroError(
        'budget_exceeded',
        `Task ${taskId} is over its budget: ${over}.`,
        `Raise it first: maestro task update ${taskId} --budget <usd=…,tokens=…,minutes=…>.`,
        { taskId, budget },
      );
  }

  /** Every task of a project (not one page), in priority order. */
  private allTasks(projectId: string, ctx?: RequestContext): Promise<TaskView[]> {
    return this.services.tasks.listAll({ projectId }, ctx);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.unsubscribe();
    for (const stop of this.stopListening) stop();
  }

  /**
   * The projects whose autopilot is on, read once and kept until an `autopilot.*` event or the
   * timer says to read them again: the tick runs after nearly every command.
   */
  private enabledAutopilots(): Promise<AutopilotView[]> {
    if (!this.enabledCache)
      this.enabledCache = this.cached(this.services.autopilots.enabled(), 'enabledCache');
    return this.enabledCache;
  }

  /** The sessions that have not ended, kept until a session event or the timer. */
  private liveSessions(): Promise<SessionView[]> {
    if (!this.liveCache)
      this.liveCache = this.cached(this.services.sessions.list({ status: LIVE_STATUSES }), 'liveCache');
    return this.liveCache;
  }

  /** A read kept in a cache slot, which a failed read leaves empty. */
  private cached<T>(read: Promise<T>, slot: 'enabledCache' | 'liveCache'): Promise<T> {
    read.catch(() => {
      if (this[slot] === (read as Promise<unknown>)) this[slot] = null;
    });
    return read;
  }

  private async tick(): Promise<void> {
    const liveSessions = await this.liveSessions();
    await this.enforceTaskBudgets(liveSessions);
    if (this.options.stuckMs > 0) await this.checkStuck(liveSessions);
    for (const autopilot of await this.enabledAutopilots()) {
      if (this.closed) return;
      try {
        await this.runProject(autopilot);
      } catch (error) {
        this.log.warn('the autopilot could not schedule a project', {
          projectId: autopilot.projectId,
          error: String(error),
        });
      }
    }
  }

  /** A worker past its task's budget is told, then stopped; the task is blocked with budget_exceeded. */
  private async enforceTaskBudgets(liveSessions: SessionView[]): Promise<void> {
    if (!liveSessions.length) return;
    const taskIds = [...new Set(liveSessions.flatMap((s) => s.taskIds))];
    const budgets = await taskBudgets(this.services.runner, taskIds);
    if (!budgets.size) return;
    const now = this.clock();
    for (const [taskId, budget] of budgets) {
      const projectId = liveSessions.find((s) => s.taskIds.includes(taskId))!.projectId;
      const all = (await this.services.sessions.list({ projectId })).filter((s) =>
        s.taskIds.includes(taskId),
      );
      const over = overBudget(budget, spendOf(all, now));
      if (!over) continue;
      await this.stopForBudget(taskId, projectId, all.filter(live), `budget_exceeded: ${over}`);
    }
  }

  /**
   * A running session silent for `stuckMs` (no transcript, no output, no CLI call) is flagged stuck
   * on its task and nudged once; silent as long again, it is stopped, and the autopilot retries its
   * task. A session making progress is never touched.
   */
  private async checkStuck(liveSessions: SessionView[]): Promise<void> {
    const now = this.clock();
    const running = liveSessions.filter((s) => s.status === 'running' && s.role === 'worker');
    const ids = new Set(running.map((s) => s.id));
    for (const id of this.activity.keys()) if (!ids.has(id)) this.activity.delete(id);
    for (const id of this.nudged.keys()) if (!ids.has(id)) this.nudged.delete(id);
    for (const s of running) {
      // First seen (or after a restart): counted from now, so a busy agent is never cut short.
      if (!this.activity.has(s.id)) this.activity.set(s.id, now);
      const silent = now - this.activity.get(s.id)!;
      const nudgedAt = this.nudged.get(s.id);
      const taskId = s.taskIds[0];
      if (nudgedAt === undefined && silent >= this.options.stuckMs) {
        this.nudged.set(s.id, now);
        const reason = `no transcript activity, output or CLI call for ${Math.round(silent / 1000)} s`;
        for (const t of s.taskIds)
          await this.services.reports
            .report(AUTOPILOT, {
              taskId: t,
              kind: 'progress',
              message: `Session ${s.id} looks stuck: ${reason}.`,
            })
            .catch(() => undefined);
        await this.services.autopilots.decided(s.projectId, {
          action: 'stuck',
          taskId,
          sessionId: s.id,
          reason,
        });
        await this.dispatcher
          .send(
            AUTOPILOT,
            s.id,
            'Maestro has seen no progress from you for a while. If you are stuck, say why with `maestro task block --reason "..." --json` and exit; otherwise carry on.',
          )
          .catch(() => undefined);
      } else if (nudgedAt !== undefined && now - nudgedAt >= this.options.stuckMs) {
        this.nudged.delete(s.id);
        await this.services.sessions.stop(AUTOPILOT, s.id).catch(() => undefined);
        await this.services.autopilots.decided(s.projectId, {
          action: 'stopped',
          taskId,
          sessionId: s.id,
          reason: 'stuck: no progress after a nudge',
        });
      }
    }
  }

  private async stopForBudget(
    taskId: string,
    projectId: string,
    sessions: SessionView[],
    reason: string,
  ): Promise<void> {
    for (const s of sessions) {
      if (!this.told.has(s.id)) {
        this.told.add(s.id);
        await this.dispatcher
          .send(AUTOPILOT, s.id, `Stop now: the task's ${reason}. This session is being stopped.`)
          .catch(() => undefined);
      }
      await this.services.sessions.stop(AUTOPILOT, s.id).catch(() => undefined);
      await this.services.autopilots.decided(projectId, {
        action: 'stopped',
        taskId,
        sessionId: s.id,
        reason,
      });
    }
    await this.block(projectId, taskId, reason);
  }

  private async block(projectId: string, taskId: string, reason: string): Promise<void> {
    try {
      await this.services.tasks.block(AUTOPILOT, taskId, reason);
    } catch (error) {
      this.log.warn('the autopilot could not block a task', { taskId, error: String(error) });
      return;
    }
    await this.services.autopilots.decided(projectId, { action: 'blocked', taskId, reason });
  }

  private async waiting(projectId: string, taskId: string, reason: string): Promise<void> {
    if (this.said.get(taskId) === reason) return;
    this.said.set(taskId, reason);
    await this.services.autopilots.decided(projectId, { action: 'waiting', taskId, reason });
  }

  /**
   * What the autopilot would do with each pending task of a project now, and why: the one
   * answer both the scheduler and `task doctor` read.
   */
  private plan(
    autopilot: AutopilotView,
    tasks: readonly TaskView[],
    sessions: readonly SessionView[],
    now: number,
    budgets: ReadonlyMap<string, Budget>,
  ): Plan[] {
    const liveSessions = sessions.filter(live);
    const busy = new Map<string, string>();
    for (const s of liveSessions) for (const t of s.taskIds) busy.set(t, s.id);
    let slots = Math.min(
      autopilot.maxWorkers - liveWorkerCount(liveSessions),
      this.dispatcher.capacityLeft(),
    );
    let profile = autopilot.agent;
    try {
      profile = this.dispatcher.agents.profile(autopilot.agent).name;
    } catch {
      // an unknown profile: spawning says so
    }
    const pausedUntil = liveSessions
      .filter((s) => s.status === 'paused' && s.agent === profile && Date.parse(s.pausedUntil) > now)
      .map((s) => Date.parse(s.pausedUntil))
      .sort((a, b) => b - a)[0];
    const out: Plan[] = [];
    for (const r of readinessOf(tasks).values()) {
      const t = r.task;
      const plan = (kind: Plan['kind'], reason: string, extra: Partial<Plan> = {}) =>
        out.push({ task: t, kind, reason, waitingOn: r.waitingOn.map((w) => w.id), ...extra });
      if (autopilot.label && !t.labels.includes(autopilot.label)) {
        plan('skip', `it has no label ${autopilot.label} (the autopilot's filter)`);
        continue;
      }
      if (r.neverReady) {
        plan('block', r.neverReady, { neverReady: true });
        continue;
      }
      const budget = budgets.get(t.id);
      const spent = budget
        ? overBudget(
            budget,
            spendOf(
              sessions.filter((s) => s.taskIds.includes(t.id)),
              now,
            ),
          )
        : '';
      if (spent && !busy.has(t.id)) {
        plan('block', `budget_exceeded: ${spent}`);
        continue;
      }
      if (r.waitingOn.length) {
        plan('skip', `waiting on ${r.waitingOn.map((w) => `${w.id} (${w.status})`).join(', ')}`);
        continue;
      }
      if (t.claim) {
        plan('skip', `claimed by ${t.claim.holder}${t.claim.sessionId ? ` (${t.claim.sessionId})` : ''}`);
        continue;
      }
      if (busy.has(t.id)) {
        plan('skip', `session ${busy.get(t.id)} works on it`);
        continue;
      }
      if (!autopilot.enabled) {
        plan('skip', 'ready; the autopilot is off (maestro autopilot on)', { ready: true });
        continue;
      }
      if (pausedUntil) {
        plan(
          'wait',
          `agent profile ${profile} is paused at a usage limit until ${new Date(pausedUntil).toISOString()}`,
          { ready: true },
        );
        continue;
      }
      const failed = sessions
        .filter((s) => s.role === 'worker' && s.taskIds.includes(t.id) && !live(s))
        .filter((s) => FAILED_OUTCOMES.includes(s.outcome))
        .sort((a, b) => Date.parse(a.endedAt) - Date.parse(b.endedAt));
      const last = failed.at(-1);
      if (last && failed.length >= autopilot.maxAttempts) {
        plan(
          'block',
          `gave up after ${failed.length} attempts: the last worker, ${last.id}, ended ${last.outcome}${last.failureReason ? ` (${last.failureReason})` : ''}`,
        );
        continue;
      }
      if (slots <= 0) {
        plan('wait', `the cap of ${autopilot.maxWorkers} workers (or the runners' capacity) is reached`, {
          ready: true,
        });
        continue;
      }
      if (last) {
        const due =
          Date.parse(last.endedAt) + backoffDelay(this.options.retryBackoff, failed.length, () => 0.5);
        if (due > now) {
          plan(
            'wait',
            `attempt ${failed.length + 1} of ${autopilot.maxAttempts} is due at ${new Date(due).toISOString()}`,
            { ready: true },
          );
          continue;
        }
      }
      slots--;
      plan(
        last ? 'retry' : 'spawn',
        last ? `attempt ${failed.length + 1} of ${autopilot.maxAttempts}` : 'ready',
        {
          ready: true,
          previous: last,
          attempt: failed.length + 1,
          profile,
        },
      );
    }
    return out;
  }

  private async runProject(autopilot: AutopilotView): Promise<void> {
    const { projectId } = autopilot;
    const now = this.clock();
    const [tasks, sessions] = await Promise.all([
      this.allTasks(projectId),
      this.services.sessions.list({ projectId }),
    ]);
    // The project's budget: past it, the autopilot turns off.
    const projectOver = overBudget(autopilot.budget, spendOf(sessions, now));
    if (projectOver) {
      await this.services.autopilots.turnOff(projectId, `budget_exceeded: the project's ${projectOver}`);
      return;
    }
    const budgets = await taskBudgets(
      this.services.runner,
      tasks.filter((t) => t.status === 'pending').map((t) => t.id),
    );
    for (const p of this.plan(autopilot, tasks, sessions, now, budgets)) {
      if (this.closed) return;
      const t = p.task;
      if (p.kind === 'block') await this.block(projectId, t.id, p.reason);
      else if (p.kind === 'wait') await this.waiting(projectId, t.id, p.reason);
      else if (p.kind === 'spawn' || p.kind === 'retry') {
        try {
          const { session } = p.previous
            ? await this.dispatcher.resume(AUTOPILOT, p.previous.id)
            : await this.dispatcher.spawn(AUTOPILOT, { taskId: t.id, agent: p.profile });
          this.said.delete(t.id);
          await this.services.autopilots.decided(projectId, {
            action: p.previous ? 'retried' : 'spawned',
            taskId: t.id,
            sessionId: session.id,
            attempt: p.attempt,
            ...(p.previous ? { previous: p.previous.id } : {}),
          });
        } catch (error) {
          this.log.warn('the autopilot could not start a worker', { taskId: t.id, error: String(error) });
        }
      }
    }
  }

  /** `task doctor`: for every pending task, why it is not ready or not started. */
  async doctor(projectId: string, ctx: RequestContext): Promise<DoctorResult> {
    const autopilot = await this.services.autopilots.get(projectId, ctx);
    const [tasks, sessions] = await Promise.all([
      this.allTasks(autopilot.projectId, ctx),
      this.services.sessions.list({ projectId: autopilot.projectId }, ctx),
    ]);
    const now = this.clock();
    const budgets = await taskBudgets(
      this.services.runner,
      tasks.map((t) => t.id),
    );
    const entries: DoctorEntry[] = this.plan(autopilot, tasks, sessions, now, budgets).map((p) => {
      return {
        taskId: p.task.id,
        title: p.task.title,
        status: p.task.status,
        ready: p.ready ?? false,
        reason: p.neverReady ? `can never be ready: ${p.reason}` : p.reason,
        waitingOn: p.waitingOn,
        neverReady: p.neverReady ?? false,
      };
    });
    // Tasks the autopilot blocked, and why.
    for (const t of tasks) {
      if (t.status === 'blocked' && FOR_GOOD.test(t.blockedReason))
        entries.push({
          taskId: t.id,
          title: t.title,
          status: t.status,
          ready: false,
          reason: t.blockedReason,
          waitingOn: [],
          neverReady: /^dependency /.test(t.blockedReason),
        });
    }
    const projectOver = overBudget(autopilot.budget, spendOf(sessions, now));
    if (projectOver)
      for (const e of entries) if (e.ready) e.reason = `budget_exceeded: the project's ${projectOver}`;
    return { autopilot, tasks: entries };
  }
}
