import { hostname } from 'node:os';
import type { SessionUsage, SessionView, TranscriptEntry } from '../../src/contract/views.js';
import { sleep } from '../../src/shared/backoff.js';
import { cliError, usageError } from '../errors.js';
import { paint, printable, statusColor, table } from '../output.js';
import type { Command, CommandContext, CommandResult } from '../registry.js';

const sessionTable = (sessions: readonly SessionView[]) =>
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

function sessionId(ctx: CommandContext, value: string | undefined, usage: string): string {
  const id = value ?? ctx.env.MAESTRO_SESSION_ID;
  if (!id) throw usageError('Missing argument <id>: outside a session the session id is required.', usage);
  return id;
}

const SESSION_START_COMMANDS: Command[] = [
  {
    path: ['session', 'spawn'],
    summary: 'Start an agent for a task in a terminal; waits until it runs (or is queued).',
    flags: {
      task: {
        type: 'string',
        value: 'ID',
        required: true,
        arg: 'taskId',
        describe: 'Task the agent works on.',
      },
      role: { type: 'string', choices: ['worker', 'orchestrator'], describe: 'Role (default worker).' },
      name: { type: 'string', value: 'NAME', describe: 'Session name (default <role>-<n>).' },
      skill: {
        type: 'string',
        value: 'SKILL',
        describe: 'Skill given to the agent (default maestro-<role>).',
      },
      agent: {
        type: 'string',
        value: 'PROFILE',
        describe: 'Agent profile (maestro agent list; default: the server’s defaultAgent).',
      },
    },
    operation: 'session.spawn',
    examples: [
      'maestro session spawn --task t_12 --json',
      'maestro session spawn --task t_12 --agent codex --json',
      'maestro session spawn --task t_3 --role orchestrator --json',
    ],
    async run(ctx) {
      const task = ctx.flag('task')!;
      const result = await ctx.op('session.spawn', {
        taskId: task,
        role: ctx.flag('role'),
        name: ctx.flag('name'),
        skill: ctx.flag('skill'),
        agent: ctx.flag('agent'),
      });
      return waitForStart(ctx, task, result);
    },
  },
  {
    path: ['session', 'resume'],
    summary: "Start a new session for an ended session's task that continues its agent's conversation.",
    args: [{ name: 'id', required: true }],
    operation: 'session.resume',
    examples: ['maestro session resume s_3 --json'],
    async run(ctx) {
      const result = await ctx.op('session.resume', { id: ctx.args.id! });
      return waitForStart(ctx, result.session.taskIds[0] ?? '', result);
    },
  },
  {
    path: ['session', 'send'],
    summary: 'Send a message to a running session’s agent (recorded in its transcript and task timeline).',
    args: [
      { name: 'id', required: true },
      { name: 'message', required: true, variadic: true },
    ],
    operation: 'session.send',
    examples: ['maestro session send s_3 "Use the staging database for the tests" --json'],
    async run(ctx) {
      const result = await ctx.op('session.send', { id: ctx.args.id!, message: ctx.args.message! });
      return {
        data: result,
        human: `${result.delivered ? 'Delivered' : 'Not delivered'} to ${result.session.id}: ${result.note}`,
      };
    },
  },
  {
    path: ['session', 'transcript'],
    summary:
      "Print a session's transcript (messages, tool calls, results); --follow keeps printing until it ends.",
    args: [{ name: 'id', required: true }],
    flags: {
      follow: { type: 'boolean', describe: 'Keep printing new entries until the session ends.' },
      after: { type: 'string', value: 'N', describe: 'Only entries after this one.' },
    },
    operation: 'session.transcript',
    examples: ['maestro session transcript s_3', 'maestro session transcript s_3 --follow --json'],
    async run(ctx) {
      const id = ctx.args.id!;
      const after = ctx.int('after');
      const print = (e: TranscriptEntry) =>
        ctx.writeLine(ctx.json ? JSON.stringify(e) : printable(transcriptLine(e)));
      if (!ctx.has('follow')) {
        const page = await ctx.op('session.transcript', { id, after, limit: 10_000 });
        if (ctx.json) return { data: page };
        for (const e of page.entries) print(e);
        return { data: null, streamed: true };
      }
      const stream = ctx
        .client()
        .openStream('session.transcript.follow', { id, after }, (e) =>
          print(e as unknown as TranscriptEntry),
        );
      const stop = () => stream.cancel();
      process.once('SIGINT', stop);
      await stream.done;
      return { data: null, streamed: true };
    },
  },
  {
    path: ['agent', 'list'],
    summary: 'The agent profiles, and whether each harness is found on the server’s PATH with its version.',
    operation: 'agent.list',
    examples: ['maestro agent list --json'],
    async run(ctx) {
      const result = await ctx.op('agent.list', {});
      return {
        data: result,
        human: () =>
          table(
            ['NAME', 'ADAPTER', 'MODE', 'PERMISSIONS', 'FOUND', 'VERSION'],
            result.agents.map((a) => [
              `${a.name}${a.isDefault ? ' (default)' : ''}`,
              a.adapter,
              a.mode,
              a.permissions,
              a.found ? a.path : 'no',
              a.version || '-',
            ]),
          ) + `\n(checked on ${result.checkedOn})`,
      };
    },
  },
];

