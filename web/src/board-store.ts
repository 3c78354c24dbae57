import {
  CommandFailed,
  type CommandError,
  type ConnectionInfo,
  type MaestroWsClient,
  type ServerEvent,
} from '../client/maestro-client.js';
import type {
  ProjectView,
  SessionView,
  SubtaskView,
  TaskDetailView,
  TaskView,
  TimelineEntryView,
} from './wire-types.js';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
  hint?: string;
}

export interface BoardState {
  project: ProjectView | null;
  tasks: ReadonlyMap<string, TaskView>;
  sessions: ReadonlyMap<string, SessionView>;
  connection: ConnectionInfo;
  /** The first load has finished; until then the board shows a placeholder. */
  loaded: boolean;
  openTaskId: string | null;
  /** The open task's detail, or null while it is being fetched. */
  detail: TaskDetailView | null;
  toasts: readonly Toast[];
}

/** Where the client's progress is kept so that a reload resumes from it. */
export interface SeqMemory {
  saveSeq(seq: number): void;
}

export interface NewTask {
  title: string;
  description: string;
  priority: string;
}

export interface TaskChanges {
  title?: string;
  description?: string;
  priority?: string;
}

const TOAST_MS: Record<ToastKind, number> = { info: 5000, success: 4000, error: 9000 };

/** Payload checks: events are JSON from the wire, so each shape is confirmed before use. */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isTask = (v: unknown): v is TaskView =>
  isObject(v) && typeof v.id === 'string' && typeof v.status === 'string' && typeof v.version === 'number';
const isSession = (v: unknown): v is SessionView =>
  isObject(v) && typeof v.id === 'string' && typeof v.status === 'string' && typeof v.version === 'number';
const isSubtask = (v: unknown): v is SubtaskView => isObject(v) && typeof v.taskId === 'string';
const isEntry = (v: unknown): v is TimelineEntryView => isObject(v) && typeof v.taskId === 'string';

/** Versions only grow, so a view older than the one held (a replayed event, a slow query) is dropped. */
const isNewer = (next: { version: number }, current: { version: number } | undefined) =>
  !current || next.version >= current.version;

/**
 * The board's state and the commands that change it. It loads everything with queries when the
 * page is fresh (or the server asks for a resync), then follows the event stream: tasks and sessions
 * are upserted by id from the views events carry, and the open task's detail is fetched again when
 * an event touches it. React reads it through `subscribe`/`getSnapshot`.
 */
export class BoardStore {
  private state: BoardState;
  private readonly listeners = new Set<() => void>();
  private loadGeneration = 0;
  private loading = false;
  private needsLoad = true;
  /** What events changed while a load was in flight, laid over the load's (possibly older) results. */
  private overlay: { tasks: Map<string, TaskView | null>; sessions: Map<string, SessionView> } | null = null;
  /** Deleted task ids: a late query result must not bring them back. */
  private readonly deleted = new Set<string>();
  private readonly refreshing = new Set<string>();
  private readonly refreshAgain = new Set<string>();
  private welcomed = false;
  private dropped = false;
  private toastSeq = 0;

  constructor(
    private readonly client: MaestroWsClient,
    private readonly memory: SeqMemory,
  ) {
    this.state = {
      project: null,
      tasks: new Map(),
      sessions: new Map(),
      connection: client.info,
      loaded: false,
      openTaskId: null,
      detail: null,
      toasts: [],
    };
    client.onState((info) => this.onConnection(info));
    client.onWelcome(() => this.onWelcome());
    client.onResync((seq) => this.onResync(seq));
    client.onEvent((event) => this.onEvent(event));
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): BoardState => this.state;

  // --- connection -------------------------------------------------------------------------------

  private onConnection(info: ConnectionInfo): void {
    const live = info.state === 'open' || info.state === 'stale';
    if (!live && this.welcomed) {
      this.welcomed = false;
      this.dropped = true;
      this.toast('error', 'Connection lost. Changes you make are queued and sent when it is back.');
    }
    this.set({ connection: info });
  }

  private onWelcome(): void {
    this.welcomed = true;
    this.memory.saveSeq(this.client.info.lastSeq);
    if (this.dropped) {
      this.dropped = false;
      const queued = this.client.info.queued;
      this.toast(
        'success',
        queued > 0
          ? `Reconnected. Sending ${queued} queued change${queued === 1 ? '' : 's'}.`
          : 'Reconnected.',
      );
    }
    if (this.needsLoad && !this.loading) void this.load();
  }

  private onResync(seq: number): void {
    this.memory.saveSeq(seq);
    this.toast('info', 'Too much changed while disconnected: the board was reloaded.');
    this.needsLoad = true;
    void this.load();
  }

  // --- loading and events -----------------------------------------------------------------------

