import { formatId } from '../contract/ids.js';
import { decide, initialState } from '../machines/decide.js';
import { SUBTASK_MACHINE_VERSION, subtaskMachine, type SubtaskEvent } from '../machines/subtask.machine.js';
import type { CommandRunner, RequestContext, Tx } from './command-runner.js';
import { SubtaskSchema, type SubtaskRow } from './db/entities.js';
import { findTaskRecord, type TaskRecord } from './db/task-records.js';
import { SubtaskErrors } from './errors.js';
import { addTimeline, loadTask } from './task.service.js';
import { idOf, requireText } from './validate.js';
import { subtaskView, taskView, type SubtaskView } from './views.js';

/** Subtasks: an ordered checklist inside a task, each with its own small lifecycle. */
export class SubtaskService {
  constructor(private readonly runner: CommandRunner) {}

  create(ctx: RequestContext, taskId: string, title: string): Promise<SubtaskView> {
    return this.runner.run('subtask.create', ctx, async (tx) => {
      const text = requireText('title', title, 500);
      const task = await loadTask(tx.em, taskId, tx.ctx);
      const last = await tx.em.findOne(
        SubtaskSchema,
        { task: task.id },
        { orderBy: { position: 'desc' }, fields: ['position'] },
      );
      const state = initialState<Record<string, never>>(subtaskMachine);
      const row = tx.em.create(SubtaskSchema, {
        task: task.id,
        title: text,
        status: state.value,
        position: (last?.position ?? 0) + 1,
        state,
        machineVersion: SUBTASK_MACHINE_VERSION,
        createdAt: new Date(tx.now),
        updatedAt: new Date(tx.now),
      });
      await addTimeline(tx, task.id, 'subtask', `Added subtask "${text}".`);
      await tx.em.flush();
      return this.emitted(tx, task, row, 'subtask.created');
    });
  }

  list(taskId: string, ctx?: RequestContext): Promise<SubtaskView[]> {
    return this.runner.read(async (em) => {
      const task = await loadTask(em, taskId, ctx);
      const rows = await em.find(
        SubtaskSchema,
        { task: task.id },
        { orderBy: { position: 'asc', id: 'asc' } },
      );
      return rows.map(subtaskView);
    });
  }

  complete(ctx: RequestContext, taskId: string, subtaskId: string): Promise<SubtaskView> {
    return this.transition('subtask.complete', ctx, taskId, subtaskId, { type: 'COMPLETE' });
  }

  reopen(ctx: RequestContext, taskId: string, subtaskId: string): Promise<SubtaskView> {
    return this.transition('subtask.reopen', ctx, taskId, subtaskId, { type: 'REOPEN' });
  }

  delete(ctx: RequestContext, taskId: string, subtaskId: string): Promise<SubtaskView> {
    return this.runner.run('subtask.delete', ctx, async (tx) => {
      const { task, row } = await this.load(tx, taskId, subtaskId);
      tx.em.remove(row);
      await addTimeline(tx, task.id, 'subtask', `Deleted subtask "${row.title}".`);
      return this.emitted(tx, task, row, 'subtask.deleted');
    });
  }

  private transition(
    operation: string,
    ctx: RequestContext,
    taskId: string,
    subtaskId: string,
    event: SubtaskEvent,
  ): Promise<SubtaskView> {
    return this.runner.run(operation, ctx, async (tx) => {
      const { task, row } = await this.load(tx, taskId, subtaskId);
      const decision = decide(subtaskMachine, row.state, event);
      if (!decision.ok)
        throw SubtaskErrors.invalidTransition(
          subtaskView(row).id,
          decision.from,
          event.type,
          decision.allowed,
        );
      row.state = decision.state;
      row.status = decision.state.value;
      row.updatedAt = new Date(tx.now);
      const verb = event.type === 'COMPLETE' ? 'Completed' : 'Reopened';
      await addTimeline(tx, task.id, 'subtask', `${verb} subtask "${row.title}".`);
      await tx.em.flush();
      return this.emitted(
        tx,
        task,
        row,
        event.type === 'COMPLETE' ? 'subtask.completed' : 'subtask.reopened',
      );
    });
  }

  private async load(
    tx: Tx,
    taskId: string,
    subtaskId: string,
  ): Promise<{ task: TaskRecord; row: SubtaskRow }> {
    const task = await loadTask(tx.em, taskId, tx.ctx);
    const rowId = idOf('subtask', subtaskId);
    const row = rowId ? await tx.em.findOne(SubtaskSchema, { id: rowId, task: task.id }) : null;
    if (!row) throw SubtaskErrors.notFound(formatId('task', task.id), subtaskId);
    return { task, row };
  }

  /** The event carries the parent task too: its subtask counts just changed. */
  private async emitted(tx: Tx, task: TaskRecord, row: SubtaskRow, type: string): Promise<SubtaskView> {
    await tx.em.flush();
    const view = subtaskView(row);
    const parent = await findTaskRecord(tx.em, task.id);
    await tx.emit(type, 'subtask', view.id, formatId('project', task.projectId), {
      subtask: view,
      ...(parent ? { task: taskView(parent) } : {}),
    });
    return view;
  }
}
