import { describe, expect, it } from 'vitest';
import type { SessionView, TaskView } from '../contract/views.js';
import { BoardProjection, countByStatus, touchesTask } from './board-projection.js';
import type { BoardEvent } from './wire-guards.js';
import { task as taskView } from '../../test/tui/fixtures.js';

/** The TUI tests' task view, in this file's project. */
const task = (id: string, patch: Partial<TaskView> = {}): TaskView =>
  taskView(id, { projectId: 'p1', ...patch });

const session = (id: string, patch: Partial<SessionView> = {}): SessionView =>
  ({ id, projectId: 'p1', taskIds: ['t1'], status: 'running', version: 1, ...patch }) as SessionView;

let seq = 0;
const event = (type: string, data: Record<string, unknown>, patch: Partial<BoardEvent> = {}): BoardEvent => ({
  seq: ++seq,
  type,
  entityType: type.split('.')[0]!,
  entityId: (data.task as TaskView | undefined)?.id ?? '',
  projectId: 'p1',
  data,
  ...patch,
});

describe('BoardProjection', () => {
  it('applies events over a snapshot, dropping older versions and other projects', () => {
    const board = new BoardProjection('p1');
    board.finishLoad(board.beginLoad(), { tasks: [task('t1', { version: 2 })], sessions: [] });
    const applied = board.apply([
      event('task.updated', { task: task('t1', { version: 1, title: 'old' }) }),
      event('task.created', { task: task('t2') }),
      event('task.created', { task: task('t9', { projectId: 'p2' }) }, { projectId: 'p2' }),
    ]);
    expect(applied.tasksChanged).toBe(true);
    expect([...board.tasks.keys()]).toEqual(['t1', 't2']);
    expect(board.tasks.get('t1')?.title).toBe('Task t1');
  });

  it('replaces its maps on change, so a UI can compare them by identity', () => {
    const board = new BoardProjection();
    const before = board.tasks;
    board.apply([event('task.created', { task: task('t1') })]);
    expect(board.tasks).not.toBe(before);
    const after = board.tasks;
    board.apply([event('task.updated', { task: task('t1', { version: 0 }) })]);
    expect(board.tasks).toBe(after);
  });

  it('ignores payloads that are not the shapes the wire promises', () => {
    const board = new BoardProjection();
    const applied = board.apply([
      event('task.created', { task: { id: 't1', status: 'pending' } }),
      event('session.updated', { session: { id: 's1', version: 'x' } }),
    ]);
    expect(applied).toMatchObject({ tasksChanged: false, sessionsChanged: false });
    expect(board.tasks.size).toBe(0);
  });

  it('keeps what events said during a load over the load’s older lists, and deletions stay deleted', () => {
    const board = new BoardProjection('p1');
    const generation = board.beginLoad();
    board.apply([
      event('task.updated', { task: task('t1', { version: 3, status: 'in_progress' }) }),
      event('task.deleted', { taskId: 't2' }, { entityId: 't2' }),
    ]);
    board.finishLoad(generation, { tasks: [task('t1', { version: 2 }), task('t2')], sessions: [] });
    expect(board.tasks.get('t1')?.status).toBe('in_progress');
    expect(board.tasks.has('t2')).toBe(false);
    expect(board.upsertTask(task('t2', { version: 5 }))).toBe(false);
  });

  it('a superseded load changes nothing', () => {
    const board = new BoardProjection();
    const first = board.beginLoad();
    const second = board.beginLoad();
    expect(board.finishLoad(first, { tasks: [task('t1')], sessions: [] })).toBe(false);
    expect(board.finishLoad(second, { tasks: [task('t2')], sessions: [] })).toBe(true);
    expect([...board.tasks.keys()]).toEqual(['t2']);
  });

  it('shows an optimistic change until the server answers, and takes it back on failure', () => {
    const board = new BoardProjection();
    board.upsertTask(task('t1'));
    const undo = board.optimistic('t1', { status: 'in_progress' });
    expect(board.tasks.get('t1')?.status).toBe('in_progress');
    expect(board.isPending('t1')).toBe(true);
    undo();
    expect(board.tasks.get('t1')?.status).toBe('pending');
    expect(board.isPending('t1')).toBe(false);

    const undoAgain = board.optimistic('t1', { status: 'completed' });
    // The server's view (even at the same version as the guess was over) replaces the guess.
    board.apply([event('task.updated', { task: task('t1', { version: 2, status: 'blocked' }) })]);
    expect(board.tasks.get('t1')?.status).toBe('blocked');
    undoAgain();
    expect(board.tasks.get('t1')?.status).toBe('blocked');
  });

  it('reports sessions that failed, tasks to fetch for subtask events, and deletions', () => {
    const board = new BoardProjection();
    board.upsertSession(session('s1'));
    const applied = board.apply([
      event('session.updated', { session: session('s1', { status: 'failed', version: 2 }) }),
      event('subtask.created', {
        subtask: { id: 's', taskId: 't7', title: 'x', status: 'open', version: 1 },
      }),
      event('task.deleted', { taskId: 't3' }, { entityId: 't3' }),
    ]);
    expect(applied.failed.map((s) => s.id)).toEqual(['s1']);
    expect([...applied.stale]).toEqual(['t7']);
    expect(applied.deleted).toEqual(['t3']);
  });

  it('rescope drops what it held', () => {
    const board = new BoardProjection('p1');
    board.upsertTask(task('t1'));
    board.rescope('p2');
    expect(board.tasks.size).toBe(0);
    expect(board.upsertTask(task('t1'))).toBe(false);
    expect(board.upsertTask(task('t2', { projectId: 'p2' }))).toBe(true);
  });
});

describe('touchesTask and countByStatus', () => {
  it('finds events that change an open task’s detail', () => {
    expect(touchesTask(event('task.updated', { task: task('t1') }), 't1', null)).toBe(true);
    expect(touchesTask(event('task.updated', { task: task('t2', { dependsOn: ['t1'] }) }), 't1', null)).toBe(
      true,
    );
    expect(touchesTask(event('task.updated', { task: task('t2') }), 't1', null)).toBe(false);
    expect(touchesTask(event('session.updated', { session: session('s1') }), 't1', null)).toBe(true);
    expect(touchesTask(event('session.updated', { session: session('s1') }), 't2', null)).toBe(false);
  });

  it('counts tasks per status', () => {
    expect(countByStatus([task('a'), task('b', { status: 'blocked' }), task('c')])).toEqual({
      pending: 2,
      blocked: 1,
    });
  });
});
