import { useEffect } from 'react';
import { ago, time } from './format.js';
import { useBoard, useStore } from './store-context.js';

/**
 * The open project's merge queue (`maestro merge-queue`): approved work waiting to land and the
 * workspace merging now, oldest first, followed live.
 */
export function MergeQueue() {
  const store = useStore();
  const { mergeQueue, tasks } = useBoard();
  useEffect(() => store.watchMergeQueue(), [store]);
  if (!mergeQueue) return <p className="muted">Loading the merge queue…</p>;
  if (mergeQueue.length === 0)
    return (
      <p className="muted" data-testid="merge-queue-empty">
        The merge queue is empty: nothing waits to be merged.
      </p>
    );
  return (
    <ol className="merge-queue" data-testid="merge-queue">
      {mergeQueue.map((w, i) => (
        <li key={w.taskId} data-testid={`merge-queue-${w.taskId}`} data-status={w.status}>
          <span className="queue-position">{i + 1}</span>
          <button type="button" className="link" onClick={() => store.openTask(w.taskId)}>
            {w.taskId} {tasks.get(w.taskId)?.title ?? ''}
          </button>
          <span className={`status ws-${w.status}`} data-testid="merge-queue-status">
            {w.status}
          </span>
          <code>
            {w.branch} → {w.baseBranch}
          </code>
          {w.queuedAt ? (
            <time className="muted" dateTime={w.queuedAt} title={time(w.queuedAt)}>
              queued {ago(w.queuedAt)}
            </time>
          ) : null}
          {w.mergeAttempts > 1 ? <span className="muted">attempt {w.mergeAttempts}</span> : null}
        </li>
      ))}
    </ol>
  );
}
