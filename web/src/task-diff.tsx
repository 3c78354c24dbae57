import { html as renderDiff, parse as parseDiff } from 'diff2html';
import 'diff2html/bundles/css/diff2html.min.css';
import { useEffect, useMemo, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { diffStamp, missingWorkspace } from '../../src/client/board-queries.js';
import type { TaskDiffResult } from '../../src/contract/operations.js';
import type { TaskDetailView, WorkspaceView } from '../../src/contract/views.js';
import { background } from '../../src/shared/background.js';
import type { BoardStore } from './board-store.js';

/**
 * A task's workspace in the detail pane: where its workers run, its branch and state, the files it
 * changed with a rendered diff (diff2html), and, while it waits for review, approve and reject.
 * Clicking a line of the diff opens a review comment on that file and line (`task.review`).
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
      {diff ? (
        <DiffView diff={diff} store={store} taskId={taskId} />
      ) : (
        <p className="muted">Loading the diff…</p>
      )}
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

/** The file and line a review comment is about. */
interface LineTarget {
  file: string;
  line: number;
}

/** The file and line of a clicked row of diff2html's line-by-line table (the new side's number, else the old one's). */
function lineAt(container: HTMLElement, target: EventTarget, files: readonly string[]): LineTarget | null {
  if (!(target instanceof Element)) return null;
  const row = target.closest('tr');
  const wrapper = target.closest('.d2h-file-wrapper');
  if (!row || !wrapper || !container.contains(row)) return null;
  const number = (cls: string) => Number(row.querySelector(`.${cls}`)?.textContent?.trim() || NaN);
  const line = Number.isInteger(number('line-num2')) ? number('line-num2') : number('line-num1');
  const index = [...container.querySelectorAll('.d2h-file-wrapper')].indexOf(wrapper);
  const file = files[index];
  return file && Number.isInteger(line) && line > 0 ? { file, line } : null;
}

function DiffView({ diff, store, taskId }: { diff: TaskDiffResult; store: BoardStore; taskId: string }) {
  // diff2html escapes the file contents it renders; the files in the order it renders them.
  const { rendered, files } = useMemo(() => {
    if (!diff.patch) return { rendered: '', files: [] as string[] };
    const parsed = parseDiff(diff.patch);
    return {
      rendered: renderDiff(parsed, { drawFileList: false, outputFormat: 'line-by-line' }),
      files: parsed.map((f) => (f.isDeleted || f.newName === '/dev/null' ? f.oldName : f.newName)),
    };
  }, [diff.patch]);
  const container = useRef<HTMLDivElement>(null);
  const [target, setTarget] = useState<LineTarget | null>(null);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);

  // The row commented on is marked in the rendered table.
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    for (const row of root.querySelectorAll('tr.line-selected')) row.classList.remove('line-selected');
    if (!target) return;
    const index = files.indexOf(target.file);
    const wrapper = root.querySelectorAll('.d2h-file-wrapper')[index];
    for (const row of wrapper?.querySelectorAll('tr') ?? []) {
      const here = lineAt(root, row, files);
      if (here?.line === target.line) {
        row.classList.add('line-selected');
        break;
      }
    }
  }, [target, rendered, files]);

  const pick = (event: MouseEvent<HTMLDivElement>) => {
    if (!container.current) return;
    const at = lineAt(container.current, event.target, files);
    if (at) setTarget(at);
  };
  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!target || !comment.trim() || sending) return;
    setSending(true);
    background('sending a review comment', () =>
      store
        .reviewLine(taskId, target.file, target.line, comment.trim())
        .then((ok) => {
          if (!ok) return;
          store.notify('success', `Comment on ${target.file}:${target.line} added to the timeline.`);
          setComment('');
          setTarget(null);
        })
        .finally(() => setSending(false)),
    );
  };

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
      {target ? (
        <form className="line-comment" data-testid="line-comment" onSubmit={send}>
          <label htmlFor="line-comment-text">
            Comment on{' '}
            <code data-testid="line-comment-target">
              {target.file}:{target.line}
            </code>
          </label>
          <textarea
            id="line-comment-text"
            autoFocus
            rows={3}
            data-testid="line-comment-text"
            placeholder="What should change here?"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <div className="row-end">
            <button
              type="submit"
              className="primary"
              data-testid="line-comment-send"
              disabled={!comment.trim() || sending}
            >
              Comment
            </button>
            <button type="button" onClick={() => setTarget(null)}>
              Never mind
            </button>
          </div>
        </form>
      ) : (
        <p className="muted small">Click a line of the diff to comment on it.</p>
      )}
      <div
        ref={container}
        className="diff-render"
        data-testid="diff-render"
        onClick={pick}
        dangerouslySetInnerHTML={{ __html: rendered }}
      />
    </>
  );
}
