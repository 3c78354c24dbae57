import {
  NO_BOARD_FILTER,
  isBoardFiltered,
  matchesFilter,
  type BoardFilter,
} from '../../src/client/board-queries.js';
import { PRIORITIES, SESSION_FINAL, TASK_STATUSES, type SessionView, type TaskView } from './wire-types.js';

/**
 * The board's pure logic: which tasks show where, in what order, and where the cursor goes. The
 * components only draw what these functions decide, so the rules are tested without a terminal.
 */

/**
 * What the `f` prompt sets: the shared board filter (src/client/board-queries.ts, the web UI's too)
 * without its text, which is the `/` search. Its `text` stays ''.
 */
export type TaskFilter = BoardFilter;

export const NO_FILTER: TaskFilter = NO_BOARD_FILTER;

/** Tasks per status, in TASK_STATUSES order. */
export type Groups = readonly (readonly TaskView[])[];

/** Columns side by side, or (on narrow terminals) one list with a section per status. */
export type Layout = 'columns' | 'list';

/** Where the cursor is: a task when there is one, else a (possibly empty) column; column -1 is unplaced. */
export interface Cursor {
  column: number;
  row: number;
  taskId: string | null;
}

export type Move = 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'top' | 'bottom';

const PRIORITY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };
type FilterKey = 'statuses' | 'priorities' | 'label' | 'holder';
const FILTER_KEYS: Record<string, FilterKey> = {
  status: 'statuses',
  s: 'statuses',
  priority: 'priorities',
  p: 'priorities',
  label: 'label',
  l: 'label',
  holder: 'holder',
  h: 'holder',
};
/** The words the filter is typed with, in the order it is shown. */
const FILTER_WORDS: [FilterKey, string][] = [
  ['statuses', 'status'],
  ['priorities', 'priority'],
  ['label', 'label'],
  ['holder', 'holder'],
];
export const FILTER_HINT =
  'Filter like: status:pending,blocked priority:high label:ui holder:alice (holder:none: unclaimed; empty clears it).';

const numericId = (id: string) => Number(id.slice(id.indexOf('_') + 1)) || 0;

/** Highest priority first, then oldest first: the order `task list` uses. */
export function compareTasks(a: TaskView, b: TaskView): number {
  return (
    (PRIORITY_RANK[a.priority] ?? 3) - (PRIORITY_RANK[b.priority] ?? 3) || numericId(a.id) - numericId(b.id)
  );
}

/** The `f` filter and the `/` search together, as the shared board filter. */
export function boardFilter(filter: TaskFilter, search: string): BoardFilter {
  const text = search.trim();
  return text === filter.text ? filter : { ...filter, text };
}

/** `in_review` gets a column only while a task is in review (most projects never review). */
export function isHiddenColumn(groups: Groups, column: number): boolean {
  return TASK_STATUSES[column] === 'in_review' && groups[column]!.length === 0;
}

export function groupTasks(tasks: Iterable<TaskView>, filter: TaskFilter, search: string): Groups {
  const groups: TaskView[][] = TASK_STATUSES.map(() => []);
  const f = boardFilter(filter, search);
  const all = !isBoardFiltered(f);
  for (const task of tasks) {
    const column = TASK_STATUSES.indexOf(task.status as (typeof TASK_STATUSES)[number]);
    if (column >= 0 && (all || matchesFilter(task, f))) groups[column]!.push(task);
  }
  for (const g of groups) g.sort(compareTasks);
  return groups;
}

export function isFiltered(filter: TaskFilter, search: string): boolean {
  return isBoardFiltered(boardFilter(filter, search));
}

/** The filter as the user would type it, for the header and to prefill the prompt. */
export function describeFilter(filter: TaskFilter): string {
  return FILTER_WORDS.flatMap(([key, word]) => {
    const value = filter[key];
    const values = typeof value === 'string' ? (value ? [value] : []) : value;
    return values.length ? [`${word}:${values.join(',')}`] : [];
  }).join(' ');
}

