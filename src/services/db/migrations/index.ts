import type { MigrationObject } from '@mikro-orm/core';
import * as pg1 from './postgresql/Migration20261124000001.js';
import * as pg2 from './postgresql/Migration20261124000002.js';
import * as pg3 from './postgresql/Migration20261124000003.js';
import * as pg4 from './postgresql/Migration20261202000001.js';
import * as pg5 from './postgresql/Migration20261202000004.js';
import * as pg13 from './postgresql/Migration20261203000013.js';
import * as pg14 from './postgresql/Migration20261203000014.js';
import * as pg16 from './postgresql/Migration20261203000016.js';
import * as pg17 from './postgresql/Migration20261203000017.js';
import * as sqlite1 from './sqlite/Migration20261124000001.js';
import * as sqlite2 from './sqlite/Migration20261124000002.js';
import * as sqlite3 from './sqlite/Migration20261124000003.js';
import * as sqlite4 from './sqlite/Migration20261202000001.js';
import * as sqlite5 from './sqlite/Migration20261202000004.js';
import * as sqlite13 from './sqlite/Migration20261203000013.js';
import * as sqlite14 from './sqlite/Migration20261203000014.js';
import * as sqlite16 from './sqlite/Migration20261203000016.js';
import * as sqlite17 from './sqlite/Migration20261203000017.js';

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
    { name: 'Migration20261124000003', class: sqlite3.Migration20261124000003 },
    { name: 'Migration20261202000001', class: sqlite4.Migration20261202000001 },
    { name: 'Migration20261202000004', class: sqlite5.Migration20261202000004 },
    { name: 'Migration20261203000013', class: sqlite13.Migration20261203000013 },
    { name: 'Migration20261203000014', class: sqlite14.Migration20261203000014 },
    { name: 'Migration20261203000016', class: sqlite16.Migration20261203000016 },
    { name: 'Migration20261203000017', class: sqlite17.Migration20261203000017 },
  ],
  postgresql: [
    { name: 'Migration20261124000001', class: pg1.Migration20261124000001 },
    { name: 'Migration20261124000002', class: pg2.Migration20261124000002 },
    { name: 'Migration20261124000003', class: pg3.Migration20261124000003 },
    { name: 'Migration20261202000001', class: pg4.Migration20261202000001 },
    { name: 'Migration20261202000004', class: pg5.Migration20261202000004 },
    { name: 'Migration20261203000013', class: pg13.Migration20261203000013 },
    { name: 'Migration20261203000014', class: pg14.Migration20261203000014 },
    { name: 'Migration20261203000016', class: pg16.Migration20261203000016 },
    { name: 'Migration20261203000017', class: pg17.Migration20261203000017 },
  ],
};

/** The SQLite list, which the upgrade tests and fixtures use. */
export const MIGRATIONS = MIGRATIONS_BY_DIALECT.sqlite;
