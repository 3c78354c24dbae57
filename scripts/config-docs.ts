/**
 * The settings table of docs/configuration.md, generated from `SETTINGS` so that the reference
 * cannot drift from the code. `src/config/config.test.ts` fails when they differ; to update the
 * docs run `node_modules/.bin/tsx scripts/config-docs.ts`, then `prettier --write docs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SETTINGS, SETTING_KEYS } from '../src/config/config.js';

export const CONFIG_DOC = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
const START = '<!-- settings table: generated from SETTINGS by scripts/config-docs.ts -->';
const END = '<!-- end of settings table -->';

export const HEADER = [
  'config.json key',
  'environment variable',
  'flags',
  'default',
  'accepted values',
  'what it does',
];

const code = (s: string) => `\`${s}\``;

/** One row per setting, in the order of `SETTINGS`; cells are Markdown. */
export function settingsRows(): string[][] {
  return SETTING_KEYS.map((key) => {
    const spec = SETTINGS[key];
    const fallback = String(spec.fallback({ home: '$MAESTRO_HOME' }));
    return [
      spec.secret || spec.envOnly ? '—' : code(key),
      code(spec.env),
      spec.flags?.map(code).join(', ') ?? '—',
      spec.shownDefault ?? code(fallback),
      spec.type.accepts,
      spec.describe,
    ].map((cell) => cell.replaceAll('|', '\\|'));
  });
}

export function settingsTable(): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...settingsRows().map(line)].join('\n');
}

/** The rows of the table as the docs have it, cells trimmed (Prettier pads them). */
export function documentedRows(markdown: string): string[][] {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${CONFIG_DOC} has no generated settings table`);
  return markdown
    .slice(start + START.length, end)
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2)
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = readFileSync(CONFIG_DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${CONFIG_DOC} has no generated settings table`);
  writeFileSync(
    CONFIG_DOC,
    `${doc.slice(0, start + START.length)}\n\n${settingsTable()}\n\n${doc.slice(end)}`,
  );
  console.log(`wrote the settings table of ${CONFIG_DOC}`);
}
