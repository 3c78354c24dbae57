import { resolve as resolvePath } from 'node:path';
import type { ProjectView } from '../../src/contract/views.js';
import { paint, table } from '../output.js';
import type { Command } from '../registry.js';

const projectLine = (p: ProjectView) =>
  `${p.id}  ${p.name}${p.workingDir ? `  ${paint('dim', p.workingDir)}` : ''}`;

export const PROJECT_COMMANDS: Command[] = [
  {
    path: ['project', 'create'],
    summary: 'Create a project; commands run inside its directory use it.',
    args: [{ name: 'name', required: true, variadic: true }],
    flags: {
      desc: { type: 'string', value: 'TEXT', arg: 'description', describe: 'Description.' },
      dir: {
        type: 'string',
        value: 'PATH',
        arg: 'workingDir',
        describe: 'Working directory (default: the current one).',
      },
    },
    operation: 'project.create',
    examples: ['maestro project create webapp --dir ~/src/webapp --json'],
    async run(ctx) {
      const project = await ctx.op('project.create', {
        name: ctx.args.name!,
        description: ctx.flag('desc'),
        workingDir: resolvePath(ctx.cwd, ctx.flag('dir') ?? '.'),
      });
      return { data: project, human: `Created ${projectLine(project)}` };
    },
  },
  {
    path: ['project', 'list'],
    summary: 'List projects.',
    operation: 'project.list',
    examples: ['maestro project list --json'],
    async run(ctx) {
      const { projects } = await ctx.op('project.list', {});
      return {
        data: projects,
        human: () =>
          table(
            ['ID', 'NAME', 'DIRECTORY'],
            projects.map((p) => [p.id, p.name, p.workingDir || '-']),
          ) || 'No projects.',
      };
    },
  },
  {
    path: ['project', 'get'],
    summary: 'Show a project by id or name (default: the current one).',
    args: [{ name: 'id' }],
    operation: 'project.get',
    examples: ['maestro project get --json', 'maestro project get webapp --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const project = await ctx.op('project.get', { id: ctx.args.id ?? (await ctx.projectId()) });
      return { data: project, human: projectLine(project) };
    },
  },
  {
    path: ['project', 'delete'],
    summary: 'Delete a project (with --cascade: and all its tasks).',
    args: [{ name: 'id', required: true }],
    flags: { cascade: { type: 'boolean', describe: 'Also delete its tasks.' } },
    operation: 'project.delete',
    examples: ['maestro project delete p_2 --cascade --json'],
    async run(ctx) {
      const result = await ctx.op('project.delete', { id: ctx.args.id!, cascade: ctx.has('cascade') });
      return { data: result, human: `Deleted ${result.id} and ${result.deletedTasks} task(s).` };
    },
  },
];
