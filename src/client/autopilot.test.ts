import { describe, expect, it } from 'vitest';
import type { AutopilotView } from '../contract/autopilot.js';
import type { SessionView } from '../contract/views.js';
import { liveWorkerCount } from '../contract/views.js';
import { autopilotAfter, autopilotReplied } from './autopilot.js';
import type { BoardEvent } from './wire-guards.js';

const view = (patch: Partial<AutopilotView> = {}): AutopilotView => ({
  projectId: 'p_1',
  enabled: false,
  maxWorkers: 4,
  label: '',
  agent: '',
  maxAttempts: 3,
  budget: { usd: 0, tokens: 0, minutes: 0 },
  reason: '',
  updatedAt: '2026-11-24T10:00:00.000Z',
  ...patch,
});

let seq = 0;
const event = (type: string, data: Record<string, unknown>, projectId = 'p_1'): BoardEvent => ({
  seq: ++seq,
  type,
  entityType: 'project',
  entityId: projectId,
  projectId,
  data,
});

describe('the autopilot a board shows', () => {
  it('follows autopilot.on/off/updated events of its project, newest last', () => {
    const off = view();
    const on = view({ enabled: true, updatedAt: '2026-11-24T10:00:01.000Z' });
    const capped = view({ enabled: true, maxWorkers: 2, updatedAt: '2026-11-24T10:00:02.000Z' });
    expect(autopilotAfter(off, [event('autopilot.on', { autopilot: on })], 'p_1')).toBe(on);
    expect(
      autopilotAfter(
        off,
        [event('autopilot.on', { autopilot: on }), event('autopilot.updated', { autopilot: capped })],
        'p_1',
      ),
    ).toBe(capped);
    // Another project's, a decision without settings, a malformed view: nothing changes.
    const other = view({ projectId: 'p_2', enabled: true, updatedAt: '2026-11-24T11:00:00.000Z' });
    const unchanged = [
      event('autopilot.on', { autopilot: other }, 'p_2'),
      event('autopilot.spawned', { taskId: 't_1', sessionId: 's_1', attempt: 1 }),
      event('autopilot.on', { autopilot: { enabled: 'yes' } }),
      event('task.updated', { autopilot: on }),
    ];
    expect(autopilotAfter(off, unchanged, 'p_1')).toBe(off);
  });

  it('drops a replayed event older than what a reply said', () => {
    const on = view({ enabled: true, updatedAt: '2026-11-24T10:00:05.000Z' });
    const older = view({ updatedAt: '2026-11-24T10:00:01.000Z' });
    expect(autopilotAfter(on, [event('autopilot.off', { autopilot: older })], 'p_1')).toBe(on);
    expect(autopilotReplied(on, older)).toBe(on);
    expect(autopilotReplied(older, on)).toBe(on);
    expect(autopilotReplied(null, older)).toBe(older);
  });

  it('counts live workers as the cap does: workers that have not ended', () => {
    const s = (role: string, status: string) => ({ role, status }) as SessionView;
    expect(
      liveWorkerCount([
        s('worker', 'spawning'),
        s('worker', 'running'),
        s('worker', 'stale'),
        s('worker', 'paused'),
        s('worker', 'completed'),
        s('worker', 'failed'),
        s('orchestrator', 'running'),
      ]),
    ).toBe(4);
  });
});
