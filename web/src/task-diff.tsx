import { html as renderDiff } from 'diff2html';
import 'diff2html/bundles/css/diff2html.min.css';
import { useEffect, useMemo, useState } from 'react';
import { diffStamp, missingWorkspace } from '../../src/client/board-queries.js';
import type { TaskDiffResult } from '../../src/contract/operations.js';
import type { TaskDetailView, WorkspaceView } from '../../src/contract/views.js';
import { background } from '../../src/shared/background.js';
import type { BoardStore } from './board-store.js';

/**
 * A task's workspace in the detail pane: where its workers run, its branch and state, the files it
 * changed with a rendered diff (diff2html), and, while it waits for review, approve and reject.
 */
export function TaskChanges({ store, detail }: { store: BoardStore; detail: TaskDetailView }) {
  const workspace = detail.workspace ?? null;
  const taskId = detail.task.id;
  // Fetched again when the workspace or the task moves on.
  const stamp = diffStamp(detail);
  const [diff, setDiff] = useState<TaskDiffResult | null>(null);
  useEffect(() => {
    let live = true;
    if (!workspace) {
      setDiff(null);
      return;
    }
    background('loading the task diff', () =>
      store.call<TaskDiffResult>('task.diff', { taskId }).then((result) => live && setDiff(result ?? null)),
    );
    return () => {
      live = false;
    };
  }, [taskId, stamp]);
  if (!workspace) {
    const missing = missingWorkspace(detail);
    if (missing?.isolation !== 'none') return null;
    return (
      <section className="changes" data-testid="task-changes">
        <h3>Changes</h3>
        <p className="muted" data-testid="task-isolation">
          No workspace: {missing.reason}. Workers run in the project directory.
        </p>
      </section>
    );
  }
  return (
    <section className="changes" data-testid="task-changes">
      <h3>Changes</h3>
      <WorkspaceFacts workspace={workspace} />
      {workspace.status === 'review' && detail.task.status === 'in_review' ? (
        <ReviewButtons store={store} taskId={taskId} />
      ) : null}
      {diff ? <DiffView diff={diff} /> : <p className="muted">Loading the diff…</p>}
    </section>
  );
}

function WorkspaceFacts({ workspace }: { workspace: WorkspaceView }) {
  return (
    <dl className="facts" data-testid="workspace-facts">
      <dt>Workspace</dt>
      <dd data-testid="workspace-status">{workspace.status.replace('_', ' ')}</dd>
      <dt>Branch</dt>
      <dd>
        <code>{workspace.branch}</code> → <code>{workspace.baseBranch}</code>
      </dd>
      {workspace.failureMessage ? (
        <>
          <dt>Came back</dt>
          <dd className="blocked-reason" data-testid="workspace-failure">
            {workspace.failureMessage}
            {workspace.failureFiles.length ? ` (${workspace.failureFiles.join(', ')})` : ''}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function ReviewButtons({ store, taskId }: { store: BoardStore; taskId: string }) {
  const [comment, setComment] = useState('');
  return (
    <div className="review-actions" data-testid="review-actions">
      <input
        aria-label="Review comment"
        placeholder="Comment (needed to reject)"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <button
        data-testid="action-approve"
        onClick={() =>
          background('approving', () =>
            store.call('task.approve', { taskId, ...(comment ? { comment } : {}) }),
          )
        }
      >
        Approve
      </button>
      <button
        className="danger"
        data-testid="action-reject"
        disabled={!comment.trim()}
        onClick={() => background('rejecting', () => store.call('task.reject', { taskId, comment }))}
      >
        Reject
      </button>
    </div>
  );
}

function DiffView({ diff }: { diff: TaskDiffResult }) {
  // diff2html escapes the file contents it renders.
  const rendered = useMemo(
    () => (diff.patch ? renderDiff(diff.patch, { drawFileList: false, outputFormat: 'line-by-line' }) : ''),
    [diff.patch],
  );
  if (diff.files.length === 0) return <p className="muted">No changes against {diff.base} yet.</p>;
  return (
    <>
      <ul className="diff-files" data-testid="diff-files">
        {diff.files.map((f) => (
          <li key={f.path}>
            <span className={`diff-status diff-${f.status}`}>{f.status}</span> <code>{f.path}</code>{' '}
            {f.binary ? (
              <span className="muted">binary</span>
            ) : (
              <span>
                <span className="diff-add">+{f.additions}</span>{' '}
                <span className="diff-del">−{f.deletions}</span>
              </span>
            )}
          </li>
        ))}
      </ul>
      <p className="muted">
        {diff.totals.files} file(s), +{diff.totals.additions} −{diff.totals.deletions}
        {diff.patchTruncated ? ' (the patch is cut: too large)' : ''}
      </p>
      <div className="diff-render" data-testid="diff-render" dangerouslySetInnerHTML={{ __html: rendered }} />
    </>
  );
}
