import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inspectWorktree, type EngineContext } from './context.js';
import { workingDir } from './create.js';
import { readJson, removeDurably, writeJsonDurably } from './durable-file.js';
import { WorkspaceErrors } from './errors.js';
import { excludePathspecs, splitNul } from './git.js';
import { writeRecord, type WorkspaceRecord } from './record.js';
import { runCommand, type CommandResult } from './run-command.js';
import { checkoutCollisions, syncCheckouts, type CheckoutSync } from './checkout-sync.js';
import { takeSnapshot, type Snapshot } from './snapshots.js';
import { uncommittedChanges } from './status.js';
import type { CommandSpec, MergeStrategy } from './workspace-file.js';

/**
 * The steps of a merge, in order. The journal names the step it is in before the step's work
 * starts, so after a crash recover() knows what may be half-done:
 *
 * | step        | work                                                        | the base branch |
 * | ----------- | ----------------------------------------------------------- | --------------- |
 * | `prepare`   | record the base and branch commits                          | untouched       |
 * | `snapshot`  | snapshot the worktree (no file, index or HEAD is written)   | untouched       |
 * | `commit`    | commit uncommitted work on the task branch                  | untouched       |
 * | `integrate` | rebase the branch onto the base, or make the merge commit   | untouched       |
 * | `check`     | run the checks in the workspace                             | untouched       |
 * | `land`      | `update-ref refs/heads/<base> <new> <old>`: the one switch  | before or after |
 * | `sync`      | bring checkouts of the base (the main checkout) to it       | after           |
 * | `finish`    | record the merge, delete the journal                        | after           |
 */
export type MergeStep =
  'prepare' | 'snapshot' | 'commit' | 'integrate' | 'check' | 'land' | 'sync' | 'finish';

/** `<home>/workspaces/<project>/.maestro/<task>.merge.json`, rewritten (durably) at every step. */
export interface MergeJournal {
  version: 1;
  /** This attempt's id; the checks run with it in MAESTRO_MERGE_ATTEMPT, so recovery can find them. */
  id: string;
  projectKey: string;
  taskId: string;
  branch: string;
  baseBranch: string;
  strategy: MergeStrategy;
  step: MergeStep;
  startedAt: number;
  updatedAt: number;
  baseBefore: string;
  branchBefore: string;
  snapshot: number | null;
  /** The branch commit the attempt started integrating from (after committing pending work). */
  pre: string | null;
  /** The base commit it integrates onto, and the commit that lands (base moves `onto` → `candidate`). */
  onto: string | null;
  candidate: string | null;
  checksPid: number | null;
  syncStartedAt: number | null;
  attempt: number;
}

export interface MergeOptions {
  strategy: MergeStrategy;
  checks: CommandSpec | null;
  /** The merge commit's subject (merge strategy); default `Merge <branch> into <base>`. */
  message?: string;
}

interface MergeBase {
  taskId: string;
  baseBranch: string;
}

export type MergeResult =
  | (MergeBase & {
      outcome: 'merged';
      strategy: MergeStrategy;
      /** The base moved from → to. */
      from: string;
      to: string;
      /** The branch already contained the base: the base moved to the branch's commit. */
      fastForward: boolean;
      /** The branch had nothing the base lacks: the base did not move. */
      empty: boolean;
      /** The commit made of uncommitted work before merging, if there was any. */
      pendingCommit: string | null;
      snapshot: Snapshot | null;
      checks: CommandResult | null;
      checkouts: CheckoutSync[];
    })
  | (MergeBase & {
      outcome: 'conflicted';
      /** The base commit it conflicted with. */
      baseCommit: string;
      /** `branch`: the task's changes and the base's; `checkout`: local changes in a checkout of the base. */
      where: 'branch' | 'checkout';
      files: string[];
      message: string;
    })
  | (MergeBase & {
      outcome: 'checks_failed';
      baseCommit: string;
      /** The commit the checks ran on. */
      candidate: string;
      checks: CommandResult;
      message: string;
    })
  | (MergeBase & { outcome: 'base_moved'; attempts: number; message: string });

/** Attempts when the base branch moves between integrating and landing (a push to it meanwhile). */
const MAX_ATTEMPTS = 3;
export const CONFLICT_FILE_LIMIT = 200;

