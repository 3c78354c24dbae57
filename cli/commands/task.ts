import {
  LIMITS,
  OPERATIONS,
  TASK_LIST_SORTS,
  type InputOf,
  type ResultOf,
} from '../../src/contract/operations.js';
import { PRIORITIES, TASK_STATUSES } from '../../src/contract/views.js';
import { BUDGET_FLAG, doctorResult } from './autopilot.js';
import type { Command, CommandContext, FlagSpec } from '../registry.js';
import { taskDetail, taskSummary, taskTable, taskTree, treeData } from './format.js';

const SESSION_ENV = ['MAESTRO_SESSION_ID', 'MAESTRO_TASK_IDS', 'MAESTRO_ACTOR'];

type LifecycleOp =
  'task.start' | 'task.release' | 'task.unblock' | 'task.complete' | 'task.reopen' | 'task.cancel';

const VERSION_FLAG = {
  type: 'string',
  value: 'N',
  arg: 'expectedVersion',
  describe: 'Refuse (version_conflict) unless the task is at this version.',
} as const;

/** Tasks in a page of `task list` and `task ready` unless --limit says otherwise. */
export const CLI_TASK_PAGE = 100;

const PAGE_FLAGS: Record<string, FlagSpec> = {
  limit: {
    type: 'string',
    value: 'N',
    arg: 'pageSize',
    describe: `Tasks per page, 1 to ${LIMITS.tasksPage} (default ${CLI_TASK_PAGE}).`,
  },
  cursor: {
    type: 'string',
    value: 'TOKEN',
    arg: 'pageToken',
    describe: 'Start at this page: the nextCursor printed with the page before (same filters and sort).',
  },
  all: { type: 'boolean', describe: 'Every page, one after another: every matching task.' },
  sort: {
    type: 'string',
    choices: TASK_LIST_SORTS,
    describe:
      'priority (default: highest first, then oldest) or created (oldest first, stable while tasks change).',
  },
};

type TaskListed = ResultOf<'task.list'>['tasks'][number];
type ListArgs = Omit<InputOf<'task.list'>, 'pageSize' | 'pageToken' | 'sort'>;

/**
 * A page of tasks as the paging flags ask (`--limit`, `--cursor`, `--sort`), or with `--all` every
 * page in turn; `nextCursor` is where the next page starts ('' after the last).
 */
async function listPages(ctx: CommandContext, args: ListArgs) {
  const all = ctx.has('all');
  const pageSize = ctx.int('limit') ?? (all ? LIMITS.tasksPage : CLI_TASK_PAGE);
  const sort = ctx.flag('sort') as (typeof TASK_LIST_SORTS)[number] | undefined;
  let pageToken = ctx.flag('cursor');
  const tasks: TaskListed[] = [];
  for (;;) {
    const page = await ctx.op('task.list', { ...args, pageSize, pageToken, sort });
    for (const t of page.tasks) tasks.push(t);
    if (!all || !page.nextPageToken) return { tasks, nextCursor: page.nextPageToken };
    pageToken = page.nextPageToken;
  }
}

/** The result of a paged task listing: the tasks as data, the next cursor beside them. */
function pageResult({ tasks, nextCursor }: Awaited<ReturnType<typeof listPages>>) {
  return {
    data: tasks,
    envelope: { nextCursor },
    human: () =>
      taskTable(tasks) +
      (nextCursor
        ? `\n(${tasks.length} shown; the next page: --cursor ${nextCursor}, or --all for every task)`
        : ''),
  };
}

