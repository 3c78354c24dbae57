import type { MigrationObject } from '@mikro-orm/core';
import * as pg1 from './postgresql/Migration20261124000001.js';
import * as pg2 from './postgresql/Migration20261124000002.js';
import * as sqlite1 from './sqlite/Migration20261124000001.js';
import * as sqlite2 from './sqlite/Migration20261124000002.js';

export type Dialect = 'sqlite' | 'postgresql';

/**
 * Every migration, oldest first, for each database. They are listed rather than discovered on disk
 * so that the bundled server and the tests run exactly these. Both lists carry the same names: a
 * migration is one change of the schema, written once per dialect.
 */
export const MIGRATIONS_BY_DIALECT: Record<Dialect, MigrationObject[]> = {
  sqlite: [
    { name: 'Migration20261124000001', class: sqlite1.Migration20261124000001 },
    { name: 'Migration20261124000002', class: sqlite2.Migration20261124000002 },
  ],
  postgresql: [
    { name: 'Migration20261124000001', class: pg1.Migration20261124000001 },
    { name: 'Migration20261124000002', class: pg2.Migration20261124000002 },
  ],
};

/** The SQLite list, which the upgrade tests and fixtures use. */
export const MIGRATIONS = MIGRATIONS_BY_DIALECT.sqlite;
