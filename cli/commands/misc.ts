import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import {
  FILE_KEYS,
  SETTINGS,
  configFilePath,
  parseSetting,
  readConfigFile,
  type Settings,
} from '../../src/config/config.js';
import type { WireEvent } from '../../src/contract/views.js';
import { cliError, usageError } from '../errors.js';
import { paint, statusColor, table } from '../output.js';
import { usageLine, type Command, type CommandContext } from '../registry.js';
import { taskSummary, type TaskOut } from './format.js';

const SESSION_ENV = ['MAESTRO_SESSION_ID', 'MAESTRO_TASK_IDS', 'MAESTRO_ACTOR'];

interface SubtaskOut {
  id: string;
  taskId: string;
  title: string;
  status: string;
  position: number;
}

interface ProjectOut {
  id: string;
  name: string;
  description: string;
  workingDir: string;
}

interface SessionOut {
  id: string;
  name: string;
  role: string;
  status: string;
  taskIds: string[];
  pid: number;
  lastHeartbeatAt: string;
  failureReason: string;
}

const subtaskLine = (s: SubtaskOut, verb?: string) =>
  `${verb ? `${verb} ` : ''}[${s.status === 'completed' ? 'x' : ' '}] ${s.id}  ${s.title}  (task ${s.taskId})`;

function subtaskAction(verb: string, method: string, summary: string, past: string): Command {
  return {
    path: ['subtask', verb],
    summary,
    args: [
      { name: 'taskId', required: true },
      { name: 'subtaskId', required: true },
    ],
    mutates: true,
    examples: [`maestro subtask ${verb} t_12 st_3 --json`],
    async run(ctx) {
      const subtask = await ctx
        .client()
        .call<SubtaskOut>(
          'Subtasks',
          method,
          { taskId: ctx.args.taskId, subtaskId: ctx.args.subtaskId },
          true,
        );
      return { data: subtask, human: subtaskLine(subtask, past) };
    },
  };
}

const SUBTASK_COMMANDS: Command[] = [
  {
    path: ['subtask', 'create'],
    summary: 'Add a subtask (a checklist item) to a task.',
    args: [
      { name: 'taskId', required: true },
      { name: 'title', required: true, variadic: true },
    ],
    mutates: true,
    examples: ['maestro subtask create t_12 "Write the migration" --json'],
    async run(ctx) {
      const subtask = await ctx
        .client()
        .call<SubtaskOut>('Subtasks', 'Create', { taskId: ctx.args.taskId, title: ctx.args.title }, true);
      return { data: subtask, human: subtaskLine(subtask, 'Added') };
    },
  },
  {
    path: ['subtask', 'list'],
    summary: "List a task's subtasks in order.",
    args: [{ name: 'taskId', required: true }],
    examples: ['maestro subtask list t_12 --json'],
    async run(ctx) {
      const { subtasks } = await ctx
        .client()
        .call<{ subtasks: SubtaskOut[] }>('Subtasks', 'List', { taskId: ctx.args.taskId });
      return { data: subtasks, human: subtasks.map((s) => subtaskLine(s)).join('\n') || 'No subtasks.' };
    },
  },
  subtaskAction('complete', 'Complete', 'Complete a subtask.', 'Completed'),
  subtaskAction('reopen', 'Reopen', 'Reopen a completed subtask.', 'Reopened'),
  subtaskAction('delete', 'Delete', 'Delete a subtask.', 'Deleted'),
];

function reportCommand(kind: 'progress' | 'blocked' | 'complete', summary: string): Command {
  return {
    path: ['report', kind],
    summary,
    args: [{ name: 'message', required: true, variadic: true }],
    flags: {
      task: { type: 'string', value: 'ID', describe: "Task to report on (default: the session's task)." },
    },
    mutates: true,
    examples: [
      `maestro report ${kind} "Tests pass for the parser" --json`,
      `maestro report ${kind} "..." --task t_12 --json`,
    ],
    env: SESSION_ENV,
    async run(ctx) {
      const result = await ctx
        .client()
        .call<{ entry: { id: string; kind: string; message: string } }>(
          'Reports',
          'Report',
          { taskId: ctx.taskId(ctx.flag('task')), kind, message: ctx.args.message },
          true,
        );
      return {
        data: result,
        human: `Reported ${kind} on ${ctx.taskId(ctx.flag('task'))}: ${result.entry.message}`,
      };
    },
  };
}

