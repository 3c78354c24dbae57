import type { EntityManager } from '@mikro-orm/core';
import { formatId } from '../contract/ids.js';
import { decide, initialState } from '../machines/decide.js';
import { SESSION_FINAL_STATUSES, type SessionStatus } from '../machines/session.machine.js';
import {
  TASK_MACHINE_VERSION,
  TASK_STATUSES,
  taskMachine,
  type TaskClaim,
  type TaskContext,
  type TaskEvent,
} from '../machines/task.machine.js';
import { ConcurrentWriteError, type CommandRunner, type RequestContext, type Tx } from './command-runner.js';
import {
  ProjectSchema,
  SessionSchema,
  SubtaskSchema,
  TaskDependencySchema,
  TaskSchema,
  TimelineEntrySchema,
} from './db/entities.js';
import { dialectOf, placeholders, query, type Queryable } from './db/sql.js';
import { decodePageToken, encodePageToken, pageSizeOf, queryHash } from './pagination.js';
import {
  ALL_DEPENDENCIES_MET,
  findTaskRecord,
  findTaskRecords,
  insertDependencies,
  insertTask,
  appendTimeline,
  factsOf,
  unfinishedChildren,
  unmetDependencies,
  rowsAhead,
  updateTask,
  type TaskChanges,
  type TaskRecord,
} from './db/task-records.js';
import { MaestroError, ProjectErrors, SessionErrors, TaskErrors, invalidArgument } from './errors.js';
import { assertInScope, sessionCaller } from './scope.js';
import {
  applyWorkspaceEvent,
  submittableWorkspace,
  completionFacts,
  submitWorkspace,
  workspaceOf,
} from './workspace-records.js';
import { isolationOf } from '../shared/git-dir.js';
import { usageRollup } from './usage.js';
import { idOf, labelsOf, oneOf, optionalText, requireText } from './validate.js';
import {
  projectView,
  subtaskView,
  taskRef,
  taskView,
  timelineView,
  workspaceView,
  type TaskDetailView,
  type TaskView,
} from './views.js';
import { budgetArgument, taskBudget, writeTaskBudget } from './budgets.js';
import { formatBudget } from '../contract/autopilot.js';

import { LIMITS } from '../contract/operations.js';
import { PRIORITIES, type Priority } from '../contract/views.js';

export { PRIORITIES, type Priority };
const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };
const MAX_LABELS = LIMITS.labels;

/** Events a caller may send; the others (LEASE_EXPIRED) come only from the server itself. */
const INTERNAL_EVENTS = new Set(['LEASE_EXPIRED']);

const TASK_EVENT_TYPE: Record<TaskEvent['type'], string> = {
  START: 'task.started',
  CLAIM: 'task.claimed',
  RELEASE: 'task.released',
  LEASE_EXPIRED: 'task.claim_expired',
  BLOCK: 'task.blocked',
  UNBLOCK: 'task.unblocked',
  COMPLETE: 'task.completed',
  MERGED: 'task.merged',
  CHECKED: 'task.checks_passed',
  RETURN: 'task.returned',
  REOPEN: 'task.reopened',
  CANCEL: 'task.cancelled',
};

export interface CreateTaskInput {
  projectId: string;
  title: string;
  description?: string;
  priority?: string;
  parentId?: string;
  dependsOn?: readonly string[];
  labels?: readonly string[];
  /** Caps on spend as text: `usd=2,tokens=500000,minutes=30`. */
  budget?: string;
}

export interface ListTasksInput {
  projectId?: string;
  status?: readonly string[];
  priority?: readonly string[];
  parentId?: string;
  label?: string;
  ready?: boolean;
  /** Tasks per page (default and most: TASK_PAGE.max). */
  pageSize?: number;
  /** Where the page starts: the `nextPageToken` of the page before, for the same filters and sort. */
  pageToken?: string;
  /** `priority` (default: highest first, then oldest) or `created` (oldest first). */
  sort?: string;
}

/** The orders a task list can be read in. `created` is stable under every change of a task. */
export const TASK_SORTS = ['priority', 'created'] as const;

/** Page sizes of task lists. */
export const TASK_PAGE = { default: 1000, max: 1000 } as const;

/** One page of tasks and the token of the next one ('' after the last page). */
export interface TaskPage<T> {
  tasks: T[];
  nextPageToken: string;
}

export interface UpdateTaskInput {
  id: string;
  title?: string;
  description?: string;
  priority?: string;
  addLabels?: readonly string[];
  removeLabels?: readonly string[];
  expectedVersion?: number;
  /** A new budget as text; `none` removes it. */
  budget?: string;
}

export interface TaskServiceOptions {
  /** How long a claim made outside a session lasts before it lapses. */
  defaultLeaseMs: number;
  maxLeaseMs: number;
}

export const DEFAULT_TASK_OPTIONS: TaskServiceOptions = {
  defaultLeaseMs: 30 * 60_000,
  maxLeaseMs: 24 * 3_600_000,
};