/**
 * Brings a task's branch onto the current base, runs the checks in its workspace, and only when
 * they pass moves the base forward with a compare-and-swap. On a conflict or a failed check the
 * base is untouched and the branch is back where it was (uncommitted work committed on it first),
 * so what was reviewed is what merges and nothing half-done lands. The caller holds the task's lock
 * and the project's base lock (one merge per base at a time).
 */
export async function mergeWorkspace(
  ctx: EngineContext,
  record: WorkspaceRecord,
  options: MergeOptions,
): Promise<MergeResult> {
  const { baseBefore, branchBefore } = await preconditions(ctx, record);
  const journal = new JournalWriter(ctx, record, options.strategy, baseBefore, branchBefore);
  await journal.save({});
  await journal.step('snapshot');
  const { snapshot } = await takeSnapshot(ctx.git, {
    taskId: record.taskId,
    worktree: record.path,
    repo: record.repoRoot,
    tmpDir: ctx.layout(record.projectKey).tmpDir,
    excluded: record.excluded,
    reason: 'merge',
  });
  await journal.step('commit', { snapshot: snapshot?.n ?? null });
  const pendingCommit = await commitPending(ctx, record);
  const pre = (await ctx.git.commitOf(record.path, 'HEAD'))!;
  const attempt: Attempt = { ctx, record, options, journal, pre, pendingCommit, snapshot };
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    const result = await attemptMerge(attempt, n);
    if (result === 'base_moved') continue;
    await journal.done();
    return result;
  }
  await journal.done();
  return {
    taskId: record.taskId,
    baseBranch: record.baseBranch,
    outcome: 'base_moved',
    attempts: MAX_ATTEMPTS,
    message: `${record.baseBranch} moved ${MAX_ATTEMPTS} times while the merge ran; it was not changed by it.`,
  };
}

/** The worktree is there, on its branch, with no rebase or merge stopped in it; the base exists. */
async function preconditions(
  ctx: EngineContext,
  record: WorkspaceRecord,
): Promise<{ baseBefore: string; branchBefore: string }> {
  await refuseInterrupted(ctx, record);
  const worktree = await inspectWorktree(ctx, record);
  if (!worktree.valid) throw WorkspaceErrors.worktreeMissing(record.taskId, record.path);
  if (worktree.operation) throw WorkspaceErrors.busy(record.taskId, record.path, worktree.operation);
  if (worktree.headRef !== `refs/heads/${record.branch}`)
    throw WorkspaceErrors.notOnBranch(record.taskId, record.branch, worktree.headRef ?? 'a detached HEAD');
  const baseBefore = await ctx.git.commitOf(record.repoRoot, `refs/heads/${record.baseBranch}`);
  if (!baseBefore) throw WorkspaceErrors.baseNotFound(record.repoRoot, record.baseBranch);
  return { baseBefore, branchBefore: (await ctx.git.commitOf(record.path, 'HEAD'))! };
}

/** The merge journal of one attempt, written durably before each step. */
class JournalWriter {
  entry: MergeJournal;
  private readonly path: string;
  // Writes go one after the other (the checks' pid is saved while they start), newest last.
  private writing = Promise.resolve();

  constructor(
    private readonly ctx: EngineContext,
    private readonly record: WorkspaceRecord,
    strategy: MergeStrategy,
    baseBefore: string,
    branchBefore: string,
  ) {
    this.path = ctx.layout(record.projectKey).journal(record.taskId);
    this.entry = {
      version: 1,
      id: randomBytes(8).toString('hex'),
      projectKey: record.projectKey,
      taskId: record.taskId,
      branch: record.branch,
      baseBranch: record.baseBranch,
      strategy,
      step: 'prepare',
      startedAt: ctx.now(),
      updatedAt: ctx.now(),
      baseBefore,
      branchBefore,
      snapshot: null,
      pre: null,
      onto: null,
      candidate: null,
      checksPid: null,
      syncStartedAt: null,
      attempt: 0,
    };
  }

  save(patch: Partial<MergeJournal>): Promise<void> {
    this.entry = { ...this.entry, ...patch, updatedAt: this.ctx.now() };
    const entry = this.entry;
    this.writing = this.writing.then(() => writeJsonDurably(this.path, entry));
    return this.writing;
  }

