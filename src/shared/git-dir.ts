import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Whether a directory is inside a git repository: it or a parent holds `.git` (a folder, or the
 * file of a worktree or submodule). A file-system check only, cheap enough for `task get`; git
 * itself has the last word when a workspace is made.
 */
export function inGitRepository(dir: string): boolean {
  if (!dir) return false;
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git'))) return true;
    const parent = dirname(current);
    if (parent === current) return false;
    current = parent;
  }
}

/** Where a project's tasks run, in words: `worktree`, or `none: <why>`. */
export function isolationOf(
  project: { isolation: string; workingDir: string },
  hasWorkspace: boolean,
): string {
  if (hasWorkspace) return 'worktree';
  if (project.isolation === 'none') return 'none: the project sets isolation none';
  if (!project.workingDir) return 'none: the project has no working directory';
  if (!existsSync(project.workingDir)) return 'none: the project directory does not exist';
  if (!inGitRepository(project.workingDir)) return 'none: the project directory is not in a git repository';
  return 'worktree';
}
