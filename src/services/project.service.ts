import { resolve, sep } from 'node:path';
import type { CommandRunner, RequestContext, Tx } from './command-runner.js';
import { ProjectSchema, TaskSchema, type ProjectRow } from './db/entities.js';
import { MaestroError } from './errors.js';
import { assertInScope, sessionCaller } from './scope.js';
import { projectRowId } from './task.service.js';
import { oneOf, optionalText, requireText } from './validate.js';
import { projectView, type ProjectView } from './views.js';

export const DEFAULT_PROJECT_NAME = 'default';

export class ProjectService {
  constructor(private readonly runner: CommandRunner) {}

  create(
    ctx: RequestContext,
    input: {
      name: string;
      description?: string;
      workingDir?: string;
      isolation?: string;
      baseBranch?: string;
      review?: string;
    },
  ): Promise<ProjectView> {
    return this.runner.run('project.create', ctx, async (tx) => {
      const name = requireText('name', input.name, 200);
      const description = optionalText('description', input.description, 5000);
      const workingDir = input.workingDir ? resolve(input.workingDir) : null;
      if (await tx.em.findOne(ProjectSchema, { name })) {
        throw new MaestroError(
          'invalid_argument',
          `A project named '${name}' already exists.`,
          'Choose another name.',
          {
            field: 'name',
          },
        );
      }
      return insertProject(tx, { name, description, workingDir, ...workspaceSettings(input) });
    });
  }

  /** Changes how a project's tasks get workspaces: isolation, base branch, review. */
  configure(ctx: RequestContext, input: WorkspaceSettings & { id: string }): Promise<ProjectView> {
    return this.runner.run('project.configure', ctx, async (tx) => {
      const row = await tx.em.findOneOrFail(ProjectSchema, { id: await projectRowId(tx.em, input.id) });
      assertInScope(tx.ctx, row.id);
      const changes = workspaceSettings(input);
      if (Object.keys(changes).length === 0)
        throw new MaestroError(
          'invalid_argument',
          'Nothing to change: give at least one of isolation, base branch, review, checks, checks timeout.',
          undefined,
          { field: 'isolation' },
        );
      Object.assign(row, changes, { updatedAt: new Date(tx.now) });
      await tx.em.flush();
      const view = projectView(row);
      await tx.emit('project.configured', 'project', view.id, view.id, { project: view, changes });
      return view;
    });
  }

  /** Every project; a session's credential sees only its own. */
  list(ctx?: RequestContext): Promise<ProjectView[]> {
    const own = sessionCaller(ctx)?.projectRowId;
    return this.runner.read(async (em) =>
      (await em.find(ProjectSchema, own === undefined ? {} : { id: own }, { orderBy: { id: 'asc' } })).map(
        projectView,
      ),
    );
  }

  /** A project by id or by name. */
  get(id: string, ctx?: RequestContext): Promise<ProjectView> {
    return this.runner.read(async (em) => {
      const row = await projectRowId(em, id);
      assertInScope(ctx, row);
      return projectView(await em.findOneOrFail(ProjectSchema, { id: row }));
    });
  }

  delete(ctx: RequestContext, id: string, cascade: boolean): Promise<{ id: string; deletedTasks: number }> {
    return this.runner.run('project.delete', ctx, async (tx) => {
      const row = await tx.em.findOneOrFail(ProjectSchema, { id: await projectRowId(tx.em, id) });
      const tasks = await tx.em.count(TaskSchema, { project: row.id });
      if (tasks > 0 && !cascade) {
        throw new MaestroError(
          'invalid_argument',
          `Project '${id}' still has ${tasks} task${tasks === 1 ? '' : 's'}.`,
          'Delete with --cascade to remove the project and its tasks.',
          { field: 'cascade', projectId: id, tasks },
        );
      }
      await tx.em.nativeDelete(ProjectSchema, { id: row.id });
      const view = projectView(row);
      await tx.emit('project.deleted', 'project', view.id, view.id, {
        projectId: view.id,
        deletedTasks: tasks,
      });
      return { id: view.id, deletedTasks: tasks };
    });
  }

  /**
   * The project for a working directory: the one whose working_dir holds it (the deepest wins),
   * else the default project, created on first use.
   */
  resolve(ctx: RequestContext, workingDir: string): Promise<ProjectView> {
    // A session's project is the one its credential is for, wherever its agent runs.
    const own = sessionCaller(ctx);
    if (own) return this.get(own.projectId, ctx);
    return this.runner.run('project.resolve', { ...ctx, idempotencyKey: undefined }, async (tx) => {
      const dir = workingDir ? resolve(workingDir) : '';
      const rows = await tx.em.find(ProjectSchema, {}, { orderBy: { id: 'asc' } });
      const inside = (row: ProjectRow) =>
        !!row.workingDir &&
        !!dir &&
        (dir === row.workingDir ||
          dir.startsWith(row.workingDir.endsWith(sep) ? row.workingDir : row.workingDir + sep));
      const match = rows.filter(inside).sort((a, b) => b.workingDir!.length - a.workingDir!.length)[0];
      if (match) return projectView(match);
      const existing = rows.find((r) => r.name === DEFAULT_PROJECT_NAME);
      if (existing) return projectView(existing);
      return insertProject(tx, {
        name: DEFAULT_PROJECT_NAME,
        description: 'Created on first use.',
        workingDir: null,
      });
    });
  }
}

export const ISOLATIONS = ['worktree', 'none'] as const;
export const REVIEW_MODES = ['auto', 'required'] as const;
const BRANCH = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

/** How a project's tasks get workspaces and checks (`project create` and `project configure`). */
interface WorkspaceSettings {
  isolation?: string;
  baseBranch?: string;
  review?: string;
  /** A command, or `none` to clear it. */
  checks?: string;
  checksTimeoutSeconds?: number;
}

function workspaceSettings(input: WorkspaceSettings): WorkspaceSettings {
  const out: WorkspaceSettings = {};
  if (input.isolation) out.isolation = oneOf('isolation', input.isolation, ISOLATIONS);
  if (input.review) out.review = oneOf('review', input.review, REVIEW_MODES);
  if (input.checks !== undefined && input.checks !== '') {
    const command = input.checks.trim();
    if (!command)
      throw new MaestroError(
        'invalid_argument',
        'The checks command is empty.',
        "Give a command, or 'none'.",
        {
          field: 'checks',
        },
      );
    out.checks = command === 'none' ? '' : command;
  }
  if (input.checksTimeoutSeconds !== undefined && input.checksTimeoutSeconds !== 0)
    out.checksTimeoutSeconds = input.checksTimeoutSeconds;
  if (input.baseBranch) {
    if (
      !BRANCH.test(input.baseBranch) ||
      input.baseBranch.endsWith('/') ||
      input.baseBranch.endsWith('.lock')
    )
      throw new MaestroError(
        'invalid_argument',
        `'${input.baseBranch.slice(0, 100)}' is not a branch name.`,
        undefined,
        {
          field: 'baseBranch',
        },
      );
    out.baseBranch = input.baseBranch;
  }
  return out;
}

async function insertProject(
  tx: Tx,
  input: {
    name: string;
    description: string;
    workingDir: string | null;
  } & WorkspaceSettings,
): Promise<ProjectView> {
  const row = tx.em.create(ProjectSchema, {
    ...input,
    createdAt: new Date(tx.now),
    updatedAt: new Date(tx.now),
  });
  await tx.em.flush();
  const view = projectView(row);
  await tx.emit('project.created', 'project', view.id, view.id, { project: view });
  return view;
}
