import { useState, type FormEvent } from 'react';
import { formatBudget } from '../../src/contract/autopilot.js';
import { liveWorkerCount } from '../../src/contract/views.js';
import { useBoard, useStore } from './store-context.js';

/**
 * The open project's autopilot in the header: on or off, its live workers against its cap, a
 * switch and the cap to change (`autopilot.set`). It follows `autopilot.*` events, so a change made
 * from the CLI shows at once.
 */
export function AutopilotControl() {
  const store = useStore();
  const { autopilot, sessions } = useBoard();
  const [draft, setDraft] = useState<string | null>(null);
  if (!autopilot) return null;
  const live = liveWorkerCount(sessions.values());
  const shown = draft ?? String(autopilot.maxWorkers);
  const wanted = Number(shown);
  const valid = Number.isInteger(wanted) && wanted >= 1 && wanted <= 1000;

  const saveCap = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || draft === null) return;
    store.inBackground('autopilot.set', () =>
      store.setAutopilot({ maxWorkers: wanted }).then((ok) => ok && setDraft(null)),
    );
  };
  const title = [
    autopilot.label ? `only tasks labelled ${autopilot.label}` : 'every ready task',
    `agent ${autopilot.agent || 'the default'}`,
    `${autopilot.maxAttempts} attempts per task`,
    `budget ${formatBudget(autopilot.budget)}`,
  ].join(' · ');

  return (
    <div
      className="autopilot"
      data-testid="autopilot"
      data-enabled={autopilot.enabled ? 'on' : 'off'}
      title={title}
    >
      <button
        type="button"
        className={`autopilot-toggle${autopilot.enabled ? ' on' : ''}`}
        data-testid="autopilot-toggle"
        aria-pressed={autopilot.enabled}
        onClick={() =>
          store.inBackground('autopilot.set', () =>
            store.setAutopilot({ state: autopilot.enabled ? 'off' : 'on' }),
          )
        }
      >
        Autopilot {autopilot.enabled ? 'on' : 'off'}
      </button>
      <span data-testid="autopilot-workers" className="autopilot-workers">
        {live}/{autopilot.maxWorkers} workers
      </span>
      <form className="autopilot-cap" onSubmit={saveCap}>
        <label>
          max{' '}
          <input
            type="number"
            min={1}
            max={1000}
            data-testid="autopilot-max"
            aria-label="Autopilot: live workers at most"
            value={shown}
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        {draft !== null && draft !== String(autopilot.maxWorkers) ? (
          <button type="submit" data-testid="autopilot-max-save" disabled={!valid}>
            Set
          </button>
        ) : null}
      </form>
      {!autopilot.enabled && autopilot.reason ? (
        <span className="autopilot-reason" data-testid="autopilot-reason">
          {autopilot.reason}
        </span>
      ) : null}
    </div>
  );
}