/** After a spawn or resume: wait for the process to start (or fail) so the caller knows. */
async function waitForStart(
  ctx: CommandContext,
  task: string,
  result: { session: SessionView; queuePosition: number },
): Promise<CommandResult> {
  let session = result.session;
  // A runner picked it up: wait for the process to start (or fail) so the caller knows.
  for (let i = 0; result.queuePosition === 0 && session.status === 'spawning' && i < 150; i++) {
    await sleep(100);
    session = await ctx.op('session.get', { id: session.id });
  }
  if (session.status === 'failed') {
    throw cliError(
      'spawn_failed',
      session.failureReason || 'The agent could not be started.',
      'Check the agent profile and its harness: maestro agent list.',
      { sessionId: session.id },
    );
  }
  const data = { ...session, queuePosition: result.queuePosition };
  return {
    data,
    human:
      result.queuePosition > 0
        ? `Queued ${session.id} for ${task} (position ${result.queuePosition}).`
        : `Spawned ${session.id} (${session.name}, ${session.agent}) for ${task}: ${session.status}${session.pid ? `, pid ${session.pid}` : ''}.`,
  };
}

const SESSION_COMMANDS_REST: Command[] = [
  {
    path: ['session', 'logs'],
    summary:
      "Print a session's terminal output; --follow keeps printing until it ends (--json: one JSON line per chunk).",
    args: [{ name: 'id', required: true }],
    flags: { follow: { type: 'boolean', describe: 'Keep streaming new output.' } },
    examples: ['maestro session logs s_3', 'maestro session logs s_3 --follow --json'],
    async run(ctx) {
      const id = ctx.args.id!;
      const follow = ctx.has('follow');
      let all = '';
      const stream = ctx.client().openStream('session.logs', { id, follow }, (chunk) => {
        const data = String(chunk.data ?? '');
        if (!follow && ctx.json) all += data;
        else if (ctx.json) ctx.writeLine(JSON.stringify({ sessionId: id, data }));
        else process.stdout.write(data);
      });
      const stop = () => stream.cancel();
      process.once('SIGINT', stop);
      await stream.done;
      // Without --follow the output is one document like every other command's.
      if (!follow && ctx.json) return { data: { sessionId: id, data: all } };
      return { data: null, streamed: true };
    },
  },
  {
    path: ['session', 'attach'],
    summary: "Attach this terminal to a session's tmux window (detach with Ctrl-b d).",
    args: [{ name: 'id', required: true }],
    operation: 'session.get',
    examples: ['maestro session attach s_3', 'maestro session attach s_3 --json'],
    async run(ctx) {
      const session = await ctx.op('session.get', { id: ctx.args.id! });
      // The runner recorded where it started the agent; this machine's settings may differ.
      const terminal = session.terminal;
      if (terminal?.backend !== 'tmux') {
        throw cliError(
          'invalid_argument',
          terminal
            ? `Session ${session.id} runs without a terminal (a ${terminal.backend} runner): there is nothing to attach to.`
            : `Session ${session.id} has no terminal: its agent has not started.`,
          `Follow its output instead: maestro session logs ${session.id} --follow`,
          { field: 'id', sessionId: session.id },
        );
      }
      if (terminal.host !== hostname()) {
        throw cliError(
          'session_not_found',
          `Session ${session.id} runs on ${terminal.host}, not on this machine.`,
          `Attach on ${terminal.host}, or follow its output: maestro session logs ${session.id} --follow`,
          { sessionId: session.id, host: terminal.host },
        );
      }
      const args = ['-S', terminal.socket, 'attach-session', '-t', terminal.target];
      if (ctx.json || !process.stdout.isTTY) {
        return {
          data: { sessionId: session.id, terminal, command: ['tmux', ...args] },
          human: `tmux ${args.join(' ')}`,
        };
      }
      const { spawnSync } = await import('node:child_process');
      const result = spawnSync('tmux', args, { stdio: 'inherit' });
      if (result.status !== 0) {
        throw cliError(
          'session_not_found',
          `Session ${session.id} has no terminal on this machine any more.`,
          'It has ended, or its tmux server was stopped.',
          { sessionId: session.id },
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
    operation: 'session.list',
    examples: ['maestro session list --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const { sessions } = await ctx.op('session.list', {
        projectId: await ctx.projectId(),
        status: ctx.flagList('status'),
      });
      return { data: sessions, human: () => sessionTable(sessions) };
    },
  },
  {
    path: ['session', 'info'],
    summary: 'Show a session (default: this one, MAESTRO_SESSION_ID).',
    args: [{ name: 'id' }],
    operation: 'session.get',
    examples: ['maestro session info s_3 --json'],
    env: ['MAESTRO_SESSION_ID'],
    async run(ctx) {
      const session = await ctx.op('session.get', {
        id: sessionId(ctx, ctx.args.id, 'maestro session info <id>'),
      });
      return {
        data: session,
        human: () =>
          [
            sessionTable([session]),
            `agent     ${session.agent || '-'} (${session.mode})${session.harnessSessionId ? `, harness session ${session.harnessSessionId}` : ''}`,
            `outcome   ${session.outcome || '-'}${session.failureReason ? `: ${session.failureReason}` : ''}`,
            `usage     ${usageLine(session.usage)}`,
            ...(session.usageLimit
              ? [
                  `limit     ${session.usageLimit.kind} limit${session.usageLimit.resetsAt ? `, resets ${session.usageLimit.resetsAt}` : ''}`,
                ]
              : []),
            ...(session.pausedUntil
              ? [`paused    until ${session.pausedUntil} (its agent resumes then)`]
              : []),
            ...(session.resumes ? [`resumed   ${session.resumes} time(s) after a limit`] : []),
          ].join('\n'),
      };
    },
  },
  {
    path: ['session', 'stop'],
    summary: 'Stop a session; its claims return to ready.',
    args: [{ name: 'id', required: true }],
    operation: 'session.stop',
    examples: ['maestro session stop s_3 --json'],
    async run(ctx) {
      const session = await ctx.op('session.stop', { id: ctx.args.id! });
      return { data: session, human: `Stopped ${session.id} (${session.status}).` };
    },
  },
  {
    path: ['session', 'heartbeat'],
    summary: 'Tell the server this session is alive (every CLI call from a session also counts).',
    args: [{ name: 'id' }],
    operation: 'session.heartbeat',
    examples: ['maestro session heartbeat --json'],
    env: ['MAESTRO_SESSION_ID'],
    async run(ctx) {
      const session = await ctx.op('session.heartbeat', {
        id: sessionId(ctx, ctx.args.id, 'maestro session heartbeat <id>'),
      });
      return { data: session, human: `${session.id} is ${session.status}.` };
    },
  },
];

export const SESSION_COMMANDS: Command[] = [...SESSION_START_COMMANDS, ...SESSION_COMMANDS_REST];

/** Tokens and cost in one line. */
export function usageLine(u: SessionUsage): string {
  return `${u.turns} turns, ${u.toolCalls} tool calls, ${u.inputTokens} in / ${u.outputTokens} out tokens (cache ${u.cacheReadTokens} read, ${u.cacheWriteTokens} written), $${u.costUsd.toFixed(4)}`;
}

function transcriptLine(e: TranscriptEntry): string {
  const head = `${String(e.n).padStart(4)} ${e.at.slice(11, 19)} ${e.kind.padEnd(11)}`;
  const body = e.text.length > 2000 ? `${e.text.slice(0, 2000)}…` : e.text;
  return `${head} ${e.isError ? paint('red', body) : body}`;
}

export { sessionTable };
