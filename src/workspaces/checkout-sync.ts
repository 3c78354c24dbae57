import { lstat, readlink, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { listWorktrees, pathExists, type EngineContext, type ListedWorktree } from './context.js';
import { removeDurably } from './durable-file.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../shared/backoff.js';
import { splitNul } from './git.js';
import type { WorkspaceRecord } from './record.js';

/**
 * What happened to a checkout of the base branch (typically the user's main checkout) when the
 * merge moved the base under it. The ref moves first, atomically; the checkout's index and files
 * follow, carrying its local changes along, the way `git checkout` would.
 */
export interface CheckoutSync {
  path: string;
  status: 'synced' | 'needs_attention';
  /** Files Maestro could not bring forward because their content is neither the old nor the new one. */
  files: string[];
  /** Why the checkout could not be brought along at all (its index stayed locked), and the command that does it. */
  error?: string;
  hint?: string;
}

/** Retries of a step that found the checkout's index locked (a `git status` of the user's, usually). */
const LOCK_RETRY: BackoffPolicy = { baseMs: 50, maxMs: 800, factor: 2, jitter: 0.2 };
const LOCK_ATTEMPTS = 6;

/** The worktrees (the main checkout among them) with the base branch checked out, other than the workspace. */
export async function baseCheckouts(ctx: EngineContext, record: WorkspaceRecord): Promise<ListedWorktree[]> {
  const ref = `refs/heads/${record.baseBranch}`;
  return (await listWorktrees(ctx, record.repoRoot)).filter(
    (w) => w.branch === ref && resolve(w.path) !== resolve(record.path),
  );
}

/** Paths changed from `from` to `to`. */
async function changedPaths(
  ctx: EngineContext,
  repo: string,
  from: string,
  to: string,
): Promise<Set<string>> {
  return new Set(
    splitNul(await ctx.git.text(repo, ['diff-tree', '-r', '-z', '--no-renames', '--name-only', from, to])),
  );
}

/**
 * Checkouts of the base whose local changes (staged, unstaged or untracked) touch a path the merge
 * changes: moving the base under them would mix the two, so the merge does not land.
 */
export async function checkoutCollisions(
  ctx: EngineContext,
  record: WorkspaceRecord,
  from: string,
  to: string,
): Promise<{ path: string; files: string[] }[]> {
  const checkouts = await baseCheckouts(ctx, record);
  if (checkouts.length === 0) return [];
  const changed = await changedPaths(ctx, record.repoRoot, from, to);
  const collisions: { path: string; files: string[] }[] = [];
  for (const checkout of checkouts) {
    const busy = await operationInProgress(ctx, checkout.path);
    const fields = splitNul(
      await ctx.git.text(checkout.path, [
        '--no-optional-locks',
        'status',
        '--porcelain=v1',
        '-z',
        '--untracked-files=all',
      ]),
    );
    const dirty: string[] = [];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      dirty.push(field.slice(3));
      if (field[0] === 'R' || field[0] === 'C') dirty.push(fields[++i] ?? '');
    }
    const files = busy ? [`(a git ${busy} is in progress)`] : dirty.filter((p) => changed.has(p));
    if (files.length > 0) collisions.push({ path: checkout.path, files: [...new Set(files)].sort() });
  }
  return collisions;
}

async function operationInProgress(ctx: EngineContext, checkout: string): Promise<string | null> {
  const gitDir = await ctx.git.text(checkout, ['rev-parse', '--path-format=absolute', '--git-dir']);
  if ((await pathExists(join(gitDir, 'rebase-merge'))) || (await pathExists(join(gitDir, 'rebase-apply'))))
    return 'rebase';
  if (await pathExists(join(gitDir, 'MERGE_HEAD'))) return 'merge';
  if (await pathExists(join(gitDir, 'CHERRY_PICK_HEAD'))) return 'cherry-pick';
  return null;
}

/**
 * Brings every checkout of the base from `from` to `to` after the ref moved. Normally one
 * `git read-tree -m -u from to` (a two-tree switch that keeps local changes). When that fails, or
 * when recovering from a crash during this step, each changed path is reconciled on its own: a
 * file whose content is the old or the new version (or that is missing) is ours and is brought to
 * the new version; any other content is the user's and is left alone and named.
 */
export async function syncCheckouts(
  ctx: EngineContext,
  record: WorkspaceRecord,
  from: string,
  to: string,
  options: { recovering: boolean; since: number | null },
): Promise<CheckoutSync[]> {
  const results: CheckoutSync[] = [];
  for (const checkout of await baseCheckouts(ctx, record)) {
    const head = await ctx.git.commitOf(checkout.path, 'HEAD');
    if (head !== to && !(head && (await ctx.git.isAncestor(checkout.path, to, head)))) continue;
    if (options.recovering) {
      const gitDir = await ctx.git.text(checkout.path, ['rev-parse', '--path-format=absolute', '--git-dir']);
      await removeLockFrom(join(gitDir, 'index.lock'), options.since);
    }
    try {
      results.push(await syncOne(ctx, checkout.path, from, to));
    } catch (error) {
      // The base has landed; a checkout that cannot follow now is reported, never a failed merge.
      results.push({
        path: checkout.path,
        status: 'needs_attention',
        files: [],
        error: (error as Error).message,
        hint: `git -C ${checkout.path} read-tree -m -u ${from} ${to}`,
      });
    }
  }
  return results;
}

