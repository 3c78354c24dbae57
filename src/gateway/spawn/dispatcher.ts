import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SKILL_NAME, isSessionId } from '../../contract/ids.js';
import type { DoctorResult } from '../../contract/operations.js';
import {
  SESSION_FINAL_STATUSES,
  type SessionStatus,
  type TaskDetailView,
  type TerminalAddress,
  type TranscriptEntry,
} from '../../contract/views.js';
import { MaestroError, TaskErrors, invalidArgument } from '../../services/errors.js';
import type { RequestContext, Services } from '../../services/index.js';
import { buildPrompt } from '../../services/prompt.js';
import { SESSION_ROLES } from '../../services/session.service.js';
import { oneOf } from '../../services/validate.js';
import type { SessionView } from '../../services/views.js';
import { Background } from '../../shared/background.js';
import type { InputAction, LaunchPlan } from '../../agents/index.js';
import { AgentSessions } from './agent-sessions.js';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { ServerMessage } from '../ws/protocol.js';
import type { WorkspaceCoordinator } from '../workspaces.js';

/** What the operations ask of the autopilot's scheduler (src/gateway/autopilot.ts). */
export interface AutopilotHooks {
  kick(): void;
  active(sessionId: string): void;
  assertWithinBudget(taskId: string): Promise<void>;
  doctor(projectId: string, ctx: RequestContext): Promise<DoctorResult>;
  idle(): Promise<void>;
  close(): void;
}

/** A connected runner, as the gateway sees it. */
export interface RunnerLink {
  runnerId: string;
  capacity: number;
  send(message: ServerMessage): void;
}

export interface DispatcherOptions {
  home: string;
  /** The agent profiles of the server's configuration (docs/agents.md); never from a request. */
  agents: { agents: Record<string, unknown>; defaultAgent: string; agentCommand: string };
  /** The environment the server's own runner gives agents (for `agent list`). */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Sessions that may run at once across all runners; more wait in order. */
  maxSessions: number;
  /** A spawn that finds no runner connected for this long fails with spawn_failed. */
  noRunnerTimeoutMs: number;
  /** The gRPC address agents reach the server at (each with its session's own token). */
  grpcAddress: string;
  /** Where skills live: `<dir>/<name>/SKILL.md`. */
  skillsDir: string;
}

const SYSTEM: RequestContext = { actor: 'maestro', sessionId: null };

/**
 * Hands spawning sessions to runners: a FIFO queue, a concurrency limit, a timeout when no runner
 * is connected. It also keeps every session's output (`$MAESTRO_HOME/sessions/<id>/output.log`)
 * and relays it live to whoever follows it. A runner may report only on the sessions it owns: the
 * ones it was sent, or adopted after a restart when no connected runner had them.
 */
export class SpawnDispatcher {
  private readonly runners = new Set<RunnerLink>();
  /** Sessions on a connected runner, for its capacity. */
  private readonly assigned = new Map<string, RunnerLink>();
  /** The runner id that owns a session's process; kept while it reconnects, dropped when the session ends. */
  private readonly owners = new Map<string, string>();
  private readonly queue: { sessionId: string; since: number }[] = [];
  private readonly outputListeners = new Set<(sessionId: string, data: string) => void>();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;
  private readonly jobs: Background;
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  /** The agent side of sessions: profiles, launch plans, transcripts, usage, steering. */
  readonly agents: AgentSessions;
  /** Git worktrees per task: a worker of a git project's task runs in its own (set by the server). */
  workspaces: WorkspaceCoordinator | undefined;
  /** The autopilot's scheduler, once the server has started it. */
  autopilot: AutopilotHooks | undefined;
  /** Interactive sessions by the task they work on: ended with /exit once it is done. */
  private readonly interactive = new Map<string, SessionView>();