const REPORT_COMMANDS: Command[] = [
  reportCommand('progress', 'Record progress on a task (a timeline entry).'),
  reportCommand(
    'blocked',
    'Record what blocks you on a task (a timeline entry; use task block to change its status).',
  ),
  reportCommand(
    'complete',
    'Record a completion summary on a task (a timeline entry; use task complete to finish it).',
  ),
];

const projectLine = (p: ProjectOut) =>
  `${p.id}  ${p.name}${p.workingDir ? `  ${paint('dim', p.workingDir)}` : ''}`;

const PROJECT_COMMANDS: Command[] = [
  {
    path: ['project', 'create'],
    summary: 'Create a project; commands run inside its directory use it.',
    args: [{ name: 'name', required: true, variadic: true }],
    flags: {
      desc: { type: 'string', value: 'TEXT', describe: 'Description.' },
      dir: { type: 'string', value: 'PATH', describe: 'Working directory (default: the current one).' },
    },
    mutates: true,
    examples: ['maestro project create webapp --dir ~/src/webapp --json'],
    async run(ctx) {
      const project = await ctx.client().call<ProjectOut>(
        'Projects',
        'Create',
        {
          name: ctx.args.name,
          description: ctx.flag('desc') ?? '',
          workingDir: resolvePath(ctx.cwd, ctx.flag('dir') ?? '.'),
        },
        true,
      );
      return { data: project, human: `Created ${projectLine(project)}` };
    },
  },
  {
    path: ['project', 'list'],
    summary: 'List projects.',
    examples: ['maestro project list --json'],
    async run(ctx) {
      const { projects } = await ctx.client().call<{ projects: ProjectOut[] }>('Projects', 'List', {});
      return {
        data: projects,
        human:
          table(
            ['ID', 'NAME', 'DIRECTORY'],
            projects.map((p) => [p.id, p.name, p.workingDir || '-']),
          ) || 'No projects.',
      };
    },
  },
  {
    path: ['project', 'get'],
    summary: 'Show a project (default: the current one).',
    args: [{ name: 'id' }],
    examples: ['maestro project get --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const project = await ctx
        .client()
        .call<ProjectOut>('Projects', 'Get', { id: ctx.args.id ?? (await ctx.projectId()) });
      return { data: project, human: projectLine(project) };
    },
  },
  {
    path: ['project', 'delete'],
    summary: 'Delete a project (with --cascade: and all its tasks).',
    args: [{ name: 'id', required: true }],
    flags: { cascade: { type: 'boolean', describe: 'Also delete its tasks.' } },
    mutates: true,
    examples: ['maestro project delete p_2 --cascade --json'],
    async run(ctx) {
      const result = await ctx
        .client()
        .call<{ id: string; deletedTasks: number }>(
          'Projects',
          'Delete',
          { id: ctx.args.id, cascade: ctx.has('cascade') },
          true,
        );
      return { data: result, human: `Deleted ${result.id} and ${result.deletedTasks} task(s).` };
    },
  },
];