  /** Names the step in the journal, then lets a test's hook stop there. */
  async step(name: Exclude<MergeStep, 'prepare'>, patch: Partial<MergeJournal> = {}): Promise<void> {
    await this.save({ ...patch, step: name });
    await this.ctx.hook(`merge:${name}`, this.record);
  }

  async done(): Promise<void> {
    await this.writing;
    await removeDurably(this.path);
  }
}

interface Attempt {
  ctx: EngineContext;
  record: WorkspaceRecord;
  options: MergeOptions;
  journal: JournalWriter;
  /** The branch commit every attempt starts from, and the commit of pending work in it. */
  pre: string;
  pendingCommit: string | null;
  snapshot: Snapshot | null;
}

/** One integration onto the base as it is now: an outcome, or 'base_moved' when the swap lost. */
async function attemptMerge(a: Attempt, n: number): Promise<MergeResult | 'base_moved'> {
  const { ctx, record, options, journal, pre } = a;
  const common = { taskId: record.taskId, baseBranch: record.baseBranch };
  const onto = (await ctx.git.commitOf(record.repoRoot, `refs/heads/${record.baseBranch}`))!;
  await journal.step('integrate', { pre, onto, candidate: null, attempt: n });
  const integrated = await integrate(ctx, record, options, onto, pre);
  if ('conflict' in integrated)
    return {
      ...common,
      outcome: 'conflicted',
      baseCommit: onto,
      where: 'branch',
      files: integrated.conflict,
      message: `${record.branch} conflicts with ${record.baseBranch} in ${describeFiles(integrated.conflict)}.`,
    };
  const candidate = integrated.commit;
  const merged = {
    ...common,
    outcome: 'merged' as const,
    strategy: options.strategy,
    from: onto,
    fastForward: integrated.fastForward,
    empty: integrated.empty,
    pendingCommit: a.pendingCommit,
    snapshot: a.snapshot,
  };
  if (integrated.empty) {
    await journal.step('finish', { candidate });
    await recordMerged(ctx, record, onto, onto);
    return { ...merged, to: onto, checks: null, checkouts: [] };
  }

  await journal.step('check', { candidate });
  const checked = await runChecks(a, onto, candidate);
  if (checked.failed) return checked.failed;

  const collisions = await checkoutCollisions(ctx, record, onto, candidate);
  if (collisions.length > 0) {
    await rollbackWorkspace(ctx, record, pre, { candidate, recovering: false });
    const files = collisions.flatMap((c) => c.files.map((f) => `${c.path}/${f}`));
    return {
      ...common,
      outcome: 'conflicted',
      baseCommit: onto,
      where: 'checkout',
      files: files.slice(0, CONFLICT_FILE_LIMIT),
      message: `Local changes in ${collisions.map((c) => c.path).join(', ')} (where ${record.baseBranch} is checked out) touch files this merge changes: ${describeFiles(collisions.flatMap((c) => c.files))}. Commit or stash them, then merge again.`,
    };
  }

  await journal.step('land', { candidate });
  const swapped = await ctx.git.ok(record.repoRoot, ['update-ref', '--stdin'], {
    input: `update refs/heads/${record.baseBranch} ${candidate} ${onto}\n`,
  });
  if (!swapped) {
    // The base moved since `onto`: the next attempt integrates onto where it is now.
    await rollbackWorkspace(ctx, record, pre, { candidate, recovering: false });
    return 'base_moved';
  }
  await ctx.hook('merge:land-done', record);
  await journal.step('sync', { syncStartedAt: ctx.now() });
  const checkouts = await syncCheckouts(ctx, record, onto, candidate, { recovering: false, since: null });
  await journal.step('finish');
  await recordMerged(ctx, record, candidate, onto);
  return { ...merged, to: candidate, checks: checked.checks, checkouts };
}