  constructor(
    private readonly services: Services,
    private readonly options: DispatcherOptions,
    private readonly log: Logger,
  ) {
    this.jobs = new Background((what, error) => log.error(`${what} failed`, { error: String(error) }));
    this.agents = new AgentSessions(
      services,
      {
        sessionDir: (id) => this.sessionDir(id),
        catalog: options.agents,
        environment: options.environment ?? process.env,
        sendInput: (sessionId, action) => this.sendInput(sessionId, action),
      },
      log,
    );
    this.unsubscribe = services.bus.subscribe((events) => {
      for (const e of events) {
        if (e.entityType === 'task' && (e.type === 'task.completed' || e.type === 'task.submitted')) {
          const session = this.interactive.get(e.entityId);
          if (session) this.agents.taskDone(session);
        }
        if (e.entityType !== 'session') continue;
        const status = (e.data.session as SessionView | undefined)?.status as SessionStatus | undefined;
        if (e.type === 'session.paused') {
          // Its process is gone; its claims and credential stay until it resumes.
          this.assigned.delete(e.entityId);
          this.owners.delete(e.entityId);
          this.agents.ended(e.entityId);
          this.jobs.run('dispatching queued spawns', () => this.pump());
        }
        if (e.type === 'session.spawning' && e.data.from === 'paused') {
          const session = e.data.session as SessionView;
          this.jobs.run('resuming a paused session', () => this.requeuePaused(session));
        }
        if (status && SESSION_FINAL_STATUSES.includes(status)) {
          const runner = this.assigned.get(e.entityId);
          this.assigned.delete(e.entityId);
          this.owners.delete(e.entityId);
          const queued = this.queue.findIndex((q) => q.sessionId === e.entityId);
          if (queued >= 0) this.queue.splice(queued, 1);
          if (status === 'stopped') runner?.send({ type: 'stop', sessionId: e.entityId });
          for (const [taskId, session] of this.interactive)
            if (session.id === e.entityId) this.interactive.delete(taskId);
          this.agents.ended(e.entityId);
          this.jobs.run('dispatching queued spawns', () => this.pump());
        }
      }
    });
    this.timer = setInterval(() => {
      this.jobs.run('expiring spawns that found no runner', () => this.expireWaiting());
      // Also the retry of a dispatch that failed on a read.
      if (this.queue.length && this.runners.size)
        this.jobs.run('dispatching queued spawns', () => this.pump());
    }, 1000);
    this.timer.unref();
  }

  sessionDir(sessionId: string): string {
    if (!isSessionId(sessionId)) throw invalidArgument('sessionId', `'${sessionId}' is not a session id.`);
    return join(this.options.home, 'sessions', sessionId);
  }

  get runnerCount(): number {
    return this.runners.size;
  }

  /** Sessions that could start now without waiting: the concurrency limit less what runs and waits. */
  capacityLeft(): number {
    return Math.max(0, this.options.maxSessions - this.assigned.size - this.queue.length);
  }

  /** Re-queues sessions a previous server left spawning, in their original order. */
  async recover(): Promise<void> {
    for (const s of await this.services.sessions.list({ status: ['spawning'] })) {
      // One started again after a pause gets its resume prompt (it may not have been written).
      if (s.resumes > 0) await this.writeResumePrompt(s).catch(() => undefined);
      this.queue.push({ sessionId: s.id, since: this.services.runner.clock() });
    }
  }

  /** A session whose usage limit reset: its agent starts again, continuing its conversation. */
  private async requeuePaused(session: SessionView): Promise<void> {
    await this.writeResumePrompt(session);
    if (!this.queue.some((q) => q.sessionId === session.id))
      this.queue.push({ sessionId: session.id, since: this.services.runner.clock() });
    await this.pump();
  }