/** The identity the server itself acts as (lease expiry, session sweeps). */
export const SYSTEM: RequestContext = { actor: 'maestro', sessionId: null };

/**
 * Tasks: creation, queries, the lifecycle (through the task machine), dependencies and claims.
 * Every mutation is one command of the runner: one transaction, one or more events.
 */
export class TaskService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly options: TaskServiceOptions = DEFAULT_TASK_OPTIONS,
  ) {}

  // ---- queries ---------------------------------------------------------------------------

  get(id: string, timelineLimit = 50, ctx?: RequestContext): Promise<TaskDetailView> {
    return this.runner.read(async (em) => {
      const record = await loadTask(em, id, ctx);
      const [subtasks, depRows, dependentRows, children, timeline] = await Promise.all([
        em.find(SubtaskSchema, { task: record.id }, { orderBy: { position: 'asc', id: 'asc' } }),
        em.find(
          TaskDependencySchema,
          { task: record.id },
          { populate: ['dependsOn'], orderBy: { dependsOn: 'asc' } },
        ),
        em.find(
          TaskDependencySchema,
          { dependsOn: record.id },
          { populate: ['task'], orderBy: { task: 'asc' } },
        ),
        em.find(TaskSchema, { parent: record.id }, { orderBy: { id: 'asc' } }),
        em.find(
          TimelineEntrySchema,
          { task: record.id },
          { orderBy: { id: 'desc' }, limit: Math.min(Math.max(timelineLimit || 50, 1), 10_000) },
        ),
      ]);
      const dependencies = depRows.map((d) => taskRef(d.dependsOn));
      const workspace = await workspaceOf(em, record.id);
      const project = projectView(await em.findOneOrFail(ProjectSchema, { id: record.projectId }));
      const budget = await taskBudget(em, record.id);
      return {
        task: { ...taskView(record), budget },
        subtasks: subtasks.map(subtaskView),
        dependencies,
        dependents: dependentRows.map((d) => taskRef(d.task)),
        children: children.map(taskRef),
        timeline: timeline.reverse().map(timelineView),
        blockedBy: dependencies.filter((d) => d.status !== 'completed'),
        usage: await usageRollup(em, { projectRowId: record.projectId, taskId: formatId('task', record.id) }),
        isolation: isolationOf(project, workspace !== null),
        workspace: workspace ? workspaceView(workspace) : null,
      };
    });
  }

  list(input: ListTasksInput, ctx?: RequestContext): Promise<TaskPage<TaskView>> {
    return this.runner.readRows(async (em) => {
      const page = await this.findPage(em, input, ctx);
      return { tasks: page.tasks.map(taskView), nextPageToken: page.nextPageToken };
    });
  }

  /**
   * Pending tasks whose dependencies are all completed, highest priority first: at most one page
   * (TASK_PAGE.max); `list` with `ready` pages through more.
   */
  ready(projectId?: string, ctx?: RequestContext): Promise<TaskView[]> {
    return this.runner.readRows(async (em) =>
      (await this.findPage(em, { projectId, ready: true, pageSize: TASK_PAGE.max }, ctx)).tasks.map(taskView),
    );
  }

  /**
   * Every task matching a filter, read page after page (each page its own read, so a big project
   * never holds the writer). For the server's own work (the autopilot, webhooks); clients read pages.
   */
  async listAll(
    input: Omit<ListTasksInput, 'pageToken' | 'pageSize'>,
    ctx?: RequestContext,
  ): Promise<TaskView[]> {
    const tasks: TaskView[] = [];
    let pageToken = '';
    do {
      const page = await this.list({ ...input, pageSize: TASK_PAGE.max, pageToken }, ctx);
      for (const task of page.tasks) tasks.push(task);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return tasks;
  }

  /**
   * One page of the tasks matching a filter, in keyset order: `(priority_rank, id)` for the
   * priority sort, `id` for `created`; the page starts strictly after the token's key.
   */
  async findPage(em: Queryable, input: ListTasksInput, ctx?: RequestContext): Promise<TaskPage<TaskRecord>> {
    const sort = input.sort ? oneOf('sort', input.sort, TASK_SORTS) : 'priority';
    const filter = await this.filter(em, input, ctx);
    const query = queryHash({ ...filter.key, sort });
    const size = pageSizeOf(input.pageSize, TASK_PAGE.default, TASK_PAGE.max);
    const where = [filter.where];
    const params = [...filter.params];
    const keyLength = sort === 'priority' ? 2 : 1;
    if (input.pageToken) {
      const key = decodePageToken(input.pageToken, query, keyLength);
      if (sort === 'priority') {
        where.push('(t.priority_rank, t.id) > (?, ?)');
        params.push(key[0], key[1]);
      } else {
        where.push('t.id > ?');
        params.push(key[0]);
      }
    }
    const order = sort === 'priority' ? 't.priority_rank, t.id' : 't.id';
    const records = await findTaskRecords(em, where.join(' and '), params, { order, limit: size + 1 });
    if (records.length <= size) return { tasks: records, nextPageToken: '' };
    const page = records.slice(0, size);
    const last = page[page.length - 1]!;
    const key = sort === 'priority' ? [last.priorityRank, last.id] : [last.id];
    return { tasks: page, nextPageToken: encodePageToken(key, query) };
  }

  /** The SQL condition on `t` for a list's filters, and the resolved filters (a page token's query). */
  private async filter(
    em: Queryable,
    input: ListTasksInput,
    ctx?: RequestContext,
  ): Promise<{ where: string; params: unknown[]; key: Record<string, unknown> }> {
    const where: string[] = ['1 = 1'];
    const params: unknown[] = [];
    const project = await scopedProjectRow(em, ctx, input.projectId);
    if (project !== undefined) {
      where.push('t.project_id = ?');
      params.push(project);
    }
    const statuses = input.ready
      ? ['pending']
      : [...new Set((input.status ?? []).map((s) => oneOf('status', s, TASK_STATUSES)))].sort();
    if (statuses.length) {
      where.push(`t.status in (${placeholders(statuses)})`);
      params.push(...statuses);
    }
    const priorities = [...new Set((input.priority ?? []).map((p) => oneOf('priority', p, PRIORITIES)))];
    const ranks = priorities.map((p) => PRIORITY_RANK[p]).sort();
    if (ranks.length) {
      // The rank is the priority's sort key: filtering on it keeps to the list's index.
      where.push(`t.priority_rank in (${placeholders(ranks)})`);
      params.push(...ranks);
    }
    let parent: number | undefined;
    if (input.parentId) {
      parent = (await loadTask(em, input.parentId)).id;
      where.push('t.parent_id = ?');
      params.push(parent);
    }
    if (input.label) {
      if (dialectOf(em) === 'postgresql') {
        where.push('t.labels @> ?::jsonb');
        params.push(JSON.stringify([input.label]));
      } else {
        where.push('exists (select 1 from json_each(t.labels) l where l.value = ?)');
        params.push(input.label);
      }
    }
    if (input.ready) where.push(ALL_DEPENDENCIES_MET);
    return {
      where: where.join(' and '),
      params,
      key: { project, statuses, ranks, parent, label: input.label ?? '', ready: Boolean(input.ready) },
    };
  }

  // ---- creation and edits ----------------------------------------------------------------

  create(ctx: RequestContext, input: CreateTaskInput): Promise<TaskView> {
    const ahead = { project: idOf('project', input.projectId), newTask: true };
    return this.runner.runAhead('task.create', ctx, ahead, async (tx) => {
      const title = requireText('title', input.title, 500);
      const description = optionalText('description', input.description, 20_000);
      const priority = oneOf('priority', input.priority || 'medium', PRIORITIES);
      const labels = labelsOf('label', input.labels ?? [], MAX_LABELS);
      const projectId = await projectRowId(tx.em, input.projectId);
      assertInScope(tx.ctx, projectId);
      const parent = input.parentId ? await loadTask(tx.em, input.parentId) : null;
      if (parent && parent.projectId !== projectId) {
        throw invalidArgument('parent', `Parent task ${input.parentId} belongs to another project.`);
      }
      const dependsOn = new Set<number>();
      for (const depId of input.dependsOn ?? []) {
        const dep = await loadTask(tx.em, depId);
        if (dep.projectId !== projectId) {
          throw invalidArgument(
            'depends-on',
            `Task ${depId} belongs to another project; dependencies stay within one.`,
          );
        }
        dependsOn.add(dep.id);
      }
      const state = initialState<TaskContext>(taskMachine);
      const stored = {
        projectId,
        title,
        description,
        status: state.value,
        priority,
        priorityRank: PRIORITY_RANK[priority],
        parentId: parent?.id ?? null,
        labels,
        state,
      };
      const id = await insertTask(tx.em, { ...stored, machineVersion: TASK_MACHINE_VERSION, now: tx.now });
      await insertDependencies(tx.em, id, [...dependsOn], tx.now);
      await addTimeline(tx, id, 'created', `Created "${title}".`);
      const budget = input.budget ? budgetArgument('budget', input.budget) : undefined;
      if (budget) await writeTaskBudget(tx, id, budget);
      // The task as stored, without reading it back: a new task has no subtasks yet.
      const view = taskView({
        ...stored,
        id,
        version: 1,
        createdAt: tx.now,
        updatedAt: tx.now,
        completedAt: null,
        dependsOn: [...dependsOn].sort((a, b) => a - b),
        subtasksTotal: 0,
        subtasksCompleted: 0,
      });
      await tx.emit('task.created', 'task', view.id, view.projectId, {
        task: budget ? { ...view, budget } : view,
      });
      return view;
    });
  }

  update(ctx: RequestContext, input: UpdateTaskInput): Promise<TaskView> {
    return this.runner.run('task.update', ctx, async (tx) => {
      const record = await loadTask(tx.em, input.id, tx.ctx);
      checkVersion(record, input.expectedVersion);
      const changes: TaskChanges = {};
      if (input.title !== undefined) changes.title = requireText('title', input.title, 500);
      if (input.description !== undefined)
        changes.description = optionalText('description', input.description, 20_000);
      if (input.priority !== undefined) {
        const priority = oneOf('priority', input.priority, PRIORITIES);
        changes.priority = priority;
        changes.priorityRank = PRIORITY_RANK[priority];
      }
      if (input.addLabels?.length || input.removeLabels?.length) {
        const remove = new Set(labelsOf('label', input.removeLabels ?? []));
        changes.labels = labelsOf('label', [...record.labels, ...(input.addLabels ?? [])], Infinity).filter(
          (l) => !remove.has(l),
        );
        if (changes.labels.length > MAX_LABELS) {
          throw invalidArgument(
            'label',
            `A task has at most ${MAX_LABELS} labels, not ${changes.labels.length}.`,
          );
        }
      }
      const fields = Object.keys(changes).filter((k) => k !== 'priorityRank');
      const budget = input.budget !== undefined ? budgetArgument('budget', input.budget) : undefined;
      if (fields.length === 0 && !budget) {
        throw invalidArgument(
          'update',
          'Nothing to update: give at least one of title, description, priority, labels, budget.',
        );
      }
      await write(tx, record, changes);
      if (budget) await writeTaskBudget(tx, record.id, budget);
      await addTimeline(
        tx,
        record.id,
        'updated',
        `Updated ${[...fields, ...(budget ? [`budget (${formatBudget(budget)})`] : [])].join(', ')}.`,
      );
      const view = taskView(record);
      const shown: Record<string, unknown> = Object.fromEntries(
        fields.map((f) => [f, changes[f as keyof TaskChanges]]),
      );
      if (budget) shown.budget = budget;
      await tx.emit('task.updated', 'task', view.id, view.projectId, { task: view, changes: shown });
      return view;
    });
  }

  delete(ctx: RequestContext, id: string, cascade: boolean): Promise<{ deletedIds: string[] }> {
    return this.runner.run('task.delete', ctx, async (tx) => {
      const record = await loadTask(tx.em, id, tx.ctx);
      const doomed = [record.id];
      for (let i = 0; i < doomed.length; i++) {
        const children = await query<{ id: number }>(tx.em, 'select id from tasks where parent_id = ?', [
          doomed[i],
        ]);
        if (children.length && !cascade) {
          throw new MaestroError(
            'invalid_argument',
            `Task ${id} has child tasks (${children.map((c) => formatId('task', c.id)).join(', ')}).`,
            'Delete with --cascade to remove the task and its children.',
            { field: 'cascade', taskId: id },
          );
        }
        doomed.push(...children.map((c) => Number(c.id)));
      }
      const dependents = await query<{ task_id: number }>(
        tx.em,
        `select distinct task_id from task_dependencies where depends_on_id in (${placeholders(doomed)})
         and task_id not in (${placeholders(doomed)}) order by task_id`,
        [...doomed, ...doomed],
      );
      if (dependents.length && !cascade) {
        const ids = dependents.map((d) => formatId('task', d.task_id));
        throw new MaestroError(
          'invalid_argument',
          `Task ${id} cannot be deleted: ${ids.join(', ')} depend${ids.length === 1 ? 's' : ''} on it.`,
          `Remove the dependencies with 'maestro task dep remove', or delete with --cascade.`,
          { field: 'cascade', taskId: id, dependents: ids },
        );
      }
      await query(tx.em, `delete from tasks where id in (${placeholders(doomed)})`, doomed);
      const projectId = formatId('project', record.projectId);
      const deletedIds = doomed.map((d) => formatId('task', d));
      for (const deleted of deletedIds)
        await tx.emit('task.deleted', 'task', deleted, projectId, { taskId: deleted });
      return { deletedIds };
    });
  }

  // ---- dependencies ----------------------------------------------------------------------

  addDependency(ctx: RequestContext, id: string, dependsOnId: string): Promise<TaskView> {
    return this.runner.run('task.dep.add', ctx, async (tx) => {
      const record = await loadTask(tx.em, id, tx.ctx);
      const dep = await loadTask(tx.em, dependsOnId);
      const [a, b] = [formatId('task', record.id), formatId('task', dep.id)];
      if (record.id === dep.id) throw TaskErrors.dependencyCycle(a, b, [a, a], 1);
      if (record.projectId !== dep.projectId) {
        throw invalidArgument(
          'depends-on',
          `Task ${b} belongs to another project; dependencies stay within one.`,
        );
      }
      if (record.dependsOn.includes(dep.id)) return taskView(record);
      const path = await findPath(tx.em, dep.id, record.id);
      if (path) {
        const cycle = [a, ...path.map((n) => formatId('task', n))];
        throw TaskErrors.dependencyCycle(a, b, shownCycle(cycle), cycle.length - 1);
      }
      await insertDependencies(tx.em, record.id, [dep.id], tx.now);
      await write(tx, record, {});
      await addTimeline(tx, record.id, 'dependency', `Now depends on ${b}.`);
      const view = taskView((await findTaskRecord(tx.em, record.id))!);
      await tx.emit('task.dependency_added', 'task', view.id, view.projectId, { task: view, dependsOn: b });
      return view;
    });
  }

  removeDependency(ctx: RequestContext, id: string, dependsOnId: string): Promise<TaskView> {
    return this.runner.run('task.dep.remove', ctx, async (tx) => {
      const record = await loadTask(tx.em, id, tx.ctx);
      const dep = await loadTask(tx.em, dependsOnId);
      const b = formatId('task', dep.id);
      if (!record.dependsOn.includes(dep.id)) return taskView(record);
      await query(tx.em, 'delete from task_dependencies where task_id = ? and depends_on_id = ?', [
        record.id,
        dep.id,
      ]);
      await write(tx, record, {});
      await addTimeline(tx, record.id, 'dependency', `No longer depends on ${b}.`);
      const view = taskView((await findTaskRecord(tx.em, record.id))!);
      await tx.emit('task.dependency_removed', 'task', view.id, view.projectId, { task: view, dependsOn: b });
      return view;
    });
  }

  // ---- lifecycle -------------------------------------------------------------------------

  start(ctx: RequestContext, id: string, expectedVersion?: number): Promise<TaskView> {
    return this.lifecycle('task.start', ctx, id, expectedVersion, async (tx, record) => ({
      type: 'START',
      claim: await this.claimFor(tx, null),
      unmetDependencies: await unmet(tx.em, record),
    }));
  }

  /** Claims one task, or with `next` the highest-priority ready task; `claimed` is false when none is ready. */
  claim(
    ctx: RequestContext,
    input: { id?: string; next?: boolean; projectId?: string; leaseSeconds?: number },
  ): Promise<{ task: TaskView | null; claimed: boolean }> {
    const task = input.id ? idOf('task', input.id) : null;
    return this.runner.runAhead('task.claim', ctx, { task }, async (tx) => {
      if (!input.id && !input.next)
        throw invalidArgument('id', 'Give a task id, or --next to claim the next ready task.');
      const leaseMs = input.leaseSeconds ? input.leaseSeconds * 1000 : null;
      if (leaseMs !== null && (leaseMs < 1000 || leaseMs > this.options.maxLeaseMs)) {
        throw invalidArgument('lease', `The lease must be 1 to ${this.options.maxLeaseMs / 1000} seconds.`);
      }
      const record = input.id
        ? await loadTask(tx.em, input.id, tx.ctx)
        : ((await this.findPage(tx.em, { projectId: input.projectId, ready: true, pageSize: 1 }, tx.ctx))
            .tasks[0] ?? null);
      if (!record) return { task: null, claimed: false };
      const task = await this.apply(tx, record, {
        type: 'CLAIM',
        claim: await this.claimFor(tx, leaseMs),
        unmetDependencies: await unmet(tx.em, record),
      });
      return { task, claimed: true };
    });
  }

  release(ctx: RequestContext, id: string, expectedVersion?: number): Promise<TaskView> {
    return this.lifecycle('task.release', ctx, id, expectedVersion, () => ({ type: 'RELEASE' }));
  }

  block(ctx: RequestContext, id: string, reason: string, expectedVersion?: number): Promise<TaskView> {
    return this.lifecycle('task.block', ctx, id, expectedVersion, () => ({
      type: 'BLOCK',
      reason: requireText('reason', reason, 2000),
    }));
  }

  unblock(ctx: RequestContext, id: string, expectedVersion?: number): Promise<TaskView> {
    return this.lifecycle('task.unblock', ctx, id, expectedVersion, async (tx, record) => {
      // The work goes back to whoever held it when it was blocked; an unheld task goes to the caller.
      const held = record.state.context.claim;
      const claim = held
        ? { ...held, expiresAt: held.expiresAt === null ? null : tx.now + this.options.defaultLeaseMs }
        : await this.claimFor(tx, null);
      return { type: 'UNBLOCK', claim, unmetDependencies: await unmet(tx.em, record) };
    });
  }

  /**
   * Completes a task. A task whose work is in a workspace that has not merged goes to `in_review`
   * instead, and its workspace to review or to the merge queue, in the same transaction. A task
   * without a workspace in a project with checks goes to `in_review` until they pass.
   */
  complete(ctx: RequestContext, id: string, expectedVersion?: number): Promise<TaskView> {
    return this.runner.runAhead('task.complete', ctx, { task: idOf('task', id) }, async (tx) => {
      const record = await loadTask(tx.em, id, tx.ctx);
      checkVersion(record, expectedVersion);
      // Read ahead with the row, or asked together: on PostgreSQL the three answers come in one round trip.
      const ahead = factsOf(record);
      const [facts, unmetDependencies, children] = await Promise.all([
        ahead ?? completionFacts(tx.em, record.id, record.projectId),
        unmet(tx.em, record),
        ahead?.unfinishedChildren ?? unfinishedChildren(tx.em, record.id),
      ]);
      const workspace = facts.hasWorkspace ? await submittableWorkspace(tx.em, record.id) : null;
      const checked = !facts.hasWorkspace && facts.checks;
      const view = await this.apply(tx, record, {
        type: 'COMPLETE',
        unmetDependencies,
        unfinishedChildren: children.map((c) => ({ taskId: formatId('task', c.id), status: c.status })),
        submits: workspace !== null || checked,
      });
      if (workspace) await submitWorkspace(tx, workspace);
      return view;
    });
  }

  /** Runs a task event inside another command (a workspace merged or came back). */
  async applyIn(tx: Tx, taskId: string, event: TaskEvent): Promise<TaskView> {
    return this.apply(tx, await loadTask(tx.em, taskId), event);
  }

  reopen(ctx: RequestContext, id: string, expectedVersion?: number): Promise<TaskView> {
    return this.lifecycle('task.reopen', ctx, id, expectedVersion, async (tx, record) => ({
      type: 'REOPEN',
      claim: await this.claimFor(tx, null),
      unmetDependencies: record.status === 'completed' ? await unmet(tx.em, record) : [],
    }));
  }

  /** Cancels a task; its workspace, if any, is archived (out of review and the merge queue; prune may remove it later). */
  cancel(ctx: RequestContext, id: string, expectedVersion?: number): Promise<TaskView> {
    return this.runner.runAhead('task.cancel', ctx, { task: idOf('task', id) }, async (tx) => {
      const record = await loadTask(tx.em, id, tx.ctx);
      checkVersion(record, expectedVersion);
      const view = await this.apply(tx, record, { type: 'CANCEL' });
      const workspace = await workspaceOf(tx.em, record.id);
      if (
        workspace &&
        workspace.status !== 'merging' &&
        workspace.status !== 'merged' &&
        workspace.status !== 'archived'
      )
        await applyWorkspaceEvent(tx, workspace, { type: 'ARCHIVE' });
      return view;
    });
  }

  /** Releases every claim whose lease has run out; returns the tasks it released. */
  async expireLeases(): Promise<string[]> {
    const now = this.runner.clock();
    const due = await this.runner.read((em) =>
      query<{ id: number }>(
        em,
        "select id from tasks where status in ('in_progress', 'blocked') and claim_expires_at <= ?",
        [now],
      ),
    );
    if (due.length === 0) return [];
    return this.runner.run('task.expire-leases', SYSTEM, async (tx) => {
      const released: string[] = [];
      for (const record of await findTaskRecords(
        tx.em,
        "t.status in ('in_progress', 'blocked') and t.claim_expires_at <= ?",
        [tx.now],
      )) {
        const decision = decide(taskMachine, record.state, { type: 'LEASE_EXPIRED', now: tx.now });
        if (!decision.ok) continue;
        const holder = record.state.context.claim?.holder;
        await this.persist(
          tx,
          record,
          decision.state,
          'LEASE_EXPIRED',
          `Claim by ${holder} lapsed: its lease ran out.`,
        );
        released.push(formatId('task', record.id));
      }
      return released;
    });
  }

  /** A timeline entry on a task from inside another command (a session that ended, say). */
  async note(tx: Tx, taskId: string, kind: string, message: string): Promise<void> {
    const record = await loadTask(tx.em, taskId);
    await addTimeline(tx, record.id, kind, message);
    const task = taskView(record);
    await tx.emit('timeline.reported', 'task', task.id, task.projectId, {
      entry: {
        taskId: task.id,
        kind,
        message,
        actor: tx.ctx.actor,
        createdAt: new Date(tx.now).toISOString(),
      },
    });
  }

  /** A task's status inside a command, or undefined when it is gone. */
  async statusOf(tx: Tx, taskId: string): Promise<string | undefined> {
    const rowId = idOf('task', taskId);
    const [row] = rowId
      ? await query<{ status: string }>(tx.em, 'select status from tasks where id = ?', [rowId])
      : [];
    return row?.status;
  }

  /** Releases the claims a session holds (it ended or was lost). Runs inside the session's command. */
  async releaseSessionClaims(tx: Tx, sessionId: string, why: string): Promise<string[]> {
    const released: string[] = [];
    for (const record of await findTaskRecords(
      tx.em,
      "t.claim_session_id = ? and t.status in ('in_progress', 'blocked')",
      [sessionId],
    )) {
      const decision = decide(taskMachine, record.state, { type: 'RELEASE' });
      if (!decision.ok) continue;
      const holder = record.state.context.claim?.holder;
      await this.persist(tx, record, decision.state, 'RELEASE', `Claim by ${holder} released: ${why}.`);
      released.push(formatId('task', record.id));
    }
    return released;
  }

  // ---- internals -------------------------------------------------------------------------

  private lifecycle(
    operation: string,
    ctx: RequestContext,
    id: string,
    expectedVersion: number | undefined,
    makeEvent: (tx: Tx, record: TaskRecord) => TaskEvent | Promise<TaskEvent>,
  ): Promise<TaskView> {
    return this.runner.runAhead(operation, ctx, { task: idOf('task', id) }, async (tx) => {
      const record = await loadTask(tx.em, id, tx.ctx);
      checkVersion(record, expectedVersion);
      return this.apply(tx, record, await makeEvent(tx, record));
    });
  }

  private async claimFor(tx: Tx, leaseMs: number | null): Promise<TaskClaim> {
    const sessionId = tx.ctx.sessionId;
    if (sessionId) {
      const rowId = idOf('session', sessionId);
      const session = rowId
        ? await tx.em.findOne(SessionSchema, { id: rowId }, { fields: ['status'] })
        : null;
      if (!session) throw SessionErrors.notFound(sessionId);
      if (SESSION_FINAL_STATUSES.includes(session.status as SessionStatus)) {
        throw SessionErrors.ended(sessionId, session.status);
      }
      return { holder: tx.ctx.actor, sessionId, expiresAt: null, claimedAt: tx.now };
    }
    return {
      holder: tx.ctx.actor,
      sessionId: null,
      expiresAt: tx.now + (leaseMs ?? this.options.defaultLeaseMs),
      claimedAt: tx.now,
    };
  }

  /** Runs one event through the machine and persists the result, or raises the precise refusal. */
  private async apply(tx: Tx, record: TaskRecord, event: TaskEvent): Promise<TaskView> {
    const taskId = formatId('task', record.id);
    const decision = decide(taskMachine, record.state, event);
    if (!decision.ok) {
      const allowed = decision.allowed.filter((e) => !INTERNAL_EVENTS.has(e));
      if (decision.reason === 'guard_failed') {
        if ('unmetDependencies' in event && event.unmetDependencies.length) {
          throw TaskErrors.dependenciesNotMet(taskId, event.type, event.unmetDependencies);
        }
        if (event.type === 'COMPLETE' && event.unfinishedChildren?.length) {
          throw TaskErrors.childrenUnfinished(taskId, event.unfinishedChildren);
        }
        const claim = record.state.context.claim;
        if ((event.type === 'START' || event.type === 'CLAIM') && claim) {
          throw TaskErrors.alreadyClaimed(taskId, claim.holder, claim.sessionId);
        }
      }
      throw TaskErrors.invalidTransition(taskId, decision.from, event.type, allowed);
    }
    return this.persist(tx, record, decision.state, event.type, describeEvent(event, tx.ctx.actor));
  }

  private async persist(
    tx: Tx,
    record: TaskRecord,
    next: TaskRecord['state'],
    eventType: TaskEvent['type'],
    message: string,
  ): Promise<TaskView> {
    const from = record.status;
    const completedAt =
      next.value === 'completed' ? (from === 'completed' ? record.completedAt : tx.now) : null;
    await write(tx, record, { state: next, completedAt });
    await addTimeline(
      tx,
      record.id,
      'status',
      from === next.value ? message : `${from} -> ${next.value}: ${message}`,
    );
    const view = taskView(record);
    const type =
      next.value === 'in_review' && eventType === 'COMPLETE' ? 'task.submitted' : TASK_EVENT_TYPE[eventType];
    await tx.emit(type, 'task', view.id, view.projectId, {
      task: view,
      from,
      to: next.value,
    });
    return view;
  }
}

