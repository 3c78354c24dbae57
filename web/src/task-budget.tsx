import { isBudgetReason, spendOf, type Budget, type Spend } from '../../src/contract/autopilot.js';
import type { SessionView, TaskView } from './wire-types.js';

const CAPS: { key: keyof Budget; label: string; show: (n: number) => string }[] = [
  { key: 'usd', label: 'Cost', show: (n) => `$${n.toFixed(4)}` },
  { key: 'tokens', label: 'Tokens', show: (n) => n.toLocaleString('en') },
  { key: 'minutes', label: 'Minutes', show: (n) => n.toFixed(1) },
];

/**
 * A task's budget against what its sessions spent (cost, input plus output tokens, minutes they
 * lived; summed over all of them, retries included, as the server counts it), and, when the task
 * was blocked for it, that the budget is exceeded.
 */
export function TaskBudget({
  task,
  sessions,
}: {
  task: TaskView;
  sessions: ReadonlyMap<string, SessionView>;
}) {
  const mine = [...sessions.values()].filter((s) => s.taskIds.includes(task.id));
  const spend: Spend = spendOf(mine, Date.now());
  const budget = task.budget ?? null;
  const exceeded = task.status === 'blocked' && isBudgetReason(task.blockedReason);
  return (
    <section className="detail-section" data-testid="detail-budget">
      <h3>Budget</h3>
      {exceeded ? (
        <p className="budget-exceeded" role="alert" data-testid="budget-exceeded">
          <strong>Budget exceeded.</strong> {task.blockedReason.replace(/^budget_exceeded:\s*/, '')}. Raise
          the budget (<code>maestro task update {task.id} --budget …</code>), then unblock it.
        </p>
      ) : null}
      <dl className="facts budget-facts">
        {CAPS.map(({ key, label, show }) => {
          const cap = budget?.[key] ?? 0;
          const used = spend[key];
          const over = cap > 0 && used >= cap;
          return (
            <div
              key={key}
              className="budget-row"
              data-testid={`budget-${key}`}
              data-over={over ? 'yes' : 'no'}
            >
              <dt>{label}</dt>
              <dd>
                {show(used)} {cap > 0 ? `of ${show(cap)}` : <span className="muted">(no cap)</span>}
                {cap > 0 ? (
                  <meter
                    min={0}
                    max={cap}
                    low={cap * 0.8}
                    high={cap * 0.99}
                    optimum={0}
                    value={Math.min(used, cap)}
                  />
                ) : null}
              </dd>
            </div>
          );
        })}
      </dl>
      {!budget ? <p className="muted">No budget: this task's spending has no cap.</p> : null}
    </section>
  );
}
