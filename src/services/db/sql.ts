import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';

/**
 * Runs a raw query in the entity manager's transaction (if it has one). For the few queries the
 * ORM's criteria cannot say cheaply: joins for dependency state and grouped counts.
 */
export function query<T>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  return (em as SqlEntityManager).execute<T[]>(sql, [...params], 'all');
}

export const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(',');
