import { describe, expect, it } from 'vitest';
import { NoticeTracker, noticeFor } from './notifications.js';

const ev = (type: string, data: Record<string, unknown> = {}, entityId = 't_1', projectId = 'p_1') => ({
  type,
  entityId,
  projectId,
  data,
});

describe('notifications', () => {
  it('classifies questions, blocks, budget blocks, failed and lost sessions and a budget-stopped autopilot', () => {
    expect(noticeFor(ev('task.question', { question: 'Which port?' }))).toEqual({
      kind: 'question',
      text: 'Question on t_1: Which port?',
    });
    expect(noticeFor(ev('task.blocked', { task: { title: 'API', blockedReason: 'needs keys' } }))).toEqual({
      kind: 'blocked',
      text: 'Task t_1 (API) is blocked: needs keys',
    });
    expect(
      noticeFor(ev('task.blocked', { task: { title: 'API', blockedReason: 'budget_exceeded: cost $2' } }))
        ?.kind,
    ).toBe('budget');
    expect(
      noticeFor(ev('session.lost', { session: { name: 'w', taskIds: ['t_3'], failureReason: '' } }, 's_2')),
    ).toEqual({ kind: 'session_failed', text: 'Session s_2 (w) was lost on t_3' });
    expect(
      noticeFor(ev('session.failed', { session: { taskIds: ['t_3'], failureReason: 'exit 1' } }, 's_2'))
        ?.text,
    ).toBe('Session s_2 () failed on t_3: exit 1');
    expect(
      noticeFor(ev('autopilot.off', { autopilot: { reason: 'budget_exceeded: the project’s cost' } }, 'p_1'))
        ?.kind,
    ).toBe('budget');
    // Turned off by a person, a task started: nothing to tell.
    expect(noticeFor(ev('autopilot.off', { autopilot: { reason: '' } }, 'p_1'))).toBeNull();
    expect(noticeFor(ev('task.started', { task: {} }))).toBeNull();
    // Malformed data does not throw.
    expect(noticeFor(ev('session.failed', { session: 'nope' }))?.kind).toBe('session_failed');
  });

  it('announces a project done once, again after a task is added or reopened', () => {
    const n = new NoticeTracker();
    expect(n.consider(ev('task.completed')).checkGraph).toBe('p_1');
    expect(n.graphChecked('p_1', { completed: 1, pending: 1 })).toBeNull();
    expect(n.graphChecked('p_1', { completed: 1, cancelled: 1 }, 'web')).toEqual({
      kind: 'graph_done',
      text: 'Every task of project web is done: 1 completed, 1 cancelled.',
    });
    // Once: the next completion in the same project is not checked again.
    expect(n.consider(ev('task.completed')).checkGraph).toBeNull();
    expect(n.graphChecked('p_1', { completed: 1, cancelled: 1 })).toBeNull();
    expect(n.consider(ev('task.reopened')).checkGraph).toBeNull();
    expect(n.consider(ev('task.completed')).checkGraph).toBe('p_1');
    expect(n.graphChecked('p_1', { completed: 2 })?.kind).toBe('graph_done');
    // Work of a workspace completes when it merges; guarded work when its checks pass.
    expect(n.consider(ev('task.created')).checkGraph).toBeNull();
    expect(n.consider(ev('task.merged')).checkGraph).toBe('p_1');
    expect(n.consider(ev('task.checks_passed')).checkGraph).toBe('p_1');
    expect(n.consider(ev('task.started')).checkGraph).toBeNull();
    // A project without tasks is not done; a status counted zero times does not count.
    expect(n.graphChecked('p_2', {})).toBeNull();
    expect(n.graphChecked('p_2', { completed: 0 })).toBeNull();
    expect(n.graphChecked('p_2', { completed: 3, pending: 0 })?.text).toMatch(/3 completed, 0 cancelled/);
  });
});
