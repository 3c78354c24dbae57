import { performance } from 'node:perf_hooks';
import { background } from '../../src/shared/background.js';
import { backoffDelay } from '../../src/shared/backoff.js';
import { autopilotAfter, autopilotReplied } from '../../src/client/autopilot.js';
import { BoardProjection, touchesTask } from '../../src/client/board-projection.js';
import { diffStamp } from '../../src/client/board-queries.js';
import { readAllPages } from '../../src/client/pages.js';
import { eventFromWire, type BoardEvent } from '../../src/client/wire-guards.js';
import type { AutopilotView } from '../../src/contract/autopilot.js';
import type { TaskDiffResult } from '../../src/contract/operations.js';
import type { MaestroClient } from '../client.js';
import { CliError } from '../errors.js';
import type {
  ProjectRef,
  SessionView,
  SubtaskView,
  TaskDetailView,
  TaskView,
  WireEvent,
} from './wire-types.js';
import { SESSION_FINAL } from './wire-types.js';
import { sortSessions } from './view-model.js';

/** What the TUI needs of the CLI's client: the same unary calls and streams every command uses. */
export type TuiClient = Pick<MaestroClient, 'op' | 'openStream' | 'watch'>;

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface Connection {
  state: ConnectionState;
  /** Reconnection attempts since the stream was last live. */
  attempt: number;
  /** Why the last attempt failed, as the CLI would word it. */
  error: string;
  /** The last event seq applied (the resume point). */
  seq: number;
}

/** The status line: what the last action did, or the error it got (message and hint, as the CLI prints them). */
export interface StatusLine {
  kind: 'info' | 'success' | 'error';
  text: string;
  hint?: string;
}

export interface TuiState {
  project: ProjectRef | null;
  tasks: ReadonlyMap<string, TaskView>;
  sessions: ReadonlyMap<string, SessionView>;
  /** The tail of each followed session's terminal output. */
  logs: ReadonlyMap<string, string>;
  /** The first load has finished. */
  loaded: boolean;
  connection: Connection;
  /** The project's autopilot (null until loaded, or when the server would not say). */
  autopilot: AutopilotView | null;
  openTaskId: string | null;
  /** The open task's detail; null while it loads. */
  detail: TaskDetailView | null;
  /** The open task's diff stat; null when it has no workspace (or the detail is loading). */
  diff: DiffState | null;
  status: StatusLine | null;
}

/** The open task's changes (`task diff --stat`), for a task with a workspace. */
export interface DiffState {
  taskId: string;
  /** What it was fetched for (the workspace's and the task's state): fetched again when it moves on. */
  stamp: string;
  /** The files and counts; the previous ones (or null) while a newer diff loads. */
  result: TaskDiffResult | null;
  /** Why the last fetch failed ('' when it did not). */
  error: string;
}

export interface StoreOptions {
  client: TuiClient;
  /** The project the board shows: --project, MAESTRO_PROJECT_ID, or the working directory's. */
  resolveProject(): Promise<ProjectRef>;
  /** Events are applied at most this often, so a burst redraws the screen once. */
  batchMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** How many sessions' output is kept (live ones are followed, ended ones fetched once). */
  logSessions?: number;
}

const LOG_TAIL = 16 * 1024;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** An error as the status line shows it: the CLI's message and hint. */
export function errorLine(error: unknown): StatusLine {
  if (error instanceof CliError)
    return { kind: 'error', text: error.body.message, ...(error.body.hint ? { hint: error.body.hint } : {}) };
  return { kind: 'error', text: error instanceof Error ? error.message : String(error) };
}

/**
 * The TUI's state and the commands that change it. It loads the project's tasks and sessions with
 * the CLI's gRPC calls, remembers the event seq it loaded at, and follows `Events.Watch` from there:
 * tasks and sessions are upserted from the views events carry, events are applied in batches, and
 * when the stream breaks it reconnects on its own and resumes from the last seq it applied.
 * React reads it through `subscribe`/`getSnapshot`.
 */
