import type { SessionView, TaskDetailView, TaskView } from '../contract/views.js';
import { isSessionView, isSubtaskView, isTaskView, isTimelineEntry, type BoardEvent } from './wire-guards.js';

/**
 * The board as a client holds it: tasks and sessions by id, built from a snapshot (the list queries)
 * and kept current by the event stream, with optimistic changes laid over it until the server
 * answers. It knows no transport: the web UI feeds it WebSocket events, the TUI gRPC ones. Maps are
 * replaced (never mutated) when they change, so a UI can compare them by identity.
 */

/** Versions only grow: a view older than the one held (a replayed event, a slow reply) is dropped. */
export const isNewer = (next: { version: number }, current: { version: number } | undefined) =>
  !current || next.version >= current.version;

/** What applying a batch of events changed, for the store that owns the projection. */
export interface Applied {
  tasksChanged: boolean;
  sessionsChanged: boolean;
  /** Tasks the events deleted. */
  deleted: string[];
  /** Tasks whose view the events did not carry although it changed (subtask events): fetch them. */
  stale: Set<string>;
  /** Sessions that moved to `failed` in this batch. */
  failed: SessionView[];
}

interface Snapshot {
  tasks: TaskView[];
  sessions: SessionView[];
}

export class BoardProjection {
  private tasksById: Map<string, TaskView> = new Map();
  private sessionsById: Map<string, SessionView> = new Map();
  /** Deleted task ids: a late reply must not bring them back. */
  private readonly deleted = new Set<string>();
  /** What events changed while a load was in flight, laid over the load's (possibly older) results. */
  private overlay: { tasks: Map<string, TaskView | null>; sessions: Map<string, SessionView> } | null = null;
  private loadGeneration = 0;
  /** Optimistic changes: the task as the server last confirmed it, under the guess shown. */
  private readonly confirmed = new Map<string, { shown: TaskView; base: TaskView }>();

  /**
   * @param scope the project it holds (events of others are ignored), or null for every project.
   */
  constructor(private scope: string | null = null) {}

  get tasks(): ReadonlyMap<string, TaskView> {
    return this.tasksById;
  }
  get sessions(): ReadonlyMap<string, SessionView> {
    return this.sessionsById;
  }
  get projectScope(): string | null {
    return this.scope;
  }

  /** Drops everything and holds another project (or every project) from the next load. */
  rescope(scope: string | null): void {
    this.scope = scope;
    this.tasksById = new Map();
    this.sessionsById = new Map();
    this.confirmed.clear();
    this.loadGeneration++;
    this.overlay = null;
  }

  // --- snapshot ---------------------------------------------------------------------------------

  /** Starts a load: events from now on are remembered and laid over its result. */
  beginLoad(): number {
    this.overlay = { tasks: new Map(), sessions: new Map() };
    return ++this.loadGeneration;
  }

  /** Ends a load with its lists; false when a newer load (or a rescope) superseded it. */
  finishLoad(generation: number, snapshot: Snapshot): boolean {
    if (generation !== this.loadGeneration) return false;
    const inScope = (v: { projectId: string }) => this.scope === null || v.projectId === this.scope;
    const tasks = new Map(
      snapshot.tasks.filter((t) => inScope(t) && !this.deleted.has(t.id)).map((t) => [t.id, t]),
    );
    const sessions = new Map(snapshot.sessions.filter(inScope).map((s) => [s.id, s]));
    for (const [id, task] of this.overlay?.tasks ?? []) {
      if (task === null) tasks.delete(id);
      else if (inScope(task) && isNewer(task, tasks.get(id))) tasks.set(id, task);
    }
    for (const [id, session] of this.overlay?.sessions ?? []) {
      if (inScope(session) && isNewer(session, sessions.get(id))) sessions.set(id, session);
    }
    this.overlay = null;
    this.confirmed.clear();
    this.tasksById = tasks;
    this.sessionsById = sessions;
    return true;
  }

  /** A load that failed: stop collecting its overlay. */
  abandonLoad(generation: number): void {
    if (generation === this.loadGeneration) this.overlay = null;
  }

  // --- single changes ---------------------------------------------------------------------------

