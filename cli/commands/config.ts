import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  FILE_KEYS,
  SETTINGS,
  configFilePath,
  parseSetting,
  readConfigFile,
  type Settings,
} from '../../src/config/config.js';
import { nearest } from '../../src/contract/suggest.js';
import { cliError } from '../errors.js';
import { table } from '../output.js';
import type { Command } from '../registry.js';

function configKey(value: string | undefined): keyof Settings {
  if (!value || !FILE_KEYS.includes(value as keyof Settings)) {
    const near = value ? nearest(value, FILE_KEYS) : undefined;
    throw cliError(
      'invalid_argument',
      `Unknown config key '${value ?? ''}'.${near ? ` Did you mean '${near}'?` : ''}`,
      `Accepted keys: ${FILE_KEYS.join(', ')}.`,
      { field: 'key', accepted: FILE_KEYS },
    );
  }
  return value as keyof Settings;
}

/** What the person must do for a changed setting to count. */
function takesEffect(key: keyof Settings): string {
  return SETTINGS[key].readBy === 'cli'
    ? 'It applies to the next command.'
    : 'Restart the server (maestro server start) for it to take effect.';
}

function writeConfig(home: string, file: Record<string, unknown>): string {
  const path = configFilePath(home);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  return path;
}

export const CONFIG_COMMANDS: Command[] = [
  {
    path: ['config', 'list'],
    summary: 'Every setting with its value and where it came from (flag > env > file > default).',
    examples: ['maestro config list --json'],
    async run(ctx) {
      const file = readConfigFile(ctx.settings.home);
      const rows = FILE_KEYS.map((key) => ({
        key,
        value: ctx.settings[key],
        source: ctx.env[SETTINGS[key].env] ? 'env' : file[key] !== undefined ? 'file' : 'default',
        env: SETTINGS[key].env,
        readBy: SETTINGS[key].readBy,
        describe: SETTINGS[key].describe,
      }));
      return {
        data: rows,
        human: () =>
          table(
            ['KEY', 'VALUE', 'SOURCE', 'ENV'],
            rows.map((r) => [r.key, String(r.value), r.source, r.env]),
          ),
      };
    },
  },
  {
    path: ['config', 'get'],
    summary: 'Print one setting.',
    args: [{ name: 'key', required: true }],
    examples: ['maestro config get agentCommand --json'],
    async run(ctx) {
      const key = configKey(ctx.args.key);
      return { data: { key, value: ctx.settings[key] }, human: String(ctx.settings[key]) };
    },
  },
  {
    path: ['config', 'set'],
    summary: 'Write a setting to $MAESTRO_HOME/config.json (validated first).',
    args: [
      { name: 'key', required: true },
      { name: 'value', required: true },
    ],
    mutatesLocally: true,
    examples: ['maestro config set maxSessions 8 --json'],
    async run(ctx) {
      const key = configKey(ctx.args.key);
      const value = parseSetting(key, ctx.args.value!);
      const file = readConfigFile(ctx.settings.home);
      file[key] = value;
      const path = writeConfig(ctx.settings.home, file);
      const note = takesEffect(key);
      return {
        data: { key, value, path, readBy: SETTINGS[key].readBy, note },
        human: `${key} = ${String(value)} (in ${path}). ${note}`,
      };
    },
  },
  {
    path: ['config', 'unset'],
    summary: 'Remove a setting from $MAESTRO_HOME/config.json (its default applies again).',
    args: [{ name: 'key', required: true }],
    mutatesLocally: true,
    examples: ['maestro config unset maxSessions --json'],
    async run(ctx) {
      const key = configKey(ctx.args.key);
      const file = readConfigFile(ctx.settings.home);
      const had = Object.hasOwn(file, key);
      delete file[key];
      const path = writeConfig(ctx.settings.home, file);
      const note = takesEffect(key);
      return {
        data: { key, removed: had, path, readBy: SETTINGS[key].readBy, note },
        human: had ? `Removed ${key} from ${path}. ${note}` : `${key} was not set in ${path}.`,
      };
    },
  },
];
