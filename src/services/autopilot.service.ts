import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_WORKERS,
  NO_BUDGET,
  type AutopilotView,
  type Budget,
} from '../contract/autopilot.js';
import { formatId } from '../contract/ids.js';
import type { CommandRunner, RequestContext, Tx } from './command-runner.js';
import { dialectOf, query, readJson } from './db/sql.js';
import type { EntityManager } from '@mikro-orm/core';
import { invalidArgument } from './errors.js';
import { assertInScope } from './scope.js';
import { projectRowId } from './task.service.js';

interface AutopilotRow {
  project_id: number;
  enabled: number | boolean;
  max_workers: number;
  label: string;
  agent: string;
  max_attempts: number;
  budget: unknown;
  reason: string;
  updated_at: number | string;
}

export interface AutopilotSettings {
  enabled?: boolean;
  maxWorkers?: number;
  label?: string;
  agent?: string;
  maxAttempts?: number;
  budget?: Budget;
}

/** What the scheduler decided, as an `autopilot.<action>` event. */
export interface AutopilotDecision {
  action: 'spawned' | 'retried' | 'blocked' | 'waiting' | 'stopped' | 'stuck';
  taskId?: string;
  sessionId?: string;
  reason?: string;
  [key: string]: unknown;
}

/**
 * The autopilot of each project: whether it runs, and its limits (docs/autopilot.md). Its state is
 * a row per project; each change and each decision of the scheduler is an event. The scheduler
 * itself runs in the server (src/gateway/autopilot.ts), since it starts agents.
 */
export class AutopilotService {
  constructor(private readonly runner: CommandRunner) {}

  get(projectId: string, ctx?: RequestContext): Promise<AutopilotView> {
    return this.runner.read(async (em) => {
      const project = await projectRowId(em, projectId);
      assertInScope(ctx, project);
      return this.viewOf(em, project, await this.row(em, project));
    });
  }

  /** Every project whose autopilot is on. */
  enabled(): Promise<AutopilotView[]> {
    return this.runner.read(async (em) => {
      const rows = await query<AutopilotRow>(
        em,
        `select * from autopilots where enabled = ${dialectOf(em) === 'postgresql' ? 'true' : '1'} order by project_id`,
        [],
      );
      return rows.map((r) => this.viewOf(em, Number(r.project_id), r));
    });
  }

  /** Turns a project's autopilot on or off and sets its limits; an event says what changed. */
  set(ctx: RequestContext, projectId: string, input: AutopilotSettings): Promise<AutopilotView> {
    return this.runner.run('autopilot.set', ctx, async (tx) => {
      const project = await projectRowId(tx.em, projectId);
      assertInScope(tx.ctx, project);
      const before = this.viewOf(tx.em, project, await this.row(tx.em, project));
      const next: AutopilotView = {
        ...before,
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.maxWorkers !== undefined
          ? { maxWorkers: checkInt('maxWorkers', input.maxWorkers, 1, 1000) }
          : {}),
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.agent !== undefined ? { agent: input.agent } : {}),
        ...(input.maxAttempts !== undefined
          ? { maxAttempts: checkInt('maxAttempts', input.maxAttempts, 1, 100) }
          : {}),
        ...(input.budget !== undefined ? { budget: input.budget } : {}),
        reason: input.enabled ? '' : before.reason,
      };
      return this.write(tx, project, before, next);
    });
  }

  /** The scheduler turns a project's autopilot off (its budget is spent). */
  turnOff(projectId: string, reason: string): Promise<AutopilotView> {
    return this.runner.run('autopilot.off', { actor: 'autopilot', sessionId: null }, async (tx) => {
      const project = await projectRowId(tx.em, projectId);
      const before = this.viewOf(tx.em, project, await this.row(tx.em, project));
      return this.write(tx, project, before, { ...before, enabled: false, reason });
    });
  }

  /** Records a decision of the scheduler as an event. */
  decided(projectId: string, decision: AutopilotDecision): Promise<void> {
    return this.runner.run('autopilot.decision', { actor: 'autopilot', sessionId: null }, async (tx) => {
      await tx.emit(
        `autopilot.${decision.action}`,
        decision.taskId ? 'task' : 'project',
        decision.taskId ?? projectId,
        projectId,
        { ...decision },
      );
    });
  }

  private async write(
    tx: Tx,
    project: number,
    before: AutopilotView,
    next: AutopilotView,
  ): Promise<AutopilotView> {
    const pg = dialectOf(tx.em) === 'postgresql';
    await query(tx.em, 'delete from autopilots where project_id = ?', [project]);
    await query(
      tx.em,
      'insert into autopilots (project_id, enabled, max_workers, label, agent, max_attempts, budget, reason, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        project,
        pg ? next.enabled : next.enabled ? 1 : 0,
        next.maxWorkers,
        next.label,
        next.agent,
        next.maxAttempts,
        JSON.stringify(next.budget),
        next.reason,
        tx.now,
      ],
    );
    const view = this.viewOf(tx.em, project, await this.row(tx.em, project));
    await tx.emit(
      view.enabled && !before.enabled
        ? 'autopilot.on'
        : !view.enabled && before.enabled
          ? 'autopilot.off'
          : 'autopilot.updated',
      'project',
      view.projectId,
      view.projectId,
      { autopilot: view },
    );
    return view;
  }

  private async row(em: EntityManager, project: number): Promise<AutopilotRow | undefined> {
    const [row] = await query<AutopilotRow>(em, 'select * from autopilots where project_id = ?', [project]);
    return row;
  }

  private viewOf(em: EntityManager, project: number, row: AutopilotRow | undefined): AutopilotView {
    return {
      projectId: formatId('project', project),
      enabled: row ? Boolean(row.enabled) : false,
      maxWorkers: row ? Number(row.max_workers) : DEFAULT_MAX_WORKERS,
      label: row?.label ?? '',
      agent: row?.agent ?? '',
      maxAttempts: row ? Number(row.max_attempts) : DEFAULT_MAX_ATTEMPTS,
      budget: row ? { ...NO_BUDGET, ...readJson<Partial<Budget>>(em, row.budget) } : { ...NO_BUDGET },
      reason: row?.reason ?? '',
      updatedAt: row ? new Date(Number(row.updated_at)).toISOString() : '',
    };
  }
}

function checkInt(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalidArgument(field, `${field} must be a whole number from ${min} to ${max}.`);
  return value;
}
