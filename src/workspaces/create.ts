import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { inspectWorktree, pathExists, type EngineContext } from './context.js';
import { WorkspaceErrors } from './errors.js';
import { branchName, checkKey, slugify, workspacesRoot } from './layout.js';
import { allocatePortRange, type PortRange } from './ports.js';
import { provision } from './provision.js';
import {
  isLive,
  listRecords,
  readRecord,
  writeRecord,
  type RecordStep,
  type WorkspaceRecord,
} from './record.js';
import { runCommand, type CommandResult } from './run-command.js';
import { loadWorkspaceFile, type WorkspaceFile } from './workspace-file.js';

/** The project a workspace belongs to. */
export interface ProjectRef {
  /** A stable key (the project's id): the folder under `<home>/workspaces`. */
  key: string;
  /** The project's directory in the main checkout (the repository root or a folder in it). */
  dir: string;
  /** The branch workspaces start from and merge into. Default: the workspace file's, else the checked-out branch. */
  baseBranch?: string | null;
}

export interface TaskRef {
  id: string;
  /** Names the folder and branch (`<id>-<slug>`) when the workspace is first made; ignored after. */
  title?: string;
}

/** A workspace ready for an agent: where it runs and with what. */
export interface WorkspaceInfo {
  projectKey: string;
  taskId: string;
  branch: string;
  baseBranch: string;
  /** The worktree folder. */
  path: string;
  /** Where the agent starts: the project's folder inside the worktree. */
  workingDir: string;
  ports: PortRange | null;
  /** MAESTRO_PORT, MAESTRO_PORT_COUNT, MAESTRO_WORKSPACE, … for the agent's environment. */
  env: Record<string, string>;
  createdAt: number;
  createdFrom: string;
  /** What to fix in the workspace file or .gitignore (a copied file git would commit). */
  warnings: string[];
}

export type CreateResult =
  | {
      isolated: false;
      /** Why agents work in the project directory, as today: it is not in git, or the file opts out. */
      reason: 'not_a_git_repository' | 'isolation_none';
      workingDir: string;
    }
  | {
      isolated: true;
      workspace: WorkspaceInfo;
      /** False when the setup command failed: `setup` says how; create again to retry it. */
      ready: boolean;
      /** The worktree was there already (a retried or resumed worker continues in it). */
      reused: boolean;
      setup: CommandResult | null;
    };

export interface CreateOptions {
  /** The workspace file; read from the project directory when not given. */
  file?: WorkspaceFile;
  /** Where a branch that does not exist (any more) starts; default the base branch's tip. */
  startAt?: string;
}

const STEP_ORDER: RecordStep[] = ['creating', 'branched', 'worktree', 'provisioned', 'ready'];
const reached = (record: WorkspaceRecord, step: RecordStep) =>
  STEP_ORDER.indexOf(record.step) >= STEP_ORDER.indexOf(step);

/**
 * Makes (or finds) the task's worktree. Idempotent: every step first looks at what is there, and
 * the record says which steps finished, so calling it again after a crash at any point converges
 * on the same worktree and branch; calling it for a ready workspace returns it unchanged.
 */
