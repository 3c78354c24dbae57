import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOC, documentedRows, settingsRows } from '../../scripts/config-docs.js';
import {
  ConfigError,
  FILE_KEYS,
  SETTING_KEYS,
  loadSettings,
  parseSetting,
  redactDbUrl,
  sqliteFile,
} from './config.js';

const env = { MAESTRO_HOME: '/tmp/maestro-home' };

/** The ConfigError a load throws; fails when it loads. */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the settings loaded');
}

describe('settings', () => {
  it('docs/configuration.md documents every setting as SETTINGS defines it', () => {
    const documented = documentedRows(readFileSync(CONFIG_DOC, 'utf8'));
    expect(
      documented,
      'Run node_modules/.bin/tsx scripts/config-docs.ts, then prettier --write docs/configuration.md',
    ).toEqual(settingsRows());
    expect(documented).toHaveLength(SETTING_KEYS.length);
  });

  it('takes a flag over the environment, the environment over the file, the file over the default', () => {
    const file = { leaseSeconds: 600, logLevel: 'warn', retries: 3 };
    const settings = loadSettings({
      env: { ...env, MAESTRO_LOG_LEVEL: 'error', MAESTRO_RETRIES: '', MAESTRO_ACTOR: 'env-actor' },
      flags: { actor: 'flag-actor' },
      file,
    });
    expect(settings).toMatchObject({
      leaseSeconds: 600,
      logLevel: 'error',
      retries: 3, // an empty variable counts as unset
      actor: 'flag-actor',
      sessionStaleSeconds: 60,
      dbUrl: 'sqlite:/tmp/maestro-home/maestro.db',
      shutdownTimeoutSeconds: 10,
    });
  });

  it('reads sqlite:PATH, a bare path and PostgreSQL URLs, and refuses any other scheme', () => {
    const db = (raw: string) => parseSetting('dbUrl', raw, 'MAESTRO_DB_URL');
    expect(db('sqlite:/var/lib/maestro.db')).toBe('sqlite:/var/lib/maestro.db');
    expect(db('sqlite::memory:')).toBe('sqlite::memory:');
    expect(db('/var/lib/maestro.db')).toBe('sqlite:/var/lib/maestro.db');
    expect(db('data/maestro.db')).toBe('sqlite:data/maestro.db');
    expect(db('postgres://maestro:pw@db:5432/maestro')).toBe('postgres://maestro:pw@db:5432/maestro');
    expect(db('postgresql://db/maestro')).toBe('postgresql://db/maestro');
    for (const bad of [
      'mysql://db/maestro',
      'postgres:maestro',
      'postgres://',
      'file:/x.db',
      'sqlite:',
      '',
    ]) {
      expect(() => db(bad), bad).toThrow(
        `MAESTRO_DB_URL must be sqlite:PATH, a file path, or postgres://USER:PASSWORD@HOST:PORT/DB (also postgresql://), not '${bad}'.`,
      );
    }
    expect(sqliteFile('sqlite:/a/b.db')).toBe('/a/b.db');
    expect(sqliteFile('postgres://db/maestro')).toBeUndefined();
  });

  it('names the source and what the setting accepts when a value is bad', () => {
    const fromEnv = configError(() =>
      loadSettings({ env: { ...env, MAESTRO_LEASE_SECONDS: '1.5' }, file: {} }),
    );
    expect(fromEnv.key).toBe('MAESTRO_LEASE_SECONDS');
    expect(fromEnv.message).toBe("MAESTRO_LEASE_SECONDS must be a whole number from 1 to 86400, not '1.5'.");
    const fromFile = configError(() => loadSettings({ env, file: { runner: 'docker' } }));
    expect(fromFile.key).toBe('config.json runner');
    expect(fromFile.message).toBe("config.json runner must be one of auto, tmux, pipe, off, not 'docker'.");
    const fromFlag = configError(() => loadSettings({ env, file: {}, flags: { dbUrl: 'mysql://x' } }));
    expect(fromFlag.key).toBe('--db');
    expect(
      configError(() => loadSettings({ env: { ...env, MAESTRO_HTTP_ADDR: 'localhost' }, file: {} })).message,
    ).toBe("MAESTRO_HTTP_ADDR must be HOST:PORT, port 0 to 65535 (IPv6 as [::1]:4570), not 'localhost'.");
    expect(
      configError(() => loadSettings({ env: { ...env, MAESTRO_AGENT_COMMAND: ' ' }, file: {} })).key,
    ).toBe('MAESTRO_AGENT_COMMAND');
  });

  it('checks a file value that the environment overrides, too', () => {
    const hidden = configError(() =>
      loadSettings({ env: { ...env, MAESTRO_LOG_LEVEL: 'warn' }, file: { logLevel: 'loud' } }),
    );
    expect(hidden.key).toBe('config.json logLevel');
  });

  it('refuses a config file with an unknown key, suggesting the nearest one', () => {
    const typo = configError(() => loadSettings({ env, file: { leaseSecond: 60 } }));
    expect(typo.key).toBe('config.json leaseSecond');
    expect(typo.message).toContain("unknown key 'leaseSecond' (did you mean 'leaseSeconds'?)");
    expect(typo.message).toContain(`known keys: ${FILE_KEYS.join(', ')}.`);
    const unrelated = configError(() => loadSettings({ env, file: { colour: 'blue' } }));
    expect(unrelated.message).not.toContain('did you mean');
  });

  it('never takes the home folder or the token from the file, and refuses values that are objects', () => {
    expect(configError(() => loadSettings({ env, file: { token: 'secret' } })).message).toBe(
      'config.json cannot set token: it is read from the environment only (MAESTRO_TOKEN).',
    );
    expect(configError(() => loadSettings({ env, file: { home: '/elsewhere' } })).key).toBe(
      'config.json home',
    );
    expect(configError(() => loadSettings({ env, file: { agentCommand: ['claude'] } })).message).toBe(
      'config.json agentCommand must be a command line, not ["claude"].',
    );
    expect(FILE_KEYS).not.toContain('token');
    expect(FILE_KEYS).not.toContain('home');
  });
});

describe('redactDbUrl', () => {
  it('hides a PostgreSQL password and leaves everything else as it is', () => {
    expect(redactDbUrl('postgres://maestro:s3cret@db:5432/maestro')).toBe(
      'postgres://maestro:***@db:5432/maestro',
    );
    expect(redactDbUrl('postgresql://u:p%40ss@h/db')).toBe('postgresql://u:***@h/db');
    expect(redactDbUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(redactDbUrl('sqlite:/data/maestro.db')).toBe('sqlite:/data/maestro.db');
  });
});