export class TuiStore {
  private state: TuiState = {
    project: null,
    tasks: new Map(),
    sessions: new Map(),
    logs: new Map(),
    loaded: false,
    connection: { state: 'connecting', attempt: 0, error: '', seq: 0 },
    autopilot: null,
    openTaskId: null,
    detail: null,
    diff: null,
    status: null,
  };
  private readonly listeners = new Set<() => void>();
  private readonly client: TuiClient;
  private readonly batchMs: number;
  private closed = false;
  private started = false;
  private needsLoad = true;
  /** The highest seq received; the stream resumes after it. */
  private seq = 0;
  private queue: WireEvent[] = [];
  /** Tasks and sessions: the client core's projection, shared with the web UI. */
  private readonly board = new BoardProjection();
  /** The project chosen with the `P` key, over the one the command line named. */
  private chosenProject: ProjectRef | null = null;
  private readonly logChunks = new Map<string, { reset: boolean; text: string }>();
  private flushTimer: NodeJS.Timeout | undefined;
  private watch: { cancel(): void } | undefined;
  private wake: (() => void) | undefined;
  private readonly logStreams = new Map<string, { cancel(): void }>();
  private readonly logsFetched = new Set<string>();
  private detailGeneration = 0;
  /** When the first load finished, in ms since the process started (for MAESTRO_TUI_TIMING). */
  loadedAtMs: number | undefined;
  /** Sessions spawned from here: their failure is reported in the status line. */
  private readonly spawned = new Set<string>();

  constructor(private readonly options: StoreOptions) {
    this.client = options.client;
    this.batchMs = options.batchMs ?? 50;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): TuiState => this.state;

