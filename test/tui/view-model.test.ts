import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../src/client/board-queries.js';
import {
  NO_FILTER,
  describeFilter,
  groupTasks,
  isFiltered,
  lastLines,
  moveCursor,
  parseFilter,
  resolveCursor,
  sortSessions,
  windowStart,
  type Cursor,
} from '../../cli/tui/view-model.js';
import { session, task } from './fixtures.js';

const ids = (groups: ReturnType<typeof groupTasks>) => groups.map((g) => g.map((t) => t.id));

describe('grouping and filtering', () => {
  const tasks = [
    task('t_3', { priority: 'low' }),
    task('t_1', { priority: 'medium', labels: ['ui'] }),
    task('t_2', { priority: 'high', title: 'Login form', labels: ['api'] }),
    task('t_4', { status: 'blocked', blockedReason: 'waiting' }),
    task('t_5', { status: 'completed', priority: 'high' }),
    task('t_10', {
      priority: 'high',
      claim: { holder: 'alice', sessionId: '', expiresAt: '', claimedAt: '' },
    }),
  ];

  it('groups by status in lifecycle order, highest priority first, then oldest first', () => {
    expect(ids(groupTasks(tasks, NO_FILTER, ''))).toEqual([
      ['t_2', 't_10', 't_1', 't_3'],
      [],
      ['t_4'],
      [],
      ['t_5'],
      [],
    ]);
  });

  it('filters by status, priority, label and holder, and searches ids, titles, descriptions and labels', () => {
    const only = (text: string, search = '') => {
      const parsed = parseFilter(text);
      if (!parsed.ok) throw new Error(parsed.message);
      return ids(groupTasks(tasks, parsed.filter, search)).flat();
    };
    expect(only('status:pending,blocked priority:high')).toEqual(['t_2', 't_10']);
    expect(only('label:ui')).toEqual(['t_1']);
    expect(only('blocked')).toEqual(['t_4']);
    expect(only('', 'login')).toEqual(['t_2']);
    expect(only('', 'API')).toEqual(['t_2']);
    expect(only('', 't_10')).toEqual(['t_10']);
    expect(only('label:UI')).toEqual(['t_1']);
    expect(only('holder:ali')).toEqual(['t_10']);
    expect(only('holder:none priority:high')).toEqual(['t_2', 't_5']);
    expect(only('p:low', 'nothing')).toEqual([]);
  });

  it('keeps the same tasks as the web UI, whose rule it shares', () => {
    const described = [...tasks, task('t_6', { description: 'Mentions the parser' })];
    const parsed = parseFilter('pending holder:none');
    if (!parsed.ok) throw new Error(parsed.message);
    const filter = { ...parsed.filter, text: 'parser' };
    expect(ids(groupTasks(described, parsed.filter, 'parser')).flat()).toEqual(
      described.filter((t) => matchesFilter(t, filter)).map((t) => t.id),
    );
    expect(ids(groupTasks(described, parsed.filter, 'parser')).flat()).toEqual(['t_6']);
  });

  it('describes a filter as it is typed, so the prompt can be edited', () => {
    const text = 'status:pending,blocked priority:high label:ui holder:none';
    const parsed = parseFilter(text);
    expect(parsed.ok && describeFilter(parsed.filter)).toBe(text);
    expect(isFiltered(NO_FILTER, '  ')).toBe(false);
    expect(isFiltered(NO_FILTER, 'x')).toBe(true);
  });

  it('refuses an unknown filter or value with the accepted values, as the CLI does', () => {
    expect(parseFilter('status:done')).toEqual({
      ok: false,
      message: "status 'done' is not one of pending, in_progress, blocked, in_review, completed, cancelled.",
      hint: 'Accepted values for status: pending, in_progress, blocked, in_review, completed, cancelled.',
    });
    expect(parseFilter('owner:me')).toMatchObject({ ok: false, message: "Unknown filter 'owner'." });
    expect(parseFilter('urgent')).toMatchObject({ ok: false });
    expect(parseFilter('label:ui,api')).toMatchObject({
      ok: false,
      message: 'Give one label, not ui and api.',
    });
    expect(parseFilter('  ')).toEqual({ ok: true, filter: NO_FILTER });
  });
});