const sessionTable = (sessions: SessionOut[]) =>
  table(
    ['ID', 'NAME', 'ROLE', 'STATUS', 'TASKS', 'PID'],
    sessions.map((s) => [
      s.id,
      s.name,
      s.role,
      statusColor(s.status),
      s.taskIds.join(',') || '-',
      s.pid ? String(s.pid) : '-',
    ]),
  ) || 'No sessions.';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const SESSION_COMMANDS: Command[] = [
  {
    path: ['session', 'spawn'],
    summary: 'Start an agent for a task in a terminal; waits until it runs (or is queued).',
    flags: {
      task: { type: 'string', value: 'ID', describe: 'Task the agent works on (required).' },
      role: { type: 'string', choices: ['worker', 'orchestrator'], describe: 'Role (default worker).' },
      name: { type: 'string', value: 'NAME', describe: 'Session name (default <role>-<n>).' },
      skill: {
        type: 'string',
        value: 'SKILL',
        describe: 'Skill given to the agent (default maestro-<role>).',
      },
    },
    mutates: true,
    examples: [
      'maestro session spawn --task t_12 --json',
      'maestro session spawn --task t_3 --role orchestrator --json',
    ],
    async run(ctx) {
      const task = ctx.flag('task');
      if (!task)
        throw usageError('Missing --task: say which task the agent works on.', usageLine(this), {
          flag: 'task',
        });
      const result = await ctx.client().call<{ session: SessionOut; queuePosition: number }>(
        'Sessions',
        'Spawn',
        {
          taskId: task,
          role: ctx.flag('role') ?? '',
          name: ctx.flag('name') ?? '',
          skill: ctx.flag('skill') ?? '',
        },
        true,
      );
      let session = result.session;
      // A runner picked it up: wait for the process to start (or fail) so the caller knows.
      for (let i = 0; result.queuePosition === 0 && session.status === 'spawning' && i < 150; i++) {
        await sleep(100);
        session = await ctx.client().call<SessionOut>('Sessions', 'Get', { id: session.id });
      }
      if (session.status === 'failed') {
        throw cliError(
          'spawn_failed',
          session.failureReason || 'The agent could not be started.',
          'Check the agent command: maestro config get agentCommand.',
          {
            sessionId: session.id,
          },
        );
      }
      const data = { ...session, queuePosition: result.queuePosition };
      return {
        data,
        human:
          result.queuePosition > 0
            ? `Queued ${session.id} for ${task} (position ${result.queuePosition}).`
            : `Spawned ${session.id} (${session.name}) for ${task}: ${session.status}${session.pid ? `, pid ${session.pid}` : ''}.`,
      };
    },
  },
  {
    path: ['session', 'logs'],
    summary: "Print a session's terminal output; --follow keeps printing until it ends.",
    args: [{ name: 'id', required: true }],
    flags: { follow: { type: 'boolean', describe: 'Keep streaming new output.' } },
    examples: ['maestro session logs s_3', 'maestro session logs s_3 --follow --json'],
    async run(ctx) {
      const stream = ctx
        .client()
        .stream('Sessions', 'Logs', { id: ctx.args.id, follow: ctx.has('follow') }, (chunk) => {
          const data = String(chunk.data ?? '');
          if (ctx.json) ctx.writeLine(JSON.stringify({ sessionId: ctx.args.id, data }));
          else process.stdout.write(data);
        });
      const stop = () => stream.cancel();
      process.once('SIGINT', stop);
      await stream.done;
      return { data: null, streamed: true };
    },
  },
  {
    path: ['session', 'attach'],
    summary: "Attach this terminal to a session's tmux window (detach with Ctrl-b d).",
    args: [{ name: 'id', required: true }],
    examples: ['maestro session attach s_3'],
    env: ['MAESTRO_TMUX_SOCKET'],
    async run(ctx) {
      const session = await ctx.client().call<SessionOut>('Sessions', 'Get', { id: ctx.args.id });
      const target = `maestro:${session.id}`;
      const args = ['-L', ctx.settings.tmuxSocket, 'attach-session', '-t', target];
      if (ctx.json || !process.stdout.isTTY) {
        return {
          data: { sessionId: session.id, command: ['tmux', ...args] },
          human: `tmux ${args.join(' ')}`,
        };
      }
      const { spawnSync } = await import('node:child_process');
      const result = spawnSync('tmux', args, { stdio: 'inherit' });
      if (result.status !== 0) {
        throw cliError(
          'session_not_found',
          `Session ${session.id} has no terminal on this machine.`,
          'Its runner may be on another machine, or it has ended.',
          {
            sessionId: session.id,
          },
        );
      }
      return { data: null, streamed: true };
    },
  },
  {
    path: ['session', 'list'],
    summary: 'List agent sessions.',
    flags: {
      status: { type: 'string', value: 'STATUS', repeatable: true, describe: 'Only these statuses.' },
    },
    examples: ['maestro session list --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const { sessions } = await ctx.client().call<{ sessions: SessionOut[] }>('Sessions', 'List', {
        projectId: await ctx.projectId(),
        status: ctx.flagList('status'),
      });
      return { data: sessions, human: sessionTable(sessions) };
    },
  },
  {
    path: ['session', 'info'],
    summary: 'Show a session (default: this one, MAESTRO_SESSION_ID).',
    args: [{ name: 'id' }],
    examples: ['maestro session info s_3 --json'],
    env: ['MAESTRO_SESSION_ID'],
    async run(ctx) {
      const session = await ctx
        .client()
        .call<SessionOut>('Sessions', 'Get', { id: sessionId(ctx, ctx.args.id) });
      return {
        data: session,
        human: sessionTable([session]) + (session.failureReason ? `\n${session.failureReason}` : ''),
      };
    },
  },
  {
    path: ['session', 'stop'],
    summary: 'Stop a session; its claims return to ready.',
    args: [{ name: 'id', required: true }],
    mutates: true,
    examples: ['maestro session stop s_3 --json'],
    async run(ctx) {
      const session = await ctx.client().call<SessionOut>('Sessions', 'Stop', { id: ctx.args.id }, true);
      return { data: session, human: `Stopped ${session.id} (${session.status}).` };
    },
  },
  {
    path: ['session', 'heartbeat'],
    summary: 'Tell the server this session is alive (every CLI call from a session also counts).',
    args: [{ name: 'id' }],
    examples: ['maestro session heartbeat --json'],
    env: ['MAESTRO_SESSION_ID'],
    async run(ctx) {
      const session = await ctx
        .client()
        .call<SessionOut>('Sessions', 'Heartbeat', { id: sessionId(ctx, ctx.args.id) });
      return { data: session, human: `${session.id} is ${session.status}.` };
    },
  },
];