export type FilterResult = { ok: true; filter: TaskFilter } | { ok: false; message: string; hint: string };

/**
 * Parses `status:pending,blocked priority:high label:ui holder:alice`. A bare status or priority
 * word is accepted as itself; anything else is refused with the accepted values, as the CLI does.
 * Which tasks it keeps is the shared board filter's rule (the web UI's): a label matches whole,
 * ignoring case; a holder matches part of the claim holder's name, and `none` keeps unclaimed tasks.
 */
export function parseFilter(text: string): FilterResult {
  const statuses: string[] = [];
  const priorities: string[] = [];
  const single: Record<'label' | 'holder', string> = { label: '', holder: '' };
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const colon = word.indexOf(':');
    let key: FilterKey | undefined;
    let values: string[];
    if (colon < 0) {
      key = (TASK_STATUSES as readonly string[]).includes(word)
        ? 'statuses'
        : (PRIORITIES as readonly string[]).includes(word)
          ? 'priorities'
          : undefined;
      if (!key)
        return {
          ok: false,
          message: `'${word}' is not a status, a priority or key:value.`,
          hint: FILTER_HINT,
        };
      values = [word];
    } else {
      key = FILTER_KEYS[word.slice(0, colon).toLowerCase()];
      if (!key)
        return {
          ok: false,
          message: `Unknown filter '${word.slice(0, colon)}'.`,
          hint: 'Accepted filters: status, priority, label, holder.',
        };
      values = word
        .slice(colon + 1)
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    }
    if (key === 'label' || key === 'holder') {
      if (values.length > 1 || (single[key] && values[0] !== single[key]))
        return {
          ok: false,
          message: `Give one ${key}, not ${[single[key], ...values].filter(Boolean).join(' and ')}.`,
          hint: FILTER_HINT,
        };
      single[key] = values[0] ?? '';
      continue;
    }
    const accepted: readonly string[] = key === 'statuses' ? TASK_STATUSES : PRIORITIES;
    const out = key === 'statuses' ? statuses : priorities;
    const name = key === 'statuses' ? 'status' : 'priority';
    for (const v of values) {
      if (!accepted.includes(v))
        return {
          ok: false,
          message: `${name} '${v}' is not one of ${accepted.join(', ')}.`,
          hint: `Accepted values for ${name}: ${accepted.join(', ')}.`,
        };
      if (!out.includes(v)) out.push(v);
    }
  }
  return { ok: true, filter: { ...NO_FILTER, statuses, priorities, ...single } };
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/**
 * Puts the cursor on a task that exists: the one it held if it is still shown (wherever its status
 * moved it), else the same place in its column. In the list layout an empty section is skipped.
 */
export function resolveCursor(groups: Groups, cursor: Cursor, layout: Layout): Cursor {
  if (cursor.taskId) {
    for (let column = 0; column < groups.length; column++) {
      const row = groups[column]!.findIndex((t) => t.id === cursor.taskId);
      if (row >= 0) return { column, row, taskId: cursor.taskId };
    }
  }
  // A column below 0 is "not placed yet": the first column with tasks.
  if (cursor.column < 0) return resolveCursor(groups, { column: 0, row: 0, taskId: null }, 'list');
  let column = clamp(cursor.column, 0, groups.length - 1);
  if (layout === 'list' && groups[column]!.length === 0) {
    const after = groups.findIndex((g, i) => i > column && g.length > 0);
    const before = groups.findLastIndex((g, i) => i < column && g.length > 0);
    column = after >= 0 ? after : before >= 0 ? before : column;
  }
  const list = groups[column]!;
  if (list.length === 0) return { column, row: 0, taskId: null };
  const row = clamp(cursor.row, 0, list.length - 1);
  return { column, row, taskId: list[row]!.id };
}

