import { resolve, sep } from 'node:path';
import type { CommandRunner, RequestContext, Tx } from './command-runner.js';
import { ProjectSchema, TaskSchema, type ProjectRow } from './db/entities.js';
import { MaestroError, ProjectErrors } from './errors.js';
import { idOf, optionalText, requireText } from './validate.js';
import { projectView, type ProjectView } from './views.js';

export const DEFAULT_PROJECT_NAME = 'default';

export class ProjectService {
  constructor(private readonly runner: CommandRunner) {}

  create(
    ctx: RequestContext,
    input: { name: string; description?: string; workingDir?: string },
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
      return insertProject(tx, { name, description, workingDir });
    });
  }

  list(): Promise<ProjectView[]> {
    return this.runner.read(async (em) =>
      (await em.find(ProjectSchema, {}, { orderBy: { id: 'asc' } })).map(projectView),
    );
  }

  get(id: string): Promise<ProjectView> {
    return this.runner.read(async (em) => {
      const rowId = idOf('project', id);
      const row = rowId ? await em.findOne(ProjectSchema, { id: rowId }) : null;
      if (!row) throw ProjectErrors.notFound(id);
      return projectView(row);
    });
  }

  delete(ctx: RequestContext, id: string, cascade: boolean): Promise<{ id: string; deletedTasks: number }> {
    return this.runner.run('project.delete', ctx, async (tx) => {
      const rowId = idOf('project', id);
      const row = rowId ? await tx.em.findOne(ProjectSchema, { id: rowId }) : null;
      if (!row) throw ProjectErrors.notFound(id);
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

async function insertProject(
  tx: Tx,
  input: { name: string; description: string; workingDir: string | null },
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
