import {
  CommandFailed,
  type CommandError,
  type ConnectionInfo,
  type MaestroWsClient,
  type ServerEvent,
} from '../../src/client/ws-client.js';
import { background } from '../../src/shared/background.js';
import { BoardProjection, countByStatus, touchesTask } from '../../src/client/board-projection.js';
import { readAllPages } from '../../src/client/pages.js';
import { completionMayWait } from '../../src/client/board-queries.js';
import { statusLabel } from './format.js';
import type { AutopilotView } from '../../src/contract/autopilot.js';
import { autopilotAfter, autopilotReplied } from '../../src/client/autopilot.js';
import { NoticeTracker, type NoticeKind } from '../../src/contract/notifications.js';
import {
  expectReply,
  isAutopilotView,
  isProjectList,
  isProjectView,
  isSessionList,
  isSessionView,
  isTaskDetail,
  isStatusCounts,
  isTaskList,
  isTaskView,
  isTranscriptEntry,
  type BoardEvent,
} from '../../src/client/wire-guards.js';
import type {
  ProjectView,
  SessionView,
  TaskDetailView,
  TaskView,
  TranscriptEntry,
  WorkspaceView,
} from './wire-types.js';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
  hint?: string;
}

/** Something a person should know of (src/contract/notifications.ts): the bell's list. */
export interface Alert {
  id: number;
  kind: NoticeKind;
  text: string;
  projectId: string;
  /** The task it is about, when it is about one. */
  taskId: string;
  at: number;
}

/** Alerts kept in the page (the newest). */
const ALERTS_KEPT = 100;
/** How long after another project's event its counts are read again (a burst makes one read). */
const COUNTS_AFTER_MS = 250;

export interface BoardState {
  project: ProjectView | null;
  /** The open project's autopilot, kept current by `autopilot.*` events; null until loaded. */
  autopilot: AutopilotView | null;
  /** What happened that a person should know of, newest first. */
  alerts: readonly Alert[];
  /** Alerts since the list was last opened. */
  unreadAlerts: number;
  /** The open project's merge queue while a view shows it (null otherwise, or until it loads). */
  mergeQueue: readonly WorkspaceView[] | null;
  /** Every project, for the switcher. */
  projects: readonly ProjectView[];
  /** Tasks per status in each project (by id), for the switcher. */
  projectCounts: ReadonlyMap<string, Record<string, number>>;
  /** The server refused the page's credentials (no token link used yet, or a wrong one). */
  signedOut: boolean;
  tasks: ReadonlyMap<string, TaskView>;
  sessions: ReadonlyMap<string, SessionView>;
  connection: ConnectionInfo;
  /** The first load has finished; until then the board shows a placeholder. */
  loaded: boolean;
  openTaskId: string | null;
  /** The open task's detail, or null while it is being fetched. */
  detail: TaskDetailView | null;
  toasts: readonly Toast[];
  /** The session whose transcript and output are open, as they arrive. */
  openSession: OpenSession | null;
}

export interface OpenSession {
  id: string;
  transcript: readonly TranscriptEntry[];
  /** The end of its raw terminal output, then what arrives live. */
  output: string;
}

/** The raw output kept in the page for an open session (its end). */
const OUTPUT_KEPT = 256 * 1024;

/** Where the client's progress is kept so that a reload resumes from it. */
export interface SeqMemory {
  saveSeq(seq: number): void;
}

/** Where the open project is kept (the page's URL), so that a link opens the right board. */
export interface ProjectLocation {
  /** The project the URL names (id or name), or null. */
  current(): string | null;
  /** Names the open project in the URL; `push` adds a history entry (a switch), else replaces it. */
  show(projectId: string, push: boolean): void;
}