export function moveCursor(groups: Groups, cursor: Cursor, move: Move, layout: Layout, page = 10): Cursor {
  const c = resolveCursor(groups, cursor, layout);
  const at = (column: number, row: number): Cursor => ({
    column,
    row,
    taskId: groups[column]![row]?.id ?? null,
  });
  if (layout === 'columns') {
    const last = Math.max(0, groups[c.column]!.length - 1);
    switch (move) {
      case 'up':
        return at(c.column, Math.max(0, c.row - 1));
      case 'down':
        return at(c.column, Math.min(last, c.row + 1));
      case 'pageUp':
        return at(c.column, Math.max(0, c.row - page));
      case 'pageDown':
        return at(c.column, Math.min(last, c.row + page));
      case 'top':
        return at(c.column, 0);
      case 'bottom':
        return at(c.column, last);
      case 'left':
      case 'right': {
        const step = move === 'left' ? -1 : 1;
        let column = clamp(c.column + step, 0, groups.length - 1);
        // The review column is drawn only while it has tasks: an empty one is stepped over.
        if (isHiddenColumn(groups, column)) column = clamp(column + step, 0, groups.length - 1);
        return at(column, Math.min(c.row, Math.max(0, groups[column]!.length - 1)));
      }
    }
  }
  const flat = groups.flatMap((g, column) => g.map((_, row) => ({ column, row })));
  if (flat.length === 0) return c;
  const index = Math.max(
    0,
    flat.findIndex((p) => p.column === c.column && p.row === c.row),
  );
  const to = (i: number) => {
    const p = flat[clamp(i, 0, flat.length - 1)]!;
    return at(p.column, p.row);
  };
  switch (move) {
    case 'up':
      return to(index - 1);
    case 'down':
      return to(index + 1);
    case 'pageUp':
      return to(index - page);
    case 'pageDown':
      return to(index + page);
    case 'top':
      return to(0);
    case 'bottom':
      return to(flat.length - 1);
    case 'left': {
      // The start of this section, or of the previous one when already there.
      const target = c.row > 0 ? c.column : groups.findLastIndex((g, i) => i < c.column && g.length > 0);
      return target >= 0 ? at(target, 0) : c;
    }
    case 'right': {
      const target = groups.findIndex((g, i) => i > c.column && g.length > 0);
      return target >= 0 ? at(target, 0) : c;
    }
  }
}

/** The first index of a window of `height` rows over `count` that keeps `selected` in view. */
export function windowStart(selected: number, count: number, height: number): number {
  if (count <= height) return 0;
  return clamp(selected - Math.floor(height / 2), 0, count - height);
}

/** Sessions as the pane lists them: live ones first, newest first. */
export function sortSessions(sessions: Iterable<SessionView>): SessionView[] {
  return [...sessions].sort(
    (a, b) =>
      Number(SESSION_FINAL.has(a.status)) - Number(SESSION_FINAL.has(b.status)) ||
      b.createdAt.localeCompare(a.createdAt) ||
      numericId(b.id) - numericId(a.id),
  );
}

// Terminal escapes: CSI (colours, cursor moves), OSC (titles, links), and two-byte escapes.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * The last `n` non-empty lines of terminal output, as text: escapes dropped, a carriage return
 * keeping only what was written after it (progress bars), tabs as spaces.
 */
export function lastLines(text: string, n: number): string[] {
  if (n <= 0 || !text) return [];
  const lines = text
    .replace(ESCAPES, '')
    .split('\n')
    .map((raw) => {
      // A terminal's line ends in \r\n (a pty may double the \r); a \r inside a line rewinds it.
      const line = raw.replace(/\r+$/, '');
      const cr = line.lastIndexOf('\r');
      return (cr >= 0 ? line.slice(cr + 1) : line).replace(/\t/g, '  ').replace(CONTROL, '').trimEnd();
    })
    .filter((line) => line !== '');
  return lines.slice(-n);
}

/** `2026-11-24T17:20:59.000Z` → `17:20:59` today, `11-24 17:20` otherwise. */
export function shortTime(iso: string, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === now.toDateString()
    ? `${hm}:${pad(d.getSeconds())}`
    : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}