/** A caller that names the version it read is refused when the task has moved on since. */
function checkVersion(record: TaskRecord, expected: number | undefined): void {
  if (expected !== undefined && record.version !== expected) {
    throw TaskErrors.versionConflict(formatId('task', record.id), expected, record.version);
  }
}

/** Writes changes under the optimistic lock; a lost race retries the whole command. */
async function write(tx: Tx, record: TaskRecord, changes: TaskChanges): Promise<void> {
  if (!(await updateTask(tx.em, record, changes, tx.now))) {
    throw new ConcurrentWriteError(`Task ${formatId('task', record.id)} changed while the command ran.`);
  }
}

function describeEvent(event: TaskEvent, actor: string): string {
  switch (event.type) {
    case 'START':
      return `Started by ${actor}.`;
    case 'CLAIM':
      return `Claimed by ${actor}.`;
    case 'RELEASE':
      return `Released by ${actor}.`;
    case 'BLOCK':
      return `Blocked by ${actor}: ${event.reason}`;
    case 'UNBLOCK':
      return `Unblocked by ${actor}.`;
    case 'COMPLETE':
      return `Completed by ${actor}.`;
    case 'REOPEN':
      return `Reopened by ${actor}.`;
    case 'CANCEL':
      return `Cancelled by ${actor}.`;
    case 'LEASE_EXPIRED':
      return 'Lease expired.';
    case 'MERGED':
      return 'Its work merged into the base branch.';
    case 'CHECKED':
      return "The project's checks passed.";
    case 'RETURN':
      return `Returned: ${event.reason}`;
  }
}

