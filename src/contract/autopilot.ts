/**
 * The autopilot's and budgets' shapes, shared by the server, the CLI and the web UI
 * (docs/autopilot.md).
 */

/** Caps on spend; 0 means no cap. */
export interface Budget {
  usd: number;
  tokens: number;
  minutes: number;
}

export const NO_BUDGET: Budget = { usd: 0, tokens: 0, minutes: 0 };

/** What a task or project has spent, measured against a budget. */
export interface Spend {
  usd: number;
  tokens: number;
  minutes: number;
}

/** What a session recorded, as far as budgets count it. */
export interface SpendingSession {
  usage: { costUsd: number; inputTokens: number; outputTokens: number };
  createdAt: string;
  /** '' while it lives: its minutes count up to `now`. */
  endedAt: string;
}

/** What a task (or a project) spent over all its sessions: cost, input plus output tokens, minutes they lived. */
export function spendOf(sessions: readonly SpendingSession[], now: number): Spend {
  const out: Spend = { usd: 0, tokens: 0, minutes: 0 };
  for (const s of sessions) {
    out.usd += s.usage.costUsd;
    out.tokens += s.usage.inputTokens + s.usage.outputTokens;
    const end = s.endedAt ? Date.parse(s.endedAt) : now;
    out.minutes += Math.max(0, end - Date.parse(s.createdAt)) / 60_000;
  }
  out.usd = Math.round(out.usd * 1e6) / 1e6;
  return out;
}

export interface AutopilotView {
  projectId: string;
  enabled: boolean;
  /** Live workers at most (spawning, running, stale or paused). */
  maxWorkers: number;
  /** Only tasks with this label ('' = every task). */
  label: string;
  /** The agent profile its workers run ('' = the server's default). */
  agent: string;
  /** Workers a task gets at most (the first and its retries). */
  maxAttempts: number;
  /** The project's budget: past it, the autopilot turns off. */
  budget: Budget;
  /** Why it last turned off by itself ('' when it did not). */
  reason: string;
  updatedAt: string;
}

/** The prefix of a block reason (and an autopilot's off reason) that says a budget was hit. */
export const BUDGET_EXCEEDED = 'budget_exceeded';

export const isBudgetReason = (reason: string | null | undefined): boolean =>
  !!reason && reason.startsWith(BUDGET_EXCEEDED);

export const DEFAULT_MAX_WORKERS = 4;
export const DEFAULT_MAX_ATTEMPTS = 3;

const BUDGET_KEYS = ['usd', 'tokens', 'minutes'] as const;

/**
 * `usd=2,tokens=500000,minutes=30` (any of them, in any order) as a budget; throws a message
 * naming what is wrong. `none` (or '') is no budget.
 */
export function parseBudget(text: string): Budget {
  const out: Budget = { ...NO_BUDGET };
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return out;
  for (const part of trimmed.split(',')) {
    const [key, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!BUDGET_KEYS.includes(key as (typeof BUDGET_KEYS)[number]) || value === undefined || rest.length)
      throw new Error(`'${part}' is not a budget entry: use usd=<dollars>, tokens=<n> or minutes=<n>.`);
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n > 1e9 || (key !== 'usd' && !Number.isInteger(n)))
      throw new Error(
        `${key}=${value}: ${key === 'usd' ? 'a number of dollars' : 'a whole number'} from 0 to 1000000000.`,
      );
    out[key as keyof Budget] = n;
  }
  return out;
}

export function formatBudget(b: Budget | null | undefined): string {
  if (!b) return 'none';
  const parts = BUDGET_KEYS.filter((k) => b[k] > 0).map((k) => `${k}=${b[k]}`);
  return parts.length ? parts.join(',') : 'none';
}

/** The first cap that `spend` reaches, in words ('' when none): "cost $2.10 of $2.00". */
export function overBudget(budget: Budget | null | undefined, spend: Spend): string {
  if (!budget) return '';
  if (budget.usd > 0 && spend.usd >= budget.usd)
    return `cost $${spend.usd.toFixed(4)} reached the budget of $${budget.usd}`;
  if (budget.tokens > 0 && spend.tokens >= budget.tokens)
    return `${spend.tokens} tokens reached the budget of ${budget.tokens}`;
  if (budget.minutes > 0 && spend.minutes >= budget.minutes)
    return `${spend.minutes.toFixed(1)} minutes reached the budget of ${budget.minutes}`;
  return '';
}
