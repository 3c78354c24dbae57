import type { EntityManager } from '@mikro-orm/core';
import { NO_BUDGET, parseBudget, type Budget } from '../contract/autopilot.js';
import { formatId } from '../contract/ids.js';
import type { CommandRunner, Tx } from './command-runner.js';
import { query, readJson } from './db/sql.js';
import { invalidArgument } from './errors.js';

/** Tasks' budgets (docs/autopilot.md): a row per task that has one. */

/** A budget as text (`usd=2,tokens=500000,minutes=30`), or invalid_argument naming the field. */
export function budgetArgument(field: string, text: string): Budget {
  try {
    return parseBudget(text);
  } catch (error) {
    throw invalidArgument(field, (error as Error).message);
  }
}

/** The budgets of these tasks (ids `t_<n>`), for those that have one. */
export function taskBudgets(runner: CommandRunner, taskIds: readonly string[]): Promise<Map<string, Budget>> {
  return runner.read(async (em) => {
    const out = new Map<string, Budget>();
    const rowIds = taskIds.map((t) => Number(t.replace(/^t_/, ''))).filter((n) => Number.isInteger(n));
    for (let i = 0; i < rowIds.length; i += 500) {
      const part = rowIds.slice(i, i + 500);
      const rows = await query<{ task_id: number; budget: unknown }>(
        em,
        `select task_id, budget from task_budgets where task_id in (${part.map(() => '?').join(',')})`,
        part,
      );
      for (const r of rows)
        out.set(formatId('task', Number(r.task_id)), {
          ...NO_BUDGET,
          ...readJson<Partial<Budget>>(em, r.budget),
        });
    }
    return out;
  });
}

/** A task's budget, or null when it has none. */
export async function taskBudget(em: EntityManager, taskRowId: number): Promise<Budget | null> {
  const [row] = await query<{ budget: unknown }>(em, 'select budget from task_budgets where task_id = ?', [
    taskRowId,
  ]);
  return row ? { ...NO_BUDGET, ...readJson<Partial<Budget>>(em, row.budget) } : null;
}

/** Sets (or, with no cap at all, removes) a task's budget, inside the command that changes the task. */
export async function writeTaskBudget(tx: Tx, taskRowId: number, budget: Budget): Promise<void> {
  await query(tx.em, 'delete from task_budgets where task_id = ?', [taskRowId]);
  if (budget.usd > 0 || budget.tokens > 0 || budget.minutes > 0)
    await query(tx.em, 'insert into task_budgets (task_id, budget) values (?, ?)', [
      taskRowId,
      JSON.stringify(budget),
    ]);
}