  /** A task view from a reply or an event; true when it changed what the board holds. */
  upsertTask(task: TaskView): boolean {
    if (this.deleted.has(task.id)) return false;
    if (this.scope !== null && task.projectId !== this.scope) return false;
    const overlay = this.overlay?.tasks;
    if (overlay) {
      const seen = overlay.get(task.id);
      if (seen !== null && isNewer(task, seen)) overlay.set(task.id, task);
    }
    const pending = this.confirmed.get(task.id);
    if (pending) {
      // The server's word replaces the guess once it is at least as new as what the guess was over.
      if (!isNewer(task, pending.base)) return false;
      this.confirmed.delete(task.id);
      this.tasksById = new Map(this.tasksById).set(task.id, task);
      return true;
    }
    if (!isNewer(task, this.tasksById.get(task.id))) return false;
    this.tasksById = new Map(this.tasksById).set(task.id, task);
    return true;
  }

  removeTask(id: string): boolean {
    this.deleted.add(id);
    this.overlay?.tasks.set(id, null);
    this.confirmed.delete(id);
    if (!this.tasksById.has(id)) return false;
    const tasks = new Map(this.tasksById);
    tasks.delete(id);
    this.tasksById = tasks;
    return true;
  }

  /** A session view; returns the one it replaced (undefined when it was new), or false when older. */
  upsertSession(session: SessionView): SessionView | undefined | false {
    if (this.scope !== null && session.projectId !== this.scope) return false;
    const overlay = this.overlay?.sessions;
    if (overlay && isNewer(session, overlay.get(session.id))) overlay.set(session.id, session);
    const current = this.sessionsById.get(session.id);
    if (!isNewer(session, current)) return false;
    this.sessionsById = new Map(this.sessionsById).set(session.id, session);
    return current;
  }

  // --- optimistic changes -----------------------------------------------------------------------

  /**
   * Shows a change before the server confirms it (a drag to another column): the returned function
   * takes it back when the command fails. A view from the server replaces the guess either way.
   */
  optimistic(id: string, patch: Partial<TaskView>): () => void {
    const current = this.tasksById.get(id);
    if (!current) return () => {};
    const base = this.confirmed.get(id)?.base ?? current;
    const shown = { ...current, ...patch };
    this.confirmed.set(id, { shown, base });
    this.tasksById = new Map(this.tasksById).set(id, shown);
    return () => {
      const pending = this.confirmed.get(id);
      if (!pending || pending.shown !== shown) return;
      this.confirmed.delete(id);
      if (this.tasksById.get(id) === shown) this.tasksById = new Map(this.tasksById).set(id, pending.base);
    };
  }

  /** Whether a task shows a change the server has not confirmed yet. */
  isPending(id: string): boolean {
    return this.confirmed.has(id);
  }

  // --- events -----------------------------------------------------------------------------------

  /** Applies a batch of events (one state change for the UI however many there are). */
  apply(events: readonly BoardEvent[]): Applied {
    const result: Applied = {
      tasksChanged: false,
      sessionsChanged: false,
      deleted: [],
      stale: new Set(),
      failed: [],
    };
    for (const event of events) {
      if (this.scope !== null && event.projectId && event.projectId !== this.scope) continue;
      const data = event.data;
      if (event.type === 'task.deleted') {
        const id = typeof data.taskId === 'string' ? data.taskId : event.entityId;
        if (this.removeTask(id)) result.tasksChanged = true;
        result.deleted.push(id);
      } else if (isTaskView(data.task)) {
        if (this.upsertTask(data.task)) result.tasksChanged = true;
      } else if (isSessionView(data.session)) {
        const before = this.upsertSession(data.session);
        if (before !== false) {
          result.sessionsChanged = true;
          if (data.session.status === 'failed' && before?.status !== 'failed')
            result.failed.push(data.session);
        }
      } else if (isSubtaskView(data.subtask)) {
        // Subtask events do not carry the task, whose subtask counts just changed.
        result.stale.add(data.subtask.taskId);
      }
    }
    return result;
  }
}

/** Whether an event changes what a task's open detail shows. */
export function touchesTask(event: BoardEvent, open: string, detail: TaskDetailView | null): boolean {
  if (event.entityId === open) return true;
  const data = event.data;
  if (isSubtaskView(data.subtask) && data.subtask.taskId === open) return true;
  if (isTimelineEntry(data.entry) && data.entry.taskId === open) return true;
  // A session of the task: its usage and cost are in the detail.
  if (isSessionView(data.session) && data.session.taskIds.includes(open)) return true;
  if (isTaskView(data.task) && (data.task.dependsOn.includes(open) || data.task.parentId === open))
    return true;
  if (!detail) return false;
  return [...detail.dependencies, ...detail.dependents, ...detail.children].some(
    (ref) => ref.id === event.entityId,
  );
}

/** Counts of tasks per status, for a project switcher and a board's column heads. */
export function countByStatus(tasks: Iterable<TaskView>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}
