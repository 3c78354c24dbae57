import { lazy, Suspense, useState } from 'react';
import { ago, time } from './format.js';
import { useBoard, useStore } from './store-context.js';

const FINAL = new Set(['completed', 'failed', 'stopped', 'lost']);

// The terminal emulator loads when output is first shown.
const TerminalView = lazy(() => import('./terminal-view.js'));

/**
 * The project's agent sessions. Selecting one opens it: its agent, outcome and usage, its live
 * transcript (messages, and tool calls that unfold to their input and result) and its raw terminal
 * output, and a box to send its agent a message.
 */
export function SessionsPanel() {
  const store = useStore();
  const { sessions, openSession } = useBoard();
  const selected = openSession?.id ?? null;
  const setSelected = (id: string | null) => (id ? store.openSessionView(id) : store.closeSessionView());
  const [message, setMessage] = useState('');
  const [showOutput, setShowOutput] = useState(false);
  const list = [...sessions.values()].sort(
    (a, b) =>
      Number(FINAL.has(a.status)) - Number(FINAL.has(b.status)) || b.createdAt.localeCompare(a.createdAt),
  );
  const current = selected ? sessions.get(selected) : undefined;
  return (
    <section className="sessions" data-testid="sessions-panel">
      <header>
        <h2>Sessions</h2>
        <span className="count">
          {list.filter((s) => !FINAL.has(s.status)).length} live ·{' '}
          <span
            data-testid="project-cost"
            title="What the project's sessions cost, as their harnesses reported"
          >
            ${list.reduce((sum, s) => sum + (s.usage?.costUsd ?? 0), 0).toFixed(2)}
          </span>
        </span>
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
              <span className="session-name">
                {s.id} · {s.name || s.id}
              </span>
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
            ) : (
              <button
                className="small"
                data-testid="session-resume"
                title="A new session for the same task that continues the agent's conversation"
                onClick={() => store.resumeSession(current.id)}
              >
                Resume
              </button>
            )}
          </div>
          <div className="muted small">
            started {time(current.createdAt)}
            {current.pid ? ` · pid ${current.pid}` : ''}
            {current.endedAt ? ` · ended ${time(current.endedAt)} (exit ${current.exitCode})` : ''}
            {current.failureReason ? ` · ${current.failureReason}` : ''}
          </div>
          <div className="muted small" data-testid="session-usage">
            {current.agent || 'agent'} ({current.mode}){current.outcome ? ` · ${current.outcome}` : ''} ·{' '}
            {current.usage.inputTokens} in / {current.usage.outputTokens} out tokens · $
            {current.usage.costUsd.toFixed(4)}
          </div>
          {!FINAL.has(current.status) ? (
            <form
              className="row session-send"
              onSubmit={(e) => {
                e.preventDefault();
                if (!message.trim()) return;
                store.sendToSession(current.id, message.trim());
                setMessage('');
              }}
            >
              <input
                aria-label="Message to the agent"
                data-testid="session-message"
                value={message}
                placeholder="Send the agent a message"
                onChange={(e) => setMessage(e.target.value)}
              />
              <button type="submit" data-testid="session-send">
                Send
              </button>
            </form>
          ) : null}
          <div className="row">
            <button className="small" onClick={() => setShowOutput(false)} aria-pressed={!showOutput}>
              Transcript
            </button>
            <button className="small" onClick={() => setShowOutput(true)} aria-pressed={showOutput}>
              Terminal output
            </button>
          </div>
          {showOutput ? (
            <div className="session-output" data-testid="session-output" aria-label="Session output">
              {openSession?.output ? (
                <Suspense fallback={<pre>{openSession.output}</pre>}>
                  <TerminalView output={openSession.output} />
                </Suspense>
              ) : (
                'No output yet.'
              )}
            </div>
          ) : (
            <ol className="transcript" data-testid="session-transcript" aria-label="Session transcript">
              {(openSession?.transcript ?? []).length === 0 ? (
                <li className="muted">No transcript yet.</li>
              ) : null}
              {(openSession?.transcript ?? []).map((e) =>
                e.kind === 'tool_call' || e.kind === 'tool_result' ? (
                  <li
                    key={e.n}
                    className={`entry entry-${e.kind}${e.isError ? ' error' : ''}`}
                    data-kind={e.kind}
                  >
                    <details>
                      <summary>{e.text.split('\n')[0]}</summary>
                      <pre>
                        {e.input ? `${e.input}\n` : ''}
                        {e.text}
                      </pre>
                    </details>
                  </li>
                ) : (
                  <li
                    key={e.n}
                    className={`entry entry-${e.kind}${e.isError ? ' error' : ''}`}
                    data-kind={e.kind}
                  >
                    {e.text}
                  </li>
                ),
              )}
            </ol>
          )}
        </div>
      ) : null}
    </section>
  );
}
