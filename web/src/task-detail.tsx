import { useState, type FormEvent } from 'react';
import type { BoardStore } from './board-store.js';
import { PRIORITIES, type TaskDetailView, type TaskRefView, type TaskView } from './wire-types.js';
import { ago, statusLabel, time } from './format.js';
import { useBoard, useStore } from './store-context.js';
import { TaskChanges } from './task-diff.js';
import { AgentSpawn } from './agent-spawn.js';
import { TaskBudget } from './task-budget.js';

/** The words on each lifecycle button; which buttons a task shows is the server's `allowedActions`. */
const ACTION_LABELS: Record<string, string> = {
  'task.start': 'Start',
  'task.block': 'Block',
  'task.unblock': 'Unblock',
  'task.complete': 'Complete',
  'task.release': 'Release',
  'task.reopen': 'Reopen',
  'task.cancel': 'Cancel task',
};

const testId = (op: string) => `action-${op.replace('task.', '')}`;

function StatusPill({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{statusLabel(status)}</span>;
}

interface Draft {
  title: string;
  description: string;
  priority: string;
  /** The version the edit started from: saving fails with a conflict if someone changed it since. */
  baseVersion: number;
}

function EditFields({ task }: { task: TaskView }) {
  const store = useStore();
  const [draft, setDraft] = useState<Draft | null>(null);
  const shown = draft ?? task;
  const edit = (patch: Partial<Draft>) =>
    setDraft({
      ...(draft ?? {
        title: task.title,
        description: task.description,
        priority: task.priority,
        baseVersion: task.version,
      }),
      ...patch,
    });

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    const changes: { title?: string; description?: string; priority?: string } = {};
    if (draft.title.trim() !== task.title) changes.title = draft.title.trim();
    if (draft.description !== task.description) changes.description = draft.description;
    if (draft.priority !== task.priority) changes.priority = draft.priority;
    if (Object.keys(changes).length === 0) return setDraft(null);
    store.inBackground('task.update', () =>
      store.updateTask(task, changes, draft.baseVersion).then((ok) => ok && setDraft(null)),
    );
  };

  return (
    <form className="edit" onSubmit={save}>
      <input
        className="title-input"
        data-testid="detail-title"
        aria-label="Title"
        value={shown.title}
        maxLength={500}
        onChange={(e) => edit({ title: e.target.value })}
      />
      <textarea
        data-testid="detail-description"
        aria-label="Description"
        placeholder="No description"
        rows={3}
        value={shown.description}
        onChange={(e) => edit({ description: e.target.value })}
      />
      <div className="row">
        <label>
          Priority{' '}
          <select
            data-testid="detail-priority"
            value={shown.priority}
            onChange={(e) => edit({ priority: e.target.value })}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        {draft ? (
          <span className="row-end">
            {draft.baseVersion !== task.version ? (
              <span className="warn">Changed by someone else since you started editing.</span>
            ) : null}
            <button type="button" onClick={() => setDraft(null)}>
              Discard
            </button>
            <button
              type="submit"
              className="primary"
              data-testid="detail-save"
              disabled={!draft.title.trim()}
            >
              Save
            </button>
          </span>
        ) : null}
      </div>
    </form>
  );
}

function Actions({ task, detail }: { task: TaskView; detail: TaskDetailView | null }) {
  const store = useStore();
  const [blocking, setBlocking] = useState(false);
  const [reason, setReason] = useState('');
  const waitingOn = detail?.blockedBy ?? [];
  const blockedTitle = waitingOn.length ? `Waiting on ${waitingOn.map((d) => d.id).join(', ')}` : undefined;

  const confirmBlock = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    const why = reason.trim();
    store.inBackground('task.block', () => store.transition('task.block', task.id, { reason: why }));
    setBlocking(false);
    setReason('');
  };

  return (
    <div className="actions" data-testid="detail-actions">
      {(task.allowedActions ?? []).map((op) => {
        const gated = (task.gatedActions ?? []).includes(op) && waitingOn.length > 0;
        return (
          <button
            key={op}
            data-testid={testId(op)}
            disabled={gated}
            title={gated ? blockedTitle : undefined}
            onClick={() =>
              op === 'task.block'
                ? setBlocking(true)
                : store.inBackground(op, () => store.transition(op, task.id))
            }
          >
            {ACTION_LABELS[op] ?? op.replace('task.', '')}
          </button>
        );
      })}
      {blocking ? (
        <form className="block-form" onSubmit={confirmBlock}>
          <input
            autoFocus
            data-testid="block-reason"
            placeholder="Why is it blocked?"
            aria-label="Block reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" className="primary" data-testid="block-confirm" disabled={!reason.trim()}>
            Block
          </button>
          <button type="button" onClick={() => setBlocking(false)}>
            Never mind
          </button>
        </form>
      ) : null}
    </div>
  );
}

