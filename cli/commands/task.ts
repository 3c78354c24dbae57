import { PRIORITIES, TASK_STATUSES } from '../../src/contract/views.js';
import { usageError } from '../errors.js';
import type { Command, CommandContext } from '../registry.js';
import { usageLine } from '../registry.js';
import {
  taskDetail,
  taskSummary,
  taskTable,
  taskTree,
  treeData,
  type TaskDetailOut,
  type TaskOut,
} from './format.js';

const SESSION_ENV = ['MAESTRO_SESSION_ID', 'MAESTRO_TASK_IDS', 'MAESTRO_ACTOR'];

const call = <T>(ctx: CommandContext, method: string, request: object, mutation = false) =>
  ctx.client().call<T>('Tasks', method, request, mutation);

/** A lifecycle command: `task <verb> [<id>]`, id optional inside a session. */
function lifecycle(
  verb: string,
  method: string,
  summary: string,
  past: string,
  optionalId: boolean,
): Command {
  return {
    path: ['task', verb],
    summary,
    args: [{ name: 'id', required: !optionalId }],
    mutates: true,
    env: optionalId ? SESSION_ENV : ['MAESTRO_ACTOR'],
    examples: [`maestro task ${verb} t_12 --json`],
    async run(ctx) {
      const task = await call<TaskOut>(ctx, method, { id: ctx.taskId(ctx.args.id) }, true);
      return { data: task, human: taskSummary(task, past) };
    },
  };
}