  private set(patch: Partial<TuiState>): void {
    if (this.closed) return;
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** Loads the board and follows the event stream until `close`. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.inBackground('following the server', () => this.connectLoop());
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.flushTimer);
    this.watch?.cancel();
    this.wake?.();
    for (const s of this.logStreams.values()) s.cancel();
    this.logStreams.clear();
  }

  // --- connection -------------------------------------------------------------------------------

  private setConnection(patch: Partial<Connection>): void {
    this.set({ connection: { ...this.state.connection, ...patch, seq: this.seq } });
  }

  private async connectLoop(): Promise<void> {
    const base = this.options.reconnectBaseMs ?? 250;
    const max = this.options.reconnectMaxMs ?? 3000;
    let attempt = 0;
    while (!this.closed) {
      let reason: string;
      try {
        if (this.needsLoad) await this.load();
        else await this.client.op('whoami', {});
        if (this.closed) return;
        const watch = this.client.watch(this.seq, (m) => this.enqueue(m as unknown as WireEvent));
        this.watch = watch;
        attempt = 0;
        this.setConnection({ state: 'live', attempt: 0, error: '' });
        this.syncLogs();
        await watch.done;
        reason = 'The server ended the event stream.';
      } catch (error) {
        if (this.closed) return;
        // A resume point the server no longer keeps: reload everything, then watch from the new seq.
        if (error instanceof CliError && isObject(error.body.details) && 'oldestSeq' in error.body.details)
          this.needsLoad = true;
        reason = errorLine(error).text;
      }
      if (this.closed) return;
      this.flush();
      attempt++;
      this.setConnection({
        state: this.state.loaded ? 'reconnecting' : 'connecting',
        attempt,
        error: reason,
      });
      const delay = backoffDelay({ baseMs: base, maxMs: max, factor: 2, jitter: 0.25 }, attempt);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Reconnect now instead of waiting for the back-off (the `R` key). */
  retryNow(): void {
    this.wake?.();
  }

  private async load(): Promise<void> {
    // The seq is read before (or while) anything is listed, so the lists are at least as new as it.
    const [who, project] = await Promise.all([
      this.client.op('whoami', {}),
      this.chosenProject ?? this.options.resolveProject(),
    ]);
    if (this.board.projectScope !== project.id) this.board.rescope(project.id);
    const generation = this.board.beginLoad();
    const [tasks, { sessions }, autopilot] = await Promise.all([
      this.allTasks(project.id),
      this.client.op('session.list', {
        projectId: project.id,
        status: [],
      }),
      // The board does without it: the header then shows no autopilot.
      this.client.op('autopilot.get', { projectId: project.id }).catch(() => null),
    ]);
    // Events after `who.lastSeq` are replayed by the watch; versions make applying them twice harmless.
    this.seq = who.lastSeq;
    this.queue = [];
    if (!this.board.finishLoad(generation, { tasks, sessions })) return;
    this.needsLoad = false;
    this.loadedAtMs ??= performance.now();
    const held = this.state.project?.id === project.id ? this.state.autopilot : null;
    this.set({
      project,
      tasks: this.board.tasks,
      sessions: this.board.sessions,
      autopilot: autopilot ? autopilotReplied(held, autopilot) : held,
      loaded: true,
    });
    const open = this.state.openTaskId;
    if (open) this.inBackground('loading the task', () => this.refreshDetail(open));
  }

  /** Every task of the project, page after page (the server answers at most a page per call). */
  private allTasks(projectId: string): Promise<TaskView[]> {
    return readAllPages(async (pageToken) => {
      const page = await this.client.op('task.list', { projectId, pageSize: 1000, pageToken });
      return { items: page.tasks, nextPageToken: page.nextPageToken };
    });
  }

  // --- events -----------------------------------------------------------------------------------

  private enqueue(event: WireEvent): void {
    if (event.seq > this.seq) this.seq = event.seq;
    this.queue.push(event);
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => this.flush(), this.batchMs);
  }

  /** Applies every queued event and log chunk with one state change (one redraw). */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.closed) return;
    const events = this.queue;
    this.queue = [];
    const open = this.state.openTaskId;
    const parsed = events.map(eventFromWire).filter((e): e is BoardEvent => e !== null);
    const detailTouched = open !== null && parsed.some((e) => touchesTask(e, open, this.state.detail));
    const applied = this.board.apply(parsed);
    const project = this.state.project;
    const autopilot = project ? autopilotAfter(this.state.autopilot, parsed, project.id) : null;
    const closedOpen = open !== null && applied.deleted.includes(open);
    const refreshTasks = applied.stale;
    let status: StatusLine | null | undefined;
    for (const session of applied.failed) {
      if (this.spawned.has(session.id))
        status = {
          kind: 'error',
          text: session.failureReason || `Session ${session.id} could not be started.`,
          hint: 'Check the agent command: maestro config get agentCommand.',
        };
    }
    let logs: Map<string, string> | undefined;
    for (const [id, chunk] of this.logChunks) {
      logs ??= new Map(this.state.logs);
      const text = (chunk.reset ? '' : (logs.get(id) ?? '')) + chunk.text;
      logs.set(id, text.length > LOG_TAIL ? text.slice(-LOG_TAIL) : text);
    }
    this.logChunks.clear();
    const patch: Partial<TuiState> = {};
    if (applied.tasksChanged) patch.tasks = this.board.tasks;
    if (applied.sessionsChanged) patch.sessions = this.board.sessions;
    if (logs) patch.logs = logs;
    if (autopilot !== this.state.autopilot) patch.autopilot = autopilot;
    if (status !== undefined) patch.status = status;
    if (closedOpen) {
      Object.assign(patch, {
        openTaskId: null,
        detail: null,
        diff: null,
        status: { kind: 'info', text: `Task ${open} was deleted.` },
      });
    } else if (open && applied.tasksChanged) {
      const task = this.board.tasks.get(open);
      const detail = this.state.detail;
      if (task && detail && detail.task.id === open && task.version >= detail.task.version)
        patch.detail = { ...detail, task };
    }
    if (Object.keys(patch).length || this.seq !== this.state.connection.seq)
      this.set({ ...patch, connection: { ...this.state.connection, seq: this.seq } });
    for (const id of refreshTasks)
      if (this.state.tasks.has(id) && id !== open)
        this.inBackground('loading a task', () => this.refreshTask(id));
    if (open && !closedOpen && (detailTouched || refreshTasks.has(open)))
      this.inBackground('loading the task', () => this.refreshDetail(open));
    if (applied.sessionsChanged) this.syncLogs();
  }

  private upsertTask(task: TaskView): void {
    if (!this.board.upsertTask(task)) return;
    const patch: Partial<TuiState> = { tasks: this.board.tasks };
    const detail = this.state.detail;
    if (detail && detail.task.id === task.id && task.version >= detail.task.version)
      patch.detail = { ...detail, task };
    this.set(patch);
  }

  private upsertSession(session: SessionView): void {
    if (this.board.upsertSession(session) === false) return;
    this.set({ sessions: this.board.sessions });
    this.syncLogs();
  }

  private async refreshTask(id: string): Promise<void> {
    try {
      const detail = await this.client.op('task.get', { id, timelineLimit: 1 });
      this.upsertTask(detail.task);
    } catch {
      // the next event or load brings it
    }
  }

  private async refreshDetail(id: string): Promise<void> {
    const generation = ++this.detailGeneration;
    try {
      const detail = await this.client.op('task.get', { id, timelineLimit: 50 });
      if (generation !== this.detailGeneration || this.state.openTaskId !== id) return;
      this.set({ detail });
      this.upsertTask(detail.task);
      this.syncDiff(detail);
    } catch (error) {
      if (generation === this.detailGeneration && this.state.openTaskId === id)
        this.set({ status: errorLine(error) });
    }
  }

  /** Fetches the open task's diff stat when its workspace (or the task) moved on since the last one. */
  private syncDiff(detail: TaskDetailView): void {
    const taskId = detail.task.id;
    const stamp = diffStamp(detail);
    const held = this.state.diff?.taskId === taskId ? this.state.diff : null;
    if (!stamp) {
      if (this.state.diff) this.set({ diff: null });
      return;
    }
    if (held?.stamp === stamp) return;
    this.set({ diff: { taskId, stamp, result: held?.result ?? null, error: '' } });
    this.inBackground('loading the diff', async () => {
      let result: TaskDiffResult | null = null;
      let error = '';
      try {
        result = await this.client.op('task.diff', { taskId, stat: true });
      } catch (e) {
        error = errorLine(e).text;
      }
      const now = this.state.diff;
      // A newer fetch (or another task, or none) has taken its place.
      if (now?.taskId !== taskId || now.stamp !== stamp) return;
      this.set({ diff: { taskId, stamp, result: result ?? now.result, error } });
    });
  }

  // --- session output ---------------------------------------------------------------------------

  /**
   * Follows the output of the newest live sessions and fetches the rest of the newest ones once,
   * with `Sessions.Logs`, as `session logs [--follow]` does.
   */
  private syncLogs(): void {
    if (this.closed || this.state.connection.state !== 'live') return;
    const shown = sortSessions(this.state.sessions.values()).slice(0, this.options.logSessions ?? 8);
    const wanted = new Set(shown.map((s) => s.id));
    for (const [id, stream] of this.logStreams) {
      if (!wanted.has(id)) {
        stream.cancel();
        this.logStreams.delete(id);
      }
    }
    for (const session of shown) {
      const ended = SESSION_FINAL.has(session.status);
      if (this.logStreams.has(session.id) || (ended && this.logsFetched.has(session.id))) continue;
      this.openLogStream(session.id, !ended);
    }
  }

  private openLogStream(id: string, follow: boolean): void {
    // The stream starts with all the output so far, so what was kept is replaced.
    this.logChunks.set(id, { reset: true, text: '' });
    const stream = this.client.openStream('session.logs', { id, follow }, (chunk) => {
      const text = typeof chunk.data === 'string' ? chunk.data : '';
      const pending = this.logChunks.get(id);
      if (pending) pending.text += text;
      else this.logChunks.set(id, { reset: false, text });
      this.schedule();
    });
    this.logStreams.set(id, stream);
    stream.done.then(
      () => {
        if (this.logStreams.get(id) !== stream) return;
        this.logStreams.delete(id);
        // A followed stream ends when its session does; then the output is complete.
        const session = this.state.sessions.get(id);
        if (!follow || (session && SESSION_FINAL.has(session.status))) this.logsFetched.add(id);
      },
      () => {
        // The connection went away; the next `live` state opens it again.
        if (this.logStreams.get(id) === stream) this.logStreams.delete(id);
      },
    );
  }

  // --- navigation -------------------------------------------------------------------------------

  openTask(id: string): void {
    this.set({ openTaskId: id, detail: null, diff: null });
    this.inBackground('loading the task', () => this.refreshDetail(id));
  }

  closeTask(): void {
    this.detailGeneration++;
    this.set({ openTaskId: null, detail: null, diff: null });
  }

  /** Opens the next project's board (the `P` key), in the order `project list` gives. */
  async nextProject(): Promise<void> {
    try {
      const { projects } = await this.client.op('project.list', {});
      if (projects.length < 2) {
        this.set({
          status: {
            kind: 'info',
            text: 'There is no other project.',
            hint: 'Create one: maestro project create NAME',
          },
        });
        return;
      }
      const at = projects.findIndex((p) => p.id === this.state.project?.id);
      const next = projects[(at + 1) % projects.length]!;
      this.chosenProject = { id: next.id, name: next.name };
      this.closeTask();
      // The watch follows every project; only the lists are read again (and the seq stays).
      const seq = this.seq;
      const queued = this.queue;
      await this.load();
      this.seq = Math.max(seq, this.seq);
      this.queue = [...queued, ...this.queue];
      this.set({ status: { kind: 'success', text: `Project ${next.name} (${next.id}).` } });
    } catch (error) {
      this.set({ status: errorLine(error) });
    }
  }

  setStatus(status: StatusLine | null): void {
    this.set({ status });
  }

  /** Runs `work` without waiting for it: a failure shows on the status line, never unhandled. */
  inBackground(what: string, work: () => unknown): void {
    background(what, work, (_what, error) => this.set({ status: errorLine(error) }));
  }

  // --- commands: the CLI's gRPC calls, with its messages ----------------------------------------

  private async act<T>(
    pending: string,
    run: () => Promise<T>,
    done: (result: T) => string,
  ): Promise<T | undefined> {
    this.set({ status: { kind: 'info', text: pending } });
    try {
      const result = await run();
      this.set({ status: { kind: 'success', text: done(result) } });
      return result;
    } catch (error) {
      this.set({ status: errorLine(error) });
      return undefined;
    }
  }

  private taskCommand(
    op: 'task.start' | 'task.unblock' | 'task.complete' | 'task.reopen',
    id: string,
    pending: string,
    past: string,
  ) {
    return this.act(
      pending,
      () => this.client.op(op, { id }),
      (task) => {
        this.upsertTask(task);
        return `${past} ${task.id} (${task.status}): ${task.title}`;
      },
    );
  }

  createTask(title: string): Promise<TaskView | undefined> {
    const project = this.state.project;
    return this.act(
      'Creating the task…',
      () => this.client.op('task.create', { projectId: project?.id ?? '', title }),
      (task) => {
        this.upsertTask(task);
        return `Created ${task.id} (${task.status}): ${task.title}`;
      },
    );
  }

  addSubtask(taskId: string, title: string): Promise<SubtaskView | undefined> {
    return this.act(
      `Adding a subtask to ${taskId}…`,
      () => this.client.op('subtask.create', { taskId, title }),
      (s) => `Added ${s.id} to ${s.taskId}: ${s.title}`,
    );
  }

  toggleSubtask(subtask: SubtaskView): Promise<SubtaskView | undefined> {
    const reopen = subtask.status === 'completed';
    return this.act(
      `${reopen ? 'Reopening' : 'Completing'} ${subtask.id}…`,
      () =>
        this.client.op(reopen ? 'subtask.reopen' : 'subtask.complete', {
          taskId: subtask.taskId,
          subtaskId: subtask.id,
        }),
      (s) => `${reopen ? 'Reopened' : 'Completed'} ${s.id}: ${s.title}`,
    );
  }

  startTask(id: string) {
    return this.taskCommand('task.start', id, `Starting ${id}…`, 'Started');
  }
  blockTask(id: string, reason: string) {
    return this.act(
      `Blocking ${id}…`,
      () => this.client.op('task.block', { id, reason }),
      (task) => {
        this.upsertTask(task);
        return `Blocked ${task.id} (${task.status}): ${task.title}`;
      },
    );
  }
  unblockTask(id: string) {
    return this.taskCommand('task.unblock', id, `Unblocking ${id}…`, 'Unblocked');
  }
  completeTask(id: string) {
    return this.taskCommand('task.complete', id, `Completing ${id}…`, 'Completed');
  }
  reopenTask(id: string) {
    return this.taskCommand('task.reopen', id, `Reopening ${id}…`, 'Reopened');
  }

  /** Turns the project's autopilot on when it is off, off when it is on (the `A` key). */
  toggleAutopilot() {
    const project = this.state.project;
    if (!project) return Promise.resolve(undefined);
    const state = this.state.autopilot?.enabled ? 'off' : 'on';
    return this.act(
      `Turning the autopilot ${state}…`,
      () => this.client.op('autopilot.set', { projectId: project.id, state }),
      (view) => {
        this.set({ autopilot: autopilotReplied(this.state.autopilot, view) });
        return view.enabled
          ? `Autopilot on for ${project.name}: every ready task gets a worker, at most ${view.maxWorkers} at a time.`
          : `Autopilot off for ${project.name}: no new workers start (running ones go on).`;
      },
    );
  }

  spawnSession(taskId: string) {
    return this.act(
      `Spawning a session for ${taskId}…`,
      () => this.client.op('session.spawn', { taskId }),
      ({ session, queuePosition }) => {
        this.spawned.add(session.id);
        if (session.projectId === this.state.project?.id) this.upsertSession(session);
        return queuePosition > 0
          ? `Queued ${session.id} for ${taskId} (position ${queuePosition}).`
          : `Spawned ${session.id} (${session.name}) for ${taskId}: ${session.status}.`;
      },
    );
  }
}