function sessionId(ctx: CommandContext, value: string | undefined): string {
  const id = value ?? ctx.env.MAESTRO_SESSION_ID;
  if (!id)
    throw usageError(
      'Missing argument <id>: outside a session the session id is required.',
      'maestro session info <id>',
    );
  return id;
}

const eventJson = (e: WireEvent) => ({
  seq: e.seq,
  type: e.type,
  entityType: e.entityType,
  entityId: e.entityId,
  projectId: e.projectId,
  data: JSON.parse(e.dataJson) as unknown,
  createdAt: e.createdAt,
});
const eventLine = (e: WireEvent) =>
  `${String(e.seq).padStart(6)}  ${e.createdAt.slice(11, 19)}  ${e.type.padEnd(22)} ${e.entityId}`;

const EVENTS_COMMAND: Command = {
  path: ['events'],
  summary: 'Print the event log from a seq (one JSON event per line with --json); --follow keeps streaming.',
  flags: {
    since: { type: 'string', value: 'SEQ', describe: 'Print events after this seq (default 0).' },
    follow: { type: 'boolean', describe: 'Keep streaming new events until interrupted.' },
    limit: { type: 'string', value: 'N', describe: 'At most N events (without --follow; default 1000).' },
  },
  examples: ['maestro events --since 120 --json', 'maestro events --follow --json'],
  async run(ctx) {
    const since = ctx.flag('since') ?? '0';
    const limit = ctx.flag('limit') ?? '1000';
    if (!/^\d+$/.test(since))
      throw usageError('--since takes an event seq (a number).', usageLine(this), { flag: 'since' });
    if (!/^\d+$/.test(limit)) throw usageError('--limit takes a number.', usageLine(this), { flag: 'limit' });
    const print = (e: WireEvent) => ctx.writeLine(ctx.json ? JSON.stringify(eventJson(e)) : eventLine(e));
    if (!ctx.has('follow')) {
      const { events } = await ctx
        .client()
        .call<{ events: WireEvent[] }>('Events', 'List', { sinceSeq: Number(since), limit: Number(limit) });
      for (const e of events) print(e);
      return { data: null, streamed: true };
    }
    const watch = ctx.client().watch(Number(since), (e) => print(e as unknown as WireEvent));
    const stop = () => watch.cancel();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await watch.done;
    return { data: null, streamed: true };
  },
};

