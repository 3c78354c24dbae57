import type { CommandRunner, RequestContext } from './command-runner.js';
import { insertTimeline } from './db/task-records.js';
import { loadTask } from './task.service.js';
import { oneOf, requireText } from './validate.js';
import { taskView, type TaskView, type TimelineEntryView } from './views.js';
import { formatId } from '../contract/ids.js';

export const REPORT_KINDS = ['progress', 'blocked', 'complete', 'question'] as const;
/** Entries the server itself adds: a message sent to a session's agent. */
const ALL_KINDS = [...REPORT_KINDS, 'message'] as const;

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
      const kind = oneOf('kind', input.kind, ALL_KINDS);
      const message = requireText('message', input.message, 5000);
      const record = await loadTask(tx.em, input.taskId, tx.ctx);
      const task = taskView(record);
      const id = await insertTimeline(tx.em, {
        taskId: record.id,
        kind,
        message,
        actor: tx.ctx.actor,
        sessionId: tx.ctx.sessionId,
        now: tx.now,
      });
      const entry: TimelineEntryView = {
        id: formatId('timeline', id),
        taskId: task.id,
        kind,
        message,
        actor: ctx.actor,
        sessionId: ctx.sessionId ?? '',
        createdAt: new Date(tx.now).toISOString(),
      };
      await tx.emit('timeline.reported', 'task', task.id, task.projectId, { entry });
      // A worker's question wakes whoever waits for one (`maestro wait --for question`).
      if (kind === 'question')
        await tx.emit('task.question', 'task', task.id, task.projectId, {
          entry,
          question: message,
          sessionId: ctx.sessionId ?? '',
        });
      return { entry, task };
    });
  }
}