  private async writeResumePrompt(session: SessionView): Promise<void> {
    const taskId = session.taskIds[0];
    const detail = taskId ? await this.services.tasks.get(taskId) : undefined;
    const messages = this.agents.pendingMessages(session.id);
    const dir = this.sessionDir(session.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'prompt.md'), pausedResumePrompt(session, detail, messages), { mode: 0o600 });
  }

  /**
   * Creates a session for a task a worker could start now and queues it for a runner. Refused
   * before anything is written: a task that is not startable, an unknown role or skill.
   */
  async spawn(
    ctx: RequestContext,
    input: { taskId: string; role?: string; name?: string; skill?: string; agent?: string },
  ): Promise<{ session: SessionView; queuePosition: number }> {
    const role = oneOf('role', input.role || 'worker', SESSION_ROLES);
    const skill = input.skill || `maestro-${role}`;
    const skillText = this.skillText(skill);
    const profile = this.agents.profile(input.agent);
    const detail = await this.services.tasks.get(input.taskId);
    checkStartable(detail);
    const session = await this.services.sessions.create(ctx, {
      projectId: detail.task.projectId,
      taskIds: [detail.task.id],
      role,
      name: input.name,
      skill,
      agent: profile.name,
      mode: profile.mode,
      // Claude Code takes the conversation id Maestro chooses, so it is known before the agent runs.
      harnessSessionId: profile.adapter === 'claude' ? randomUUID() : '',
      credential: true,
    });
    return this.queueSession(session, buildPrompt({ sessionId: session.id, role, detail, skill: skillText }));
  }

  /**
   * A new session for the same task that continues the ended session's conversation: with the
   * harness's resume (`--resume <id>` for Claude Code, `exec resume` for Codex) where it has one,
   * else from the start with the task as it is now. Messages kept for the session go with it.
   */
  async resume(ctx: RequestContext, id: string): Promise<{ session: SessionView; queuePosition: number }> {
    const previous = await this.services.sessions.get(id);
    if (!SESSION_FINAL_STATUSES.includes(previous.status as SessionStatus)) {
      throw new MaestroError(
        'invalid_transition',
        `Session '${id}' is ${previous.status}; only an ended session is resumed.`,
        `Send it a message instead: maestro session send ${id} "<message>".`,
        { sessionId: id, from: previous.status, event: 'resume', allowed: ['send', 'stop'] },
      );
    }
    const taskId = previous.taskIds[0];
    if (!taskId) throw invalidArgument('id', `Session '${id}' has no task to resume.`);
    const profile = this.agents.profile(previous.agent);
    const resumable = this.agents.adapterOf(profile).resumable && previous.harnessSessionId !== '';
    const detail = await this.services.tasks.get(taskId);
    checkStartable(detail);
    const skillText = this.skillText(previous.skill || `maestro-${previous.role}`);
    const session = await this.services.sessions.create(ctx, {
      projectId: previous.projectId,
      taskIds: previous.taskIds,
      role: previous.role,
      skill: previous.skill,
      agent: profile.name,
      mode: profile.mode,
      harnessSessionId: resumable
        ? previous.harnessSessionId
        : profile.adapter === 'claude'
          ? randomUUID()
          : '',
      resumedFrom: resumable ? previous.id : '',
      credential: true,
    });
    const messages = this.agents.pendingMessages(previous.id);
    const prompt = resumable
      ? resumePrompt(session.id, previous, detail, messages)
      : buildPrompt({ sessionId: session.id, role: session.role, detail, skill: skillText }) +
        previousAttempt(previous, detail, this.agents.transcript(previous.id, 0, 100_000).entries) +
        (messages.length ? `\n## Messages for you\n\n${messages.map((m) => `- ${m}`).join('\n')}\n` : '');
    return this.queueSession(session, prompt);
  }

  /** Steering: a message to a running session's agent, also on its task's timeline. */
  async send(
    ctx: RequestContext,
    id: string,
    message: string,
  ): Promise<{ session: SessionView; delivered: boolean; note: string }> {
    const session = await this.services.sessions.get(id);
    if (SESSION_FINAL_STATUSES.includes(session.status as SessionStatus)) {
      throw new MaestroError(
        'invalid_transition',
        `Session '${id}' has ended (${session.status}); a message cannot reach it.`,
        `Resume it with the message: maestro session resume ${id}, or spawn a new worker.`,
        { sessionId: id, from: session.status, event: 'send', allowed: ['resume'] },
      );
    }
    const result = this.agents.send(session, message, ctx.actor);
    for (const taskId of session.taskIds) {
      await this.services.reports.report(
        { ...ctx, idempotencyKey: undefined },
        {
          taskId,
          kind: 'message',
          message: `To ${session.id}: ${message}${result.delivered ? '' : ` (${result.note})`}`.slice(
            0,
            5000,
          ),
        },
      );
    }
    return { session, ...result };
  }

  private async queueSession(
    session: SessionView,
    prompt: string,
  ): Promise<{ session: SessionView; queuePosition: number }> {
    const dir = this.sessionDir(session.id);
    mkdirSync(join(this.options.home, 'sessions'), { recursive: true, mode: 0o700 });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'prompt.md'), prompt, { mode: 0o600 });
    writeFileSync(join(dir, 'output.log'), '', { mode: 0o600 });
    this.queue.push({ sessionId: session.id, since: this.services.runner.clock() });
    await this.pump().catch((error: unknown) =>
      this.log.error('dispatching a spawn failed', { error: String(error) }),
    );
    const position = this.queue.findIndex((q) => q.sessionId === session.id) + 1;
    return { session: await this.services.sessions.get(session.id), queuePosition: position };
  }

  /** The skill's text; its name is checked before it names a file. */
  private skillText(name: string): string {
    if (!SKILL_NAME.test(name)) {
      throw new MaestroError(
        'invalid_argument',
        `'${name.slice(0, 100)}' is not a skill name: 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.`,
        "Run 'maestro skill list' to see the skills.",
        { field: 'skill' },
      );
    }
    const path = join(this.options.skillsDir, name, 'SKILL.md');
    if (!existsSync(path)) {
      const known = this.knownSkills();
      throw new MaestroError(
        'invalid_argument',
        `There is no skill '${name}' on this server.`,
        known.length
          ? `Known skills: ${known.join(', ')}.`
          : `The skills folder ${this.options.skillsDir} holds none.`,
        { field: 'skill', accepted: known },
      );
    }
    return readFileSync(path, 'utf8');
  }

  private knownSkills(): string[] {
    try {
      return readdirSync(this.options.skillsDir)
        .filter((name) => SKILL_NAME.test(name) && existsSync(join(this.options.skillsDir, name, 'SKILL.md')))
        .sort();
    } catch {
      return [];
    }
  }

  attachRunner(link: RunnerLink): void {
    this.runners.add(link);
    // A runner that reconnects keeps the sessions it owns (a pipe runner's children outlive the link).
    for (const [sessionId, owner] of this.owners)
      if (owner === link.runnerId) this.assigned.set(sessionId, link);
    this.log.info('runner connected', { runnerId: link.runnerId, capacity: link.capacity });
    this.jobs.run('dispatching queued spawns', () => this.pump());
  }

  detachRunner(link: RunnerLink): void {
    this.runners.delete(link);
    // Its sessions keep their state: heartbeats stop, and the sweep marks them stale, then lost.
    for (const [sessionId, runner] of this.assigned) if (runner === link) this.assigned.delete(sessionId);
  }

  /** A runner reports on a process it owns (`adopted`: one it found running after a restart). */
  async report(
    link: RunnerLink,
    input: {
      sessionId: string;
      kind: string;
      pid?: number;
      exitCode?: number;
      reason?: string;
      terminal?: TerminalAddress;
    },
  ): Promise<SessionView> {
    const sessionId = checkSessionId(input.sessionId);
    if (input.kind === 'adopted') return this.adopt(link, sessionId);
    this.requireOwner(link, sessionId);
    // What the agent's output said (usage, a limit) is recorded before its end is.
    if (input.kind !== 'started') await this.agents.settled(sessionId);
    const current = await this.services.sessions.get(sessionId);
    if (SESSION_FINAL_STATUSES.includes(current.status as SessionStatus)) return current;
    return this.services.sessions.reportProcess(SYSTEM, {
      id: sessionId,
      kind: input.kind,
      pid: input.pid,
      exitCode: input.exitCode,
      reason: input.reason,
      terminal: input.terminal,
    });
  }

  private async adopt(link: RunnerLink, sessionId: string): Promise<SessionView> {
    const owner = this.owners.get(sessionId);
    if (owner !== undefined && owner !== link.runnerId && this.connected(owner))
      throw notOwned(link, sessionId);
    // Taken synchronously, before any await: the runner's next message may be this session's exit.
    this.owners.set(sessionId, link.runnerId);
    this.assigned.set(sessionId, link);
    const current = await this.services.sessions.get(sessionId);
    if (SESSION_FINAL_STATUSES.includes(current.status as SessionStatus)) {
      this.owners.delete(sessionId);
      this.assigned.delete(sessionId);
      return current;
    }
    return this.services.sessions.heartbeat(SYSTEM, sessionId);
  }

  /** Heartbeats for the sessions `link` owns; the others are left alone and named in `refused`. */
  async heartbeat(link: RunnerLink, sessionIds: readonly string[]): Promise<{ refused: string[] }> {
    const ids = sessionIds.map(checkSessionId);
    const refused: string[] = [];
    for (const id of ids) {
      if (this.owners.get(id) !== link.runnerId) {
        refused.push(id);
        continue;
      }
      try {
        await this.services.sessions.heartbeat(SYSTEM, id);
      } catch {
        // ended meanwhile; the runner learns it from the stop message
      }
    }
    return { refused };
  }

  /** Output of a session's terminal, from the runner that owns it. */
  output(link: RunnerLink, sessionId: string, data: string): void {
    const id = checkSessionId(sessionId);
    this.requireOwner(link, id);
    const dir = this.sessionDir(id);
    if (!existsSync(dir)) return;
    appendFileSync(join(dir, 'output.log'), data, { mode: 0o600 });
    this.agents.output(id, data);
    for (const listener of this.outputListeners) listener(id, data);
  }

  onOutput(listener: (sessionId: string, data: string) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** The end of a session's output, cut at a line break where one is near. */
  tail(sessionId: string, maxBytes: number): { data: string; size: number } {
    const path = join(this.sessionDir(sessionId), 'output.log');
    if (!existsSync(path)) return { data: '', size: 0 };
    const buffer = readFileSync(path);
    const start = Math.max(0, buffer.length - maxBytes);
    return { data: buffer.subarray(start).toString('utf8'), size: buffer.length };
  }

  /** The output so far; with `follow`, new output until the session ends or `stop` is called. */
  logs(sessionId: string): string {
    const path = join(this.sessionDir(sessionId), 'output.log');
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
  }

  /** Hands an input action (a message, keys, the end of input) to the runner of a session. */
  private sendInput(sessionId: string, action: InputAction): boolean {
    const runner = this.assigned.get(sessionId);
    if (!runner) return false;
    runner.send({ type: 'input', sessionId, ...action });
    return true;
  }

  private connected(runnerId: string): boolean {
    for (const runner of this.runners) if (runner.runnerId === runnerId) return true;
    return false;
  }

  private requireOwner(link: RunnerLink, sessionId: string): void {
    if (this.owners.get(sessionId) !== link.runnerId) throw notOwned(link, sessionId);
  }

  private freeRunner(): RunnerLink | undefined {
    let best: RunnerLink | undefined;
    let bestLoad = Infinity;
    for (const runner of this.runners) {
      const load = [...this.assigned.values()].filter((r) => r === runner).length;
      if (load < runner.capacity && load < bestLoad) {
        best = runner;
        bestLoad = load;
      }
    }
    return best;
  }

  /** One dispatch loop at a time; a call while one runs makes it go round once more. */
  private pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    const loop = async () => {
      try {
        do {
          this.pumpAgain = false;
          await this.dispatchQueued();
        } while (this.pumpAgain);
      } finally {
        this.pumping = undefined;
      }
    };
    return (this.pumping = loop());
  }

  private async dispatchQueued(): Promise<void> {
    while (this.queue.length && this.assigned.size < this.options.maxSessions) {
      const runner = this.freeRunner();
      if (!runner) return;
      const next = this.queue[0]!;
      const { sessionId } = next;
      let session: SessionView;
      let cwd = '';
      let token = '';
      try {
        session = await this.services.sessions.get(sessionId);
        if (session.status === 'spawning') {
          cwd = (await this.services.projects.get(session.projectId)).workingDir;
          token = await this.services.credentials.tokenFor(sessionId);
        }
      } catch (error) {
        if (error instanceof MaestroError && /_not_found$/.test(error.code)) {
          this.dequeue(next);
          continue;
        }
        // The database did not answer: the session keeps its place, and the next pump (at the
        // latest the once-a-second timer) tries again.
        this.log.warn('a queued spawn could not be read; it stays queued', {
          sessionId,
          error: String(error),
        });
        return;
      }
      if (!this.dequeue(next) || session.status !== 'spawning') continue;
      if (!this.runners.has(runner)) {
        this.queue.unshift(next);
        continue;
      }
      let prompt: string;
      try {
        prompt = readFileSync(join(this.sessionDir(sessionId), 'prompt.md'), 'utf8');
      } catch (error) {
        await this.services.sessions
          .reportProcess(SYSTEM, {
            id: sessionId,
            kind: 'failed',
            reason: `The session's prompt could not be read on the server: ${(error as Error).message}`,
          })
          .catch(() => undefined);
        continue;
      }
      let plan: LaunchPlan;
      try {
        plan = this.agents.plan(session, prompt);
      } catch (error) {
        await this.services.sessions
          .reportProcess(SYSTEM, {
            id: sessionId,
            kind: 'failed',
            reason: `The session's agent cannot be started: ${(error as Error).message}`,
          })
          .catch(() => undefined);
        continue;
      }
      // The worker's own worktree, made before it starts (git is slow: outside any transaction).
      // Taken as assigned meanwhile, so the concurrency limit counts it.
      this.assigned.set(sessionId, runner);
      let workspace: { cwd: string; env: Record<string, string> } | null = null;
      try {
        workspace = (await this.workspaces?.prepare(session)) ?? null;
      } catch (error) {
        this.assigned.delete(sessionId);
        await this.services.sessions
          .reportProcess(SYSTEM, {
            id: sessionId,
            kind: 'failed',
            reason: `The task's workspace could not be made: ${(error as Error).message}`.slice(0, 2000),
          })
          .catch(() => undefined);
        continue;
      }
      if (!this.runners.has(runner) || (await this.services.sessions.get(sessionId)).status !== 'spawning') {
        // The runner went away or the session was stopped while the worktree was made.
        this.assigned.delete(sessionId);
        if (this.runners.has(runner) === false) this.queue.unshift(next);
        continue;
      }
      this.owners.set(sessionId, runner.runnerId);
      this.agents.dispatched(session);
      if (plan.mode === 'interactive') for (const t of session.taskIds) this.interactive.set(t, session);
      runner.send({
        type: 'spawn',
        sessionId,
        command: plan.command,
        program: plan.program,
        agentEnv: plan.env,
        input: plan.input,
        initialInput: plan.initialInput,
        mode: plan.mode,
        trustWorkingDir: plan.trustWorkingDir,
        prompt,
        cwd: workspace?.cwd || cwd || process.cwd(),
        env: {
          ...workspace?.env,
          MAESTRO_SESSION_ID: sessionId,
          MAESTRO_TASK_IDS: session.taskIds.join(','),
          MAESTRO_ROLE: session.role,
          MAESTRO_PROJECT_ID: session.projectId,
          MAESTRO_SERVER: this.options.grpcAddress,
          MAESTRO_TOKEN: token,
          MAESTRO_ACTOR: session.name,
        },
      });
    }
  }

  /** Takes an entry out of the queue; false when something else took it out while we read. */
  private dequeue(entry: { sessionId: string; since: number }): boolean {
    const index = this.queue.indexOf(entry);
    if (index < 0) return false;
    this.queue.splice(index, 1);
    return true;
  }

  private async expireWaiting(): Promise<void> {
    if (this.runners.size > 0) return;
    const now = this.services.runner.clock();
    for (const waiting of [...this.queue]) {
      if (now - waiting.since < this.options.noRunnerTimeoutMs) continue;
      this.queue.splice(this.queue.indexOf(waiting), 1);
      try {
        await this.services.sessions.reportProcess(SYSTEM, {
          id: waiting.sessionId,
          kind: 'failed',
          reason: `No runner was connected within ${Math.round(this.options.noRunnerTimeoutMs / 1000)} s to start the agent.`,
        });
      } catch (error) {
        if (!(error instanceof MaestroError)) this.log.error('spawn expiry failed', { error: String(error) });
      }
    }
  }
}

