import { describe, expect, it } from 'vitest';
import type { ProjectView, TaskDetailView, TaskView, WorkspaceView } from '../contract/views.js';
import {
  NO_BOARD_FILTER,
  completionMayWait,
  diffStamp,
  hasWorkspaces,
  matchesFilter,
  missingWorkspace,
  planMove,
  readiness,
} from './board-queries.js';

const task = (id: string, patch: Partial<TaskView> = {}): TaskView =>
  ({
    id,
    projectId: 'p',
    title: `Task ${id}`,
    description: '',
    status: 'pending',
    priority: 'medium',
    labels: [],
    claim: null,
    dependsOn: [],
    version: 1,
    allowedActions: ['task.start', 'task.block', 'task.cancel'],
    gatedActions: ['task.start'],
    actionTargets: ['in_progress', 'blocked', 'cancelled'],
    ...patch,
  }) as TaskView;

const mapOf = (...tasks: TaskView[]) => new Map(tasks.map((t) => [t.id, t]));

describe('readiness', () => {
  it('a pending task waits for unfinished dependencies and is ready without them', () => {
    const a = task('a', { status: 'completed' });
    const b = task('b', { status: 'in_progress' });
    const c = task('c', { dependsOn: ['a', 'b'] });
    expect(readiness(c, mapOf(a, b, c))).toEqual({ state: 'waiting', waitingOn: ['b'] });
    expect(readiness(task('d', { dependsOn: ['a'] }), mapOf(a))).toEqual({ state: 'ready', waitingOn: [] });
    expect(readiness(b, mapOf(a, b)).state).toBe('other');
  });
});

describe('matchesFilter', () => {
  const t = task('t-7', {
    title: 'Fix login',
    labels: ['UI'],
    priority: 'high',
    claim: { holder: 'alice', sessionId: '', expiresAt: '', claimedAt: '' },
  });
  it('keeps what every set part matches', () => {
    expect(matchesFilter(t, NO_BOARD_FILTER)).toBe(true);
    expect(matchesFilter(t, { ...NO_BOARD_FILTER, text: 'LOGIN' })).toBe(true);
    expect(matchesFilter(t, { ...NO_BOARD_FILTER, text: 't-7' })).toBe(true);
    expect(matchesFilter(t, { ...NO_BOARD_FILTER, label: 'ui', priorities: ['high'] })).toBe(true);
    expect(matchesFilter(t, { ...NO_BOARD_FILTER, holder: 'ali' })).toBe(true);
    expect(matchesFilter(t, { ...NO_BOARD_FILTER, holder: 'none' })).toBe(false);
    expect(matchesFilter(t, { ...NO_BOARD_FILTER, statuses: ['blocked'] })).toBe(false);
    expect(matchesFilter(t, { ...NO_BOARD_FILTER, text: 'signup' })).toBe(false);
  });
});

describe('planMove', () => {
  it('picks the action the server says leads to the column', () => {
    expect(planMove(task('a'), 'blocked', mapOf())).toEqual({ ok: true, op: 'task.block' });
    expect(planMove(task('a'), 'in_progress', mapOf())).toEqual({ ok: true, op: 'task.start' });
  });
  it('refuses a move no action makes, saying where it can go', () => {
    const move = planMove(task('a'), 'completed', mapOf());
    expect(move.ok).toBe(false);
    expect(!move.ok && move.reason).toBe(
      'a cannot go from pending to completed (it can go to: in progress, blocked, cancelled).',
    );
  });
  it('refuses a gated move while dependencies are unfinished, naming them', () => {
    const dep = task('d');
    expect(planMove(task('a', { dependsOn: ['d'] }), 'in_progress', mapOf(dep))).toMatchObject({
      ok: false,
      waitingOn: ['d'],
    });
    // Not gated: blocking does not wait.
    expect(planMove(task('a', { dependsOn: ['d'] }), 'blocked', mapOf(dep))).toEqual({
      ok: true,
      op: 'task.block',
    });
  });
});

describe("a task detail's workspace", () => {
  const detail = (patch: Partial<TaskDetailView>) => ({ task: task('t_1'), ...patch }) as TaskDetailView;
  const ws = (patch: Partial<WorkspaceView> = {}) =>
    ({ taskId: 't_1', status: 'ready', updatedAt: '2026-11-24T10:00:00.000Z', ...patch }) as WorkspaceView;

  it('says why there is none: the project has none (and why), or none was made yet', () => {
    expect(missingWorkspace(detail({ isolation: 'none: the project sets isolation none' }))).toEqual({
      isolation: 'none',
      reason: 'the project sets isolation none',
    });
    expect(missingWorkspace(detail({ isolation: 'worktree', workspace: null }))?.isolation).toBe('worktree');
    expect(missingWorkspace(detail({ isolation: 'worktree', workspace: ws() }))).toBeNull();
  });

  it('stamps the diff with the workspace and task state, so it is fetched again when either moves on', () => {
    expect(diffStamp(detail({ workspace: null }))).toBe('');
    const a = diffStamp(detail({ workspace: ws() }));
    expect(diffStamp(detail({ workspace: ws() }))).toBe(a);
    expect(diffStamp(detail({ workspace: ws({ status: 'review' }) }))).not.toBe(a);
    expect(diffStamp(detail({ workspace: ws({ updatedAt: '2026-11-24T10:00:01.000Z' }) }))).not.toBe(a);
    expect(diffStamp({ ...detail({ workspace: ws() }), task: task('t_1', { version: 2 }) })).not.toBe(a);
  });
});

describe('where a completion may go', () => {
  const project = (patch: Partial<ProjectView>): ProjectView =>
    ({ id: 'p_1', name: 'p', workingDir: '/repo', isolation: '', checks: '', ...patch }) as ProjectView;
  it('may wait for review in a project with workspaces or with checks, never in one with neither', () => {
    expect(hasWorkspaces(project({}))).toBe(true);
    expect(completionMayWait(project({}))).toBe(true);
    expect(hasWorkspaces(project({ isolation: 'none' }))).toBe(false);
    expect(completionMayWait(project({ isolation: 'none' }))).toBe(false);
    expect(completionMayWait(project({ workingDir: '' }))).toBe(false);
    expect(completionMayWait(project({ isolation: 'none', checks: 'npm test' }))).toBe(true);
    expect(completionMayWait(null)).toBe(false);
  });
});