/** Runs the checks on `candidate`; a failure (or checks that moved HEAD) rolls the workspace back. */
async function runChecks(
  a: Attempt,
  onto: string,
  candidate: string,
): Promise<{ checks: CommandResult | null; failed?: MergeResult }> {
  const { ctx, record, options, journal } = a;
  if (!options.checks) return { checks: null };
  const checks = await runCommand(options.checks, {
    cwd: workingDir(record),
    env: { ...ctx.env, ...ctx.workspaceEnv(record), MAESTRO_MERGE_ATTEMPT: journal.entry.id },
    onSpawn: (pid) => journal.save({ checksPid: pid }),
  });
  const headAfter = await ctx.git.commitOf(record.path, 'HEAD');
  const moved = headAfter !== candidate;
  if (checks.ok && !moved) return { checks };
  await rollbackWorkspace(ctx, record, a.pre, { candidate, recovering: false });
  return {
    checks,
    failed: {
      taskId: record.taskId,
      baseBranch: record.baseBranch,
      outcome: 'checks_failed',
      baseCommit: onto,
      candidate,
      checks,
      message: moved
        ? `The checks moved the workspace's HEAD (from ${candidate.slice(0, 12)} to ${headAfter?.slice(0, 12)}); checks must not commit.`
        : checksMessage(checks),
    },
  };
}

/** A merge journal of this base left by a crash must be recovered before another merge starts. */
async function refuseInterrupted(ctx: EngineContext, record: WorkspaceRecord): Promise<void> {
  for (const journal of await readJournals(ctx, record.projectKey))
    if (journal.baseBranch === record.baseBranch || journal.taskId === record.taskId)
      throw WorkspaceErrors.mergeInProgress(record.projectKey, journal.baseBranch, journal.taskId);
}

export async function readJournals(ctx: EngineContext, projectKey: string): Promise<MergeJournal[]> {
  const layout = ctx.layout(projectKey);
  let names: string[];
  try {
    names = await readdir(layout.stateDir);
  } catch {
    return [];
  }
  const journals: MergeJournal[] = [];
  for (const name of names.sort())
    if (name.endsWith('.merge.json')) {
      const journal = await readJson<MergeJournal>(join(layout.stateDir, name));
      if (journal) journals.push(journal);
    }
  return journals;
}

/** Commits what the worktree has beyond HEAD on the task branch, so what was diffed is what merges. */
async function commitPending(ctx: EngineContext, record: WorkspaceRecord): Promise<string | null> {
  if ((await uncommittedChanges(ctx, record)).length === 0) return null;
  await ctx.git.run(record.path, ['add', '-A', '--', ...excludePathspecs(record.excluded)]);
  const committed = await ctx.git.run(
    record.path,
    [
      'commit',
      '--no-verify',
      '-q',
      '-m',
      `Uncommitted work of ${record.taskId}, committed by Maestro before merging`,
    ],
    { allowFailure: true },
  );
  return committed.code === 0 ? ctx.git.commitOf(record.path, 'HEAD') : null;
}

type Integrated = { commit: string; fastForward: boolean; empty: boolean } | { conflict: string[] };

/** The commit that would land: the branch itself, the branch rebased onto `onto`, or a merge commit. */
async function integrate(
  ctx: EngineContext,
  record: WorkspaceRecord,
  options: MergeOptions,
  onto: string,
  pre: string,
): Promise<Integrated> {
  const git = ctx.git;
  if (await git.isAncestor(record.repoRoot, pre, onto)) {
    // Nothing the base lacks: the workspace follows the base.
    await git.run(record.path, ['merge', '--ff-only', '-q', onto]);
    return { commit: onto, fastForward: true, empty: true };
  }
  if (await git.isAncestor(record.repoRoot, onto, pre))
    return { commit: pre, fastForward: true, empty: false };

  if (options.strategy === 'merge') {
    const merged = await git.run(
      record.repoRoot,
      ['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages', onto, pre],
      {
        allowFailure: true,
      },
    );
    const [tree, ...files] = splitNul(merged.stdout);
    if (merged.code === 1) return { conflict: unique(files) };
    if (merged.code !== 0 || !tree)
      throw WorkspaceErrors.gitFailed(
        ['merge-tree', '--write-tree', onto, pre],
        record.repoRoot,
        merged.code,
        merged.stderr,
      );
    const message = options.message ?? `Merge ${record.branch} into ${record.baseBranch}`;
    const commit = await git.text(record.repoRoot, [
      'commit-tree',
      tree,
      '-p',
      onto,
      '-p',
      pre,
      '-m',
      `${message}\n\nMaestro-Task: ${record.taskId}`,
    ]);
    await git.run(record.path, ['merge', '--ff-only', '-q', commit]);
    return { commit, fastForward: false, empty: false };
  }

  const rebased = await git.run(record.path, ['rebase', '-q', onto], { allowFailure: true });
  if (rebased.code !== 0) {
    const conflicted = splitNul(
      await git.text(record.path, ['diff', '--name-only', '--diff-filter=U', '-z']),
    );
    await git.run(record.path, ['rebase', '--abort'], { allowFailure: true });
    if (conflicted.length === 0)
      throw WorkspaceErrors.gitFailed(['rebase', onto], record.path, rebased.code, rebased.stderr);
    return { conflict: unique(conflicted) };
  }
  const commit = (await git.commitOf(record.path, 'HEAD'))!;
  // A rebase that dropped every commit (all already upstream) leaves the branch at the base.
  return { commit, fastForward: false, empty: commit === onto };
}

