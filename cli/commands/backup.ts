import { resolve } from 'node:path';
import { parseSetting, sqliteFile } from '../../src/config/config.js';
import { cliError, usageError } from '../errors.js';
import { usageLine, type Command, type CommandContext } from '../registry.js';

const DB_FLAG = {
  type: 'string',
  value: 'URL',
  describe: 'The database (default MAESTRO_DB_URL, else $MAESTRO_HOME/maestro.db).',
} as const;

/** The SQLite file these commands act on; PostgreSQL has its own tools. */
function databaseFile(ctx: CommandContext): string {
  const flag = ctx.flag('db');
  const url = flag === undefined ? ctx.settings.dbUrl : parseSetting('dbUrl', flag, '--db');
  const file = sqliteFile(url);
  if (file === undefined) {
    throw cliError(
      'invalid_argument',
      'maestro backup and restore work on SQLite databases; this one is PostgreSQL.',
      'Use pg_dump and pg_restore (see docs/operations.md, Backup and restore).',
      { field: 'dbUrl' },
    );
  }
  if (file === ':memory:') {
    throw cliError('invalid_argument', 'An in-memory database has no file to back up.', undefined, {
      field: 'dbUrl',
    });
  }
  return resolve(ctx.cwd, file);
}

function requiredPath(ctx: CommandContext, command: Command, flag: string): string {
  const value = ctx.flag(flag);
  if (!value) throw usageError(`Missing --${flag} FILE.`, usageLine(command), { flag });
  return resolve(ctx.cwd, value);
}

const backup: Command = {
  path: ['backup'],
  summary: 'Copy the SQLite database to a file, consistently, also while the server is writing.',
  flags: {
    out: { type: 'string', value: 'FILE', describe: 'The backup file to write (replaced if it exists).' },
    db: DB_FLAG,
  },
  examples: ['maestro backup --out ~/backups/maestro-$(date +%F).db --json'],
  env: ['MAESTRO_HOME', 'MAESTRO_DB_URL'],
  async run(ctx) {
    const out = requiredPath(ctx, this, 'out');
    const { backupDatabase } = await import('../sqlite-file.js');
    const result = await backupDatabase(databaseFile(ctx), out);
    return {
      data: result,
      human: `Backed up ${result.source} to ${result.path} (${result.bytes} bytes, ${result.tasks} tasks, event seq ${result.lastSeq}).`,
    };
  },
};

const restore: Command = {
  path: ['restore'],
  summary: 'Replace the SQLite database with a backup; refuses while a server uses it.',
  flags: {
    from: { type: 'string', value: 'FILE', describe: 'The backup to restore (made by maestro backup).' },
    force: {
      type: 'boolean',
      describe: 'Restore even while the database is in use (what the server writes afterwards is lost).',
    },
    db: DB_FLAG,
  },
  examples: ['maestro restore --from ~/backups/maestro-2026-11-24.db --json'],
  env: ['MAESTRO_HOME', 'MAESTRO_DB_URL'],
  async run(ctx) {
    const from = requiredPath(ctx, this, 'from');
    const { restoreDatabase } = await import('../sqlite-file.js');
    const result = await restoreDatabase(from, databaseFile(ctx), ctx.has('force'));
    return {
      data: result,
      human: `Restored ${result.db} from ${result.from} (${result.tasks} tasks, event seq ${result.lastSeq}).${result.previous ? `\nThe database it replaced is kept as ${result.previous}.` : ''}`,
    };
  },
};

export const BACKUP_COMMANDS: Command[] = [backup, restore];
