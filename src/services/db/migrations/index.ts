import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000001 } from './Migration20261124000001.js';
import { Migration20261124000002 } from './Migration20261124000002.js';

/**
 * Every migration, oldest first. They are listed rather than discovered on disk so that the
 * bundled server and the tests run exactly these.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261124000001', class: Migration20261124000001 },
  { name: 'Migration20261124000002', class: Migration20261124000002 },
];
