import type { KeyboardEvent } from 'react';
import { TASK_STATUSES, type TaskView } from './wire-types.js';
import { PRIORITY_RANK, statusLabel } from './format.js';
import { useBoard, useStore } from './store-context.js';

const byPriorityThenAge = (a: TaskView, b: TaskView) =>
  (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9) ||
  a.createdAt.localeCompare(b.createdAt);

function TaskCard({ task, selected }: { task: TaskView; selected: boolean }) {
  const store = useStore();
  const open = () => store.openTask(task.id);
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open();
    }
  };
  return (
    <article
      className={`card${selected ? ' selected' : ''}`}
      data-testid={`task-card-${task.id}`}
      data-status={task.status}
      role="button"
      tabIndex={0}
      onClick={open}
      onKeyDown={onKey}
    >
      <div className="card-top">
        <span className="task-id">{task.id}</span>
        <span className={`priority priority-${task.priority}`} data-testid="card-priority">
          {task.priority}
        </span>
      </div>
      <div className="card-title">{task.title}</div>
      {task.claim ? (
        <div className="card-meta" data-testid="card-claim" title={`Claimed by ${task.claim.holder}`}>
          held by <strong>{task.claim.holder}</strong>
        </div>
      ) : null}
      {task.blockedReason ? (
        <div className="card-blocked" data-testid="card-blocked-reason">
          {task.blockedReason}
        </div>
      ) : null}
      {task.subtasksTotal > 0 || task.dependsOn.length > 0 || task.labels.length > 0 ? (
        <div className="card-foot">
          {task.subtasksTotal > 0 ? (
            <span title="Subtasks done">
              {task.subtasksCompleted}/{task.subtasksTotal} subtasks
            </span>
          ) : null}
          {task.dependsOn.length > 0 ? (
            <span title={`Depends on ${task.dependsOn.join(', ')}`}>
              {task.dependsOn.length} dependenc{task.dependsOn.length === 1 ? 'y' : 'ies'}
            </span>
          ) : null}
          {task.labels.map((label) => (
            <span key={label} className="label">
              {label}
            </span>
          ))}
        </div>
      ) : null}
    </article>
  );
}

export function Board() {
  const { tasks, loaded, openTaskId } = useBoard();
  const all = [...tasks.values()];
  return (
    <div className="board" data-testid="board" aria-busy={!loaded}>
      {TASK_STATUSES.map((status) => {
        const column = all.filter((t) => t.status === status).sort(byPriorityThenAge);
        return (
          <section key={status} className={`column column-${status}`} data-testid={`column-${status}`}>
            <header>
              <h2>{statusLabel(status)}</h2>
              <span className="count">{column.length}</span>
            </header>
            <div className="cards">
              {column.map((task) => (
                <TaskCard key={task.id} task={task} selected={task.id === openTaskId} />
              ))}
              {loaded && column.length === 0 ? <p className="empty">No tasks</p> : null}
            </div>
          </section>
        );
      })}
    </div>
  );
}