  private async load(): Promise<void> {
    const generation = ++this.loadGeneration;
    this.loading = true;
    this.overlay = { tasks: new Map(), sessions: new Map() };
    try {
      const project = await this.client.command<ProjectView>('project.resolve', { workingDir: '' });
      const [tasks, sessions] = await Promise.all([
        this.client.command<TaskView[]>('task.list', { projectId: project.id }),
        this.client.command<SessionView[]>('session.list', { projectId: project.id }),
      ]);
      if (generation !== this.loadGeneration) return;
      const taskMap = new Map(tasks.filter((t) => !this.deleted.has(t.id)).map((t) => [t.id, t]));
      const sessionMap = new Map(sessions.map((s) => [s.id, s]));
      for (const [id, task] of this.overlay.tasks) {
        if (task === null) taskMap.delete(id);
        else if (task.projectId === project.id && isNewer(task, taskMap.get(id))) taskMap.set(id, task);
      }
      for (const [id, session] of this.overlay.sessions) {
        if (session.projectId === project.id && isNewer(session, sessionMap.get(id)))
          sessionMap.set(id, session);
      }
      this.needsLoad = false;
      this.set({ project, tasks: taskMap, sessions: sessionMap, loaded: true });
      if (this.state.openTaskId) this.refresh(this.state.openTaskId);
    } catch (error) {
      if (generation === this.loadGeneration) this.toastError(error, 'Could not load the board');
    } finally {
      if (generation === this.loadGeneration) {
        this.loading = false;
        this.overlay = null;
      }
    }
  }

  private onEvent(event: ServerEvent): void {
    this.memory.saveSeq(event.seq);
    const project = this.state.project;
    if (project && event.projectId !== project.id) return;
    const data = event.data;
    const open = this.state.openTaskId;
    const touchesOpen = open !== null && this.touches(event, open);

    if (event.eventType === 'task.deleted') {
      const id = typeof data.taskId === 'string' ? data.taskId : event.entityId;
      this.removeTask(id);
      if (id === open) {
        this.closeTask();
        this.toast('info', `Task ${id} was deleted.`);
        return;
      }
    } else if (isTask(data.task)) {
      this.upsertTask(data.task);
    } else if (isSession(data.session)) {
      this.upsertSession(data.session);
    } else if (isSubtask(data.subtask)) {
      // Subtask events do not carry the task, whose subtask counts just changed.
      this.refresh(data.subtask.taskId);
    }
    if (touchesOpen && open) this.refresh(open);
  }

  /** Whether an event changes what the open task's detail shows. */
  private touches(event: ServerEvent, open: string): boolean {
    if (event.entityId === open) return true;
    const data = event.data;
    if (isSubtask(data.subtask) && data.subtask.taskId === open) return true;
    if (isEntry(data.entry) && data.entry.taskId === open) return true;
    if (isTask(data.task) && (data.task.dependsOn.includes(open) || data.task.parentId === open)) return true;
    const detail = this.state.detail;
    if (!detail) return false;
    return [...detail.dependencies, ...detail.dependents, ...detail.children].some(
      (ref) => ref.id === event.entityId,
    );
  }

  private upsertTask(task: TaskView): void {
    if (this.deleted.has(task.id)) return;
    const overlay = this.overlay?.tasks;
    if (overlay) {
      const seen = overlay.get(task.id);
      if (seen !== null && isNewer(task, seen)) overlay.set(task.id, task);
    }
    if (!isNewer(task, this.state.tasks.get(task.id))) return;
    const tasks = new Map(this.state.tasks).set(task.id, task);
    const detail = this.state.detail;
    this.set({
      tasks,
      detail:
        detail && detail.task.id === task.id && isNewer(task, detail.task) ? { ...detail, task } : detail,
    });
  }

  private removeTask(id: string): void {
    this.deleted.add(id);
    this.overlay?.tasks.set(id, null);
    if (!this.state.tasks.has(id)) return;
    const tasks = new Map(this.state.tasks);
    tasks.delete(id);
    this.set({ tasks });
  }

  private upsertSession(session: SessionView): void {
    const overlay = this.overlay?.sessions;
    if (overlay && isNewer(session, overlay.get(session.id))) overlay.set(session.id, session);
    if (!isNewer(session, this.state.sessions.get(session.id))) return;
    this.set({ sessions: new Map(this.state.sessions).set(session.id, session) });
  }

