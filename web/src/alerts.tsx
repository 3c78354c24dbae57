import { useEffect, useState } from 'react';
import type { NoticeKind } from '../../src/contract/notifications.js';
import type { Alert, BoardStore } from './board-store.js';
import { ago } from './format.js';
import { useBoard, useStore } from './store-context.js';

/** Whether this browser was asked to raise notifications (the permission is the browser's). */
const ENABLED_KEY = 'maestro.notifications';

const KIND_LABELS: Record<NoticeKind, string> = {
  question: 'Question',
  blocked: 'Blocked',
  session_failed: 'Session failed',
  budget: 'Budget',
  graph_done: 'All done',
};

const supported = () => typeof window !== 'undefined' && 'Notification' in window;

function readEnabled(): boolean {
  try {
    return window.localStorage.getItem(ENABLED_KEY) === 'on';
  } catch {
    return false;
  }
}

function writeEnabled(on: boolean): void {
  try {
    if (on) window.localStorage.setItem(ENABLED_KEY, 'on');
    else window.localStorage.removeItem(ENABLED_KEY);
  } catch {
    // storage refused: enabled for this page only
  }
}

/** Raises a browser notification for each alert while enabled and permitted. */
function useBrowserNotifications(store: BoardStore, enabled: boolean): void {
  useEffect(() => {
    if (!enabled || !supported()) return;
    return store.onAlert((alert: Alert) => {
      if (Notification.permission !== 'granted') return;
      const n = new Notification(`Maestro: ${KIND_LABELS[alert.kind]}`, {
        body: alert.text,
        tag: `maestro-${alert.id}`,
      });
      n.onclick = () => {
        window.focus();
        if (alert.taskId && alert.projectId === store.getSnapshot().project?.id) store.openTask(alert.taskId);
      };
    });
  }, [store, enabled]);
}

/**
 * The bell: a count of the alerts not yet seen, and the list of them (questions, blocked tasks,
 * failed sessions, budgets hit, graphs done; src/contract/notifications.ts says which). A button
 * asks the browser for permission to raise them as notifications too.
 */
export function Alerts() {
  const store = useStore();
  const { alerts, unreadAlerts, project } = useBoard();
  const [open, setOpen] = useState(false);
  const [enabled, setEnabled] = useState(readEnabled);
  const [permission, setPermission] = useState(() => (supported() ? Notification.permission : 'denied'));
  useBrowserNotifications(store, enabled && permission === 'granted');

  const enable = () => {
    if (!supported()) return;
    store.inBackground('asking for notifications', () =>
      Notification.requestPermission().then((answer) => {
        setPermission(answer);
        const on = answer === 'granted';
        setEnabled(on);
        writeEnabled(on);
        if (!on) store.notify('info', 'The browser did not allow notifications.', 'Alerts stay in the bell.');
      }),
    );
  };
  const disable = () => {
    setEnabled(false);
    writeEnabled(false);
  };
  const toggle = () => {
    if (!open) store.readAlerts();
    setOpen(!open);
  };
  const active = enabled && permission === 'granted';

  return (
    <div className="alerts">
      <button
        type="button"
        className="bell"
        data-testid="alerts-bell"
        aria-label={`Alerts: ${unreadAlerts} new`}
        aria-expanded={open}
        onClick={toggle}
      >
        <svg className="bell-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unreadAlerts > 0 ? (
          <span className="bell-count" data-testid="alerts-count">
            {unreadAlerts}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="alerts-panel" data-testid="alerts-panel" role="dialog" aria-label="Alerts">
          <div className="row">
            <strong>Alerts</strong>
            <span className="row-end">
              {supported() ? (
                active ? (
                  <button type="button" data-testid="notifications-disable" onClick={disable}>
                    Notifications on
                  </button>
                ) : (
                  <button
                    type="button"
                    data-testid="notifications-enable"
                    disabled={permission === 'denied'}
                    title={permission === 'denied' ? 'The browser blocks notifications for this page' : ''}
                    onClick={enable}
                  >
                    Enable notifications
                  </button>
                )
              ) : null}
              {alerts.length ? (
                <button type="button" data-testid="alerts-clear" onClick={() => store.clearAlerts()}>
                  Clear
                </button>
              ) : null}
            </span>
          </div>
          {alerts.length === 0 ? <p className="muted">Nothing yet.</p> : null}
          <ol className="alerts-list" data-testid="alerts-list">
            {alerts.map((a) => (
              <li key={a.id} data-testid="alert" data-kind={a.kind}>
                <div className="timeline-meta">
                  <span className={`kind alert-${a.kind}`}>{KIND_LABELS[a.kind]}</span>
                  <time dateTime={new Date(a.at).toISOString()}>{ago(new Date(a.at).toISOString())}</time>
                </div>
                {a.taskId && a.projectId === project?.id ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      store.openTask(a.taskId);
                      setOpen(false);
                    }}
                  >
                    {a.text}
                  </button>
                ) : (
                  <div>{a.text}</div>
                )}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </div>
  );
}