async function syncOne(
  ctx: EngineContext,
  checkout: string,
  from: string,
  to: string,
): Promise<CheckoutSync> {
  for (let attempt = 1; ; attempt++) {
    const switched = await ctx.git.run(checkout, ['read-tree', '-m', '-u', from, to], { allowFailure: true });
    if (switched.code === 0) {
      await ctx.git.run(checkout, ['update-index', '-q', '--refresh'], { allowFailure: true });
      return { path: checkout, status: 'synced', files: [] };
    }
    if (!switched.stderr.includes('index.lock') || attempt >= LOCK_ATTEMPTS) break;
    await sleep(backoffDelay(LOCK_RETRY, attempt));
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const files = await reconcile(ctx, checkout, from, to);
      return { path: checkout, status: files.length ? 'needs_attention' : 'synced', files };
    } catch (error) {
      if (!String((error as Error).message).includes('index.lock') || attempt >= LOCK_ATTEMPTS) throw error;
      await sleep(backoffDelay(LOCK_RETRY, attempt));
    }
  }
}

/** Removes an index.lock written since `since` (by the killed sync); an older one is someone else's. */
async function removeLockFrom(path: string, since: number | null): Promise<void> {
  try {
    const s = await stat(path);
    if (since === null || s.mtimeMs >= since - 1000) await removeDurably(path);
  } catch {
    // No lock.
  }
}

/** Path by path: brings ours to `to`, returns the paths whose content is someone else's. */
async function reconcile(ctx: EngineContext, checkout: string, from: string, to: string): Promise<string[]> {
  const git = ctx.git;
  const raw = splitNul(await git.text(checkout, ['diff-tree', '-r', '-z', '--no-renames', from, to]));
  const changes: { path: string; old: string | null; new: string | null }[] = [];
  const zero = /^0+$/;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // `:oldmode newmode oldsha newsha status`, then the path.
    const [, , oldSha = '', newSha = ''] = raw[i]!.slice(1).split(' ');
    changes.push({
      path: raw[i + 1]!,
      old: zero.test(oldSha) ? null : oldSha,
      new: zero.test(newSha) ? null : newSha,
    });
  }
  const index = new Map<string, string>();
  for (const entry of splitNul(await git.text(checkout, ['ls-files', '-s', '-z']))) {
    const tab = entry.indexOf('\t');
    index.set(entry.slice(tab + 1), entry.slice(0, tab).split(' ')[1] ?? '');
  }
  const attention: string[] = [];
  const bring: string[] = [];
  const indexOnly: string[] = [];
  const drop: string[] = [];
  for (const change of changes) {
    const content = await blobOf(ctx, checkout, change.path);
    const indexed = index.get(change.path) ?? null;
    const known = (sha: string | null) => sha === null || sha === change.old || sha === change.new;
    if (!known(indexed)) attention.push(change.path);
    else if (!known(content)) {
      // The user's content: the file stays; its index entry (ours, stale) follows the base.
      attention.push(change.path);
      indexOnly.push(change.path);
    } else if (change.new === null) drop.push(change.path);
    else if (content !== change.new || indexed !== change.new) bring.push(change.path);
  }
  const pathspecs = (paths: string[]) => ({ input: paths.map((p) => `:(literal)${p}\0`).join('') });
  if (bring.length > 0)
    await git.run(
      checkout,
      ['checkout', to, '--pathspec-from-file=-', '--pathspec-file-nul'],
      pathspecs(bring),
    );
  if (indexOnly.length > 0)
    await git.run(
      checkout,
      ['reset', '-q', to, '--pathspec-from-file=-', '--pathspec-file-nul'],
      pathspecs(indexOnly),
    );
  for (const path of drop) {
    await git.run(checkout, ['rm', '-q', '--cached', '--ignore-unmatch', '--', `:(literal)${path}`]);
    await unlink(join(checkout, path)).catch(() => undefined);
  }
  await git.run(checkout, ['update-index', '-q', '--refresh'], { allowFailure: true });
  return attention.sort();
}

/** The blob id of a file's content as git would store it, or null when the file is missing. */
async function blobOf(ctx: EngineContext, checkout: string, path: string): Promise<string | null> {
  const full = join(checkout, path);
  let info;
  try {
    info = await lstat(full);
  } catch {
    return null;
  }
  if (info.isSymbolicLink())
    return ctx.git.text(checkout, ['hash-object', '--stdin'], { input: await readlink(full) });
  if (!info.isFile()) return 'not-a-file';
  return ctx.git.text(checkout, ['hash-object', '--', path]);
}
