import { access, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Git, splitNul, type GitIdentity } from './git.js';
import { KeyedMutex } from './keyed-mutex.js';
import { ProjectLayout } from './layout.js';
import { portEnv, type PortPool } from './ports.js';
import type { WorkspaceRecord } from './record.js';

/**
 * Named points of create, remove and merge where a test's hook is awaited, after the step's
 * record or journal entry is written and before its work: a hook that never returns, followed by
 * kill -9, leaves exactly the state a crash there would.
 */
export type FaultPoint =
  | 'create:branch'
  | 'create:worktree'
  | 'create:provision'
  | 'create:setup'
  | 'create:ready'
  | 'remove:delete'
  | 'merge:snapshot'
  | 'merge:commit'
  | 'merge:integrate'
  | 'merge:check'
  | 'merge:land'
  | 'merge:land-done'
  | 'merge:sync'
  | 'merge:finish';

export interface EngineHooks {
  at?(point: FaultPoint, detail: { projectKey: string; taskId: string }): void | Promise<void>;
}

/** What the engine's parts share: git, the clock, the locks and where things live. */
export class EngineContext {
  readonly git: Git;
  readonly locks = new KeyedMutex();

  constructor(
    readonly home: string,
    /** The environment of every child process (git, setup, checks). */
    readonly env: NodeJS.ProcessEnv,
    identity: GitIdentity,
    readonly portPool: PortPool,
    readonly hooks: EngineHooks,
    readonly now: () => number,
  ) {
    this.git = new Git(env, identity);
  }

  layout(projectKey: string): ProjectLayout {
    return new ProjectLayout(this.home, projectKey);
  }

  async hook(point: FaultPoint, record: { projectKey: string; taskId: string }): Promise<void> {
    await this.hooks.at?.(point, { projectKey: record.projectKey, taskId: record.taskId });
  }

  /** The variables a workspace's agent, setup and checks run with. */
  workspaceEnv(record: WorkspaceRecord): Record<string, string> {
    return {
      ...portEnv(record.ports),
      MAESTRO_WORKSPACE: record.path,
      MAESTRO_WORKSPACE_BRANCH: record.branch,
      MAESTRO_BASE_BRANCH: record.baseBranch,
    };
  }

  /** A lock key per task, and one per project and base branch (the merge queue). */
  static taskKey(projectKey: string, taskId: string): string {
    return `task:${projectKey}/${taskId}`;
  }

  static baseKey(projectKey: string, base: string): string {
    return `base:${projectKey}/${base}`;
  }
}

/** What git and the disk say about a record's worktree. */
export interface WorktreeState {
  /** git lists it as a worktree of the repository. */
  registered: boolean;
  /** The folder exists. */
  exists: boolean;
  /** Registered, on disk, and git works in it. */
  valid: boolean;
  /** The worktree's private git folder (`.git/worktrees/<name>`), when registered. */
  gitDir: string | null;
  /** The branch checked out (refs/heads/…), or null when detached. */
  headRef: string | null;
  /** A rebase or merge stopped half-way in it. */
  operation: 'rebase' | 'merge' | null;
}

export async function inspectWorktree(ctx: EngineContext, record: WorkspaceRecord): Promise<WorktreeState> {
  const exists = await pathExists(record.path);
  const listed = await listWorktrees(ctx, record.repoRoot);
  const entry = listed.find((w) => resolve(w.path) === resolve(record.path));
  const state: WorktreeState = {
    registered: entry !== undefined,
    exists,
    valid: false,
    gitDir: null,
    headRef: entry?.branch ?? null,
    operation: null,
  };
  if (!entry || !exists || !(await pathExists(join(record.path, '.git')))) return state;
  const gitDir = await ctx.git.run(record.path, ['rev-parse', '--path-format=absolute', '--git-dir'], {
    allowFailure: true,
  });
  if (gitDir.code !== 0) return state;
  state.valid = true;
  state.gitDir = gitDir.stdout.trim();
  if (
    (await pathExists(join(state.gitDir, 'rebase-merge'))) ||
    (await pathExists(join(state.gitDir, 'rebase-apply')))
  )
    state.operation = 'rebase';
  else if (await pathExists(join(state.gitDir, 'MERGE_HEAD'))) state.operation = 'merge';
  return state;
}

export interface ListedWorktree {
  path: string;
  head: string | null;
  /** refs/heads/…, or null when detached or bare. */
  branch: string | null;
}

/** `git worktree list --porcelain -z`. */
export async function listWorktrees(ctx: EngineContext, repo: string): Promise<ListedWorktree[]> {
  const fields = splitNul(await ctx.git.text(repo, ['worktree', 'list', '--porcelain', '-z']));
  const worktrees: ListedWorktree[] = [];
  let current: ListedWorktree | null = null;
  for (const field of fields) {
    if (field === '') {
      current = null;
      continue;
    }
    const [key, ...rest] = field.split(' ');
    const value = rest.join(' ');
    if (key === 'worktree') {
      current = { path: value, head: null, branch: null };
      worktrees.push(current);
    } else if (current && key === 'HEAD') current.head = value;
    else if (current && key === 'branch') current.branch = value;
  }
  return worktrees;
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
