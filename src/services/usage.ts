import type { EntityManager } from '@mikro-orm/core';
import { EMPTY_USAGE, addUsage, type UsageRollup } from '../contract/views.js';
import { SessionSchema } from './db/entities.js';

/**
 * What sessions used, summed: a task's (every session that worked on it) or a project's (every
 * session of it), or everything when neither is given. Sessions are few next to tasks, so they are
 * read and summed here rather than in SQL that would differ between SQLite and PostgreSQL.
 */
export async function usageRollup(
  em: EntityManager,
  scope: { projectRowId?: number; taskId?: string },
): Promise<UsageRollup> {
  const rows = await em.find(
    SessionSchema,
    scope.projectRowId !== undefined ? { project: scope.projectRowId } : {},
    { fields: ['usage', 'taskIds'] },
  );
  let total = { ...EMPTY_USAGE };
  let sessions = 0;
  for (const row of rows) {
    if (scope.taskId && !row.taskIds.includes(scope.taskId)) continue;
    sessions++;
    total = addUsage(total, row.usage ?? {});
  }
  return { sessions, ...total };
}
