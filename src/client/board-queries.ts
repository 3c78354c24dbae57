import type { ProjectView, TaskDetailView, TaskView } from '../contract/views.js';

/**
 * Questions a board asks of the tasks it holds, shared by the web UI and the TUI: whether a task is
 * ready or waits (and for what), which tasks a filter keeps, and what a drop on another column does.
 */

/** A pending task is ready when every dependency is completed; otherwise it waits for the rest. */
export interface Readiness {
  state: 'ready' | 'waiting' | 'other';
  /** The unfinished dependencies (ids), when it waits. */
  waitingOn: string[];
}

export function readiness(task: TaskView, tasks: ReadonlyMap<string, TaskView>): Readiness {
  const waitingOn = task.dependsOn.filter((id) => tasks.get(id)?.status !== 'completed');
  if (task.status !== 'pending') return { state: 'other', waitingOn };
  return { state: waitingOn.length ? 'waiting' : 'ready', waitingOn };
}

export interface BoardFilter {
  text: string;
  statuses: readonly string[];
  priorities: readonly string[];
  label: string;
  /** The claim holder; `none` keeps unclaimed tasks. */
  holder: string;
}

export const NO_BOARD_FILTER: BoardFilter = { text: '', statuses: [], priorities: [], label: '', holder: '' };

export function isBoardFiltered(f: BoardFilter): boolean {
  return !!(f.text || f.statuses.length || f.priorities.length || f.label || f.holder);
}

/** Whether a task passes a filter: every set part must match (text: id, title, description, labels). */
export function matchesFilter(task: TaskView, f: BoardFilter): boolean {
  if (f.statuses.length && !f.statuses.includes(task.status)) return false;
  if (f.priorities.length && !f.priorities.includes(task.priority)) return false;
  if (f.label && !task.labels.some((l) => l.toLowerCase() === f.label.toLowerCase())) return false;
  if (f.holder) {
    const holder = task.claim?.holder ?? '';
    if (f.holder === 'none' ? holder !== '' : !holder.toLowerCase().includes(f.holder.toLowerCase()))
      return false;
  }
  if (f.text) {
    const needle = f.text.toLowerCase();
    const hay = [task.id, task.title, task.description, ...task.labels].join('\n').toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

/** What dropping a task on a status column does: the action to send, or why it is refused. */
export type Move = { ok: true; op: string } | { ok: false; reason: string; waitingOn?: string[] };

/**
 * The lifecycle action that takes a task to `status`, from the actions the server says its state
 * accepts (and where each leads); refused when there is none, or when it waits for dependencies.
 */
export function planMove(task: TaskView, status: string, tasks: ReadonlyMap<string, TaskView>): Move {
  if (task.status === status)
    return { ok: false, reason: `${task.id} is already ${status.replace('_', ' ')}.` };
  const allowed = task.allowedActions ?? [];
  const targets = task.actionTargets ?? [];
  const i = allowed.findIndex((_, n) => targets[n] === status);
  if (i < 0) {
    const can = allowed
      .map((_, n) => targets[n])
      .filter((t): t is string => !!t && t !== task.status)
      .map((t) => t.replace('_', ' '));
    return {
      ok: false,
      reason:
        `${task.id} cannot go from ${task.status.replace('_', ' ')} to ${status.replace('_', ' ')}` +
        (can.length ? ` (it can go to: ${[...new Set(can)].join(', ')}).` : '.'),
    };
  }
  const op = allowed[i]!;
  const { waitingOn } = readiness(task, tasks);
  if ((task.gatedActions ?? []).includes(op) && waitingOn.length)
    return { ok: false, reason: `${task.id} waits for ${waitingOn.join(', ')} to be completed.`, waitingOn };
  return { ok: true, op };
}

/** Whether a project's tasks get workspaces (a worktree each), so that it has a merge queue. */
export function hasWorkspaces(project: ProjectView | null): boolean {
  return !!project && project.isolation !== 'none' && project.workingDir !== '';
}

/**
 * Whether completing a task of this project may leave it `in_review` rather than `completed`: its
 * work is in a workspace (it waits for review or the merge queue) or the project has checks. Only
 * the server's reply says which a given task does, so a board does not show it completed before.
 */
export function completionMayWait(project: ProjectView | null): boolean {
  return hasWorkspaces(project) || (!!project && project.checks !== '');
}

/**
 * When a task's diff (`task.diff`) is worth fetching again: its workspace or the task moved on.
 * '' when it has no workspace (there is no diff to fetch).
 */
export function diffStamp(detail: TaskDetailView): string {
  const workspace = detail.workspace;
  return workspace ? `${workspace.updatedAt}/${workspace.status}/${detail.task.version}` : '';
}

/**
 * Why a task has no workspace, from `task get`'s `isolation`: the project has none (`none`, with the
 * reason: isolation none, no directory, not in git), or it has not been made yet (`worktree`: a
 * worker's first start makes it). Null when it has one.
 */
export function missingWorkspace(
  detail: TaskDetailView,
): { isolation: 'none' | 'worktree'; reason: string } | null {
  if (detail.workspace) return null;
  const isolation = detail.isolation ?? '';
  if (isolation.startsWith('none')) return { isolation: 'none', reason: isolation.replace(/^none:?\s*/, '') };
  return { isolation: 'worktree', reason: 'the first worker spawned for the task makes it' };
}