/** Adds an entry to a task's timeline (see `appendTimeline`). */
export async function addTimeline(tx: Tx, taskRowId: number, kind: string, message: string): Promise<void> {
  return appendTimeline(tx.em, {
    taskId: taskRowId,
    kind,
    message,
    actor: tx.ctx.actor,
    sessionId: tx.ctx.sessionId,
    now: tx.now,
  });
}

/** A task by id; with `ctx` of a session's credential, only one of its project (else permission_denied). */
export async function loadTask(em: Queryable, id: string, ctx?: RequestContext): Promise<TaskRecord> {
  const rowId = idOf('task', id);
  const record = rowId ? await findTaskRecord(em, rowId) : null;
  if (!record) throw TaskErrors.notFound(id);
  assertInScope(ctx, record.projectId, `task ${formatId('task', record.id)}`);
  return record;
}

/** A project's row id from its id (`p_2`) or its name (`webapp`); an id wins over a name. */
export async function projectRowId(em: Queryable, projectId: string): Promise<number> {
  const rowId = idOf('project', projectId);
  if (rowId && rowsAhead(em)?.hasProject(rowId)) return rowId;
  const [byId] = rowId
    ? await query<{ id: number }>(em, 'select id from projects where id = ?', [rowId])
    : [];
  if (byId) return Number(byId.id);
  const [byName] = projectId
    ? await query<{ id: number }>(em, 'select id from projects where name = ?', [projectId])
    : [];
  if (!byName) throw ProjectErrors.notFound(projectId || '(none)');
  return Number(byName.id);
}