export interface NewProject {
  name: string;
  description?: string;
  workingDir?: string;
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
/**
 * The board's state and the commands that change it, over the WebSocket client. The tasks and
 * sessions are the client core's projection (src/client/board-projection.ts): loaded with queries
 * when the page is fresh (or the server asks for a resync), then kept by the event stream. This
 * store adds what a page needs around it: the open project and task, toasts, an open session's
 * output. React reads it through `subscribe`/`getSnapshot`.
 */
export class BoardStore {
  private state: BoardState;
  private readonly listeners = new Set<() => void>();
  private readonly board = new BoardProjection();
  private loading = false;
  private needsLoad = true;
  /**
   * Tasks per status of each project but the open one, for the switcher: grouped counts from
   * `status` (the server counts over an index; no task is read), read again a moment after an
   * event of that project. The open project's are counted from the board.
   */
  private readonly otherCounts = new Map<string, Record<string, number>>();
  /** Per project, the last count read asked for: a reply to an older one is dropped. */
  private readonly countsAsked = new Map<string, number>();
  private countsSeq = 0;
  private readonly countTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private openCounts: { tasks: ReadonlyMap<string, TaskView>; counts: Record<string, number> } | null = null;
  private readonly refreshing = new Set<string>();
  private readonly refreshAgain = new Set<string>();
  private welcomed = false;
  private dropped = false;
  private toastSeq = 0;
  private readonly notices = new NoticeTracker();
  private alertSeq = 0;
  private queueWatchers = 0;
  private queueLoading = false;
  private queueAgain = false;
  private readonly alertListeners = new Set<(alert: Alert) => void>();
  private agentList:
    Promise<{ name: string; isDefault: boolean; found: boolean; adapter: string }[]> | undefined;

  constructor(
    private readonly client: MaestroWsClient,
    private readonly memory: SeqMemory,
    private readonly location: ProjectLocation = { current: () => null, show: () => {} },
  ) {
    this.state = {
      project: null,
      autopilot: null,
      alerts: [],
      unreadAlerts: 0,
      mergeQueue: null,
      projects: [],
      projectCounts: new Map(),
      signedOut: false,
      tasks: this.board.tasks,
      sessions: this.board.sessions,
      connection: client.info,
      loaded: false,
      openTaskId: null,
      detail: null,
      toasts: [],
      openSession: null,
    };
    client.onState((info) => this.onConnection(info));
    client.onWelcome(() => this.onWelcome());
    client.onResync((seq) => this.onResync(seq));
    client.onEvent((event) => this.onEvent(event));
    client.onServerMessage((message) => this.onSessionMessage(message));
  }

  // --- an open session: its transcript and output, live ------------------------------------------

  /** Opens a session's transcript and output; what the agent does next arrives live. */
  openSessionView(id: string): void {
    this.set({ openSession: { id, transcript: [], output: '' } });
    this.inBackground('session.transcript', () =>
      Promise.all([
        this.run<{ entries: TranscriptEntry[] }>('session.transcript', { id, limit: 10_000 }),
        this.run<{ data: string }>('session.output', { id }),
      ]).then(([page, output]) => {
        const open = this.state.openSession;
        if (!open || open.id !== id) return;
        // Entries that arrived live while the page was read are kept, once each.
        const seen = new Set(open.transcript.map((e) => e.n));
        const entries = (page?.entries ?? []).filter(isTranscriptEntry);
        const merged = [...entries.filter((e) => !seen.has(e.n)), ...open.transcript].sort(
          (a, b) => a.n - b.n,
        );
        const data = typeof output?.data === 'string' ? output.data : '';
        this.set({ openSession: { id, transcript: merged, output: data + open.output } });
      }),
    );
  }

  closeSessionView(): void {
    this.set({ openSession: null });
  }

  /** Steering: a message to a running session's agent. */
  sendToSession(id: string, message: string): void {
    this.inBackground('session.send', () =>
      this.run<{ delivered: boolean; note: string }>('session.send', { id, message }).then((reply) => {
        if (reply) this.toast(reply.delivered ? 'success' : 'info', reply.note);
      }),
    );
  }

  private onSessionMessage(message: { type: string; [k: string]: unknown }): void {
    const open = this.state.openSession;
    if (!open || message.sessionId !== open.id) return;
    const entry = message.entry;
    if (message.type === 'transcript' && isTranscriptEntry(entry)) {
      if (open.transcript.some((e) => e.n === entry.n)) return;
      this.set({ openSession: { ...open, transcript: [...open.transcript, entry] } });
    } else if (message.type === 'output' && typeof message.data === 'string') {
      this.set({ openSession: { ...open, output: (open.output + message.data).slice(-OUTPUT_KEPT) } });
    }
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
    // Refused for its credentials before any welcome: the page needs a token (the sign-in page).
    const signedOut = info.closeCode === 4401 && !this.welcomed;
    this.set({ connection: info, ...(signedOut !== this.state.signedOut ? { signedOut } : {}) });
  }

