import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESSION_FINAL_STATUSES, type SessionStatus } from '../../machines/session.machine.js';
import { MaestroError } from '../../services/errors.js';
import type { RequestContext, Services } from '../../services/index.js';
import { buildPrompt } from '../../services/prompt.js';
import type { SessionView } from '../../services/views.js';
import type { Logger } from '../logger.js';
import type { ServerMessage } from '../ws/protocol.js';

/** A connected runner, as the gateway sees it. */
export interface RunnerLink {
  runnerId: string;
  capacity: number;
  send(message: ServerMessage): void;
}

export interface DispatcherOptions {
  home: string;
  /** The agent command line (`{promptFile}` is replaced); from configuration, never from a request. */
  agentCommand: string;
  /** Sessions that may run at once across all runners; more wait in order. */
  maxSessions: number;
  /** A spawn that finds no runner connected for this long fails with spawn_failed. */
  noRunnerTimeoutMs: number;
  /** The gRPC address agents reach the server at, and the token they use. */
  grpcAddress: string;
  token: string;
  /** Where skills live: `<dir>/<name>/SKILL.md`. */
  skillsDir: string;
}

const SYSTEM: RequestContext = { actor: 'maestro', sessionId: null };

/**
 * Hands spawning sessions to runners: a FIFO queue, a concurrency limit, a timeout when no runner
 * is connected. It also keeps every session's output (`$MAESTRO_HOME/sessions/<id>/output.log`)
 * and relays it live to whoever follows it.
 */
export class SpawnDispatcher {
  private readonly runners = new Set<RunnerLink>();
  private readonly assigned = new Map<string, RunnerLink>();
  private readonly queue: { sessionId: string; since: number }[] = [];
  private readonly outputListeners = new Set<(sessionId: string, data: string) => void>();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly services: Services,
    private readonly options: DispatcherOptions,
    private readonly log: Logger,
  ) {
    this.unsubscribe = services.bus.subscribe((events) => {
      for (const e of events) {
        if (e.entityType !== 'session') continue;
        const status = (e.data.session as SessionView | undefined)?.status as SessionStatus | undefined;
        if (status && SESSION_FINAL_STATUSES.includes(status)) {
          const runner = this.assigned.get(e.entityId);
          this.assigned.delete(e.entityId);
          const queued = this.queue.findIndex((q) => q.sessionId === e.entityId);
          if (queued >= 0) this.queue.splice(queued, 1);
          if (status === 'stopped') runner?.send({ type: 'stop', sessionId: e.entityId });
          void this.pump();
        }
      }
    });
    this.timer = setInterval(() => void this.expireWaiting(), 1000);
    this.timer.unref();
  }

  sessionDir(sessionId: string): string {
    return join(this.options.home, 'sessions', sessionId);
  }

  get runnerCount(): number {
    return this.runners.size;
  }

  /** Re-queues sessions a previous server left spawning, in their original order. */
  async recover(): Promise<void> {
    for (const s of await this.services.sessions.list({ status: ['spawning'] })) {
      this.queue.push({ sessionId: s.id, since: Date.now() });
    }
  }

  async spawn(
    ctx: RequestContext,
    input: { taskId: string; role?: string; name?: string; skill?: string },
  ): Promise<{ session: SessionView; queuePosition: number }> {
    const detail = await this.services.tasks.get(input.taskId);
    const role = input.role || 'worker';
    const skill = input.skill || `maestro-${role}`;
    const session = await this.services.sessions.create(ctx, {
      projectId: detail.task.projectId,
      taskIds: [detail.task.id],
      role,
      name: input.name,
      skill,
    });
    const dir = this.sessionDir(session.id);
    mkdirSync(dir, { recursive: true });
    const skillPath = join(this.options.skillsDir, skill, 'SKILL.md');
    const skillText = existsSync(skillPath) ? readFileSync(skillPath, 'utf8') : '';
    writeFileSync(
      join(dir, 'prompt.md'),
      buildPrompt({ sessionId: session.id, role, detail, skill: skillText }),
    );
    writeFileSync(join(dir, 'output.log'), '');
    this.queue.push({ sessionId: session.id, since: Date.now() });
    await this.pump();
    const position = this.queue.findIndex((q) => q.sessionId === session.id) + 1;
    return { session: await this.services.sessions.get(session.id), queuePosition: position };
  }

  attachRunner(link: RunnerLink): void {
    this.runners.add(link);
    this.log.info('runner connected', { runnerId: link.runnerId, capacity: link.capacity });
    void this.pump();
  }

  detachRunner(link: RunnerLink): void {
    this.runners.delete(link);
    // Its sessions keep their state: heartbeats stop, and the sweep marks them stale, then lost.
    for (const [sessionId, runner] of this.assigned) if (runner === link) this.assigned.delete(sessionId);
  }

  /** A runner reports on a process it owns. */
  async report(
    link: RunnerLink,
    input: { sessionId: string; kind: string; pid?: number; exitCode?: number; reason?: string },
  ) {
    if (input.kind === 'started' || input.kind === 'adopted') this.assigned.set(input.sessionId, link);
    if (input.kind === 'adopted') return this.services.sessions.heartbeat(SYSTEM, input.sessionId);
    const current = await this.services.sessions.get(input.sessionId);
    if (SESSION_FINAL_STATUSES.includes(current.status as SessionStatus)) return current;
    return this.services.sessions.reportProcess(SYSTEM, {
      id: input.sessionId,
      kind: input.kind,
      pid: input.pid,
      exitCode: input.exitCode,
      reason: input.reason,
    });
  }

  async heartbeat(sessionIds: readonly string[]): Promise<void> {
    for (const id of sessionIds) {
      try {
        await this.services.sessions.heartbeat(SYSTEM, id);
      } catch {
        // ended meanwhile; the runner learns it from the stop message
      }
    }
  }

  output(sessionId: string, data: string): void {
    const dir = this.sessionDir(sessionId);
    if (!existsSync(dir)) return;
    appendFileSync(join(dir, 'output.log'), data);
    for (const listener of this.outputListeners) listener(sessionId, data);
  }

  onOutput(listener: (sessionId: string, data: string) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
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

  private async pump(): Promise<void> {
    while (this.queue.length && this.assigned.size < this.options.maxSessions) {
      const runner = this.freeRunner();
      if (!runner) return;
      const { sessionId } = this.queue.shift()!;
      let session: SessionView;
      try {
        session = await this.services.sessions.get(sessionId);
      } catch {
        continue;
      }
      if (session.status !== 'spawning') continue;
      this.assigned.set(sessionId, runner);
      const project = await this.services.projects.get(session.projectId);
      runner.send({
        type: 'spawn',
        sessionId,
        command: this.options.agentCommand,
        prompt: readFileSync(join(this.sessionDir(sessionId), 'prompt.md'), 'utf8'),
        cwd: project.workingDir || process.cwd(),
        env: {
          MAESTRO_SESSION_ID: sessionId,
          MAESTRO_TASK_IDS: session.taskIds.join(','),
          MAESTRO_ROLE: session.role,
          MAESTRO_PROJECT_ID: session.projectId,
          MAESTRO_SERVER: this.options.grpcAddress,
          MAESTRO_TOKEN: this.options.token,
          MAESTRO_ACTOR: session.name,
        },
      });
    }
  }

  private async expireWaiting(): Promise<void> {
    if (this.runners.size > 0) return;
    const now = Date.now();
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
