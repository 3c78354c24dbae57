import { useState, type DragEvent, type KeyboardEvent } from 'react';
import { planMove, readiness, type Readiness } from '../../src/client/board-queries.js';
import { TASK_STATUSES, type TaskView } from './wire-types.js';
import { PRIORITY_RANK, statusLabel } from './format.js';
import { useBoard, useStore } from './store-context.js';

const byPriorityThenAge = (a: TaskView, b: TaskView) =>
  (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9) ||
  a.createdAt.localeCompare(b.createdAt);

/** The task being dragged (drag data cannot be read while hovering, only on drop). */
let dragging: string | null = null;

/** Moves keyboard focus to the card at a column and row (clamped), for arrow-key navigation. */
function focusCard(column: number, row: number): boolean {
  const cards = document.querySelectorAll<HTMLElement>(`[data-col="${column}"]`);
  if (cards.length === 0) return false;
  cards[Math.max(0, Math.min(row, cards.length - 1))]?.focus();
  return true;
}

function onCardKey(event: KeyboardEvent<HTMLElement>, open: () => void): void {
  const col = Number(event.currentTarget.dataset.col);
  const row = Number(event.currentTarget.dataset.row);
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    open();
    return;
  }
  const step = (dc: number): boolean => {
    // Skips columns with no cards.
    for (let c = col + dc; c >= 0 && c < TASK_STATUSES.length; c += dc) if (focusCard(c, row)) return true;
    return false;
  };
  let moved = false;
  if (event.key === 'ArrowDown' || event.key === 'j') moved = focusCard(col, row + 1);
  else if (event.key === 'ArrowUp' || event.key === 'k') moved = focusCard(col, row - 1);
  else if (event.key === 'ArrowRight' || event.key === 'l') moved = step(1);
  else if (event.key === 'ArrowLeft' || event.key === 'h') moved = step(-1);
  if (moved) event.preventDefault();
}

function ReadyBadge({ ready }: { ready: Readiness }) {
  if (ready.state === 'ready')
    return (
      <span className="ready-badge ready" data-testid="card-ready" title="All its dependencies are completed">
        ready
      </span>
    );
  if (ready.state === 'waiting')
    return (
      <span className="ready-badge waiting" data-testid="card-waiting" title="Dependencies not completed yet">
        waits for {ready.waitingOn.join(', ')}
      </span>
    );
  return null;
}

function TaskCard({
  task,
  selected,
  ready,
  column,
  row,
  pending,
}: {
  task: TaskView;
  selected: boolean;
  ready: Readiness;
  column: number;
  row: number;
  pending: boolean;
}) {
  const store = useStore();
  const open = () => store.openTask(task.id);
  return (
    <article
      className={`card${selected ? ' selected' : ''}${pending ? ' pending-change' : ''}`}
      data-testid={`task-card-${task.id}`}
      data-status={task.status}
      data-ready={ready.state}
      data-col={column}
      data-row={row}
      role="button"
      tabIndex={0}
      draggable
      onDragStart={(e) => {
        dragging = task.id;
        e.dataTransfer.setData('text/plain', task.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragEnd={() => (dragging = null)}
      onClick={open}
      onKeyDown={(e) => onCardKey(e, open)}
    >
      <div className="card-top">
        <span className="task-id">{task.id}</span>
        <ReadyBadge ready={ready} />
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

/** What the board shows before anything exists: what to do first. */
function EmptyBoard({ project }: { project: string }) {
  return (
    <div className="empty-board" data-testid="empty-board">
      <h2>No tasks in {project} yet</h2>
      <p>Start by writing down the work:</p>
      <ol>
        <li>
          add a task with the form above (or from a terminal:{' '}
          <code>maestro task create &quot;Title&quot;</code>);
        </li>
        <li>give tasks dependencies in their detail panel, so that work waits for what it needs;</li>
        <li>
          spawn an agent on a ready task from its detail panel (or <code>maestro session spawn TASK</code>).
        </li>
      </ol>
    </div>
  );
}

export function Board({ visible }: { visible?: (task: TaskView) => boolean }) {
  const store = useStore();
  const { tasks, loaded, openTaskId, project } = useBoard();
  const [over, setOver] = useState<string | null>(null);
  if (loaded && tasks.size === 0) return <EmptyBoard project={project?.name ?? 'this project'} />;
  const all = [...tasks.values()].filter((t) => !visible || visible(t));

  const drop = (event: DragEvent, status: string) => {
    event.preventDefault();
    setOver(null);
    const id = dragging ?? event.dataTransfer.getData('text/plain');
    dragging = null;
    const task = id ? tasks.get(id) : undefined;
    if (!task || task.status === status) return;
    const move = planMove(task, status, tasks);
    if (!move.ok) {
      store.notify(
        'error',
        move.reason,
        move.waitingOn ? 'Complete those first, or remove the dependency.' : undefined,
      );
      return;
    }
    const extra: Record<string, unknown> = {};
    if (move.op === 'task.block') {
      const reason = window.prompt(`Why is ${task.id} blocked?`)?.trim();
      if (!reason) return;
      extra.reason = reason;
    }
    store.inBackground(move.op, () => store.transition(move.op, task.id, extra, status));
  };

  return (
    <div className="board" data-testid="board" aria-busy={!loaded}>
      {TASK_STATUSES.map((status, column) => {
        const cards = all.filter((t) => t.status === status).sort(byPriorityThenAge);
        return (
          <section
            key={status}
            className={`column column-${status}${over === status ? ' drop-over' : ''}`}
            data-testid={`column-${status}`}
            onDragOver={(e) => {
              e.preventDefault();
              if (over !== status) setOver(status);
            }}
            onDragLeave={() => setOver((o) => (o === status ? null : o))}
            onDrop={(e) => drop(e, status)}
          >
            <header>
              <h2>{statusLabel(status)}</h2>
              <span className="count">{cards.length}</span>
            </header>
            <div className="cards">
              {cards.map((task, row) => (
                <TaskCard
                  key={task.id}
                  task={task}
                  selected={task.id === openTaskId}
                  ready={readiness(task, tasks)}
                  column={column}
                  row={row}
                  pending={store.isPending(task.id)}
                />
              ))}
              {loaded && cards.length === 0 ? <p className="empty">No tasks</p> : null}
            </div>
          </section>
        );
      })}
    </div>
  );
}