  private onWelcome(): void {
    this.welcomed = true;
    this.memory.saveSeq(this.client.info.lastSeq);
    if (this.state.signedOut) this.set({ signedOut: false });
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
    if (this.needsLoad && !this.loading) this.inBackground('loading the board', () => this.load());
  }

  private onResync(seq: number): void {
    this.memory.saveSeq(seq);
    this.toast('info', 'Too much changed while disconnected: the board was reloaded.');
    this.needsLoad = true;
    this.inBackground('loading the board', () => this.load());
  }

  // --- loading and events -----------------------------------------------------------------------

  /** The project the URL names, else the default one (and the URL then names it). */
  private async resolveProject(): Promise<ProjectView> {
    const named = this.location.current();
    if (named) {
      try {
        return expectReply(
          'project.get',
          await this.client.command('project.get', { id: named }),
          isProjectView,
        );
      } catch (error) {
        this.toastError(error, `Could not open project ${named}`);
      }
    }
    const project = expectReply(
      'project.resolve',
      await this.client.command('project.resolve', {}),
      isProjectView,
    );
    this.location.show(project.id, false);
    return project;
  }

  /** Every task of a project, page after page: the server answers a page per call. */
  private allTasks(projectId: string): Promise<TaskView[]> {
    return readAllPages(async (pageToken) => {
      const page = expectReply(
        'task.list',
        await this.client.command('task.list', {
          projectId,
          pageSize: 1000,
          ...(pageToken ? { pageToken } : {}),
        }),
        isTaskList,
      );
      return { items: page.tasks, nextPageToken: page.nextPageToken };
    });
  }

  private async load(projectId?: string): Promise<void> {
    this.loading = true;
    try {
      const project = projectId
        ? expectReply(
            'project.get',
            await this.client.command('project.get', { id: projectId }),
            isProjectView,
          )
        : await this.resolveProject();
      if (this.board.projectScope !== project.id) this.board.rescope(project.id);
      const generation = this.board.beginLoad();
      const [tasks, sessions, projects, autopilot] = await Promise.all([
        this.allTasks(project.id),
        this.client
          .command('session.list', { projectId: project.id })
          .then((r) => expectReply('session.list', r, isSessionList)),
        this.client.command('project.list', {}).then((r) => expectReply('project.list', r, isProjectList)),
        this.client
          .command('autopilot.get', { projectId: project.id })
          .then((r) => expectReply('autopilot.get', r, isAutopilotView)),
      ]);
      if (!this.board.finishLoad(generation, { tasks, sessions: sessions.sessions })) return;
      this.needsLoad = false;
      this.otherCounts.delete(project.id);
      this.set({
        project,
        projects: projects.projects,
        projectCounts: this.counts(project.id),
        tasks: this.board.tasks,
        sessions: this.board.sessions,
        loaded: true,
        autopilot,
      });
      if (this.state.openTaskId) this.refresh(this.state.openTaskId);
      if (this.queueWatchers > 0) this.reloadMergeQueue();
      for (const p of projects.projects) if (p.id !== project.id) this.readCounts(p.id);
    } catch (error) {
      this.toastError(error, 'Could not load the board');
    } finally {
      this.loading = false;
    }
  }

  /** Reads a project's counts (not the open one's) for the switcher, now. */
  private readCounts(projectId: string): void {
    const asked = ++this.countsSeq;
    this.countsAsked.set(projectId, asked);
    this.inBackground('counting a project’s tasks', async () => {
      const counts = await this.serverCounts(projectId);
      // A later read was asked for, or the project is the open one now.
      if (this.countsAsked.get(projectId) !== asked || projectId === this.state.project?.id) return;
      this.otherCounts.set(projectId, counts);
      this.set({ projectCounts: this.counts() });
    });
  }

