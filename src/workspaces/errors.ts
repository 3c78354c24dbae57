/**
 * The workspace engine's errors: a stable snake_case `code`, a message that says what happened, a
 * hint that says what to do, and details a program can read. Outcomes a caller expects (a merge
 * conflict, failed checks) are results, not errors; these are for what stops an operation.
 *
 * The codes are not in `src/contract/error-codes.ts` yet: the integration maps them there
 * (`workspace_file_invalid` → invalid_argument, `workspace_not_found`/`snapshot_not_found` → not
 * found, `git_failed` → internal, the others → failed precondition).
 */
export type WorkspaceErrorCode =
  | 'workspace_file_invalid'
  | 'workspace_invalid_argument'
  | 'workspace_not_found'
  | 'workspace_busy'
  | 'workspace_not_on_branch'
  | 'snapshot_not_found'
  | 'base_branch_not_found'
  | 'ports_exhausted'
  | 'merge_in_progress'
  | 'git_failed';

export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
  constructor(
    readonly code: WorkspaceErrorCode,
    message: string,
    readonly hint: string | undefined,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The last `max` characters of a git error output, for messages. */
function tail(text: string, max = 2000): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `…${trimmed.slice(-max)}` : trimmed;
}

export const WorkspaceErrors = {
  fileInvalid: (file: string, field: string, message: string, accepted?: string) =>
    new WorkspaceError(
      'workspace_file_invalid',
      `${file}: ${field ? `${field}: ` : ''}${message}`,
      accepted ? `${field || 'The file'} accepts ${accepted}.` : 'See docs/workspaces.md for the format.',
      { file, field, ...(accepted ? { accepted } : {}) },
    ),
  invalidArgument: (field: string, value: unknown, accepted: string) =>
    new WorkspaceError(
      'workspace_invalid_argument',
      `${field} is ${JSON.stringify(value)}; it must be ${accepted}.`,
      undefined,
      { field, value, accepted },
    ),
  notFound: (projectKey: string, taskId: string) =>
    new WorkspaceError(
      'workspace_not_found',
      `Task '${taskId}' of project '${projectKey}' has no workspace.`,
      'Create it first (a session spawned for the task creates it).',
      { projectKey, taskId },
    ),
  worktreeMissing: (taskId: string, path: string) =>
    new WorkspaceError(
      'workspace_not_found',
      `The worktree of task '${taskId}' is not on disk (${path}).`,
      'Restore it with `restore` (it recreates the worktree from the branch and a snapshot).',
      { taskId, path },
    ),
  busy: (taskId: string, path: string, operation: string) =>
    new WorkspaceError(
      'workspace_busy',
      `The worktree of task '${taskId}' is in the middle of a git ${operation} (${path}).`,
      `Finish it (git ${operation} --continue) or abort it (git ${operation} --abort) in the worktree.`,
      { taskId, path, operation },
    ),
  notOnBranch: (taskId: string, branch: string, head: string) =>
    new WorkspaceError(
      'workspace_not_on_branch',
      `The worktree of task '${taskId}' has ${head} checked out, not its branch ${branch}.`,
      `Run 'git checkout ${branch}' in the worktree (commit or stash first).`,
      { taskId, branch, head },
    ),
  snapshotNotFound: (taskId: string, n: number | null) =>
    new WorkspaceError(
      'snapshot_not_found',
      n === null ? `Task '${taskId}' has no snapshot.` : `Task '${taskId}' has no snapshot ${n}.`,
      'List the snapshots with `snapshots` (refs/maestro/snapshots/<task>/<n>).',
      { taskId, n },
    ),
  baseNotFound: (repo: string, base: string) =>
    new WorkspaceError(
      'base_branch_not_found',
      `The repository ${repo} has no branch '${base}'.`,
      'Set the project base branch to an existing branch.',
      { repo, base },
    ),
  portsExhausted: (count: number, min: number, max: number, live: number) =>
    new WorkspaceError(
      'ports_exhausted',
      `No free range of ${count} ports between ${min} and ${max} (${live} ranges are in use).`,
      'Remove or prune workspaces, or widen the port pool.',
      { count, min, max, live },
    ),
  mergeInProgress: (projectKey: string, base: string, taskId: string) =>
    new WorkspaceError(
      'merge_in_progress',
      `A merge of task '${taskId}' into ${base} was interrupted and has not been recovered.`,
      'Run recover() for the project first (the server does it at start).',
      { projectKey, base, taskId },
    ),
  gitFailed: (args: readonly string[], cwd: string, code: number | null, stderr: string) =>
    new WorkspaceError(
      'git_failed',
      `git ${args.join(' ')} failed in ${cwd} (exit ${code}): ${tail(stderr) || 'no output'}`,
      undefined,
      { args: [...args], cwd, exitCode: code, stderr: tail(stderr) },
    ),
};