/** A lifecycle command: `task <verb> [<id>]`, id optional inside a session. */
function lifecycle(verb: string, op: LifecycleOp, past: string, optionalId: boolean): Command {
  return {
    path: ['task', verb],
    summary: OPERATIONS[op].summary,
    args: [{ name: 'id', required: !optionalId }],
    flags: { version: VERSION_FLAG },
    operation: op,
    env: optionalId ? SESSION_ENV : ['MAESTRO_ACTOR'],
    examples: [`maestro task ${verb} t_12 --json`],
    async run(ctx) {
      const task = await ctx.op(op, { id: ctx.taskId(ctx.args.id), expectedVersion: ctx.int('version') });
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
      desc: {
        type: 'string',
        value: 'TEXT',
        arg: 'description',
        describe: 'Description: what done looks like.',
      },
      priority: { type: 'string', choices: PRIORITIES, describe: 'Priority (default medium).' },
      parent: { type: 'string', value: 'ID', arg: 'parentId', describe: 'Parent task id.' },
      'depends-on': {
        type: 'string',
        value: 'IDS',
        repeatable: true,
        arg: 'dependsOn',
        describe: 'Task ids this one waits for (comma-separated or repeated).',
      },
      label: {
        type: 'string',
        value: 'LABEL',
        repeatable: true,
        arg: 'labels',
        describe: 'Label (repeatable).',
      },
      budget: BUDGET_FLAG,
    },
    operation: 'task.create',
    examples: [
      'maestro task create "Add login form" --priority high --json',
      'maestro task create "Wire the API" --depends-on t_1,t_2 --label backend --json',
    ],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const task = await ctx.op('task.create', {
        projectId: await ctx.projectId(),
        title: ctx.args.title!,
        description: ctx.flag('desc'),
        priority: ctx.flag('priority'),
        parentId: ctx.flag('parent'),
        dependsOn: ctx.flagList('depends-on'),
        labels: ctx.flagList('label'),
        budget: ctx.flag('budget'),
      });
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
      parent: { type: 'string', value: 'ID', arg: 'parentId', describe: 'Only children of this task.' },
      label: { type: 'string', value: 'LABEL', describe: 'Only tasks with this label.' },
      ready: { type: 'boolean', describe: 'Only pending tasks whose dependencies are completed.' },
      ...PAGE_FLAGS,
    },
    operation: 'task.list',
    examples: [
      'maestro task list --status pending,blocked --json',
      'maestro task list --ready --json',
      'maestro task list --limit 50 --cursor <nextCursor> --json',
      'maestro task list --all --json',
    ],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      return pageResult(
        await listPages(ctx, {
          projectId: await ctx.projectId(),
          status: ctx.flagList('status'),
          priority: ctx.flagList('priority'),
          parentId: ctx.flag('parent'),
          label: ctx.flag('label'),
          ready: ctx.has('ready'),
        }),
      );
    },
  },
  {
    path: ['task', 'get'],
    summary: 'Show a task with its subtasks, dependencies and their states, claim and timeline.',
    args: [{ name: 'id' }],
    flags: {
      timeline: {
        type: 'string',
        value: 'N',
        arg: 'timelineLimit',
        describe: 'Timeline entries to show (default 50).',
      },
    },
    operation: 'task.get',
    examples: ['maestro task get t_12 --json'],
    env: SESSION_ENV,
    async run(ctx) {
      const detail = await ctx.op('task.get', {
        id: ctx.taskId(ctx.args.id),
        timelineLimit: ctx.int('timeline'),
      });
      return { data: detail, human: () => taskDetail(detail) };
    },
  },
  {
    path: ['task', 'tree'],
    summary: 'Show tasks as a tree of parents and children.',
    args: [{ name: 'id' }],
    operation: 'task.list',
    examples: ['maestro task tree --json', 'maestro task tree t_3'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const tasks: TaskListed[] = [];
      let pageToken: string | undefined;
      do {
        const page = await ctx.op('task.list', {
          projectId: await ctx.projectId(),
          pageSize: LIMITS.tasksPage,
          pageToken,
        });
        for (const t of page.tasks) tasks.push(t);
        pageToken = page.nextPageToken || undefined;
      } while (pageToken);
      if (ctx.args.id && !tasks.some((t) => t.id === ctx.args.id)) {
        await ctx.op('task.get', { id: ctx.args.id }); // raises task_not_found with its hint
      }
      return { data: treeData(tasks, ctx.args.id), human: () => taskTree(tasks, ctx.args.id) };
    },
  },
  {
    path: ['task', 'update'],
    summary: "Change a task's title, description, priority or labels.",
    args: [{ name: 'id', required: true }],
    flags: {
      title: { type: 'string', value: 'TEXT', describe: 'New title.' },
      desc: { type: 'string', value: 'TEXT', arg: 'description', describe: 'New description.' },
      priority: { type: 'string', choices: PRIORITIES, describe: 'New priority.' },
      'add-label': {
        type: 'string',
        value: 'LABEL',
        repeatable: true,
        arg: 'addLabels',
        describe: 'Add a label.',
      },
      'remove-label': {
        type: 'string',
        value: 'LABEL',
        repeatable: true,
        arg: 'removeLabels',
        describe: 'Remove a label.',
      },
      version: VERSION_FLAG,
      budget: BUDGET_FLAG,
    },
    operation: 'task.update',
    examples: [
      'maestro task update t_12 --priority high --json',
      'maestro task update t_12 --budget usd=2,tokens=500000,minutes=30 --json',
    ],
    async run(ctx) {
      const task = await ctx.op('task.update', {
        id: ctx.args.id!,
        title: ctx.flag('title'),
        description: ctx.flag('desc'),
        priority: ctx.flag('priority'),
        addLabels: ctx.flagList('add-label'),
        removeLabels: ctx.flagList('remove-label'),
        expectedVersion: ctx.int('version'),
        budget: ctx.flag('budget'),
      });
      return { data: task, human: taskSummary(task, 'Updated') };
    },
  },
  lifecycle('start', 'task.start', 'Started', true),
  {
    path: ['task', 'claim'],
    summary: 'Claim a task, or --next for the highest-priority ready one. Re-claiming renews the lease.',
    args: [{ name: 'id' }],
    flags: {
      next: { type: 'boolean', describe: 'Claim the highest-priority ready task.' },
      lease: {
        type: 'string',
        value: 'SECONDS',
        arg: 'leaseSeconds',
        describe: 'Lease length outside a session, 1 to 86400 (default from the server).',
      },
    },
    operation: 'task.claim',
    examples: ['maestro task claim --next --json', 'maestro task claim t_12 --json'],
    env: SESSION_ENV,
    async run(ctx) {
      const next = ctx.has('next');
      const result = await ctx.op('task.claim', {
        id: next ? undefined : ctx.taskId(ctx.args.id),
        next,
        projectId: next ? await ctx.projectId() : undefined,
        leaseSeconds: ctx.int('lease'),
      });
      return {
        data: result,
        human: result.task ? taskSummary(result.task, 'Claimed') : 'No ready task to claim.',
      };
    },
  },
  lifecycle('release', 'task.release', 'Released', true),
  {
    path: ['task', 'block'],
    summary: 'Mark a task blocked, with the reason.',
    args: [{ name: 'id' }],
    flags: {
      reason: { type: 'string', value: 'TEXT', required: true, describe: 'What blocks it.' },
      version: VERSION_FLAG,
    },
    operation: 'task.block',
    examples: ['maestro task block t_12 --reason "Needs the staging API key" --json'],
    env: SESSION_ENV,
    async run(ctx) {
      const task = await ctx.op('task.block', {
        id: ctx.taskId(ctx.args.id),
        reason: ctx.flag('reason')!,
        expectedVersion: ctx.int('version'),
      });
      return { data: task, human: taskSummary(task, 'Blocked') };
    },
  },
  lifecycle('unblock', 'task.unblock', 'Unblocked', false),
  lifecycle('complete', 'task.complete', 'Completed', true),
  lifecycle('reopen', 'task.reopen', 'Reopened', false),
  lifecycle('cancel', 'task.cancel', 'Cancelled', false),
  {
    path: ['task', 'delete'],
    summary: 'Delete a task (with --cascade: its child tasks too, and dependencies on it).',
    args: [{ name: 'id', required: true }],
    flags: { cascade: { type: 'boolean', describe: 'Also delete child tasks and dependencies on it.' } },
    operation: 'task.delete',
    examples: ['maestro task delete t_12 --json'],
    async run(ctx) {
      const result = await ctx.op('task.delete', { id: ctx.args.id!, cascade: ctx.has('cascade') });
      return { data: result, human: `Deleted ${result.deletedIds.join(', ')}.` };
    },
  },
  {
    path: ['task', 'ready'],
    summary: 'List pending tasks whose dependencies are all completed, in priority order.',
    flags: {
      ...PAGE_FLAGS,
      explain: {
        type: 'boolean',
        describe: 'For every pending task, why it is or is not ready (as task doctor does).',
      },
    },
    operation: 'task.list',
    examples: [
      'maestro task ready --json',
      'maestro task ready --all --json',
      'maestro task ready --explain --json',
    ],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      if (ctx.has('explain'))
        return doctorResult(await ctx.op('autopilot.doctor', { projectId: await ctx.projectId() }));
      return pageResult(await listPages(ctx, { projectId: await ctx.projectId(), ready: true }));
    },
  },
  {
    path: ['task', 'dep', 'add'],
    summary: 'Make a task depend on another (a cycle is refused).',
    args: [
      { name: 'id', required: true },
      { name: 'depends-on-id', required: true },
    ],
    operation: 'task.dep.add',
    examples: ['maestro task dep add t_3 t_1 --json'],
    async run(ctx) {
      const task = await ctx.op('task.dep.add', {
        taskId: ctx.args.id!,
        dependsOnId: ctx.args['depends-on-id']!,
      });
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
    operation: 'task.dep.remove',
    examples: ['maestro task dep remove t_3 t_1 --json'],
    async run(ctx) {
      const task = await ctx.op('task.dep.remove', {
        taskId: ctx.args.id!,
        dependsOnId: ctx.args['depends-on-id']!,
      });
      return { data: task, human: taskSummary(task) };
    },
  },
];