function checkSessionId(value: unknown): string {
  if (!isSessionId(value)) {
    throw invalidArgument(
      'sessionId',
      `${JSON.stringify(value)?.slice(0, 100)} is not a session id (s_<n>).`,
    );
  }
  return value;
}

function notOwned(link: RunnerLink, sessionId: string): MaestroError {
  return new MaestroError(
    'invalid_argument',
    `Session ${sessionId} is not assigned to runner ${link.runnerId}.`,
    'A runner reports only on the sessions the server sent it, or that it adopted after a restart.',
    { field: 'sessionId', sessionId },
  );
}

/**
 * A worker could start the task now: pending with every dependency completed, or in progress and
 * held by nobody. Anything else would start an agent that can only fail.
 */
function checkStartable({ task, blockedBy }: TaskDetailView): void {
  if (task.status === 'pending') {
    if (blockedBy.length) {
      throw TaskErrors.dependenciesNotMet(
        task.id,
        'START',
        blockedBy.map((b) => ({ taskId: b.id, status: b.status })),
      );
    }
    return;
  }
  if (task.status === 'in_progress') {
    if (task.claim) throw TaskErrors.alreadyClaimed(task.id, task.claim.holder, task.claim.sessionId || null);
    return;
  }
  throw new MaestroError(
    'invalid_transition',
    `Task '${task.id}' is ${task.status}; a worker cannot start it, so no agent is spawned for it.`,
    task.status === 'blocked'
      ? `Unblock it first: maestro task unblock ${task.id}.`
      : "Spawn agents for ready tasks: 'maestro task ready'.",
    { taskId: task.id, from: task.status, event: 'spawn', allowed: [] },
  );
}

