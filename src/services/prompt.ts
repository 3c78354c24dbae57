import type { TaskDetailView } from './views.js';

/**
 * The first message a worker agent reads: who it is, its task with subtasks and dependencies, the
 * role's skill, and the commands to start with. Built from the task as it is when the session
 * starts; the agent refreshes it with `maestro task get`.
 */
export function buildPrompt(input: {
  sessionId: string;
  role: string;
  detail: TaskDetailView;
  skill: string;
}): string {
  const { task, subtasks, dependencies, blockedBy } = input.detail;
  const lines = [
    `# Maestro ${input.role} session ${input.sessionId}`,
    '',
    `You are a ${input.role} agent working on task ${task.id} through the \`maestro\` CLI (always pass --json).`,
    '',
    `## Task ${task.id}: ${task.title}`,
    `Status: ${task.status}. Priority: ${task.priority}.${task.labels.length ? ` Labels: ${task.labels.join(', ')}.` : ''}`,
  ];
  if (task.description) lines.push('', task.description);
  if (subtasks.length) {
    lines.push(
      '',
      '### Subtasks',
      ...subtasks.map((s) => `- [${s.status === 'completed' ? 'x' : ' '}] ${s.id} ${s.title}`),
    );
  }
  if (dependencies.length) {
    lines.push('', '### Depends on', ...dependencies.map((d) => `- ${d.id} (${d.status}) ${d.title}`));
    if (blockedBy.length)
      lines.push(
        `Not all dependencies are completed (${blockedBy.map((b) => b.id).join(', ')}): block the task and stop if you cannot proceed.`,
      );
  }
  const workspace = input.detail.workspace;
  if (workspace) {
    lines.push(
      '',
      '## Your workspace',
      `You work in your own git worktree on branch \`${workspace.branch}\` (from \`${workspace.baseBranch}\`): commit your work there. Completing the task hands it over${workspace.status === 'review' ? ' for review' : ''}; it is merged into \`${workspace.baseBranch}\` after the checks pass.`,
    );
    if (workspace.failureMessage) {
      lines.push(
        '',
        `It came back: ${workspace.failureMessage}`,
        ...(workspace.failureFiles.length
          ? [
              `Resolve the conflicts in ${workspace.failureFiles.join(', ')}, commit, and complete the task again.`,
            ]
          : []),
      );
    }
  }
  const reviews = input.detail.timeline.filter((e) => e.kind === 'review').slice(-10);
  if (reviews.length) lines.push('', '## Review comments', ...reviews.map((e) => `- ${e.message}`));
  lines.push(
    '',
    '## Start with',
    '```sh',
    'maestro whoami --json',
    `maestro task get ${task.id} --json`,
    `maestro task start ${task.id} --json`,
    '```',
    `Report milestones with \`maestro report progress "<what>" --json\`, complete subtasks with \`maestro subtask complete ${task.id} <subtaskId> --json\`, and finish with \`maestro task complete ${task.id} --json\`. If you are stuck, \`maestro task block ${task.id} --reason "<why>" --json\` and stop.`,
  );
  if (input.skill.trim()) lines.push('', '## Skill', '', input.skill.trim());
  return lines.join('\n') + '\n';
}
