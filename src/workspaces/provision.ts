import { cp, lstat, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Git } from './git.js';
import { expandGlob } from './glob.js';
import { splitNul } from './git.js';

export interface ProvisionInput {
  /** The project directory in the main checkout, where the sources are, and the main checkout's root. */
  projectDir: string;
  repoRoot: string;
  /** The worktree root and the project's path inside the repository ('' or 'packages/api/'). */
  worktree: string;
  prefix: string;
  copy: readonly string[];
  link: readonly string[];
}

export interface ProvisionResult {
  /** Paths (relative to the worktree root) copied or linked by the engine, now or by an earlier run. */
  provisioned: { path: string; mode: 'copy' | 'link' }[];
  /** Targets that were left alone because the worktree already tracks them. */
  skipped: { path: string; mode: 'copy' | 'link'; reason: 'tracked' }[];
  /** Provisioned paths git does not ignore even so: snapshots, status and diffs leave them out by pathspec. */
  excluded: string[];
  /** Provisioned paths the repository does not ignore anywhere: an agent's `git add -A` would commit them. */
  warnings: string[];
}

/**
 * Copies and links the workspace file's entries from the main checkout into a fresh worktree.
 * Idempotent, so a re-run after a crash converges: a target that exists and is untracked is one
 * an earlier run made (a copy lands under a temporary name and is renamed into place, so an
 * existing copy is a whole one); a tracked target is the repository's own file and is never
 * replaced.
 */
export async function provision(git: Git, input: ProvisionInput): Promise<ProvisionResult> {
  const wanted: { rel: string; mode: 'copy' | 'link' }[] = [];
  const seen = new Set<string>();
  for (const [mode, patterns] of [
    ['link', input.link],
    ['copy', input.copy],
  ] as const) {
    for (const pattern of patterns) {
      for (const rel of await expandGlob(input.projectDir, pattern)) {
        if (seen.has(rel)) continue;
        seen.add(rel);
        wanted.push({ rel, mode });
      }
    }
  }
  const tracked = await trackedAmong(
    git,
    input.worktree,
    wanted.map((w) => input.prefix + w.rel),
  );
  const result: ProvisionResult = { provisioned: [], skipped: [], excluded: [], warnings: [] };
  for (const { rel, mode } of wanted) {
    const path = input.prefix + rel;
    if (tracked.has(path)) {
      result.skipped.push({ path, mode, reason: 'tracked' });
      continue;
    }
    const source = join(input.projectDir, rel);
    const target = join(input.worktree, path);
    if (!(await exists(target))) {
      await mkdir(dirname(target), { recursive: true });
      if (mode === 'link') await symlink(source, target);
      else await copyAtomically(source, target);
    }
    result.provisioned.push({ path, mode });
  }
  const notIgnoredHere = await notIgnored(
    git,
    input.worktree,
    result.provisioned.map((p) => p.path),
  );
  // A symlinked folder does not match a folder pattern (`node_modules/`) as the real folder in the
  // main checkout does. What the main checkout ignores is added to the repository's info/exclude,
  // which changes nothing there, so an agent's `git add -A` in the worktree leaves it out too.
  const notIgnoredInMain = new Set(await notIgnored(git, input.repoRoot, notIgnoredHere));
  await addToExclude(
    git,
    input.worktree,
    notIgnoredHere.filter((p) => !notIgnoredInMain.has(p)),
  );
  // What is still not ignored, Maestro's own snapshots, diffs and merges leave out by pathspec.
  result.excluded = notIgnoredHere.filter((p) => notIgnoredInMain.has(p));
  result.warnings = result.excluded.map(
    (p) =>
      `${p} is not ignored by the repository: an agent's 'git add -A' would commit it (add it to .gitignore).`,
  );
  return result;
}

const EXCLUDE_HEADER = '# Paths Maestro links into workspaces, ignored as the main checkout ignores them.';

/** Appends anchored, literal patterns for `paths` to the repository's shared info/exclude (once). */
async function addToExclude(git: Git, worktree: string, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  const file = await git.text(worktree, [
    'rev-parse',
    '--path-format=absolute',
    '--git-path',
    'info/exclude',
  ]);
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // No exclude file yet.
  }
  const lines = new Set(text.split('\n'));
  const wanted = paths
    .map((p) => `/${p.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`)}`)
    .filter((l) => !lines.has(l));
  if (wanted.length === 0) return;
  const prefix = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  const header = lines.has(EXCLUDE_HEADER) ? '' : `${EXCLUDE_HEADER}\n`;
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.maestro-${process.pid}`;
  await writeFile(temporary, `${prefix}${header}${wanted.join('\n')}\n`);
  await rename(temporary, file);
}

/** Copies to a temporary sibling, then renames: the target is either absent or whole. */
async function copyAtomically(source: string, target: string): Promise<void> {
  const temporary = join(dirname(target), `.maestro-copy-${basename(target)}`);
  await rm(temporary, { recursive: true, force: true });
  await cp(source, temporary, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  await rename(temporary, target);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Which of `paths` are tracked in the worktree, or have tracked files under them. */
async function trackedAmong(git: Git, worktree: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const listed = splitNul(
    await git.text(worktree, ['ls-files', '-z', '--', ...paths.map((p) => `:(literal)${p}`)]),
  );
  const tracked = new Set<string>();
  for (const path of paths)
    if (listed.some((file) => file === path || file.startsWith(`${path}/`))) tracked.add(path);
  return tracked;
}

/** Which of `paths` git's ignore rules do not cover (a symlink does not match `dir/` patterns). */
async function notIgnored(git: Git, worktree: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const result = await git.run(worktree, ['check-ignore', '-z', '--stdin'], {
    input: paths.map((p) => `${p}\0`).join(''),
    allowFailure: true,
  });
  const ignored = new Set(splitNul(result.stdout));
  return paths.filter((p) => !ignored.has(p));
}