/**
 * The project row a query is limited to: the one named (refused when a session's credential is for
 * another), or a session's own project when none is named; undefined means every project.
 */
export async function scopedProjectRow(
  em: Queryable,
  ctx: RequestContext | undefined,
  projectId: string | undefined,
): Promise<number | undefined> {
  if (!projectId) return sessionCaller(ctx)?.projectRowId;
  const row = await projectRowId(em, projectId);
  assertInScope(ctx, row);
  return row;
}

async function unmet(em: EntityManager, record: TaskRecord) {
  if (record.dependsOn.length === 0) return [];
  return (factsOf(record)?.unmet ?? (await unmetDependencies(em, record.id))).map((d) => ({
    taskId: formatId('task', d.id),
    status: d.status,
  }));
}

/** The most tasks a dependency cycle's refusal names: its first steps and its last. */
export const CYCLE_PATH_SHOWN = 10;

/**
 * A path of depends-on edges from `from` to `to`, or null, found in the database: a recursive
 * query walks what `from` reaches (each task once) and stops at `to`, which is all a legal edge
 * costs. Only when `to` is reached does a second one gather the edges walked (each once), to
 * follow them back from `to` to `from`.
 */
async function findPath(em: EntityManager, from: number, to: number): Promise<number[] | null> {
  const [hit] = await query<{ id: number }>(
    em,
    `with recursive reach(id) as (
       select cast(? as integer) union select d.depends_on_id from task_dependencies d join reach r on d.task_id = r.id
     ) select id from reach where id = ? limit 1`,
    [from, to],
  );
  if (!hit) return null;
  const edges = await query<{ id: number; prev: number | null }>(
    em,
    `with recursive walk(id, prev) as (
       select cast(? as integer), cast(null as integer)
       union select d.depends_on_id, d.task_id from task_dependencies d join walk w on d.task_id = w.id
     ) select id, prev from walk where prev is not null`,
    [from],
  );
  const previous = new Map<number, number>();
  for (const e of edges) if (!previous.has(Number(e.id))) previous.set(Number(e.id), Number(e.prev));
  const back = [to];
  // Every task walked but `from` has a previous one that `from` reaches; the graph has no cycle.
  for (let node = to; node !== from;) {
    const prev = previous.get(node);
    if (prev === undefined || back.length > edges.length + 1) return [from, to];
    back.push((node = prev));
  }
  return back.reverse();
}

/**
 * A cycle's path as a refusal names it: whole when short, else its first and last steps around
 * an `…(N more)…` marker, so the error stays small however long the chain.
 */
export function shownCycle(path: readonly string[]): string[] {
  if (path.length <= CYCLE_PATH_SHOWN) return [...path];
  const head = Math.ceil(CYCLE_PATH_SHOWN / 2);
  const tail = CYCLE_PATH_SHOWN - head;
  return [...path.slice(0, head), `…(${path.length - CYCLE_PATH_SHOWN} more)…`, ...path.slice(-tail)];
}
