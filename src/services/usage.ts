import { EMPTY_USAGE, addUsage, type SessionUsage, type UsageRollup } from '../contract/views.js';
import { query, readJson, type Queryable } from './db/sql.js';

/**
 * What sessions used, summed: a task's (every session that worked on it) or a project's (every
 * session of it), or everything when neither is given. Sessions are few next to tasks, so they are
 * read and summed here rather than in SQL that would differ between SQLite and PostgreSQL.
 */
export async function usageRollup(
  em: Queryable,
  scope: { projectRowId?: number; taskId?: string },
): Promise<UsageRollup> {
  const rows = await query<{ usage: unknown; task_ids: unknown }>(
    em,
    `select usage, task_ids from sessions${scope.projectRowId !== undefined ? ' where project_id = ?' : ''}`,
    scope.projectRowId !== undefined ? [scope.projectRowId] : [],
  );
  let total = { ...EMPTY_USAGE };
  let sessions = 0;
  for (const row of rows) {
    if (scope.taskId && !readJson<string[]>(em, row.task_ids).includes(scope.taskId)) continue;
    sessions++;
    total = addUsage(total, readJson<SessionUsage | null>(em, row.usage) ?? {});
  }
  return { sessions, ...total };
}
