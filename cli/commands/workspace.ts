import { OPERATIONS } from '../../src/contract/operations.js';
import type { WorkspaceView } from '../../src/contract/views.js';
import { paint, statusColor, table } from '../output.js';
import type { Command } from '../registry.js';

const SESSION_ENV = ['MAESTRO_SESSION_ID', 'MAESTRO_TASK_IDS', 'MAESTRO_ACTOR'];

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function age(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

function queueTable(queue: readonly WorkspaceView[]): string {
  if (queue.length === 0) return 'The merge queue is empty.';
  return table(
    ['#', 'TASK', 'STATE', 'BRANCH', 'INTO', 'QUEUED', 'ATTEMPTS'],
    queue.map((w, i) => [
      String(i + 1),
      w.taskId,
      statusColor(w.status),
      w.branch,
      w.baseBranch,
      w.queuedAt.slice(0, 19).replace('T', ' '),
      String(w.mergeAttempts),
    ]),
  );
}

/** Workspaces (a git worktree per task), review and the merge queue: docs/workspaces.md. */
export const WORKSPACE_COMMANDS: Command[] = [
  {
    path: ['project', 'configure'],
    summary: OPERATIONS['project.configure'].summary,
    args: [{ name: 'id' }],
    flags: {
      isolation: {
        type: 'string',
        choices: ['worktree', 'none'],
        describe:
          'worktree: a git worktree per task (default in a git repository); none: the project directory.',
      },
      'base-branch': {
        type: 'string',
        value: 'BRANCH',
        arg: 'baseBranch',
        describe: 'The branch workspaces start from and merge into.',
      },
      review: {
        type: 'string',
        choices: ['auto', 'required'],
        describe: 'required: completed work waits for `task approve`; auto: it goes to the merge queue.',
      },
      checks: {
        type: 'string',
        value: 'COMMAND',
        describe:
          'Checks run before work merges, or before a task without a workspace completes (`none` clears them).',
      },
      'checks-timeout': {
        type: 'string',
        value: 'SECONDS',
        arg: 'checksTimeoutSeconds',
        describe: 'Seconds the checks may run (default 1800).',
      },
    },
    operation: 'project.configure',
    examples: [
      'maestro project configure --review required --base-branch main --json',
      "maestro project configure --checks 'npm test' --json",
    ],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const project = await ctx.op('project.configure', {
        id: ctx.args.id ?? (await ctx.projectId()),
        isolation: ctx.flag('isolation'),
        baseBranch: ctx.flag('base-branch'),
        review: ctx.flag('review'),
        checks: ctx.flag('checks'),
        checksTimeoutSeconds: ctx.int('checks-timeout'),
      });
      return {
        data: project,
        human: `${project.id}  isolation ${project.isolation || 'worktree (in git)'}, base ${project.baseBranch || '(the checked-out branch)'}, review ${project.review}, checks ${project.checks || "(the workspace file's, if any)"}`,
      };
    },
  },
  {
    path: ['workspace', 'list'],
    summary: 'List workspaces: task, branch, state, size on disk, age, ahead/behind, dirty.',
    operation: 'workspace.list',
    examples: ['maestro workspace list --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const result = await ctx.op('workspace.list', { projectId: ctx.flag('project') });
      return {
        data: result,
        human: () => {
          if (result.workspaces.length === 0) return 'No workspaces.';
          const rows = table(
            ['TASK', 'STATE', 'BRANCH', 'SIZE', 'AGE', 'AHEAD', 'BEHIND', 'DIRTY'],
            result.workspaces.map((e) => [
              e.workspace.taskId,
              statusColor(e.workspace.status),
              e.workspace.branch,
              e.onDisk ? mib(e.sizeBytes) : paint('dim', 'removed'),
              age(e.ageSeconds),
              String(e.ahead),
              String(e.behind),
              e.dirty ? paint('yellow', `yes (${e.changes})`) : 'no',
            ]),
          );
          const cap = result.maxTotalBytes ? ` of a ${mib(result.maxTotalBytes)} cap` : '';
          return `${rows}\n\n${mib(result.totalBytes)} on disk${cap}.`;
        },
      };
    },
  },
  {
    path: ['workspace', 'prune'],
    summary: OPERATIONS['workspace.prune'].summary,
    flags: {
      'keep-merged-days': {
        type: 'string',
        value: 'N',
        arg: 'keepMergedDays',
        describe: 'Keep merged worktrees this many days (default 7).',
      },
      'max-mb': {
        type: 'string',
        value: 'MIB',
        arg: 'maxTotalBytes',
        describe: "A cap on the disk all worktrees take (default the server's workspaceDiskCapMb).",
      },
    },
    operation: 'workspace.prune',
    examples: ['maestro workspace prune --keep-merged-days 2 --json'],
    async run(ctx) {
      const maxMb = ctx.int('max-mb');
      const result = await ctx.op('workspace.prune', {
        keepMergedDays: ctx.int('keep-merged-days'),
        maxTotalBytes: maxMb === undefined ? undefined : maxMb * 1024 * 1024,
      });
      return {
        data: result,
        human: () =>
          [
            ...result.removed.map(
              (r) =>
                `Removed ${r.taskId} (${r.reason}, ${mib(r.bytes)})${r.snapshot ? `, changes kept in snapshot ${r.snapshot}` : ''}`,
            ),
            `${result.removed.length} removed; ${mib(result.bytesAfter)} on disk now.${result.overCapBytes ? paint('red', ` Still ${mib(result.overCapBytes)} over the cap (active workspaces are never pruned).`) : ''}`,
          ].join('\n'),
      };
    },
  },
  {
    path: ['workspace', 'restore'],
    summary: OPERATIONS['workspace.restore'].summary,
    args: [{ name: 'task', required: true }],
    flags: {
      snapshot: { type: 'string', value: 'N', describe: 'The snapshot to bring back (default the newest).' },
    },
    operation: 'workspace.restore',
    examples: ['maestro workspace restore t_12 --json', 'maestro workspace restore t_12 --snapshot 2 --json'],
    async run(ctx) {
      const result = await ctx.op('workspace.restore', {
        taskId: ctx.args.task!,
        snapshot: ctx.int('snapshot'),
      });
      return {
        data: result,
        human: `Restored snapshot ${result.snapshot} into ${result.workspace.path}${result.recreated ? ' (worktree made again)' : ''}${result.previousSnapshot ? `; what it held is snapshot ${result.previousSnapshot}` : ''}.`,
      };
    },
  },
  {
    path: ['merge-queue'],
    summary: OPERATIONS['merge_queue.list'].summary,
    operation: 'merge_queue.list',
    examples: ['maestro merge-queue --json'],
    env: ['MAESTRO_PROJECT_ID'],
    async run(ctx) {
      const { queue } = await ctx.op('merge_queue.list', { projectId: ctx.flag('project') });
      return { data: queue, human: () => queueTable(queue) };
    },
  },
  {
    path: ['task', 'diff'],
    summary: OPERATIONS['task.diff'].summary,
    args: [{ name: 'id' }],
    flags: { stat: { type: 'boolean', describe: 'The files and line counts only.' } },
    operation: 'task.diff',
    env: SESSION_ENV,
    examples: ['maestro task diff t_12 --stat', 'maestro task diff t_12 --json'],
    async run(ctx) {
      const diff = await ctx.op('task.diff', { taskId: ctx.taskId(ctx.args.id), stat: ctx.has('stat') });
      return {
        data: diff,
        human: () =>
          diff.files.length === 0
            ? `No changes against ${diff.base}.`
            : ctx.has('stat')
              ? `${diff.stat}`
              : diff.patch + (diff.patchTruncated ? '\n[patch cut: too large]' : ''),
      };
    },
  },
  {
    path: ['task', 'review'],
    summary: OPERATIONS['task.review'].summary,
    args: [{ name: 'id', required: true }],
    flags: {
      comment: { type: 'string', value: 'TEXT', required: true, describe: 'The comment.' },
      file: { type: 'string', value: 'PATH', describe: 'The file it is about.' },
      line: { type: 'string', value: 'N', describe: 'The line it is about (with --file).' },
    },
    operation: 'task.review',
    examples: ['maestro task review t_12 --comment "Handle the empty list" --file src/list.ts --line 40'],
    async run(ctx) {
      const result = await ctx.op('task.review', {
        taskId: ctx.args.id!,
        comment: ctx.flag('comment')!,
        file: ctx.flag('file'),
        line: ctx.int('line'),
      });
      return { data: result, human: `${result.message}\n${result.note}` };
    },
  },
  {
    path: ['task', 'approve'],
    summary: OPERATIONS['task.approve'].summary,
    args: [{ name: 'id', required: true }],
    flags: { comment: { type: 'string', value: 'TEXT', describe: 'A comment for the timeline.' } },
    operation: 'task.approve',
    examples: ['maestro task approve t_12 --json'],
    async run(ctx) {
      const workspace = await ctx.op('task.approve', { taskId: ctx.args.id!, comment: ctx.flag('comment') });
      return {
        data: workspace,
        human: `Approved ${workspace.taskId}: ${workspace.branch} is queued to merge into ${workspace.baseBranch}.`,
      };
    },
  },
  {
    path: ['task', 'reject'],
    summary: OPERATIONS['task.reject'].summary,
    args: [{ name: 'id', required: true }],
    flags: { comment: { type: 'string', value: 'TEXT', required: true, describe: 'What to change.' } },
    operation: 'task.reject',
    examples: ['maestro task reject t_12 --comment "Tests are missing" --json'],
    async run(ctx) {
      const workspace = await ctx.op('task.reject', { taskId: ctx.args.id!, comment: ctx.flag('comment')! });
      return { data: workspace, human: `Rejected ${workspace.taskId}: it is ready for a worker again.` };
    },
  },
];
