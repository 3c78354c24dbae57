import type { Command } from '../registry.js';

const SESSION_ENV = ['MAESTRO_SESSION_ID', 'MAESTRO_TASK_IDS', 'MAESTRO_ACTOR'];

function reportCommand(kind: 'progress' | 'blocked' | 'complete' | 'question', summary: string): Command {
  return {
    path: ['report', kind],
    summary,
    args: [{ name: 'message', required: true, variadic: true }],
    flags: {
      task: {
        type: 'string',
        value: 'ID',
        arg: 'taskId',
        describe: "Task to report on (default: the session's task).",
      },
    },
    operation: 'report',
    examples: [
      `maestro report ${kind} "Tests pass for the parser" --json`,
      `maestro report ${kind} "..." --task t_12 --json`,
    ],
    env: SESSION_ENV,
    async run(ctx) {
      const taskId = ctx.taskId(ctx.flag('task'));
      const result = await ctx.op('report', { taskId, kind, message: ctx.args.message! });
      return { data: result, human: `Reported ${kind} on ${taskId}: ${result.entry.message}` };
    },
  };
}

export const REPORT_COMMANDS: Command[] = [
  reportCommand('progress', 'Record progress on a task (a timeline entry).'),
  reportCommand(
    'blocked',
    'Record what blocks you on a task (a timeline entry; use task block to change its status).',
  ),
  reportCommand(
    'complete',
    'Record a completion summary on a task (a timeline entry; use task complete to finish it).',
  ),
  reportCommand(
    'question',
    'Ask the orchestrator or a person a question (a timeline entry and a task.question event that wakes maestro wait).',
  ),
];