export async function createWorkspace(
  ctx: EngineContext,
  project: ProjectRef,
  task: TaskRef,
  options: CreateOptions = {},
): Promise<CreateResult> {
  checkKey('taskId', task.id);
  const layout = ctx.layout(project.key);
  const top = await ctx.git.run(project.dir, ['rev-parse', '--show-toplevel', '--show-prefix'], {
    allowFailure: true,
  });
  if (top.code !== 0) return { isolated: false, reason: 'not_a_git_repository', workingDir: project.dir };
  const file = options.file ?? (await loadWorkspaceFile(project.dir));
  if (file.isolation === 'none')
    return { isolated: false, reason: 'isolation_none', workingDir: project.dir };
  const [repoRoot = project.dir, prefix = ''] = top.stdout.split('\n');

  let record = await readRecord(layout, task.id);
  if (record?.step === 'removing')
    throw WorkspaceErrors.busy(task.id, record.path, 'removal (run recover())');
  if (record?.step === 'ready' && (await inspectWorktree(ctx, record)).valid)
    return { isolated: true, workspace: info(ctx, record), ready: true, reused: true, setup: null };

  if (!record || record.step === 'removed') {
    record = await startRecord(ctx, project, task, file, record, {
      repoRoot,
      prefix,
      startAt: options.startAt,
    });
  } else if (reached(record, 'worktree') && !(await inspectWorktree(ctx, record)).valid) {
    // The worktree went missing after it was made: make it again from the kept branch.
    record = { ...record, step: 'branched' };
    await writeRecord(layout, record);
  }

  await ctx.hook('create:branch', record);
  if (!reached(record, 'branched')) {
    const ref = `refs/heads/${record.branch}`;
    if (!(await ctx.git.commitOf(repoRoot, ref)))
      await ctx.git.run(repoRoot, ['update-ref', '--stdin'], {
        input: `create ${ref} ${record.createdFrom}\n`,
      });
    record = { ...record, step: 'branched' };
    await writeRecord(layout, record);
  }

  await ctx.hook('create:worktree', record);
  if (!reached(record, 'worktree')) {
    await ensureWorktree(ctx, record);
    record = { ...record, step: 'worktree' };
    await writeRecord(layout, record);
  }

  await ctx.hook('create:provision', record);
  if (!reached(record, 'provisioned')) {
    const current = record;
    // One provisioning per repository at a time: it may append to the shared info/exclude.
    const provisioned = await ctx.locks.run(`exclude:${record.repoRoot}`, () =>
      provision(ctx.git, {
        projectDir: project.dir,
        repoRoot: current.repoRoot,
        worktree: current.path,
        prefix: current.prefix,
        copy: file.copy,
        link: file.link,
      }),
    );
    record = {
      ...record,
      step: 'provisioned',
      provisioned: provisioned.provisioned,
      excluded: provisioned.excluded,
      warnings: provisioned.warnings,
    };
    await writeRecord(layout, record);
  }

  await ctx.hook('create:setup', record);
  let setup: CommandResult | null = null;
  if (file.setup) {
    setup = await runCommand(file.setup, {
      cwd: workingDir(record),
      env: { ...ctx.env, ...ctx.workspaceEnv(record) },
    });
    if (!setup.ok)
      return { isolated: true, workspace: info(ctx, record), ready: false, reused: false, setup };
  }
  record = { ...record, step: 'ready' };
  await writeRecord(layout, record);
  await ctx.hook('create:ready', record);
  return { isolated: true, workspace: info(ctx, record), ready: true, reused: false, setup };
}

/** A new record, or a removed workspace's record made live again (same branch, new ports). */
async function startRecord(
  ctx: EngineContext,
  project: ProjectRef,
  task: TaskRef,
  file: WorkspaceFile,
  previous: WorkspaceRecord | null,
  repo: { repoRoot: string; prefix: string; startAt: string | undefined },
): Promise<WorkspaceRecord> {
  const layout = ctx.layout(project.key);
  const baseBranch = previous?.baseBranch ?? (await resolveBase(ctx, project, file, repo.repoRoot));
  const baseTip = await ctx.git.commitOf(repo.repoRoot, `refs/heads/${baseBranch}`);
  if (!baseTip) throw WorkspaceErrors.baseNotFound(repo.repoRoot, baseBranch);
  // A kept branch goes on from where it was made; a deleted one (merged, then removed) starts again.
  const branchKept =
    previous !== null && (await ctx.git.commitOf(repo.repoRoot, `refs/heads/${previous.branch}`)) !== null;
  const createdFrom = branchKept ? previous.createdFrom : (repo.startAt ?? baseTip);
  const slug = previous?.slug ?? slugify(task.title ?? task.id);
  // One lock for every project's ports: ranges are per machine.
  return ctx.locks.run('ports', async () => {
    const ports = await allocatePortRange(await liveRanges(ctx), file.ports.count, ctx.portPool);
    const record: WorkspaceRecord = {
      version: 1,
      projectKey: project.key,
      taskId: task.id,
      slug,
      projectDir: resolve(project.dir),
      repoRoot: repo.repoRoot,
      prefix: repo.prefix,
      branch: previous?.branch ?? branchName(task.id, slug),
      baseBranch,
      path: layout.worktree(task.id, slug),
      step: 'creating',
      createdAt: previous?.createdAt ?? ctx.now(),
      createdFrom,
      ports,
      excluded: [],
      provisioned: [],
      warnings: [],
      removalSnapshot: null,
      mergedAt: previous?.mergedAt ?? null,
      mergedCommit: previous?.mergedCommit ?? null,
      mergedFrom: previous?.mergedFrom ?? null,
      archivedAt: null,
      removedAt: null,
    };
    await writeRecord(layout, record);
    return record;
  });
}