/**
 * Puts the task branch and the worktree back at `pre`, the commit the attempt started from. What
 * the worktree has that `pre` does not (files the checks wrote, remains of a killed rebase) goes
 * to a snapshot first, and a HEAD that is neither `pre` nor the attempt's own candidate is pinned
 * by one, so nothing is lost by the reset.
 */
export async function rollbackWorkspace(
  ctx: EngineContext,
  record: WorkspaceRecord,
  pre: string,
  options: { candidate: string | null; recovering: boolean },
): Promise<Snapshot | null> {
  const git = ctx.git;
  const state = await inspectWorktree(ctx, record);
  if (!state.valid) return null;
  if (options.recovering && state.gitDir) await removeStaleLock(join(state.gitDir, 'index.lock'));
  if (state.operation === 'rebase') {
    const aborted = await git.ok(record.path, ['rebase', '--abort']);
    if (!aborted) await git.run(record.path, ['rebase', '--quit'], { allowFailure: true });
  } else if (state.operation === 'merge') {
    await git.run(record.path, ['merge', '--abort'], { allowFailure: true });
  }
  const head = await git.commitOf(record.path, 'HEAD');
  const known = head === pre || head === options.candidate;
  const changes = await uncommittedChanges(ctx, record);
  let snapshot: Snapshot | null = null;
  if (changes.length > 0 || !known)
    snapshot = (
      await takeSnapshot(git, {
        taskId: record.taskId,
        worktree: record.path,
        repo: record.repoRoot,
        tmpDir: ctx.layout(record.projectKey).tmpDir,
        excluded: record.excluded,
        reason: 'merge-rollback',
        force: !known,
      })
    ).snapshot;
  if (head === pre && changes.length === 0 && state.headRef === `refs/heads/${record.branch}`)
    return snapshot;
  await git.run(record.path, ['symbolic-ref', 'HEAD', `refs/heads/${record.branch}`]);
  await git.run(record.path, ['reset', '-q', '--hard', pre]);
  if (changes.some((c) => c.code === '??'))
    await git.run(record.path, ['clean', '-fdq', '--', ...excludePathspecs(record.excluded)]);
  return snapshot;
}

/** An index.lock left by a git process killed with the merge (recovery runs when none is live). */
async function removeStaleLock(path: string): Promise<void> {
  await removeDurably(path);
}

async function recordMerged(
  ctx: EngineContext,
  record: WorkspaceRecord,
  commit: string,
  from: string,
): Promise<void> {
  await writeRecord(ctx.layout(record.projectKey), {
    ...record,
    mergedAt: ctx.now(),
    mergedCommit: commit,
    mergedFrom: from,
  });
}

function unique(files: string[]): string[] {
  return [...new Set(files.filter(Boolean))].sort().slice(0, CONFLICT_FILE_LIMIT);
}

function describeFiles(files: string[]): string {
  const shown = files.slice(0, 5).join(', ');
  return files.length > 5 ? `${shown} and ${files.length - 5} more` : shown;
}

function checksMessage(checks: CommandResult): string {
  if (checks.timedOut) return `The checks did not finish in time and were stopped.`;
  if (checks.exitCode === null) return `The checks were killed by ${checks.signal}.`;
  return `The checks failed with exit code ${checks.exitCode}.`;
}
