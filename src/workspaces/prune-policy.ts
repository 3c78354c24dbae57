/** How long worktrees are kept on disk, and how much disk they may take together. */
export interface PrunePolicy {
  /** A merged workspace's worktree is removed this many days after the merge (default 7). */
  mergedRetentionDays: number;
  /** An archived workspace's worktree is removed this many days after archiving (default 30). */
  archivedRetentionDays: number;
  /** When all worktrees together take more, merged then archived ones go, oldest first. null: no cap. */
  maxTotalBytes: number | null;
}

export const DEFAULT_PRUNE_POLICY: PrunePolicy = {
  mergedRetentionDays: 7,
  archivedRetentionDays: 30,
  maxTotalBytes: null,
};

/** A worktree on disk, as prune sees it. */
export interface PruneCandidate {
  key: string;
  /** `active`: anything not merged or archived; never pruned. */
  kind: 'merged' | 'archived' | 'active';
  /** When it was merged or archived (epoch ms); for active ones, when it was made. */
  since: number;
  bytes: number;
}

export type PruneReason = 'merged_retention' | 'archived_retention' | 'disk_cap';

export interface PrunePlan {
  remove: { key: string; reason: PruneReason }[];
  totalBytes: number;
  /** What the worktrees left take once the plan is carried out. */
  bytesAfter: number;
  /** The cap cannot be met by removing merged and archived worktrees: what is still over it. */
  overCapBytes: number;
}

const DAY_MS = 86_400_000;

/**
 * Which worktrees to remove. Pure, linear after one sort: first merged and archived worktrees past
 * their retention; then, while the total is over the cap, the remaining merged ones and then the
 * archived ones, oldest first. Active worktrees are never chosen: their work may be running.
 * Removal itself always takes a snapshot first, so no choice here can lose work.
 */
export function planPrune(
  candidates: readonly PruneCandidate[],
  policy: PrunePolicy,
  now: number,
): PrunePlan {
  const totalBytes = candidates.reduce((sum, c) => sum + c.bytes, 0);
  const remove: PrunePlan['remove'] = [];
  const chosen = new Set<string>();
  let bytes = totalBytes;
  const take = (c: PruneCandidate, reason: PruneReason) => {
    chosen.add(c.key);
    remove.push({ key: c.key, reason });
    bytes -= c.bytes;
  };
  const oldestFirst = [...candidates].sort((a, b) => a.since - b.since || a.key.localeCompare(b.key));
  for (const c of oldestFirst) {
    if (c.kind === 'merged' && now - c.since >= policy.mergedRetentionDays * DAY_MS)
      take(c, 'merged_retention');
    else if (c.kind === 'archived' && now - c.since >= policy.archivedRetentionDays * DAY_MS)
      take(c, 'archived_retention');
  }
  if (policy.maxTotalBytes !== null) {
    for (const kind of ['merged', 'archived'] as const) {
      for (const c of oldestFirst) {
        if (bytes <= policy.maxTotalBytes) break;
        if (c.kind === kind && !chosen.has(c.key)) take(c, 'disk_cap');
      }
    }
  }
  const overCapBytes = policy.maxTotalBytes === null ? 0 : Math.max(0, bytes - policy.maxTotalBytes);
  return { remove, totalBytes, bytesAfter: bytes, overCapBytes };
}