  /** Reads a project's counts again a moment after its events (a burst of them makes one read). */
  private countsLater(projectId: string): void {
    if (this.countTimers.has(projectId)) return;
    this.countTimers.set(
      projectId,
      setTimeout(() => {
        this.countTimers.delete(projectId);
        this.readCounts(projectId);
      }, COUNTS_AFTER_MS),
    );
  }

  /** A project's tasks per status, from the server's grouped counts. */
  private async serverCounts(projectId: string): Promise<Record<string, number>> {
    const reply = expectReply('status', await this.client.command('status', { projectId }), isStatusCounts);
    return Object.fromEntries(reply.byStatus.map((c) => [c.key, c.count]));
  }

  /** The switcher's counts: the open project's from the board, the others' as last read. */
  private counts(open = this.state.project?.id): Map<string, Record<string, number>> {
    const counts = new Map(this.otherCounts);
    if (!open) return counts;
    // Counted again only when the board's tasks changed (not for a session's change).
    if (this.openCounts?.tasks !== this.board.tasks)
      this.openCounts = { tasks: this.board.tasks, counts: this.statusCounts() };
    counts.set(open, this.openCounts.counts);
    return counts;
  }

  private onEvent(message: ServerEvent): void {
    this.memory.saveSeq(message.seq);
    const event: BoardEvent = {
      seq: message.seq,
      type: message.eventType,
      entityType: message.entityType,
      entityId: message.entityId,
      projectId: message.projectId ?? '',
      data: message.data,
    };
    this.recountAfter(event);
    this.considerAlert(event);
    if (message.eventType === 'project.created' || message.eventType === 'project.deleted')
      this.inBackground('loading the projects', () => this.reloadProjects());
    const project = this.state.project;
    if (project && event.projectId !== project.id) return;
    if (project) {
      const autopilot = autopilotAfter(this.state.autopilot, [event], project.id);
      if (autopilot !== this.state.autopilot) this.set({ autopilot });
    }
    if (event.entityType === 'workspace' && this.queueWatchers > 0) this.reloadMergeQueue();
    const open = this.state.openTaskId;
    const touchesOpen = open !== null && touchesTask(event, open, this.state.detail);
    const applied = this.board.apply([event]);
    if (applied.tasksChanged || applied.sessionsChanged) this.publish();
    if (open && applied.deleted.includes(open)) {
      this.closeTask();
      this.toast('info', `Task ${open} was deleted.`);
      return;
    }
    for (const id of applied.stale) this.refresh(id);
    if (touchesOpen && open && !applied.stale.has(open)) this.refresh(open);
  }

  /** Keeps the switcher's counts current from every project's events (the open one's: publish). */
  private recountAfter(event: BoardEvent): void {
    const project = event.projectId;
    if (!project || project === this.state.project?.id) return;
    if (event.entityType === 'task' || event.type.startsWith('task.')) this.countsLater(project);
  }

  /** Records an alert for an event worth telling (every project's, the open one or not). */
  private considerAlert(event: BoardEvent): void {
    const { notice, checkGraph } = this.notices.consider(event);
    let taskId = '';
    if (event.entityType === 'task') taskId = event.entityId;
    else if (isSessionView(event.data.session)) taskId = event.data.session.taskIds[0] ?? '';
    if (notice) this.alert(notice.kind, notice.text, event.projectId, taskId);
    if (checkGraph) this.checkGraph(checkGraph);
  }

  /**
   * Whether every task of a project is done now (said once), from the server's counts, read after
   * the event that may have finished it (the board may not have applied that event yet, or may be
   * reading the task again).
   */
  private checkGraph(projectId: string): void {
    this.inBackground('checking a project’s graph', async () => {
      const counts = await this.serverCounts(projectId);
      const name = this.state.projects.find((p) => p.id === projectId)?.name ?? projectId;
      const done = this.notices.graphChecked(projectId, counts, name);
      if (done) this.alert(done.kind, done.text, projectId, '');
    });
  }