function Subtasks({ store, detail }: { store: BoardStore; detail: TaskDetailView }) {
  const [title, setTitle] = useState('');
  const taskId = detail.task.id;
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    store.addSubtask(taskId, title.trim());
    setTitle('');
  };
  return (
    <section className="detail-section" data-testid="detail-subtasks">
      <h3>
        Subtasks{' '}
        <span className="muted">
          {detail.task.subtasksCompleted}/{detail.task.subtasksTotal}
        </span>
      </h3>
      <ul className="subtasks">
        {detail.subtasks.map((s) => (
          <li key={s.id} data-testid={`subtask-${s.id}`} data-status={s.status}>
            <label className={s.status === 'completed' ? 'done' : ''}>
              <input
                type="checkbox"
                data-testid={`subtask-toggle-${s.id}`}
                checked={s.status === 'completed'}
                onChange={() =>
                  store.subtaskAction(
                    s.status === 'completed' ? 'subtask.reopen' : 'subtask.complete',
                    taskId,
                    s.id,
                  )
                }
              />
              {s.title}
            </label>
            <button
              className="icon"
              aria-label={`Delete subtask ${s.title}`}
              data-testid={`subtask-delete-${s.id}`}
              onClick={() => store.subtaskAction('subtask.delete', taskId, s.id)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={add}>
        <input
          data-testid="subtask-new-title"
          placeholder="Add a subtask"
          aria-label="New subtask"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <button type="submit" data-testid="subtask-add" disabled={!title.trim()}>
          Add
        </button>
      </form>
    </section>
  );
}

function RefList({ refs, onRemove }: { refs: TaskRefView[]; onRemove?: (id: string) => void }) {
  const store = useStore();
  return (
    <ul className="refs">
      {refs.map((ref) => (
        <li key={ref.id} data-testid={`ref-${ref.id}`}>
          <button className="link" onClick={() => store.openTask(ref.id)}>
            {ref.id} {ref.title}
          </button>
          <StatusPill status={ref.status} />
          {onRemove ? (
            <button
              className="icon"
              aria-label={`Remove dependency on ${ref.id}`}
              data-testid={`dep-remove-${ref.id}`}
              onClick={() => onRemove(ref.id)}
            >
              ×
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Dependencies({ store, detail }: { store: BoardStore; detail: TaskDetailView }) {
  const { tasks } = useBoard();
  const [choice, setChoice] = useState('');
  const taskId = detail.task.id;
  const taken = new Set([taskId, ...detail.dependencies.map((d) => d.id)]);
  const candidates = [...tasks.values()].filter((t) => !taken.has(t.id));
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!choice) return;
    store.inBackground('task.dep.add', () => store.addDependency(taskId, choice));
    setChoice('');
  };
  return (
    <section className="detail-section" data-testid="detail-dependencies">
      <h3>Depends on</h3>
      {detail.dependencies.length ? (
        <RefList refs={detail.dependencies} onRemove={(id) => store.removeDependency(taskId, id)} />
      ) : (
        <p className="muted">No dependencies.</p>
      )}
      {detail.blockedBy.length ? (
        <p className="waiting" data-testid="detail-blocked-by">
          Waiting on {detail.blockedBy.map((d) => `${d.id} (${statusLabel(d.status)})`).join(', ')}
        </p>
      ) : null}
      <form className="inline-form" onSubmit={add}>
        <select
          data-testid="dep-select"
          aria-label="Add a dependency"
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
        >
          <option value="">Add a dependency…</option>
          {candidates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.id} {t.title}
            </option>
          ))}
        </select>
        <button type="submit" data-testid="dep-add" disabled={!choice}>
          Add
        </button>
      </form>
      {detail.dependents.length ? (
        <>
          <h3>Needed by</h3>
          <RefList refs={detail.dependents} />
        </>
      ) : null}
      {detail.children.length ? (
        <>
          <h3>Child tasks</h3>
          <RefList refs={detail.children} />
        </>
      ) : null}
    </section>
  );
}

function Timeline({ detail }: { detail: TaskDetailView }) {
  const entries = [...detail.timeline].reverse();
  return (
    <section className="detail-section" data-testid="detail-timeline">
      <h3>Timeline</h3>
      {entries.length === 0 ? <p className="muted">Nothing yet.</p> : null}
      <ol className="timeline">
        {entries.map((entry) => (
          <li key={entry.id} data-kind={entry.kind}>
            <div className="timeline-meta">
              <span className={`kind kind-${entry.kind}`}>{entry.kind}</span>
              <span>{entry.actor}</span>
              <time dateTime={entry.createdAt} title={time(entry.createdAt)}>
                {ago(entry.createdAt)}
              </time>
            </div>
            <div>{entry.message}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The open task: editing, lifecycle actions, subtasks, dependencies and its timeline. */
export function TaskDetail() {
  const store = useStore();
  const { openTaskId, detail, tasks, sessions } = useBoard();
  if (!openTaskId) return null;
  const task = detail?.task ?? tasks.get(openTaskId);
  const confirmDelete = () => {
    if (task && window.confirm(`Delete ${task.id} "${task.title}"?`)) store.deleteTask(task.id);
  };
  return (
    <aside className="detail" data-testid="task-detail" data-task-id={openTaskId} aria-label="Task detail">
      <header className="detail-head">
        <span className="task-id">{openTaskId}</span>
        {task ? <StatusPill status={task.status} /> : null}
        <button
          className="icon close"
          aria-label="Close"
          data-testid="detail-close"
          onClick={() => store.closeTask()}
        >
          ×
        </button>
      </header>
      {!task ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="detail-body" key={task.id}>
          <EditFields task={task} />
          <Actions task={task} detail={detail} />
          <dl className="facts">
            <dt>Claim</dt>
            <dd data-testid="detail-claim">
              {task.claim ? (
                <>
                  <strong>{task.claim.holder}</strong>
                  {task.claim.sessionId ? ` (session ${task.claim.sessionId})` : ''}
                  {task.claim.expiresAt ? `, lease until ${time(task.claim.expiresAt)}` : ''}
                </>
              ) : (
                <span className="muted">nobody</span>
              )}
            </dd>
            {task.blockedReason ? (
              <>
                <dt>Blocked</dt>
                <dd className="blocked-reason" data-testid="detail-blocked-reason">
                  {task.blockedReason}
                </dd>
              </>
            ) : null}
            {task.labels.length ? (
              <>
                <dt>Labels</dt>
                <dd>{task.labels.join(', ')}</dd>
              </>
            ) : null}
            <dt>Updated</dt>
            <dd title={time(task.updatedAt)}>{ago(task.updatedAt)}</dd>
          </dl>
          {detail ? (
            <>
              <TaskBudget task={task} sessions={sessions} />
              <AgentSpawn detail={detail} />
              <Subtasks store={store} detail={detail} />
              <Dependencies store={store} detail={detail} />
              <TaskChanges store={store} detail={detail} />
              <Timeline detail={detail} />
            </>
          ) : (
            <p className="muted">Loading details…</p>
          )}
          <div className="danger-zone">
            <button className="danger" data-testid="action-delete" onClick={confirmDelete}>
              Delete task
            </button>
          </div>
        </div>
      )}
    </aside>
  );
}