/** The first message of a resumed session: the conversation goes on, with the task as it is now. */
function resumePrompt(
  sessionId: string,
  previous: SessionView,
  detail: TaskDetailView,
  messages: string[],
): string {
  const { task, subtasks } = detail;
  const lines = [
    `You are resuming as session ${sessionId} (it continues ${previous.id}) on task ${task.id}: ${task.title}.`,
    `The task is ${task.status}${subtasks.length ? `, ${subtasks.filter((s) => s.status === 'completed').length} of ${subtasks.length} subtasks done` : ''}.`,
    'Pick up where you left off: check the task with `maestro task get --json`, finish it, and complete it with `maestro task complete --json`.',
  ];
  if (messages.length) lines.push('', 'Messages sent to you meanwhile:', ...messages.map((m) => `- ${m}`));
  return lines.join('\n') + '\n';
}

/** The first message after a usage-limit pause: the same session goes on where it stopped. */
function pausedResumePrompt(
  session: SessionView,
  detail: TaskDetailView | undefined,
  messages: string[],
): string {
  const lines = [
    `The usage limit has reset. You are still session ${session.id}${detail ? ` on task ${detail.task.id}: ${detail.task.title}` : ''}; your claim was kept.`,
    'Continue where you stopped: do not redo finished steps. Check the task with `maestro task get --json`, finish it, and complete it with `maestro task complete --json`.',
  ];
  if (messages.length) lines.push('', 'Messages sent to you meanwhile:', ...messages.map((m) => `- ${m}`));
  return lines.join('\n') + '\n';
}

/**
 * What a new worker is told of the attempt before it, when the harness cannot continue that
 * conversation: how it ended, the end of its transcript and the task's recent timeline.
 */
function previousAttempt(
  previous: SessionView,
  detail: TaskDetailView,
  transcript: readonly TranscriptEntry[],
): string {
  const lines = [
    '',
    `## The previous attempt (${previous.id})`,
    '',
    `It ended ${previous.status}${previous.outcome ? ` (${previous.outcome})` : ''}${previous.failureReason ? `: ${previous.failureReason}` : ''}. Do not redo what it finished; check the task's state first.`,
  ];
  if (previous.resultText) lines.push('', `Its last answer: ${previous.resultText.slice(0, 2000)}`);
  const tail = transcript.filter((e) => e.kind !== 'system').slice(-15);
  if (tail.length) {
    lines.push('', 'The end of its transcript:');
    for (const e of tail) lines.push(`- ${e.kind}: ${e.text.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  const timeline = detail.timeline.slice(0, 10).reverse();
  if (timeline.length) {
    lines.push('', "The task's recent timeline:");
    for (const t of timeline) lines.push(`- ${t.createdAt} ${t.kind}: ${t.message.slice(0, 300)}`);
  }
  return lines.join('\n') + '\n';
}
