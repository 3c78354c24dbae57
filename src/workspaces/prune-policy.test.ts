import { describe, expect, it } from 'vitest';
import { DEFAULT_PRUNE_POLICY, planPrune, type PruneCandidate } from './prune-policy.js';

const DAY = 86_400_000;
const NOW = 100 * DAY;
const at = (daysAgo: number) => NOW - daysAgo * DAY;

const candidates: PruneCandidate[] = [
  { key: 'merged-old', kind: 'merged', since: at(10), bytes: 100 },
  { key: 'merged-new', kind: 'merged', since: at(1), bytes: 200 },
  { key: 'archived-old', kind: 'archived', since: at(40), bytes: 300 },
  { key: 'archived-new', kind: 'archived', since: at(2), bytes: 400 },
  { key: 'active', kind: 'active', since: at(90), bytes: 5000 },
];

describe('prune plan', () => {
  it('removes merged and archived worktrees past their retention, oldest first', () => {
    expect(planPrune(candidates, DEFAULT_PRUNE_POLICY, NOW)).toEqual({
      remove: [
        { key: 'archived-old', reason: 'archived_retention' },
        { key: 'merged-old', reason: 'merged_retention' },
      ],
      totalBytes: 6000,
      bytesAfter: 5600,
      overCapBytes: 0,
    });
  });

  it('under a cap, takes merged ones before archived ones, oldest first, and stops once under it', () => {
    const plan = planPrune(candidates, { ...DEFAULT_PRUNE_POLICY, maxTotalBytes: 5400 }, NOW);
    expect(plan.remove).toEqual([
      { key: 'archived-old', reason: 'archived_retention' },
      { key: 'merged-old', reason: 'merged_retention' },
      { key: 'merged-new', reason: 'disk_cap' },
    ]);
    expect(plan).toMatchObject({ bytesAfter: 5400, overCapBytes: 0 });
  });

  it('never takes an active worktree, and says how far over the cap that leaves it', () => {
    const plan = planPrune(candidates, { ...DEFAULT_PRUNE_POLICY, maxTotalBytes: 1000 }, NOW);
    expect(plan.remove.map((r) => r.key)).toEqual([
      'archived-old',
      'merged-old',
      'merged-new',
      'archived-new',
    ]);
    expect(plan).toMatchObject({ bytesAfter: 5000, overCapBytes: 4000 });
  });

  it('keeps a workspace merged exactly N days ago minus a millisecond, and removes it at N days', () => {
    const one = (since: number): PruneCandidate[] => [{ key: 'm', kind: 'merged', since, bytes: 1 }];
    expect(planPrune(one(NOW - 7 * DAY + 1), DEFAULT_PRUNE_POLICY, NOW).remove).toEqual([]);
    expect(planPrune(one(NOW - 7 * DAY), DEFAULT_PRUNE_POLICY, NOW).remove).toEqual([
      { key: 'm', reason: 'merged_retention' },
    ]);
  });
});
