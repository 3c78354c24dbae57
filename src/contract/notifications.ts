import { isBudgetReason } from './autopilot.js';

/**
 * Which events are worth telling a person about, and in what words: a worker asked a question, a
 * task was blocked, a session failed or was lost, a budget was hit, every task of a project is
 * done. One classification for the server's webhooks and the web UI's alerts (docs/autopilot.md,
 * "Notifications"; docs/web-ui.md, "Alerts").
 */

export const NOTICE_KINDS = ['question', 'blocked', 'session_failed', 'budget', 'graph_done'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What a notification says. */
export interface Notice {
  kind: NoticeKind;
  text: string;
}

/** An event as the classification reads it (the server's and the clients' events both fit). */
export interface NoticeEvent {
  type: string;
  entityId: string;
  projectId: string | null;
  data: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The notification an event makes by itself, or null (graph_done needs the project's tasks). */
export function noticeFor(e: NoticeEvent): Notice | null {
  const d = e.data;
  switch (e.type) {
    case 'task.question':
      return { kind: 'question', text: `Question on ${e.entityId}: ${str(d.question)}` };
    case 'task.blocked': {
      const task = obj(d.task);
      const reason = str(task.blockedReason);
      const title = str(task.title);
      return isBudgetReason(reason)
        ? { kind: 'budget', text: `Budget hit on ${e.entityId} (${title}): ${reason}` }
        : { kind: 'blocked', text: `Task ${e.entityId} (${title}) is blocked: ${reason}` };
    }
    case 'session.failed':
    case 'session.lost': {
      const s = obj(d.session);
      const taskIds = Array.isArray(s.taskIds) ? s.taskIds.filter((t) => typeof t === 'string') : [];
      const why = str(s.failureReason);
      return {
        kind: 'session_failed',
        text: `Session ${e.entityId} (${str(s.name)}) ${e.type === 'session.lost' ? 'was lost' : 'failed'} on ${taskIds.join(', ')}${why ? `: ${why}` : ''}`,
      };
    }
    case 'autopilot.off': {
      const reason = str(obj(d.autopilot).reason);
      return isBudgetReason(reason)
        ? { kind: 'budget', text: `The autopilot of ${e.entityId} turned off: ${reason}` }
        : null;
    }
    default:
      return null;
  }
}

/** A project is done when it has tasks and each is completed or cancelled. */
export function graphDone(
  counts: Readonly<Record<string, number>>,
): { completed: number; cancelled: number } | null {
  const completed = counts.completed ?? 0;
  const cancelled = counts.cancelled ?? 0;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0 || completed + cancelled !== total) return null;
  return { completed, cancelled };
}

/**
 * The notifications a stream of events makes, each once: `consider` classifies an event and says
 * whether its project may just have finished (then the caller reads the project's tasks per
 * status, grouped counts, and calls `graphChecked`). A project's graph is announced done once, again after a task of it is
 * added or reopened.
 */
/** Events after which a project may be done: work of a workspace completes when it merges, and guarded work when its checks pass. */
const FINISHING = new Set(['task.completed', 'task.merged', 'task.checks_passed', 'task.cancelled']);

export class NoticeTracker {
  private readonly done = new Set<string>();

  consider(e: NoticeEvent): { notice: Notice | null; checkGraph: string | null } {
    const projectId = e.projectId || null;
    if ((e.type === 'task.created' || e.type === 'task.reopened') && projectId) this.done.delete(projectId);
    const mayFinish = FINISHING.has(e.type) && projectId;
    return {
      notice: noticeFor(e),
      checkGraph: mayFinish && !this.done.has(projectId) ? projectId : null,
    };
  }

  /** The graph_done notice for a project with these tasks per status, once; else null. */
  graphChecked(
    projectId: string,
    counts: Readonly<Record<string, number>>,
    projectName = projectId,
  ): Notice | null {
    if (this.done.has(projectId)) return null;
    const done = graphDone(counts);
    if (!done) return null;
    this.done.add(projectId);
    return {
      kind: 'graph_done',
      text: `Every task of project ${projectName} is done: ${done.completed} completed, ${done.cancelled} cancelled.`,
    };
  }
}
