import type { SubtaskView } from '../../src/contract/views.js';
import type { Command } from '../registry.js';

const subtaskLine = (s: SubtaskView, verb?: string) =>
  `${verb ? `${verb} ` : ''}[${s.status === 'completed' ? 'x' : ' '}] ${s.id}  ${s.title}  (task ${s.taskId})`;

function subtaskAction(
  verb: string,
  op: 'subtask.complete' | 'subtask.reopen' | 'subtask.delete',
  summary: string,
  past: string,
): Command {
  return {
    path: ['subtask', verb],
    summary,
    args: [
      { name: 'taskId', required: true },
      { name: 'subtaskId', required: true },
    ],
    operation: op,
    examples: [`maestro subtask ${verb} t_12 st_3 --json`],
    async run(ctx) {
      const subtask = await ctx.op(op, { taskId: ctx.args.taskId!, subtaskId: ctx.args.subtaskId! });
      return { data: subtask, human: subtaskLine(subtask, past) };
    },
  };
}

export const SUBTASK_COMMANDS: Command[] = [
  {
    path: ['subtask', 'create'],
    summary: 'Add a subtask (a checklist item) to a task.',
    args: [
      { name: 'taskId', required: true },
      { name: 'title', required: true, variadic: true },
    ],
    operation: 'subtask.create',
    examples: ['maestro subtask create t_12 "Write the migration" --json'],
    async run(ctx) {
      const subtask = await ctx.op('subtask.create', { taskId: ctx.args.taskId!, title: ctx.args.title! });
      return { data: subtask, human: subtaskLine(subtask, 'Added') };
    },
  },
  {
    path: ['subtask', 'list'],
    summary: "List a task's subtasks in order.",
    args: [{ name: 'taskId', required: true }],
    operation: 'subtask.list',
    examples: ['maestro subtask list t_12 --json'],
    async run(ctx) {
      const { subtasks } = await ctx.op('subtask.list', { taskId: ctx.args.taskId! });
      return {
        data: subtasks,
        human: () => subtasks.map((s) => subtaskLine(s)).join('\n') || 'No subtasks.',
      };
    },
  },
  subtaskAction('complete', 'subtask.complete', 'Complete a subtask.', 'Completed'),
  subtaskAction('reopen', 'subtask.reopen', 'Reopen a completed subtask.', 'Reopened'),
  subtaskAction('delete', 'subtask.delete', 'Delete a subtask.', 'Deleted'),
];