export const TASK_COMMANDS: Command[] = [
  {
    path: ['task', 'create'],
    summary: 'Create a task.',
    args: [{ name: 'title', required: true, variadic: true }],
    flags: {
      desc: { type: 'string', value: 'TEXT', describe: 'Description: what done looks like.' },
      priority: { type: 'string', choices: PRIORITIES, describe: 'Priority (default medium).' },
      parent: { type: 'string', value: 'ID', describe: 'Parent task id.' },
      'depends-on': {
        type: 'string',
        value: 'IDS',
        repeatable: true,
        describe: 'Task ids this one waits for (comma-separated or repeated).',
      },
      label: { type: 'string', value: 'LABEL', repeatable: true, describe: 'Label (repeatable).' },
    },
    mutates: true,
    examples: [
      'maestro task create "Add login form" --priority high --json',
      'maestro task create "Wire the API" --depends-on t_1,t_2 --label backend --json',
    ],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const task = await call<TaskOut>(
        ctx,
        'Create',
        {
          projectId: await ctx.projectId(),
          title: ctx.args.title,
          description: ctx.flag('desc') ?? '',
          priority: ctx.flag('priority') ?? '',
          parentId: ctx.flag('parent') ?? '',
          dependsOn: ctx.flagList('depends-on'),
          labels: ctx.flagList('label'),
        },
        true,
      );
      return { data: task, human: taskSummary(task, 'Created') };
    },
  },
  {
    path: ['task', 'list'],
    summary: 'List tasks, highest priority first.',
    flags: {
      status: {
        type: 'string',
        choices: TASK_STATUSES,
        repeatable: true,
        describe: 'Only these statuses (comma-separated).',
      },
      priority: { type: 'string', choices: PRIORITIES, repeatable: true, describe: 'Only these priorities.' },
      parent: { type: 'string', value: 'ID', describe: 'Only children of this task.' },
      label: { type: 'string', value: 'LABEL', describe: 'Only tasks with this label.' },
      ready: { type: 'boolean', describe: 'Only pending tasks whose dependencies are completed.' },
    },
    examples: ['maestro task list --status pending,blocked --json', 'maestro task list --ready --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const { tasks } = await call<{ tasks: TaskOut[] }>(ctx, 'List', {
        projectId: await ctx.projectId(),
        status: ctx.flagList('status'),
        priority: ctx.flagList('priority'),
        parentId: ctx.flag('parent') ?? '',
        label: ctx.flag('label') ?? '',
        ready: ctx.has('ready'),
      });
      return { data: tasks, human: taskTable(tasks) };
    },
  },
  {
    path: ['task', 'get'],
    summary: 'Show a task with its subtasks, dependencies and their states, claim and timeline.',
    args: [{ name: 'id' }],
    flags: { timeline: { type: 'string', value: 'N', describe: 'Timeline entries to show (default 50).' } },
    examples: ['maestro task get t_12 --json'],
    env: SESSION_ENV,
    async run(ctx) {
      const limit = ctx.flag('timeline');
      if (limit !== undefined && !/^\d+$/.test(limit))
        throw usageError('--timeline takes a number.', usageLine(this));
      const detail = await call<TaskDetailOut>(ctx, 'Get', {
        id: ctx.taskId(ctx.args.id),
        timelineLimit: Number(limit ?? 50),
      });
      return { data: detail, human: taskDetail(detail) };
    },
  },
  {
    path: ['task', 'tree'],
    summary: 'Show tasks as a tree of parents and children.',
    args: [{ name: 'id' }],
    examples: ['maestro task tree --json', 'maestro task tree t_3'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const { tasks } = await call<{ tasks: TaskOut[] }>(ctx, 'List', { projectId: await ctx.projectId() });
      if (ctx.args.id && !tasks.some((t) => t.id === ctx.args.id)) {
        await call(ctx, 'Get', { id: ctx.args.id }); // raises task_not_found with its hint
      }
      return { data: treeData(tasks, ctx.args.id), human: taskTree(tasks, ctx.args.id) };
    },
  },
  {
    path: ['task', 'update'],
    summary: "Change a task's title, description, priority or labels.",
    args: [{ name: 'id', required: true }],
    flags: {
      title: { type: 'string', value: 'TEXT', describe: 'New title.' },
      desc: { type: 'string', value: 'TEXT', describe: 'New description.' },
      priority: { type: 'string', choices: PRIORITIES, describe: 'New priority.' },
      'add-label': { type: 'string', value: 'LABEL', repeatable: true, describe: 'Add a label.' },
      'remove-label': { type: 'string', value: 'LABEL', repeatable: true, describe: 'Remove a label.' },
      version: {
        type: 'string',
        value: 'N',
        describe: 'Refuse (version_conflict) unless the task is at this version.',
      },
    },
    mutates: true,
    examples: ['maestro task update t_12 --priority high --json'],
    async run(ctx) {
      const version = ctx.flag('version');
      if (version !== undefined && !/^\d+$/.test(version))
        throw usageError('--version takes a number.', usageLine(this));
      const request: Record<string, unknown> = {
        id: ctx.args.id,
        addLabels: ctx.flagList('add-label'),
        removeLabels: ctx.flagList('remove-label'),
        expectedVersion: Number(version ?? 0),
      };
      if (ctx.flag('title') !== undefined) request.title = ctx.flag('title');
      if (ctx.flag('desc') !== undefined) request.description = ctx.flag('desc');
      if (ctx.flag('priority') !== undefined) request.priority = ctx.flag('priority');
      const task = await call<TaskOut>(ctx, 'Update', request, true);
      return { data: task, human: taskSummary(task, 'Updated') };
    },
  },
  lifecycle('start', 'Start', 'Start a task (claims it for you).', 'Started', true),
  {
    path: ['task', 'claim'],
    summary: 'Claim a task, or --next for the highest-priority ready one. Re-claiming renews the lease.',
    args: [{ name: 'id' }],
    flags: {
      next: { type: 'boolean', describe: 'Claim the highest-priority ready task.' },
      lease: {
        type: 'string',
        value: 'SECONDS',
        describe: 'Lease length outside a session (default from the server).',
      },
    },
    mutates: true,
    examples: ['maestro task claim --next --json', 'maestro task claim t_12 --json'],
    env: SESSION_ENV,
    async run(ctx) {
      const lease = ctx.flag('lease');
      if (lease !== undefined && !/^\d+$/.test(lease))
        throw usageError('--lease takes a number of seconds.', usageLine(this));
      const next = ctx.has('next');
      const request = {
        id: next ? '' : ctx.taskId(ctx.args.id),
        next,
        projectId: next ? await ctx.projectId() : '',
        leaseSeconds: Number(lease ?? 0),
      };
      const result = await call<{ claimed: boolean; task: TaskOut | null }>(ctx, 'Claim', request, true);
      return {
        data: result,
        human: result.task ? taskSummary(result.task, 'Claimed') : 'No ready task to claim.',
      };
    },
  },
  lifecycle(
    'release',
    'Release',
    'Give up your claim; the task is pending and ready again.',
    'Released',
    true,
  ),
  {
    path: ['task', 'block'],
    summary: 'Mark a task blocked, with the reason.',
    args: [{ name: 'id' }],
    flags: { reason: { type: 'string', value: 'TEXT', describe: 'What blocks it (required).' } },
    mutates: true,
    examples: ['maestro task block t_12 --reason "Needs the staging API key" --json'],
    env: SESSION_ENV,
    async run(ctx) {
      const reason = ctx.flag('reason');
      if (!reason)
        throw usageError('Missing --reason: say what blocks the task.', usageLine(this), { flag: 'reason' });
      const task = await call<TaskOut>(ctx, 'Block', { id: ctx.taskId(ctx.args.id), reason }, true);
      return { data: task, human: taskSummary(task, 'Blocked') };
    },
  },
  lifecycle('unblock', 'Unblock', 'Resume a blocked task.', 'Unblocked', false),
  lifecycle('complete', 'Complete', 'Complete a task.', 'Completed', true),
  lifecycle('reopen', 'Reopen', 'Reopen a completed or cancelled task.', 'Reopened', false),
  lifecycle('cancel', 'Cancel', 'Cancel a task.', 'Cancelled', false),
  {
    path: ['task', 'delete'],
    summary: 'Delete a task (with --cascade: its child tasks too, and dependencies on it).',
    args: [{ name: 'id', required: true }],
    flags: { cascade: { type: 'boolean', describe: 'Also delete child tasks and dependencies on it.' } },
    mutates: true,
    examples: ['maestro task delete t_12 --json'],
    async run(ctx) {
      const result = await call<{ deletedIds: string[] }>(
        ctx,
        'Delete',
        { id: ctx.args.id, cascade: ctx.has('cascade') },
        true,
      );
      return { data: result, human: `Deleted ${result.deletedIds.join(', ')}.` };
    },
  },
  {
    path: ['task', 'ready'],
    summary: 'List pending tasks whose dependencies are all completed, in priority order.',
    examples: ['maestro task ready --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const { tasks } = await call<{ tasks: TaskOut[] }>(ctx, 'Ready', { projectId: await ctx.projectId() });
      return { data: tasks, human: taskTable(tasks) };
    },
  },
  {
    path: ['task', 'dep', 'add'],
    summary: 'Make a task depend on another (a cycle is refused).',
    args: [
      { name: 'id', required: true },
      { name: 'depends-on-id', required: true },
    ],
    mutates: true,
    examples: ['maestro task dep add t_3 t_1 --json'],
    async run(ctx) {
      const task = await call<TaskOut>(
        ctx,
        'AddDependency',
        { taskId: ctx.args.id, dependsOnId: ctx.args['depends-on-id'] },
        true,
      );
      return { data: task, human: taskSummary(task) };
    },
  },
  {
    path: ['task', 'dep', 'remove'],
    summary: 'Remove a dependency.',
    args: [
      { name: 'id', required: true },
      { name: 'depends-on-id', required: true },
    ],
    mutates: true,
    examples: ['maestro task dep remove t_3 t_1 --json'],
    async run(ctx) {
      const task = await call<TaskOut>(
        ctx,
        'RemoveDependency',
        { taskId: ctx.args.id, dependsOnId: ctx.args['depends-on-id'] },
        true,
      );
      return { data: task, human: taskSummary(task) };
    },
  },
];