  private alert(kind: NoticeKind, text: string, projectId: string, taskId: string): void {
    const alert: Alert = { id: ++this.alertSeq, kind, text, projectId, taskId, at: Date.now() };
    this.set({
      alerts: [alert, ...this.state.alerts].slice(0, ALERTS_KEPT),
      unreadAlerts: this.state.unreadAlerts + 1,
    });
    for (const listener of this.alertListeners) listener(alert);
  }

  /** Called with each new alert (the page raises a browser notification for it). */
  onAlert(listener: (alert: Alert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  /** The alerts list was opened: nothing is unread. */
  readAlerts(): void {
    if (this.state.unreadAlerts) this.set({ unreadAlerts: 0 });
  }

  clearAlerts(): void {
    this.set({ alerts: [], unreadAlerts: 0 });
  }

  private async reloadProjects(): Promise<void> {
    const reply = await this.run('project.list', {});
    if (isProjectList(reply)) this.set({ projects: reply.projects });
  }

  /** Tells React the projection changed (and the open detail follows its task). */
  private publish(): void {
    const detail = this.state.detail;
    const task = detail ? this.board.tasks.get(detail.task.id) : undefined;
    this.set({
      tasks: this.board.tasks,
      sessions: this.board.sessions,
      projectCounts: this.counts(),
      detail:
        detail && task && task !== detail.task && task.version >= detail.task.version
          ? // Only `task get` carries the budget: the board's view of the task keeps the detail's.
            { ...detail, task: task.budget === undefined ? { ...task, budget: detail.task.budget } : task }
          : detail,
    });
  }

  private upsertTask(task: TaskView): void {
    if (this.board.upsertTask(task)) this.publish();
  }

  private removeTask(id: string): void {
    if (this.board.removeTask(id)) this.publish();
  }

  private upsertSession(session: SessionView): void {
    if (this.board.upsertSession(session) !== false) this.publish();
  }

  /** Fetches a task's detail; calls for a task already being fetched are folded into one more fetch. */
  private refresh(id: string): void {
    if (this.refreshing.has(id)) {
      this.refreshAgain.add(id);
      return;
    }
    this.refreshing.add(id);
    this.client
      .command('task.get', { id, timelineLimit: 50 })
      .then((reply) => {
        const detail = expectReply('task.get', reply, isTaskDetail);
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

  /** Opens another project's board (and names it in the URL). */
  switchProject(projectId: string, push = true): void {
    if (this.state.project?.id === projectId) return;
    this.closeTask();
    const project = this.state.projects.find((p) => p.id === projectId) ?? null;
    this.board.rescope(projectId);
    if (push) this.location.show(projectId, true);
    this.set({
      project,
      autopilot: null,
      mergeQueue: null,
      tasks: this.board.tasks,
      sessions: this.board.sessions,
    });
    this.inBackground('loading the board', () => this.load(projectId));
  }

  /** Creates a project and opens its board. */
  createProject(input: NewProject): Promise<boolean> {
    const args: Record<string, unknown> = { name: input.name };
    if (input.description) args.description = input.description;
    if (input.workingDir) args.workingDir = input.workingDir;
    return this.run('project.create', args).then((reply) => {
      if (!isProjectView(reply)) return false;
      this.set({ projects: [...this.state.projects.filter((p) => p.id !== reply.id), reply] });
      this.switchProject(reply.id);
      this.toast('success', `Created project ${reply.name}.`);
      return true;
    });
  }

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
    this.inBackground('task.create', () =>
      this.run('task.create', args).then((task) => isTaskView(task) && this.upsertTask(task)),
    );
    return true;
  }

  updateTask(task: TaskView, changes: TaskChanges, baseVersion: number): Promise<boolean> {
    return this.run('task.update', { id: task.id, ...changes, expectedVersion: baseVersion }).then(
      (updated) => {
        if (isTaskView(updated)) this.upsertTask(updated);
        return updated !== undefined;
      },
    );
  }

  /**
   * A lifecycle action (`task.start`, `task.block`, …) on one task. With `expect`, the board shows
   * the task in that status at once and takes it back if the server refuses.
   */
  transition(
    op: string,
    id: string,
    extra: Record<string, unknown> = {},
    expect?: string | null,
  ): Promise<boolean> {
    // null: shown as changing, in its column, until the server says where it went.
    const undo =
      expect === null
        ? this.board.optimistic(id, {})
        : expect
          ? this.board.optimistic(id, { status: expect })
          : undefined;
    if (undo) this.publish();
    return this.run(op, { id, ...extra }).then((task) => {
      if (isTaskView(task)) {
        this.upsertTask(task);
        return true;
      }
      if (undo) {
        undo();
        this.publish();
      }
      return false;
    });
  }

  /**
   * A card dropped on a column: the action `planMove` chose. A completion that may wait for review
   * or checks (`completionMayWait`) is not shown completed before the server answers; the card
   * lands where the reply puts it, and says so when that is not the column it was dropped on.
   */
  drop(op: string, id: string, extra: Record<string, unknown>, status: string): Promise<boolean> {
    const uncertain = op === 'task.complete' && completionMayWait(this.state.project);
    return this.transition(op, id, extra, uncertain ? null : status).then((ok) => {
      const now = this.board.tasks.get(id)?.status;
      if (ok && now && now !== status)
        this.toast(
          'info',
          `${id} went to ${statusLabel(now)}, not ${statusLabel(status)}: ` +
            (now === 'in_review'
              ? 'its work waits for review, the merge queue or the project’s checks.'
              : 'the server moved it there.'),
        );
      return ok;
    });
  }

  deleteTask(id: string): void {
    this.inBackground('task.delete', () =>
      this.run<{ deletedIds: string[] }>('task.delete', { id }).then((result) => {
        if (!result || !Array.isArray(result.deletedIds)) return;
        for (const deletedId of result.deletedIds) this.removeTask(deletedId);
        if (result.deletedIds.includes(this.state.openTaskId ?? '')) this.closeTask();
      }),
    );
  }

  addSubtask(taskId: string, title: string): void {
    this.inBackground('subtask.create', () =>
      this.run('subtask.create', { taskId, title }).then(() => this.refresh(taskId)),
    );
  }

  subtaskAction(
    op: 'subtask.complete' | 'subtask.reopen' | 'subtask.delete',
    taskId: string,
    subtaskId: string,
  ) {
    this.inBackground(op, () => this.run(op, { taskId, subtaskId }).then(() => this.refresh(taskId)));
  }

  addDependency(taskId: string, dependsOnId: string): Promise<boolean> {
    return this.run('task.dep.add', { taskId, dependsOnId }).then((task) => {
      if (!isTaskView(task)) return false;
      this.upsertTask(task);
      this.refresh(taskId);
      return true;
    });
  }

  removeDependency(taskId: string, dependsOnId: string): void {
    this.inBackground('task.dep.remove', () =>
      this.run('task.dep.remove', { taskId, dependsOnId }).then((task) => {
        if (!isTaskView(task)) return;
        this.upsertTask(task);
        this.refresh(taskId);
      }),
    );
  }

  stopSession(id: string): void {
    this.inBackground('session.stop', () =>
      this.run<SessionView>('session.stop', { id }).then((session) => session && this.upsertSession(session)),
    );
  }

  /** Starts an agent on a task with a profile (`agent.list`); the session appears in the panel. */
  spawnSession(taskId: string, agent: string): Promise<boolean> {
    const args: Record<string, unknown> = { taskId };
    if (agent) args.agent = agent;
    return this.run<{ session: SessionView; queuePosition: number }>('session.spawn', args).then((reply) => {
      if (!reply || !isSessionView(reply.session)) return false;
      this.upsertSession(reply.session);
      this.toast(
        'success',
        reply.queuePosition > 0
          ? `Queued ${reply.session.id} for ${taskId} (position ${reply.queuePosition}).`
          : `Spawned ${reply.session.id} for ${taskId}.`,
      );
      return true;
    });
  }

  /** A new session that continues an ended one's conversation. */
  resumeSession(id: string): void {
    this.inBackground('session.resume', () =>
      this.run<{ session: SessionView }>('session.resume', { id }).then((reply) => {
        if (!reply || !isSessionView(reply.session)) return;
        this.upsertSession(reply.session);
        this.toast('success', `Resumed ${id} as ${reply.session.id}.`);
        this.openSessionView(reply.session.id);
      }),
    );
  }

  /** The agent profiles a session can run (cached after the first ask). */
  agents(): Promise<{ name: string; isDefault: boolean; found: boolean; adapter: string }[]> {
    this.agentList ??= this.run<{
      agents: { name: string; isDefault: boolean; found: boolean; adapter: string }[];
    }>('agent.list', {}).then((reply) => (reply && Array.isArray(reply.agents) ? reply.agents : []));
    return this.agentList;
  }

  /** Turns the open project's autopilot on or off, or changes its cap (`autopilot.set`). */
  setAutopilot(change: { state?: 'on' | 'off'; maxWorkers?: number }): Promise<boolean> {
    const project = this.state.project;
    if (!project) return Promise.resolve(false);
    return this.run('autopilot.set', { projectId: project.id, ...change }).then((reply) => {
      if (!isAutopilotView(reply)) return false;
      if (this.state.project?.id === reply.projectId)
        this.set({ autopilot: autopilotReplied(this.state.autopilot, reply) });
      return true;
    });
  }

  /**
   * Keeps `mergeQueue` (the open project's queued and merging workspaces, oldest first) current
   * while a view shows it: read again after each workspace event. Returns the function that stops.
   */
  watchMergeQueue(): () => void {
    this.queueWatchers++;
    this.reloadMergeQueue();
    return () => {
      this.queueWatchers--;
      if (this.queueWatchers === 0) this.set({ mergeQueue: null });
    };
  }

  /** Reads the merge queue; calls while a read is in flight are folded into one more read. */
  private reloadMergeQueue(): void {
    if (this.queueLoading) {
      this.queueAgain = true;
      return;
    }
    const project = this.state.project;
    if (!project) return;
    this.queueLoading = true;
    this.inBackground('merge_queue.list', () =>
      this.run<{ queue: WorkspaceView[] }>('merge_queue.list', { projectId: project.id })
        .then((r) => {
          if (r && Array.isArray(r.queue) && this.queueWatchers > 0 && this.state.project?.id === project.id)
            this.set({ mergeQueue: r.queue });
        })
        .finally(() => {
          this.queueLoading = false;
          if (this.queueAgain) {
            this.queueAgain = false;
            if (this.queueWatchers > 0) this.reloadMergeQueue();
          }
        }),
    );
  }

  /** A review comment on a line of a task's diff (`task review --comment --file --line`). */
  reviewLine(taskId: string, file: string, line: number, comment: string): Promise<boolean> {
    return this.run('task.review', { taskId, comment, file, line }).then((reply) => {
      if (reply === undefined) return false;
      this.refresh(taskId);
      return true;
    });
  }

  /** A change an earlier page of this browser queued, sent after the reload, was refused. */
  restoredCommandFailed(op: string, error: CommandError): void {
    this.toast(
      'error',
      `A change made before the page reloaded (${op}) failed: ${error.message}`,
      error.hint,
    );
  }

  /** Says something in a toast (a refused drop, a cycle refused before sending). */
  notify(kind: ToastKind, text: string, hint?: string): void {
    this.toast(kind, text, hint);
  }

  dismissToast(id: number): void {
    this.set({ toasts: this.state.toasts.filter((t) => t.id !== id) });
  }

  /** Whether a task shows a change the server has not confirmed yet (a drop in flight). */
  isPending(id: string): boolean {
    return this.board.isPending(id);
  }

  /** Runs any operation for a component of its own (the task's changes, review); a failure is a toast. */
  call<T>(op: string, args: Record<string, unknown>): Promise<T | undefined> {
    return this.run<T>(op, args);
  }

  /** Tasks per status of the open project. */
  statusCounts(): Record<string, number> {
    return countByStatus(this.board.tasks.values());
  }

  // --- plumbing ---------------------------------------------------------------------------------

  /** Runs `work` without waiting for it: a failure shows as a toast, never unhandled. */
  inBackground(what: string, work: () => unknown): void {
    background(what, work, (_what, error) => this.toastError(error, what));
  }

  /** Runs a command; a failure becomes a toast and resolves to undefined. */
  async run<T = unknown>(op: string, args: Record<string, unknown>): Promise<T | undefined> {
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
