import type { UsageRollup } from '../contract/views.js';
import type { CommandRunner } from './command-runner.js';
import { usageRollup } from './usage.js';
import { SessionSchema } from './db/entities.js';
import { query } from './db/sql.js';
import type { EventLogService } from './events.js';
import type { RequestContext } from './command-runner.js';
import { projectRowId, scopedProjectRow, type TaskService } from './task.service.js';
import { sessionView, type SessionView } from './views.js';

/** How many rows are in each status, by status; statuses with no rows are absent. */
export interface StatusCounts {
  tasks: Record<string, number>;
  sessions: Record<string, number>;
}

export interface StatusView {
  byStatus: { key: string; count: number }[];
  byPriority: { key: string; count: number }[];
  activeSessions: SessionView[];
  ready: number;
  lastSeq: number;
  usage: UsageRollup;
}

/** The overview `maestro status` prints: counts, ready work and live sessions. */
export class StatusService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly tasks: TaskService,
    private readonly events: EventLogService,
  ) {}

  /**
   * Counts come from grouped counts over the `(project_id, status, priority)` index, and the ready
   * count from the pending count less the pending tasks with an unfinished dependency (a walk over
   * the dependency edges, not the tasks): no task is read.
   */
  status(projectId?: string, ctx?: RequestContext): Promise<StatusView> {
    return this.runner.readRows(async (em) => {
      const project = await scopedProjectRow(em, ctx, projectId);
      const inProject = project === undefined ? '' : ' and t.project_id = ?';
      const params = project === undefined ? [] : [project];
      // Asked all at once: a reader thread answers them in turn without waiting for this thread.
      const [groups, [waiting], sessions, lastSeq, usage] = await Promise.all([
        query<{ status: string; priority: string; n: number | string }>(
          em,
          `select t.status, t.priority, count(*) as n from tasks t where 1 = 1${inProject} group by t.status, t.priority`,
          params,
        ),
        query<{ n: number | string }>(
          em,
          `select count(distinct d.task_id) as n from task_dependencies d
         join tasks t on t.id = d.task_id join tasks dt on dt.id = d.depends_on_id
         where t.status = 'pending' and dt.status != 'completed'${inProject}`,
          params,
        ),
        query<Record<string, unknown>>(
          em,
          `select * from sessions where status in ('spawning', 'running', 'stale')${
            project === undefined ? '' : ' and project_id = ?'
          } order by id`,
          params,
        ),
        this.events.lastSeq(em),
        usageRollup(em, { projectRowId: project }),
      ]);
      const byStatus = new Map<string, number>();
      const byPriority = new Map<string, number>();
      for (const g of groups) {
        byStatus.set(g.status, (byStatus.get(g.status) ?? 0) + Number(g.n));
        byPriority.set(g.priority, (byPriority.get(g.priority) ?? 0) + Number(g.n));
      }
      const sorted = (counts: Map<string, number>) =>
        [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, count]) => ({ key, count }));
      return {
        byStatus: sorted(byStatus),
        byPriority: sorted(byPriority),
        activeSessions: this.runner.entities(SessionSchema, sessions).map(sessionView),
        ready: (byStatus.get('pending') ?? 0) - Number(waiting?.n ?? 0),
        lastSeq,
        usage,
      };
    });
  }

  /** A project's tasks per status (statuses with none are absent): one grouped count over the index. */
  taskCounts(projectId: string): Promise<Record<string, number>> {
    return this.runner.readRows(async (em) => {
      const rows = await query<{ status: string; n: number | string }>(
        em,
        'select status, count(*) as n from tasks where project_id = ? group by status',
        [await projectRowId(em, projectId)],
      );
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    });
  }

  /**
   * Tasks and sessions by status, for the metrics scrape: two grouped counts in one read, in plain
   * SQL that SQLite and PostgreSQL both run (PostgreSQL returns `count(*)` as a string).
   */
  counts(): Promise<StatusCounts> {
    return this.runner.readRows(async (em) => {
      const count = async (table: 'tasks' | 'sessions') => {
        const rows = await query<{ status: string; n: number | string }>(
          em,
          `select status, count(*) as n from ${table} group by status`,
        );
        return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
      };
      return { tasks: await count('tasks'), sessions: await count('sessions') };
    });
  }
}