  /** Fetches a task's detail; calls for a task already being fetched are folded into one more fetch. */
  private refresh(id: string): void {
    if (this.refreshing.has(id)) {
      this.refreshAgain.add(id);
      return;
    }
    this.refreshing.add(id);
    this.client
      .command<TaskDetailView>('task.get', { id, timelineLimit: 50 })
      .then((detail) => {
        this.upsertTask(detail.task);
        if (this.state.openTaskId === id) this.set({ detail });
      })
      .catch((error: unknown) => {
        if (error instanceof CommandFailed && error.error.code === 'task_not_found') {
          this.removeTask(id);
          if (this.state.openTaskId === id) this.closeTask();
        } else {
          this.toastError(error);
        }
      })
      .finally(() => {
        this.refreshing.delete(id);
        if (this.refreshAgain.delete(id)) this.refresh(id);
      });
  }

  // --- what the UI does -------------------------------------------------------------------------

  openTask(id: string): void {
    if (this.state.openTaskId === id) return;
    this.set({ openTaskId: id, detail: null });
    this.refresh(id);
  }

  closeTask(): void {
    this.set({ openTaskId: null, detail: null });
  }

  /** Creates a task; made while offline, it is queued and sent once on reconnect. */
  createTask(input: NewTask): boolean {
    const project = this.state.project;
    if (!project) {
      this.toast('error', 'The board has not loaded yet.', 'Wait for the connection, then try again.');
      return false;
    }
    const args: Record<string, unknown> = {
      projectId: project.id,
      title: input.title,
      priority: input.priority,
    };
    if (input.description) args.description = input.description;
    void this.run<TaskView>('task.create', args).then((task) => task && this.upsertTask(task));
    return true;
  }

  updateTask(task: TaskView, changes: TaskChanges, baseVersion: number): Promise<boolean> {
    return this.run<TaskView>('task.update', { id: task.id, ...changes, expectedVersion: baseVersion }).then(
      (updated) => {
        if (updated) this.upsertTask(updated);
        return updated !== undefined;
      },
    );
  }

  /** A lifecycle action (`task.start`, `task.block`, …) on one task. */
  transition(op: string, id: string, extra: Record<string, unknown> = {}): void {
    void this.run<TaskView>(op, { id, ...extra }).then((task) => task && this.upsertTask(task));
  }

  deleteTask(id: string): void {
    void this.run<{ deletedIds: string[] }>('task.delete', { id }).then((result) => {
      if (!result) return;
      for (const deletedId of result.deletedIds) this.removeTask(deletedId);
      if (result.deletedIds.includes(this.state.openTaskId ?? '')) this.closeTask();
    });
  }

  addSubtask(taskId: string, title: string): void {
    void this.run('subtask.create', { taskId, title }).then(() => this.refresh(taskId));
  }

  subtaskAction(
    op: 'subtask.complete' | 'subtask.reopen' | 'subtask.delete',
    taskId: string,
    subtaskId: string,
  ) {
    void this.run(op, { taskId, subtaskId }).then(() => this.refresh(taskId));
  }

  addDependency(taskId: string, dependsOnId: string): void {
    void this.run<TaskView>('task.dep.add', { taskId, dependsOnId }).then(
      (task) => task && this.refresh(taskId),
    );
  }

  removeDependency(taskId: string, dependsOnId: string): void {
    void this.run<TaskView>('task.dep.remove', { taskId, dependsOnId }).then(
      (task) => task && this.refresh(taskId),
    );
  }

  stopSession(id: string): void {
    void this.run<SessionView>('session.stop', { id }).then(
      (session) => session && this.upsertSession(session),
    );
  }

  /** A change an earlier page of this browser queued, sent after the reload, was refused. */
  restoredCommandFailed(op: string, error: CommandError): void {
    this.toast(
      'error',
      `A change made before the page reloaded (${op}) failed: ${error.message}`,
      error.hint,
    );
  }

  dismissToast(id: number): void {
    this.set({ toasts: this.state.toasts.filter((t) => t.id !== id) });
  }

  // --- plumbing ---------------------------------------------------------------------------------

  /** Runs a command; a failure becomes a toast and resolves to undefined. */
  private async run<T>(op: string, args: Record<string, unknown>): Promise<T | undefined> {
    try {
      return await this.client.command<T>(op, args);
    } catch (error) {
      this.toastError(error);
      return undefined;
    }
  }

  private toastError(error: unknown, context?: string): void {
    const prefix = context ? `${context}: ` : '';
    if (error instanceof CommandFailed) this.toast('error', prefix + error.error.message, error.error.hint);
    else this.toast('error', prefix + (error instanceof Error ? error.message : String(error)));
  }

  private toast(kind: ToastKind, text: string, hint?: string): void {
    const toast: Toast = { id: ++this.toastSeq, kind, text, ...(hint ? { hint } : {}) };
    this.set({ toasts: [...this.state.toasts, toast].slice(-5) });
    setTimeout(() => this.dismissToast(toast.id), TOAST_MS[kind]);
  }

  private set(patch: Partial<BoardState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
