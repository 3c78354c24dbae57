import { useEffect, useState } from 'react';
import type { ConnectionInfo } from '../../src/client/ws-client.js';
import { useBoard } from './store-context.js';

/** The badge's words for a connection state; `now` drives the reconnect countdown. */
export function connectionLabel(info: ConnectionInfo, now: number): string {
  switch (info.state) {
    case 'open':
      return 'connected';
    case 'offline':
      return 'offline';
    case 'connecting':
      return 'connecting';
    case 'stale':
    case 'closed':
    case 'reconnecting': {
      if (info.retryAt === null) return 'reconnecting';
      const seconds = Math.ceil((info.retryAt - now) / 1000);
      return seconds > 0
        ? `reconnecting in ${seconds}s (attempt ${info.attempt})`
        : `reconnecting now (attempt ${info.attempt})`;
    }
  }
}

const TONE: Record<ConnectionInfo['state'], string> = {
  open: 'ok',
  connecting: 'wait',
  stale: 'wait',
  closed: 'bad',
  reconnecting: 'bad',
  offline: 'bad',
};

export function ConnectionBadge() {
  const { connection } = useBoard();
  const [now, setNow] = useState(() => Date.now());
  const counting = connection.retryAt !== null && connection.state !== 'open';
  useEffect(() => {
    if (!counting) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [counting, connection.retryAt]);

  const disconnected = connection.state !== 'open' && connection.state !== 'stale';
  return (
    <div className="connection">
      <span
        className={`badge badge-${TONE[connection.state]}`}
        data-testid="connection-badge"
        data-state={connection.state}
        role="status"
      >
        <span className="dot" aria-hidden="true" />
        {connectionLabel(connection, now)}
      </span>
      {disconnected && connection.queued > 0 ? (
        <span className="queued" data-testid="queued-count" title="Sent when the connection is back">
          {connection.queued} queued
        </span>
      ) : null}
    </div>
  );
}
