import { useState } from 'react';
import { ago, time } from './format.js';
import { useBoard, useStore } from './store-context.js';

const FINAL = new Set(['completed', 'failed', 'stopped', 'lost']);

/**
 * The project's agent sessions. Selecting one opens its output pane, which holds only a placeholder
 * until the server streams session output (SPEC section 7); the pane is where that stream will go.
 */
export function SessionsPanel() {
  const store = useStore();
  const { sessions } = useBoard();
  const [selected, setSelected] = useState<string | null>(null);
  const list = [...sessions.values()].sort(
    (a, b) =>
      Number(FINAL.has(a.status)) - Number(FINAL.has(b.status)) || b.createdAt.localeCompare(a.createdAt),
  );
  const current = selected ? sessions.get(selected) : undefined;
  return (
    <section className="sessions" data-testid="sessions-panel">
      <header>
        <h2>Sessions</h2>
        <span className="count">{list.filter((s) => !FINAL.has(s.status)).length} live</span>
      </header>
      {list.length === 0 ? <p className="muted">No agent sessions yet.</p> : null}
      <ul className="session-list">
        {list.map((s) => (
          <li
            key={s.id}
            className={s.id === selected ? 'selected' : ''}
            data-testid={`session-${s.id}`}
            data-status={s.status}
          >
            <button className="session-row" onClick={() => setSelected(s.id === selected ? null : s.id)}>
              <span className="session-name">{s.name || s.id}</span>
              <span className={`status status-${s.status}`}>{s.status}</span>
              <span className="muted small">
                {s.role}
                {s.taskIds.length ? ` · ${s.taskIds.join(', ')}` : ''}
                {s.lastHeartbeatAt ? ` · seen ${ago(s.lastHeartbeatAt)}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {current ? (
        <div className="session-detail" data-testid="session-detail">
          <div className="row">
            <strong>{current.name || current.id}</strong>
            {!FINAL.has(current.status) ? (
              <button
                className="danger small"
                data-testid="session-stop"
                onClick={() => store.stopSession(current.id)}
              >
                Stop
              </button>
            ) : null}
          </div>
          <div className="muted small">
            started {time(current.createdAt)}
            {current.pid ? ` · pid ${current.pid}` : ''}
            {current.endedAt ? ` · ended ${time(current.endedAt)} (exit ${current.exitCode})` : ''}
            {current.failureReason ? ` · ${current.failureReason}` : ''}
          </div>
          <pre className="session-output" data-testid="session-output" aria-label="Session output">
            Live output of this session will appear here.
          </pre>
        </div>
      ) : null}
    </section>
  );
}
