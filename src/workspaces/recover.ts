import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { syncCheckouts, type CheckoutSync } from './checkout-sync.js';
import { EngineContext, inspectWorktree } from './context.js';
import { removeDurably } from './durable-file.js';
import { readJournals, rollbackWorkspace, type MergeJournal, type MergeStep } from './merge.js';
import { listRecords, readRecord, writeRecord } from './record.js';
import { removeWorkspace, type RemoveResult } from './remove.js';
import type { Snapshot } from './snapshots.js';

/** What recovery did with one interrupted merge. */
export interface RecoveredMerge {
  projectKey: string;
  taskId: string;
  baseBranch: string;
  /** The step the journal was in when the process died. */
  step: MergeStep;
  /**
   * `merged`: the base had moved (the swap was done); the rest was finished. `rolled_back`: the
   * base had not moved; the workspace is back at the attempt's start. `abandoned`: the attempt had
   * not changed anything yet; the journal was dropped.
   */
  outcome: 'merged' | 'rolled_back' | 'abandoned';
  /** The base branch as recovery left it: at the commit before the merge, or at the merged one. */
  base: 'before' | 'after';
  baseCommit: string | null;
  /** The merged commit, when the outcome is `merged`. */
  commit: string | null;
  checkouts: CheckoutSync[];
  /** A snapshot taken while rolling back (what the worktree held beyond the attempt's start). */
  snapshot: Snapshot | null;
}

export interface RecoveryReport {
  merges: RecoveredMerge[];
  /** Removals that a crash interrupted, finished. */
  removals: RemoveResult[];
  /** Temporary index files of dead processes, removed. */
  temporaryFiles: number;
}

/**
 * Brings a project's workspaces back to a consistent state after a crash or kill -9; the server
 * runs it at start, before the merge queue. Per interrupted merge (see MergeStep): before `land`
 * the base is untouched and the workspace is put back; at `land` the base ref decides (it moved:
 * finish; it did not: put back); from `sync` on, finish. The base branch ends before or after the
 * merge, never between. Interrupted removals are finished (their snapshot was taken first).
 */
export async function recoverProject(ctx: EngineContext, projectKey: string): Promise<RecoveryReport> {
  const report: RecoveryReport = { merges: [], removals: [], temporaryFiles: 0 };
  for (const journal of await readJournals(ctx, projectKey)) {
    const merge = await ctx.locks.run(EngineContext.baseKey(projectKey, journal.baseBranch), () =>
      ctx.locks.run(EngineContext.taskKey(projectKey, journal.taskId), () => recoverMerge(ctx, journal)),
    );
    report.merges.push(merge);
  }
  for (const record of await listRecords(ctx.layout(projectKey)))
    if (record.step === 'removing')
      report.removals.push(
        await ctx.locks.run(EngineContext.taskKey(projectKey, record.taskId), () =>
          removeWorkspace(ctx, record, 'remove'),
        ),
      );
  report.temporaryFiles = await removeDeadTemporaryFiles(ctx, projectKey);
  return report;
}

async function recoverMerge(ctx: EngineContext, journal: MergeJournal): Promise<RecoveredMerge> {
  const layout = ctx.layout(journal.projectKey);
  const record = await readRecord(layout, journal.taskId);
  const baseRef = `refs/heads/${journal.baseBranch}`;
  const result: RecoveredMerge = {
    projectKey: journal.projectKey,
    taskId: journal.taskId,
    baseBranch: journal.baseBranch,
    step: journal.step,
    outcome: 'abandoned',
    base: 'before',
    baseCommit: null,
    commit: null,
    checkouts: [],
    snapshot: null,
  };
  if (!record) {
    await removeDurably(layout.journal(journal.taskId));
    return result;
  }
  const git = ctx.git;
  const baseTip = await git.commitOf(record.repoRoot, baseRef);
  const landed =
    journal.candidate !== null &&
    baseTip !== null &&
    (journal.step === 'sync' ||
      journal.step === 'finish' ||
      (journal.step === 'land' &&
        (baseTip === journal.candidate ||
          (await git.isAncestor(record.repoRoot, journal.candidate, baseTip)))));

  if (landed) {
    if (journal.step !== 'finish' && journal.onto)
      result.checkouts = await syncCheckouts(ctx, record, journal.onto, journal.candidate!, {
        recovering: journal.step === 'sync',
        since: journal.syncStartedAt,
      });
    await writeRecord(layout, {
      ...record,
      mergedAt: ctx.now(),
      mergedCommit: journal.candidate,
      mergedFrom: journal.onto,
    });
    Object.assign(result, { outcome: 'merged', base: 'after', commit: journal.candidate });
  } else if (journal.step === 'prepare' || journal.step === 'snapshot' || journal.step === 'commit') {
    // Nothing beyond a snapshot or a commit of pending work happened; a git killed in `commit`
    // may have left the worktree's index lock.
    const state = await inspectWorktree(ctx, record);
    if (state.gitDir) await removeDurably(join(state.gitDir, 'index.lock'));
  } else {
    await stopLeftoverChecks(journal);
    result.snapshot = await rollbackWorkspace(ctx, record, journal.pre ?? journal.branchBefore, {
      candidate: journal.candidate,
      recovering: true,
    });
    result.outcome = 'rolled_back';
  }
  result.baseCommit = await git.commitOf(record.repoRoot, baseRef);
  await removeDurably(layout.journal(journal.taskId));
  return result;
}

/**
 * Checks started by the killed process may still run in the worktree (they have a process group of
 * their own, which a kill of the server does not reach). They carry the attempt's id in
 * MAESTRO_MERGE_ATTEMPT; on Linux, every process of ours with it is found in /proc and its group
 * killed. Elsewhere the journal's pid is the one lead.
 */
async function stopLeftoverChecks(journal: MergeJournal): Promise<void> {
  const marker = `MAESTRO_MERGE_ATTEMPT=${journal.id}`;
  let pids: number[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    pids = journal.checksPid ? [journal.checksPid] : [];
  }
  const found: number[] = [];
  for (const pid of pids) {
    try {
      if ((await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').includes(marker)) found.push(pid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  for (const pid of found) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Not a group leader, or gone already.
      }
    }
  }
  for (const pid of found) {
    for (let i = 0; i < 250 && !ended(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Gone, or a zombie nobody reaped yet. */
function ended(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function removeDeadTemporaryFiles(ctx: EngineContext, projectKey: string): Promise<number> {
  const tmpDir = ctx.layout(projectKey).tmpDir;
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(/^capture-(\d+)-/.exec(name)?.[1]);
    if (pid === process.pid || (pid && alive(pid))) continue;
    await removeDurably(join(tmpDir, name));
    removed++;
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
