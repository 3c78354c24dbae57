import { formatBudget } from '../../src/contract/autopilot.js';
import { paint } from '../output.js';
import type { Command } from '../registry.js';
import { sessionTable } from './session.js';

const SESSION_ENV = ['MAESTRO_SESSION_ID', 'MAESTRO_TASK_IDS', 'MAESTRO_ACTOR'];

export const INFO_COMMANDS: Command[] = [
  {
    path: ['whoami'],
    summary: 'Who the CLI acts as, in which session and project, against which server.',
    operation: 'whoami',
    examples: ['maestro whoami --json'],
    env: SESSION_ENV,
    async run(ctx) {
      const who = await ctx.op('whoami', {});
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
    operation: 'status',
    examples: ['maestro status --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const projectId = await ctx.projectId();
      const status = await ctx.op('status', { projectId });
      const autopilot = await ctx.op('autopilot.get', { projectId });
      const counts = (list: { key: string; count: number }[]) =>
        list.map((c) => `${c.key} ${c.count}`).join(', ') || 'none';
      return {
        data: { ...status, autopilot },
        human: () =>
          [
            `autopilot ${autopilot.enabled ? `on, at most ${autopilot.maxWorkers} workers` : 'off'}${autopilot.reason ? ` (${autopilot.reason})` : ''}${autopilot.budget.usd || autopilot.budget.tokens || autopilot.budget.minutes ? `, budget ${formatBudget(autopilot.budget)}` : ''}`,
            `tasks     ${counts(status.byStatus)}`,
            `priority  ${counts(status.byPriority)}`,
            `ready     ${status.ready}`,
            `sessions  ${status.activeSessions.length} active, ${status.usage.sessions} in all`,
            `usage     ${status.usage.inputTokens} in / ${status.usage.outputTokens} out tokens, $${status.usage.costUsd.toFixed(4)}`,
            ...(status.workspaceDisk?.workspaces
              ? [
                  `disk      ${(status.workspaceDisk.totalBytes / 1024 / 1024).toFixed(1)} MiB in ${status.workspaceDisk.workspaces} workspace(s)`,
                ]
              : []),
            ...(status.workspaceDisk?.warning
              ? [paint('red', `warning   ${status.workspaceDisk.warning}`)]
              : []),
            ...(status.activeSessions.length ? [sessionTable(status.activeSessions)] : []),
          ].join('\n'),
      };
    },
  },
];