describe('the cursor', () => {
  const groups = groupTasks(
    [
      task('t_1'),
      task('t_2'),
      task('t_3'),
      task('t_4', { status: 'in_progress' }),
      task('t_5', { status: 'completed' }),
    ],
    NO_FILTER,
    '',
  );
  const at = (column: number, row: number, taskId: string | null = null): Cursor => ({ column, row, taskId });

  it('moves within a column and across columns, keeping the row where it can', () => {
    let c = resolveCursor(groups, at(0, 0), 'columns');
    expect(c.taskId).toBe('t_1');
    c = moveCursor(groups, c, 'down', 'columns');
    c = moveCursor(groups, c, 'down', 'columns');
    expect(c).toEqual(at(0, 2, 't_3'));
    expect(moveCursor(groups, c, 'down', 'columns')).toEqual(at(0, 2, 't_3'));
    c = moveCursor(groups, c, 'right', 'columns');
    expect(c).toEqual(at(1, 0, 't_4'));
    c = moveCursor(groups, c, 'right', 'columns');
    expect(c).toEqual(at(2, 0, null));
    expect(moveCursor(groups, at(0, 1, 't_2'), 'bottom', 'columns').taskId).toBe('t_3');
  });

  it('in the list layout walks every task in order and jumps between sections', () => {
    let c = resolveCursor(groups, at(0, 2), 'list');
    c = moveCursor(groups, c, 'down', 'list');
    expect(c.taskId).toBe('t_4');
    c = moveCursor(groups, c, 'right', 'list');
    expect(c.taskId).toBe('t_5');
    c = moveCursor(groups, c, 'left', 'list');
    expect(c.taskId).toBe('t_4');
    // An empty section is skipped when the cursor lands on it.
    expect(resolveCursor(groups, at(2, 0), 'list').taskId).toBe('t_5');
    // An unplaced cursor starts on the first task, wherever it is.
    const noPending = groupTasks([task('t_7', { status: 'blocked' })], NO_FILTER, '');
    expect(resolveCursor(noPending, at(-1, 0), 'columns')).toEqual(at(2, 0, 't_7'));
  });

  it('follows its task when the task changes status, and stays in place when it goes away', () => {
    const moved = groupTasks([task('t_1', { status: 'completed' }), task('t_2'), task('t_3')], NO_FILTER, '');
    expect(resolveCursor(moved, at(0, 0, 't_1'), 'columns')).toEqual(at(4, 0, 't_1'));
    const gone = groupTasks([task('t_1'), task('t_3')], NO_FILTER, '');
    expect(resolveCursor(gone, at(0, 1, 't_2'), 'columns')).toEqual(at(0, 1, 't_3'));
  });

  it('keeps the selected row in the window', () => {
    expect(windowStart(0, 100, 10)).toBe(0);
    expect(windowStart(50, 100, 10)).toBe(45);
    expect(windowStart(99, 100, 10)).toBe(90);
    expect(windowStart(3, 5, 10)).toBe(0);
  });
});

describe('session output', () => {
  it('keeps the last lines of terminal output as text', () => {
    const raw =
      'one\r\r\n\u001b[32mtwo\u001b[0m\r\nprogress 10%\rprogress 100%\r\n\u001b]0;title\u0007three\n\n';
    expect(lastLines(raw, 10)).toEqual(['one', 'two', 'progress 100%', 'three']);
    expect(lastLines(raw, 2)).toEqual(['progress 100%', 'three']);
    expect(lastLines('', 3)).toEqual([]);
  });

  it('lists live sessions first, newest first', () => {
    const list = sortSessions([
      session('s_1', { status: 'completed' }),
      session('s_2', { createdAt: '2026-11-24T09:00:00.000Z' }),
      session('s_3', { createdAt: '2026-11-24T11:00:00.000Z', status: 'stale' }),
    ]);
    expect(list.map((s) => s.id)).toEqual(['s_3', 's_2', 's_1']);
  });
});