const INFO_COMMANDS: Command[] = [
  {
    path: ['whoami'],
    summary: 'Who the CLI acts as, in which session and project, against which server.',
    examples: ['maestro whoami --json'],
    env: SESSION_ENV,
    async run(ctx) {
      const who = await ctx
        .client()
        .call<{ actor: string; sessionId: string; serverVersion: string; lastSeq: number }>(
          'Server',
          'WhoAmI',
          {},
        );
      const data = {
        actor: who.actor,
        sessionId: who.sessionId,
        role: ctx.env.MAESTRO_ROLE ?? '',
        taskIds: (ctx.env.MAESTRO_TASK_IDS ?? '').split(',').filter(Boolean),
        projectId: await ctx.projectId(),
        server: ctx.settings.server,
        serverVersion: who.serverVersion,
      };
      return {
        data,
        human: [
          `actor    ${data.actor}`,
          `session  ${data.sessionId || '-'}${data.role ? ` (${data.role})` : ''}`,
          `tasks    ${data.taskIds.join(', ') || '-'}`,
          `project  ${data.projectId}`,
          `server   ${data.server} (maestro ${data.serverVersion})`,
        ].join('\n'),
      };
    },
  },
  {
    path: ['status'],
    summary: 'Counts by status and priority, ready work and active sessions.',
    examples: ['maestro status --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const status = await ctx.client().call<{
        byStatus: { key: string; count: number }[];
        byPriority: { key: string; count: number }[];
        activeSessions: SessionOut[];
        ready: number;
        lastSeq: number;
      }>('Server', 'Status', { projectId: await ctx.projectId() });
      const counts = (list: { key: string; count: number }[]) =>
        list.map((c) => `${c.key} ${c.count}`).join(', ') || 'none';
      return {
        data: status,
        human: [
          `tasks     ${counts(status.byStatus)}`,
          `priority  ${counts(status.byPriority)}`,
          `ready     ${status.ready}`,
          `sessions  ${status.activeSessions.length} active`,
          ...(status.activeSessions.length ? [sessionTable(status.activeSessions)] : []),
        ].join('\n'),
      };
    },
  },
];

const CONFIG_KEYS = FILE_KEYS;

function configKey(ctx: CommandContext, value: string | undefined): keyof Settings {
  if (!value || !CONFIG_KEYS.includes(value as keyof Settings)) {
    throw cliError(
      'invalid_argument',
      `Unknown config key '${value ?? ''}'.`,
      `Accepted keys: ${CONFIG_KEYS.join(', ')}.`,
      {
        field: 'key',
        accepted: CONFIG_KEYS,
      },
    );
  }
  return value as keyof Settings;
}

const CONFIG_COMMANDS: Command[] = [
  {
    path: ['config', 'list'],
    summary: 'Every setting with its value and where it came from (flag > env > file > default).',
    examples: ['maestro config list --json'],
    async run(ctx) {
      const file = readConfigFile(ctx.settings.home);
      const rows = CONFIG_KEYS.map((key) => ({
        key,
        value: ctx.settings[key],
        source: ctx.env[SETTINGS[key].env] ? 'env' : file[key] !== undefined ? 'file' : 'default',
        env: SETTINGS[key].env,
        describe: SETTINGS[key].describe,
      }));
      return {
        data: rows,
        human: table(
          ['KEY', 'VALUE', 'SOURCE', 'ENV'],
          rows.map((r) => [r.key, String(r.value), r.source, r.env]),
        ),
      };
    },
  },
  {
    path: ['config', 'get'],
    summary: 'Print one setting.',
    args: [{ name: 'key', required: true }],
    examples: ['maestro config get agentCommand --json'],
    async run(ctx) {
      const key = configKey(ctx, ctx.args.key);
      return { data: { key, value: ctx.settings[key] }, human: String(ctx.settings[key]) };
    },
  },
  {
    path: ['config', 'set'],
    summary: 'Write a setting to $MAESTRO_HOME/config.json (validated first).',
    args: [
      { name: 'key', required: true },
      { name: 'value', required: true },
    ],
    mutates: true,
    examples: ['maestro config set agentCommand "claude --model opus" --json'],
    async run(ctx) {
      const key = configKey(ctx, ctx.args.key);
      const value = parseSetting(key, ctx.args.value!);
      const path = configFilePath(ctx.settings.home);
      const file = readConfigFile(ctx.settings.home);
      file[key] = value;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
      return { data: { key, value, path }, human: `${key} = ${String(value)} (in ${path})` };
    },
  },
];

export const MISC_COMMANDS: Command[] = [
  ...PROJECT_COMMANDS,
  ...SUBTASK_COMMANDS,
  ...REPORT_COMMANDS,
  ...SESSION_COMMANDS,
  EVENTS_COMMAND,
  ...INFO_COMMANDS,
  ...CONFIG_COMMANDS,
];

export type { TaskOut };
export { taskSummary };
