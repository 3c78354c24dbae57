import type { CommandRunner } from './command-runner.js';
import { SessionSchema, TaskSchema } from './db/entities.js';
import type { EventLogService } from './events.js';
import { projectRowId, type TaskService } from './task.service.js';
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
}

/** The overview `maestro status` prints: counts, ready work and live sessions. */
export class StatusService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly tasks: TaskService,
    private readonly events: EventLogService,
  ) {}

  status(projectId?: string): Promise<StatusView> {
    return this.runner.read(async (em) => {
      const where: Record<string, unknown> = {};
      if (projectId) where.project = await projectRowId(em, projectId);
      const rows = await em.find(TaskSchema, where, { fields: ['status', 'priority'] });
      const count = (key: 'status' | 'priority') => {
        const counts = new Map<string, number>();
        for (const r of rows) counts.set(r[key], (counts.get(r[key]) ?? 0) + 1);
        return [...counts].sort().map(([k, n]) => ({ key: k, count: n }));
      };
      const sessions = await em.find(
        SessionSchema,
        { ...where, status: { $in: ['spawning', 'running', 'stale'] } },
        { orderBy: { id: 'asc' } },
      );
      return {
        byStatus: count('status'),
        byPriority: count('priority'),
        activeSessions: sessions.map(sessionView),
        ready: (await this.tasks.findRecords(em, { projectId, ready: true })).length,
        lastSeq: await this.events.lastSeq(em),
      };
    });
  }

  /**
   * Tasks and sessions by status, for the metrics scrape: two grouped counts in one read, in plain
   * SQL that SQLite and PostgreSQL both run (PostgreSQL returns `count(*)` as a string).
   */
  counts(): Promise<StatusCounts> {
    return this.runner.read(async (em) => {
      const count = async (table: 'tasks' | 'sessions') => {
        const rows: { status: string; n: number | string }[] = await em
          .getConnection()
          .execute(`select status, count(*) as n from ${table} group by status`);
        return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
      };
      return { tasks: await count('tasks'), sessions: await count('sessions') };
    });
  }
}
