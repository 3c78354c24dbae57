import { formatBudget } from '../../src/contract/autopilot.js';
import type { AutopilotView } from '../../src/contract/autopilot.js';
import type { DoctorResult } from '../../src/contract/operations.js';
import type { Command, CommandContext, CommandResult } from '../registry.js';
import { WAIT_KINDS } from '../../src/contract/wait.js';
import { WAIT_TIMEOUT_EXIT, waitForEvent } from '../wait.js';

export const BUDGET_FLAG = {
  type: 'string',
  value: 'CAPS',
  describe: 'Caps on spend: usd=<dollars>,tokens=<n>,minutes=<n> (any of them; none removes them).',
} as const;

function autopilotLines(a: AutopilotView): string {
  return [
    `autopilot  ${a.enabled ? 'on' : 'off'}${a.reason ? ` (${a.reason})` : ''}`,
    `workers    at most ${a.maxWorkers}${a.label ? `, tasks labelled ${a.label}` : ''}${a.agent ? `, agent ${a.agent}` : ''}`,
    `attempts   ${a.maxAttempts} per task`,
    `budget     ${formatBudget(a.budget)}`,
  ].join('\n');
}

/** `task doctor` and `task ready --explain`. */
export function doctorResult(result: DoctorResult): CommandResult {
  return {
    data: result,
    human: () =>
      [
        autopilotLines(result.autopilot),
        '',
        ...(result.tasks.length
          ? result.tasks.map(
              (t) =>
                `${t.taskId.padEnd(8)} ${t.ready ? 'ready  ' : t.neverReady ? 'NEVER  ' : 'waiting'}  ${t.title.slice(0, 40).padEnd(40)}  ${t.reason}`,
            )
          : ['No pending tasks.']),
      ].join('\n'),
  };
}

const PROJECT_FLAG = {
  type: 'string',
  value: 'ID',
  describe: 'The project (default: MAESTRO_PROJECT_ID, or the working directory’s).',
} as const;

const SETTING_FLAGS = {
  'max-workers': {
    type: 'string',
    value: 'N',
    arg: 'maxWorkers',
    describe: 'Live workers at most (default 4).',
  },
  label: { type: 'string', value: 'LABEL', describe: 'Only tasks with this label ("" for every task).' },
  agent: {
    type: 'string',
    value: 'PROFILE',
    describe: 'Agent profile of its workers (default: the server’s).',
  },
  'max-attempts': {
    type: 'string',
    value: 'N',
    arg: 'maxAttempts',
    describe: 'Workers a task gets at most: the first and its retries (default 3).',
  },
  budget: { ...BUDGET_FLAG, describe: "The project's caps on spend; past them the autopilot turns off." },
} as const;

async function project(ctx: CommandContext): Promise<string> {
  return ctx.flag('project') ?? (await ctx.projectId());
}

function toggle(state: 'on' | 'off'): Command {
  return {
    path: ['autopilot', state],
    summary:
      state === 'on'
        ? 'Turn the autopilot on: every ready task gets a worker, in priority order, within the cap.'
        : 'Turn the autopilot off: no new workers start (running ones go on).',
    flags: { project: PROJECT_FLAG, ...(state === 'on' ? SETTING_FLAGS : {}) },
    operation: 'autopilot.set',
    examples:
      state === 'on'
        ? [
            'maestro autopilot on --max-workers 4 --json',
            'maestro autopilot on --label backend --agent claude --budget usd=20 --json',
          ]
        : ['maestro autopilot off --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const view = await ctx.op('autopilot.set', {
        projectId: await project(ctx),
        state,
        ...(state === 'on'
          ? {
              maxWorkers: ctx.int('max-workers'),
              label: ctx.flag('label'),
              agent: ctx.flag('agent'),
              maxAttempts: ctx.int('max-attempts'),
              budget: ctx.flag('budget'),
            }
          : {}),
      });
      return { data: view, human: () => autopilotLines(view) };
    },
  };
}

export const AUTOPILOT_COMMANDS: Command[] = [
  toggle('on'),
  toggle('off'),
  {
    path: ['autopilot', 'status'],
    summary: "The project's autopilot: on or off, its cap, filter, agent, attempts and budget.",
    flags: { project: PROJECT_FLAG },
    operation: 'autopilot.get',
    examples: ['maestro autopilot status --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const view = await ctx.op('autopilot.get', { projectId: await project(ctx) });
      return { data: view, human: () => autopilotLines(view) };
    },
  },
  {
    path: ['task', 'doctor'],
    summary:
      'For every pending task, why it is not ready or not started (dependency, cap, budget, paused profile), and the tasks that can never become ready.',
    flags: { project: PROJECT_FLAG },
    operation: 'autopilot.doctor',
    examples: ['maestro task doctor --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      return doctorResult(await ctx.op('autopilot.doctor', { projectId: await project(ctx) }));
    },
  },
  {
    path: ['wait'],
    summary: `Block until a matching event (a task done, a session failed, a task blocked, a question, a task for review), print it as one JSON document; exit ${WAIT_TIMEOUT_EXIT} on --timeout.`,
    flags: {
      for: {
        type: 'string',
        value: 'KINDS',
        repeatable: true,
        choices: WAIT_KINDS,
        describe: 'What to wait for (comma-separated; default any).',
      },
      task: {
        type: 'string',
        value: 'IDS',
        repeatable: true,
        describe: 'Only events of these tasks (or of sessions working on them).',
      },
      timeout: {
        type: 'string',
        value: 'S',
        describe: `Give up after S seconds: prints {"timedOut": true} and exits ${WAIT_TIMEOUT_EXIT}.`,
      },
    },
    examples: [
      'maestro wait --for done,failed,question --json',
      'maestro wait --for done --task t_3,t_4 --timeout 600 --json',
    ],
    async run(ctx) {
      const result = await waitForEvent(ctx.client(), {
        kinds: ctx.flagList('for'),
        tasks: ctx.flagList('task'),
        timeoutSeconds: ctx.int('timeout'),
      });
      if (result.timedOut)
        return { data: result, human: 'No matching event before the timeout.', exitCode: WAIT_TIMEOUT_EXIT };
      const { event } = result;
      return { data: result, human: `${event.kind}: ${event.type} ${event.entityId} (seq ${event.seq})` };
    },
  },
];