async function resolveBase(
  ctx: EngineContext,
  project: ProjectRef,
  file: WorkspaceFile,
  repoRoot: string,
): Promise<string> {
  const chosen = project.baseBranch ?? file.baseBranch;
  if (chosen) return chosen;
  const head = await ctx.git.run(repoRoot, ['symbolic-ref', '-q', '--short', 'HEAD'], { allowFailure: true });
  if (head.code !== 0 || head.stdout.trim() === '')
    throw WorkspaceErrors.invalidArgument(
      'baseBranch',
      null,
      'set for a project whose main checkout has no branch checked out',
    );
  return head.stdout.trim();
}

/** The port ranges of every workspace of every project whose worktree is (or is being) on disk. */
async function liveRanges(ctx: EngineContext): Promise<PortRange[]> {
  const ranges: PortRange[] = [];
  let projects: string[];
  try {
    projects = await readdir(workspacesRoot(ctx.home));
  } catch {
    return ranges;
  }
  for (const key of projects) {
    let layout;
    try {
      layout = ctx.layout(key);
    } catch {
      continue;
    }
    for (const record of await listRecords(layout))
      if (isLive(record) && record.ports) ranges.push(record.ports);
  }
  return ranges;
}

/**
 * Brings the worktree folder to "registered, on disk, on the branch". What a crash in `git
 * worktree add` can leave: a registration without its folder, a folder git no longer knows, or a
 * half-written checkout. No agent has worked in any of these (creation had not finished), but a
 * folder git does not know is moved aside, never deleted.
 */
async function ensureWorktree(ctx: EngineContext, record: WorkspaceRecord): Promise<void> {
  const state = await inspectWorktree(ctx, record);
  if (state.valid) {
    if (state.gitDir) await rm(join(state.gitDir, 'index.lock'), { force: true });
    if (state.headRef !== `refs/heads/${record.branch}`)
      await ctx.git.run(record.path, ['checkout', '-q', '-f', record.branch]);
    // A checkout killed half-way: finish it (the files are git's own, nothing else wrote here yet).
    await ctx.git.run(record.path, ['reset', '-q', '--hard']);
    return;
  }
  if (state.exists && !state.registered) {
    if ((await readdir(record.path)).length === 0) await rmdir(record.path);
    else await moveAside(ctx, record);
  }
  if (state.registered && state.exists) {
    // Registered, but git cannot work in it (its .git file is missing): a killed `worktree add`.
    await ctx.git.run(record.repoRoot, ['worktree', 'remove', '--force', '--force', record.path], {
      allowFailure: true,
    });
    if (await pathExists(record.path)) await moveAside(ctx, record);
  }
  await mkdir(join(record.path, '..'), { recursive: true });
  // --force only for a registration whose folder is gone: the path is this record's, ours to reuse.
  const force = state.registered && !state.exists ? ['--force'] : [];
  await ctx.git.run(record.repoRoot, ['worktree', 'add', '--quiet', ...force, record.path, record.branch]);
}

/** Where the agent, setup and checks run: the project's folder inside the worktree. */
export const workingDir = (record: WorkspaceRecord): string =>
  join(record.path, record.prefix).replace(/\/+$/, '');

/** Moves a folder git does not know out of the way, into `.maestro/orphans/`: never deleted. */
async function moveAside(ctx: EngineContext, record: WorkspaceRecord): Promise<void> {
  const orphans = join(ctx.layout(record.projectKey).stateDir, 'orphans');
  await mkdir(orphans, { recursive: true });
  await rename(record.path, join(orphans, `${basename(record.path)}-${ctx.now()}`));
}

export function info(ctx: EngineContext, record: WorkspaceRecord): WorkspaceInfo {
  return {
    projectKey: record.projectKey,
    taskId: record.taskId,
    branch: record.branch,
    baseBranch: record.baseBranch,
    path: record.path,
    workingDir: workingDir(record),
    ports: record.ports,
    env: ctx.workspaceEnv(record),
    createdAt: record.createdAt,
    createdFrom: record.createdFrom,
    warnings: record.warnings,
  };
}
