import { TimelineEntrySchema } from './db/entities.js';
import type { CommandRunner, RequestContext } from './command-runner.js';
import { loadTask } from './task.service.js';
import { oneOf, requireText } from './validate.js';
import { taskView, timelineView, type TaskView, type TimelineEntryView } from './views.js';

export const REPORT_KINDS = ['progress', 'blocked', 'complete'] as const;

/**
 * Agents' reports: timeline entries on a task. A report records what the agent says; it does not
 * move the task (that is `task block` / `task complete`), so a report can never be refused for the
 * task's state.
 */
export class ReportService {
  constructor(private readonly runner: CommandRunner) {}

  report(
    ctx: RequestContext,
    input: { taskId: string; kind: string; message: string },
  ): Promise<{ entry: TimelineEntryView; task: TaskView }> {
    return this.runner.run('report', ctx, async (tx) => {
      const kind = oneOf('kind', input.kind, REPORT_KINDS);
      const message = requireText('message', input.message, 5000);
      const task = await loadTask(tx.em, input.taskId);
      const row = tx.em.create(TimelineEntrySchema, {
        task: task.id,
        kind,
        message,
        actor: ctx.actor,
        sessionId: ctx.sessionId,
        createdAt: new Date(tx.now),
      });
      await tx.em.flush();
      const entry = timelineView(row);
      const view = await taskView(tx.em, task);
      tx.emit('timeline.reported', 'task', view.id, view.projectId, { entry });
      return { entry, task: view };
    });
  }
}
