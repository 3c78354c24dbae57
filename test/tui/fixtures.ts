import { EMPTY_USAGE } from '../../src/contract/views.js';
import type { SessionView, TaskView } from '../../cli/tui/wire-types.js';

/** A task view as the server sends it, with the fields a test names. */
export function task(id: string, patch: Partial<TaskView> = {}): TaskView {
  return {
    id,
    projectId: 'p_1',
    title: `Task ${id}`,
    description: '',
    status: 'pending',
    priority: 'medium',
    parentId: '',
    labels: [],
    claim: null,
    blockedReason: '',
    version: 1,
    dependsOn: [],
    subtasksTotal: 0,
    subtasksCompleted: 0,
    createdAt: '2026-11-24T10:00:00.000Z',
    updatedAt: '2026-11-24T10:00:00.000Z',
    completedAt: '',
    allowedActions: [],
    gatedActions: [],
    actionTargets: [],
    ...patch,
  };
}

export function session(id: string, patch: Partial<SessionView> = {}): SessionView {
  return {
    id,
    projectId: 'p_1',
    taskIds: ['t_1'],
    role: 'worker',
    name: `worker-${id.slice(2)}`,
    status: 'running',
    skill: 'maestro-worker',
    pid: 100,
    exitCode: 0,
    failureReason: '',
    lastHeartbeatAt: '',
    version: 1,
    createdAt: '2026-11-24T10:00:00.000Z',
    updatedAt: '2026-11-24T10:00:00.000Z',
    endedAt: '',
    terminal: null,
    agent: 'claude',
    mode: 'headless',
    harnessSessionId: '',
    resumedFrom: '',
    outcome: '',
    usage: { ...EMPTY_USAGE },
    resultText: '',
    usageLimit: null,
    pausedUntil: '',
    resumes: 0,
    ...patch,
  };
}
