import { performance } from 'node:perf_hooks';
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
export type TuiClient = Pick<MaestroClient, 'call' | 'stream' | 'watch'>;

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
  openTaskId: string | null;
  /** The open task's detail; null while it loads. */
  detail: TaskDetailView | null;
  status: StatusLine | null;
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
const isTask = (v: unknown): v is TaskView =>
  isObject(v) && typeof v.id === 'string' && typeof v.status === 'string' && typeof v.version === 'number';
const isSession = (v: unknown): v is SessionView =>
  isObject(v) && typeof v.id === 'string' && Array.isArray(v.taskIds) && typeof v.version === 'number';
const isSubtask = (v: unknown): v is SubtaskView => isObject(v) && typeof v.taskId === 'string';
/** Versions only grow: a view older than the one held (a replayed event, a slow reply) is dropped. */
const isNewer = (next: { version: number }, current: { version: number } | undefined) =>
  !current || next.version >= current.version;

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
    openTaskId: null,
    detail: null,
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
  private readonly logChunks = new Map<string, { reset: boolean; text: string }>();
  private flushTimer: NodeJS.Timeout | undefined;
  private watch: { cancel(): void } | undefined;
  private wake: (() => void) | undefined;
  private readonly deleted = new Set<string>();
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
    void this.connectLoop();
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
        else await this.client.call('Server', 'WhoAmI', {});
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
      const delay = Math.min(max, base * 2 ** Math.min(attempt - 1, 8)) * (0.75 + Math.random() / 2);
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
      this.client.call<{ lastSeq: number }>('Server', 'WhoAmI', {}),
      this.options.resolveProject(),
    ]);
    const [{ tasks }, { sessions }] = await Promise.all([
      this.client.call<{ tasks: TaskView[] }>('Tasks', 'List', { projectId: project.id }),
      this.client.call<{ sessions: SessionView[] }>('Sessions', 'List', {
        projectId: project.id,
        status: [],
      }),
    ]);
    // Events after `who.lastSeq` are replayed by the watch; versions make applying them twice harmless.
    this.seq = who.lastSeq;
    this.queue = [];
    this.needsLoad = false;
    this.loadedAtMs ??= performance.now();
    this.set({
      project,
      tasks: new Map(tasks.filter((t) => !this.deleted.has(t.id)).map((t) => [t.id, t])),
      sessions: new Map(sessions.map((s) => [s.id, s])),
      loaded: true,
    });
    if (this.state.openTaskId) void this.refreshDetail(this.state.openTaskId);
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
    const project = this.state.project;
    let tasks: Map<string, TaskView> | undefined;
    let sessions: Map<string, SessionView> | undefined;
    const refreshTasks = new Set<string>();
    const open = this.state.openTaskId;
    let detailTouched = false;
    let closedOpen = false;
    let status: StatusLine | null | undefined;
    for (const event of events) {
      if (project && event.projectId && event.projectId !== project.id) continue;
      let data: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(event.dataJson || '{}');
        data = isObject(parsed) ? parsed : {};
      } catch {
        continue;
      }
      if (event.type === 'task.deleted') {
        const id = typeof data.taskId === 'string' ? data.taskId : event.entityId;
        this.deleted.add(id);
        tasks ??= new Map(this.state.tasks);
        tasks.delete(id);
        if (id === open) closedOpen = true;
      } else if (isTask(data.task)) {
        const task = data.task;
        if (this.deleted.has(task.id)) continue;
        const current = (tasks ?? this.state.tasks).get(task.id);
        if (isNewer(task, current)) (tasks ??= new Map(this.state.tasks)).set(task.id, task);
      } else if (isSession(data.session)) {
        const session = data.session;
        const current = (sessions ?? this.state.sessions).get(session.id);
        if (isNewer(session, current)) (sessions ??= new Map(this.state.sessions)).set(session.id, session);
        if (session.status === 'failed' && current?.status !== 'failed' && this.spawned.has(session.id))
          status = {
            kind: 'error',
            text: session.failureReason || `Session ${session.id} could not be started.`,
            hint: 'Check the agent command: maestro config get agentCommand.',
          };
      } else if (isSubtask(data.subtask)) {
        // A subtask event without its task (the task branch above takes those that carry it): fetch
        // the task, whose subtask counts just changed.
        refreshTasks.add(data.subtask.taskId);
      }
      if (open && this.touches(event, data, open)) detailTouched = true;
    }
    let logs: Map<string, string> | undefined;
    for (const [id, chunk] of this.logChunks) {
      logs ??= new Map(this.state.logs);
      const text = (chunk.reset ? '' : (logs.get(id) ?? '')) + chunk.text;
      logs.set(id, text.length > LOG_TAIL ? text.slice(-LOG_TAIL) : text);
    }
    this.logChunks.clear();
    const patch: Partial<TuiState> = {};
    if (tasks) patch.tasks = tasks;
    if (sessions) patch.sessions = sessions;
    if (logs) patch.logs = logs;
    if (status !== undefined) patch.status = status;
    if (closedOpen) {
      Object.assign(patch, {
        openTaskId: null,
        detail: null,
        status: { kind: 'info', text: `Task ${open} was deleted.` },
      });
    } else if (open && tasks) {
      const task = tasks.get(open);
      const detail = this.state.detail;
      if (task && detail && detail.task.id === open && isNewer(task, detail.task))
        patch.detail = { ...detail, task };
    }
    if (Object.keys(patch).length || this.seq !== this.state.connection.seq)
      this.set({ ...patch, connection: { ...this.state.connection, seq: this.seq } });
    for (const id of refreshTasks) if (this.state.tasks.has(id) && id !== open) void this.refreshTask(id);
    if (open && !closedOpen && (detailTouched || refreshTasks.has(open))) void this.refreshDetail(open);
    if (sessions) this.syncLogs();
  }

  /** Whether an event changes what the open task's detail shows. */
  private touches(event: WireEvent, data: Record<string, unknown>, open: string): boolean {
    if (event.entityId === open) return true;
    if (isSubtask(data.subtask) && data.subtask.taskId === open) return true;
    if (isObject(data.entry) && data.entry.taskId === open) return true;
    if (isTask(data.task) && (data.task.dependsOn.includes(open) || data.task.parentId === open)) return true;
    const detail = this.state.detail;
    return (
      detail !== null &&
      [...detail.dependencies, ...detail.dependents, ...detail.children].some((r) => r.id === event.entityId)
    );
  }

  private upsertTask(task: TaskView): void {
    if (this.deleted.has(task.id) || !isNewer(task, this.state.tasks.get(task.id))) return;
    const patch: Partial<TuiState> = { tasks: new Map(this.state.tasks).set(task.id, task) };
    const detail = this.state.detail;
    if (detail && detail.task.id === task.id && isNewer(task, detail.task))
      patch.detail = { ...detail, task };
    this.set(patch);
  }

  private upsertSession(session: SessionView): void {
    if (!isNewer(session, this.state.sessions.get(session.id))) return;
    this.set({ sessions: new Map(this.state.sessions).set(session.id, session) });
    this.syncLogs();
  }

  private async refreshTask(id: string): Promise<void> {
    try {
      const detail = await this.client.call<TaskDetailView>('Tasks', 'Get', { id, timelineLimit: 1 });
      this.upsertTask(detail.task);
    } catch {
      // the next event or load brings it
    }
  }

  private async refreshDetail(id: string): Promise<void> {
    const generation = ++this.detailGeneration;
    try {
      const detail = await this.client.call<TaskDetailView>('Tasks', 'Get', { id, timelineLimit: 50 });
      if (generation !== this.detailGeneration || this.state.openTaskId !== id) return;
      this.set({ detail });
      this.upsertTask(detail.task);
    } catch (error) {
      if (generation === this.detailGeneration && this.state.openTaskId === id)
        this.set({ status: errorLine(error) });
    }
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
    const stream = this.client.stream('Sessions', 'Logs', { id, follow }, (chunk) => {
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
    this.set({ openTaskId: id, detail: null });
    void this.refreshDetail(id);
  }

  closeTask(): void {
    this.detailGeneration++;
    this.set({ openTaskId: null, detail: null });
  }

  setStatus(status: StatusLine | null): void {
    this.set({ status });
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

  private taskCommand(method: string, id: string, request: object, pending: string, past: string) {
    return this.act(
      pending,
      () => this.client.call<TaskView>('Tasks', method, { id, ...request }, true),
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
      () =>
        this.client.call<TaskView>(
          'Tasks',
          'Create',
          {
            projectId: project?.id ?? '',
            title,
            description: '',
            priority: '',
            parentId: '',
            dependsOn: [],
            labels: [],
          },
          true,
        ),
      (task) => {
        this.upsertTask(task);
        return `Created ${task.id} (${task.status}): ${task.title}`;
      },
    );
  }

  addSubtask(taskId: string, title: string): Promise<SubtaskView | undefined> {
    return this.act(
      `Adding a subtask to ${taskId}…`,
      () => this.client.call<SubtaskView>('Subtasks', 'Create', { taskId, title }, true),
      (s) => `Added ${s.id} to ${s.taskId}: ${s.title}`,
    );
  }

  toggleSubtask(subtask: SubtaskView): Promise<SubtaskView | undefined> {
    const method = subtask.status === 'completed' ? 'Reopen' : 'Complete';
    return this.act(
      `${method === 'Reopen' ? 'Reopening' : 'Completing'} ${subtask.id}…`,
      () =>
        this.client.call<SubtaskView>(
          'Subtasks',
          method,
          { taskId: subtask.taskId, subtaskId: subtask.id },
          true,
        ),
      (s) => `${method === 'Reopen' ? 'Reopened' : 'Completed'} ${s.id}: ${s.title}`,
    );
  }

  startTask(id: string) {
    return this.taskCommand('Start', id, {}, `Starting ${id}…`, 'Started');
  }
  blockTask(id: string, reason: string) {
    return this.taskCommand('Block', id, { reason }, `Blocking ${id}…`, 'Blocked');
  }
  unblockTask(id: string) {
    return this.taskCommand('Unblock', id, {}, `Unblocking ${id}…`, 'Unblocked');
  }
  completeTask(id: string) {
    return this.taskCommand('Complete', id, {}, `Completing ${id}…`, 'Completed');
  }
  reopenTask(id: string) {
    return this.taskCommand('Reopen', id, {}, `Reopening ${id}…`, 'Reopened');
  }

  spawnSession(taskId: string) {
    return this.act(
      `Spawning a session for ${taskId}…`,
      () =>
        this.client.call<{ session: SessionView; queuePosition: number }>(
          'Sessions',
          'Spawn',
          { taskId, role: '', name: '', skill: '' },
          true,
        ),
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
