import type { EntityManager } from '@mikro-orm/core';
import { formatId } from '../contract/ids.js';
import { placeholders, query } from './db/sql.js';
import { decide, initialState, type StoredState } from '../machines/decide.js';
import {
  TASK_MACHINE_VERSION,
  TASK_STATUSES,
  taskMachine,
  type TaskClaim,
  type TaskContext,
  type TaskEvent,
  type UnmetDependency,
} from '../machines/task.machine.js';
import { SESSION_FINAL_STATUSES, type SessionStatus } from '../machines/session.machine.js';
import type { CommandRunner, RequestContext, Tx } from './command-runner.js';
import {
  ProjectSchema,
  SessionSchema,
  SubtaskSchema,
  TaskDependencySchema,
  TaskSchema,
  TimelineEntrySchema,
  type TaskRow,
} from './db/entities.js';
import { MaestroError, ProjectErrors, SessionErrors, TaskErrors, invalidArgument } from './errors.js';
import { idOf, labelsOf, oneOf, optionalText, requireText } from './validate.js';
import {
  subtaskView,
  taskRef,
  taskView,
  taskViews,
  timelineView,
  type TaskDetailView,
  type TaskRefView,
  type TaskView,
} from './views.js';

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

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
}

export interface ListTasksInput {
  projectId?: string;
  status?: readonly string[];
  priority?: readonly string[];
  parentId?: string;
  label?: string;
  ready?: boolean;
}

export interface UpdateTaskInput {
  id: string;
  title?: string;
  description?: string;
  priority?: string;
  addLabels?: readonly string[];
  removeLabels?: readonly string[];
  expectedVersion?: number;
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

  get(id: string, timelineLimit = 50): Promise<TaskDetailView> {
    return this.runner.read(async (em) => {
      const row = await loadTask(em, id);
      const [view, subtasks, depRows, dependentRows, children, timeline] = await Promise.all([
        taskView(em, row),
        em.find(SubtaskSchema, { task: row.id }, { orderBy: { position: 'asc', id: 'asc' } }),
        em.find(
          TaskDependencySchema,
          { task: row.id },
          { populate: ['dependsOn'], orderBy: { dependsOn: 'asc' } },
        ),
        em.find(
          TaskDependencySchema,
          { dependsOn: row.id },
          { populate: ['task'], orderBy: { task: 'asc' } },
        ),
        em.find(TaskSchema, { parent: row.id }, { orderBy: { id: 'asc' } }),
        em.find(
          TimelineEntrySchema,
          { task: row.id },
          { orderBy: { id: 'desc' }, limit: Math.min(Math.max(timelineLimit || 50, 1), 1000) },
        ),
      ]);
      const dependencies = depRows.map((d) => taskRef(d.dependsOn));
      return {
        task: view,
        subtasks: subtasks.map(subtaskView),
        dependencies,
        dependents: dependentRows.map((d) => taskRef(d.task)),
        children: children.map(taskRef),
        timeline: timeline.reverse().map(timelineView),
        blockedBy: dependencies.filter((d) => d.status !== 'completed'),
      };
    });
  }

  list(input: ListTasksInput): Promise<TaskView[]> {
    return this.runner.read(async (em) => {
      const where: Record<string, unknown> = {};
      if (input.projectId) where.project = await projectRowId(em, input.projectId);
      if (input.status?.length)
        where.status = { $in: input.status.map((s) => oneOf('status', s, TASK_STATUSES)) };
      if (input.priority?.length)
        where.priority = { $in: input.priority.map((p) => oneOf('priority', p, PRIORITIES)) };
      if (input.parentId) where.parent = (await loadTask(em, input.parentId)).id;
      if (input.ready) where.status = 'pending';
      let rows = await em.find(TaskSchema, where, { orderBy: { priorityRank: 'asc', id: 'asc' } });
      if (input.label) rows = rows.filter((r) => r.labels.includes(input.label!));
      if (input.ready) {
        const waiting = await tasksWithUnmetDependencies(
          em,
          rows.map((r) => r.id),
        );
        rows = rows.filter((r) => !waiting.has(r.id));
      }
      return taskViews(em, rows);
    });
  }

  /** Pending tasks whose dependencies are all completed, highest priority first. */
  ready(projectId?: string): Promise<TaskView[]> {
    return this.list({ projectId, ready: true });
  }

  // ---- creation and edits ----------------------------------------------------------------

  create(ctx: RequestContext, input: CreateTaskInput): Promise<TaskView> {
    return this.runner.run('task.create', ctx, async (tx) => {
      const title = requireText('title', input.title, 500);
      const description = optionalText('description', input.description, 20_000);
      const priority = oneOf('priority', input.priority || 'medium', PRIORITIES);
      const labels = labelsOf('label', input.labels ?? []);
      const projectId = await projectRowId(tx.em, input.projectId);
      const parent = input.parentId ? await loadTask(tx.em, input.parentId) : null;
      if (parent && parent.project.id !== projectId) {
        throw invalidArgument('parent', `Parent task ${input.parentId} belongs to another project.`);
      }
      const dependsOn: TaskRow[] = [];
      for (const depId of new Set(input.dependsOn ?? [])) {
        const dep = await loadTask(tx.em, depId);
        if (dep.project.id !== projectId) {
          throw invalidArgument(
            'depends-on',
            `Task ${depId} belongs to another project; dependencies stay within one.`,
          );
        }
        dependsOn.push(dep);
      }
      const state = initialState<TaskContext>(taskMachine);
      const row = tx.em.create(TaskSchema, {
        project: projectId,
        title,
        description,
        status: state.value,
        priority,
        priorityRank: PRIORITY_RANK[priority],
        parent: parent?.id ?? null,
        labels,
        state,
        machineVersion: TASK_MACHINE_VERSION,
        createdAt: new Date(tx.now),
        updatedAt: new Date(tx.now),
      });
      await tx.em.flush();
      for (const dep of dependsOn)
        tx.em.create(TaskDependencySchema, { task: row.id, dependsOn: dep.id, createdAt: new Date(tx.now) });
      addTimeline(tx, row.id, 'created', `Created "${title}".`);
      await tx.em.flush();
      const view = await taskView(tx.em, row);
      tx.emit('task.created', 'task', view.id, view.projectId, { task: view });
      return view;
    });
  }

  update(ctx: RequestContext, input: UpdateTaskInput): Promise<TaskView> {
    return this.runner.run('task.update', ctx, async (tx) => {
      const row = await loadTask(tx.em, input.id);
      checkVersion(row, input.expectedVersion);
      const changes: Record<string, unknown> = {};
      if (input.title !== undefined) row.title = changes.title = requireText('title', input.title, 500);
      if (input.description !== undefined) {
        row.description = changes.description = optionalText('description', input.description, 20_000);
      }
      if (input.priority !== undefined) {
        const priority = oneOf('priority', input.priority, PRIORITIES);
        row.priority = changes.priority = priority;
        row.priorityRank = PRIORITY_RANK[priority];
      }
      if (input.addLabels?.length || input.removeLabels?.length) {
        const remove = new Set(labelsOf('label', input.removeLabels ?? []));
        row.labels = changes.labels = labelsOf('label', [...row.labels, ...(input.addLabels ?? [])]).filter(
          (l) => !remove.has(l),
        );
      }
      if (Object.keys(changes).length === 0) {
        throw invalidArgument(
          'update',
          'Nothing to update: give at least one of title, description, priority, labels.',
        );
      }
      row.updatedAt = new Date(tx.now);
      addTimeline(tx, row.id, 'updated', `Updated ${Object.keys(changes).join(', ')}.`);
      await tx.em.flush();
      const view = await taskView(tx.em, row);
      tx.emit('task.updated', 'task', view.id, view.projectId, { task: view, changes });
      return view;
    });
  }

  delete(ctx: RequestContext, id: string, cascade: boolean): Promise<{ deletedIds: string[] }> {
    return this.runner.run('task.delete', ctx, async (tx) => {
      const row = await loadTask(tx.em, id);
      const doomed = [row.id];
      for (let i = 0; i < doomed.length; i++) {
        const children = await tx.em.find(TaskSchema, { parent: doomed[i]! }, { fields: ['id'] });
        if (children.length && !cascade) {
          throw invalidArgument(
            'cascade',
            `Task ${id} has subtasks as child tasks (${children.map((c) => formatId('task', c.id)).join(', ')}).`,
          );
        }
        doomed.push(...children.map((c) => c.id));
      }
      const dependents = await tx.em.find(
        TaskDependencySchema,
        { dependsOn: { $in: doomed }, task: { $nin: doomed } },
        { fields: ['task'] },
      );
      if (dependents.length && !cascade) {
        const ids = [...new Set(dependents.map((d) => formatId('task', d.task.id)))];
        throw new MaestroError(
          'invalid_argument',
          `Task ${id} cannot be deleted: ${ids.join(', ')} depend${ids.length === 1 ? 's' : ''} on it.`,
          `Remove the dependencies with 'maestro task dep remove', or delete with --cascade.`,
          { field: 'cascade', taskId: id, dependents: ids },
        );
      }
      const projectId = formatId('project', row.project.id);
      await tx.em.nativeDelete(TaskSchema, { id: { $in: doomed } });
      const deletedIds = doomed.map((d) => formatId('task', d));
      for (const deleted of deletedIds)
        tx.emit('task.deleted', 'task', deleted, projectId, { taskId: deleted });
      return { deletedIds };
    });
  }

  // ---- dependencies ----------------------------------------------------------------------

  addDependency(ctx: RequestContext, id: string, dependsOnId: string): Promise<TaskView> {
    return this.runner.run('task.dep.add', ctx, async (tx) => {
      const row = await loadTask(tx.em, id);
      const dep = await loadTask(tx.em, dependsOnId);
      const [a, b] = [formatId('task', row.id), formatId('task', dep.id)];
      if (row.id === dep.id) throw TaskErrors.dependencyCycle(a, b, [a, a]);
      if (row.project.id !== dep.project.id) {
        throw invalidArgument(
          'depends-on',
          `Task ${b} belongs to another project; dependencies stay within one.`,
        );
      }
      const existing = await tx.em.findOne(TaskDependencySchema, { task: row.id, dependsOn: dep.id });
      if (!existing) {
        const path = await findPath(tx.em, row.project.id, dep.id, row.id);
        if (path) throw TaskErrors.dependencyCycle(a, b, [a, ...path.map((n) => formatId('task', n))]);
        tx.em.create(TaskDependencySchema, { task: row.id, dependsOn: dep.id, createdAt: new Date(tx.now) });
        row.updatedAt = new Date(tx.now);
        addTimeline(tx, row.id, 'dependency', `Now depends on ${b}.`);
        await tx.em.flush();
      }
      const view = await taskView(tx.em, row);
      if (!existing)
        tx.emit('task.dependency_added', 'task', view.id, view.projectId, { task: view, dependsOn: b });
      return view;
    });
  }

  removeDependency(ctx: RequestContext, id: string, dependsOnId: string): Promise<TaskView> {
    return this.runner.run('task.dep.remove', ctx, async (tx) => {
      const row = await loadTask(tx.em, id);
      const dep = await loadTask(tx.em, dependsOnId);
      const b = formatId('task', dep.id);
      const removed = await tx.em.nativeDelete(TaskDependencySchema, { task: row.id, dependsOn: dep.id });
      if (removed) {
        row.updatedAt = new Date(tx.now);
        addTimeline(tx, row.id, 'dependency', `No longer depends on ${b}.`);
        await tx.em.flush();
      }
      const view = await taskView(tx.em, row);
      if (removed)
        tx.emit('task.dependency_removed', 'task', view.id, view.projectId, { task: view, dependsOn: b });
      return view;
    });
  }

  // ---- lifecycle -------------------------------------------------------------------------

  start(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.runner.run('task.start', ctx, async (tx) => {
      const row = await loadTask(tx.em, id);
      const claim = await this.claimFor(tx, null);
      return this.apply(tx, row, {
        type: 'START',
        claim,
        unmetDependencies: await unmetDependencies(tx.em, row.id),
      });
    });
  }

  /** Claims one task, or with `next` the highest-priority ready task; `claimed` is false when none is ready. */
  claim(
    ctx: RequestContext,
    input: { id?: string; next?: boolean; projectId?: string; leaseSeconds?: number },
  ): Promise<{ task: TaskView | null; claimed: boolean }> {
    return this.runner.run('task.claim', ctx, async (tx) => {
      if (!input.id && !input.next)
        throw invalidArgument('id', 'Give a task id, or --next to claim the next ready task.');
      const leaseMs = input.leaseSeconds ? input.leaseSeconds * 1000 : null;
      if (leaseMs !== null && (leaseMs < 1000 || leaseMs > this.options.maxLeaseMs)) {
        throw invalidArgument('lease', `The lease must be 1 to ${this.options.maxLeaseMs / 1000} seconds.`);
      }
      let row: TaskRow | null;
      if (input.id) row = await loadTask(tx.em, input.id);
      else {
        const where: Record<string, unknown> = { status: 'pending' };
        if (input.projectId) where.project = await projectRowId(tx.em, input.projectId);
        const pending = await tx.em.find(TaskSchema, where, { orderBy: { priorityRank: 'asc', id: 'asc' } });
        const waiting = await tasksWithUnmetDependencies(
          tx.em,
          pending.map((r) => r.id),
        );
        row = pending.find((r) => !waiting.has(r.id)) ?? null;
      }
      if (!row) return { task: null, claimed: false };
      const claim = await this.claimFor(tx, leaseMs);
      const task = await this.apply(tx, row, {
        type: 'CLAIM',
        claim,
        unmetDependencies: await unmetDependencies(tx.em, row.id),
      });
      return { task, claimed: true };
    });
  }

  release(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.lifecycle('task.release', ctx, id, () => ({ type: 'RELEASE' }));
  }

  block(ctx: RequestContext, id: string, reason: string): Promise<TaskView> {
    return this.lifecycle('task.block', ctx, id, () => ({
      type: 'BLOCK',
      reason: requireText('reason', reason, 2000),
    }));
  }

  unblock(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.lifecycle('task.unblock', ctx, id, async (tx, row) => {
      // The work goes back to whoever held it when it was blocked; an unheld task goes to the caller.
      const held = row.state.context.claim;
      const claim = held
        ? { ...held, expiresAt: held.expiresAt === null ? null : tx.now + this.options.defaultLeaseMs }
        : await this.claimFor(tx, null);
      return { type: 'UNBLOCK', claim };
    });
  }

  complete(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.lifecycle('task.complete', ctx, id, async (tx, row) => ({
      type: 'COMPLETE',
      unmetDependencies: await unmetDependencies(tx.em, row.id),
    }));
  }

  reopen(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.lifecycle('task.reopen', ctx, id, async (tx) => ({
      type: 'REOPEN',
      claim: await this.claimFor(tx, null),
    }));
  }

  cancel(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.lifecycle('task.cancel', ctx, id, () => ({ type: 'CANCEL' }));
  }

  /** Releases every claim whose lease has run out; returns the tasks it released. */
  expireLeases(): Promise<string[]> {
    return this.runner.run('task.expire-leases', SYSTEM, async (tx) => {
      const rows = await tx.em.find(TaskSchema, { status: 'in_progress', claimExpiresAt: { $lte: tx.now } });
      const released: string[] = [];
      for (const row of rows) {
        const decision = decide(taskMachine, row.state, { type: 'LEASE_EXPIRED', now: tx.now });
        if (!decision.ok) continue;
        await this.persist(
          tx,
          row,
          decision.state,
          'LEASE_EXPIRED',
          `Claim by ${row.claimHolder} lapsed: its lease ran out.`,
        );
        released.push(formatId('task', row.id));
      }
      return released;
    });
  }

  /** Releases the claims a session holds (it ended or was lost). Runs inside the session's command. */
  async releaseSessionClaims(tx: Tx, sessionId: string, why: string): Promise<string[]> {
    const rows = await tx.em.find(TaskSchema, {
      claimSessionId: sessionId,
      status: { $in: ['in_progress'] },
    });
    const released: string[] = [];
    for (const row of rows) {
      const decision = decide(taskMachine, row.state, { type: 'RELEASE' });
      if (!decision.ok) continue;
      await this.persist(tx, row, decision.state, 'RELEASE', `Claim by ${row.claimHolder} released: ${why}.`);
      released.push(formatId('task', row.id));
    }
    return released;
  }

  // ---- internals -------------------------------------------------------------------------

  private lifecycle(
    operation: string,
    ctx: RequestContext,
    id: string,
    makeEvent: (tx: Tx, row: TaskRow) => TaskEvent | Promise<TaskEvent>,
  ): Promise<TaskView> {
    return this.runner.run(operation, ctx, async (tx) => {
      const row = await loadTask(tx.em, id);
      return this.apply(tx, row, await makeEvent(tx, row));
    });
  }

  private async claimFor(tx: Tx, leaseMs: number | null): Promise<TaskClaim> {
    const sessionId = tx.ctx.sessionId;
    if (sessionId) {
      const rowId = idOf('session', sessionId);
      const session = rowId ? await tx.em.findOne(SessionSchema, { id: rowId }) : null;
      if (!session) throw SessionErrors.notFound(sessionId);
      if (SESSION_FINAL_STATUSES.includes(session.status as SessionStatus))
        throw SessionErrors.ended(sessionId, session.status);
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
  private async apply(tx: Tx, row: TaskRow, event: TaskEvent): Promise<TaskView> {
    const taskId = formatId('task', row.id);
    const decision = decide(taskMachine, row.state, event);
    if (!decision.ok) {
      const allowed = decision.allowed.filter((e) => !INTERNAL_EVENTS.has(e));
      if (decision.reason === 'guard_failed') {
        if ('unmetDependencies' in event && event.unmetDependencies.length) {
          throw TaskErrors.dependenciesNotMet(taskId, event.type, event.unmetDependencies);
        }
        const claim = row.state.context.claim;
        if ((event.type === 'START' || event.type === 'CLAIM') && claim) {
          throw TaskErrors.alreadyClaimed(taskId, claim.holder, claim.sessionId);
        }
      }
      throw TaskErrors.invalidTransition(taskId, decision.from, event.type, allowed);
    }
    const describe = describeEvent(event, tx.ctx.actor);
    return this.persist(tx, row, decision.state, event.type, describe);
  }

  private async persist(
    tx: Tx,
    row: TaskRow,
    next: StoredState<TaskContext>,
    eventType: TaskEvent['type'],
    message: string,
  ): Promise<TaskView> {
    const from = row.status;
    row.state = next;
    row.status = next.value;
    const claim = next.context.claim;
    row.claimHolder = claim?.holder ?? null;
    row.claimSessionId = claim?.sessionId ?? null;
    row.claimExpiresAt = claim?.expiresAt ?? null;
    row.claimedAt = claim?.claimedAt ?? null;
    row.blockedReason = next.context.blockedReason;
    row.updatedAt = new Date(tx.now);
    if (next.value === 'completed' && from !== 'completed') row.completedAt = new Date(tx.now);
    if (next.value !== 'completed') row.completedAt = null;
    addTimeline(tx, row.id, 'status', from === next.value ? message : `${from} -> ${next.value}: ${message}`);
    await tx.em.flush();
    const view = await taskView(tx.em, row);
    tx.emit(TASK_EVENT_TYPE[eventType], 'task', view.id, view.projectId, {
      task: view,
      from,
      to: next.value,
    });
    return view;
  }
}

/** The identity the server itself acts as (lease expiry, session sweeps). */
export const SYSTEM: RequestContext = { actor: 'maestro', sessionId: null };

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
  }
}

function checkVersion(row: TaskRow, expected: number | undefined): void {
  if (expected && row.version !== expected)
    throw TaskErrors.versionConflict(formatId('task', row.id), expected, row.version);
}

export function addTimeline(tx: Tx, taskRowId: number, kind: string, message: string): void {
  tx.em.create(TimelineEntrySchema, {
    task: taskRowId,
    kind,
    message,
    actor: tx.ctx.actor,
    sessionId: tx.ctx.sessionId,
    createdAt: new Date(tx.now),
  });
}

export async function loadTask(em: EntityManager, id: string): Promise<TaskRow> {
  const rowId = idOf('task', id);
  const row = rowId ? await em.findOne(TaskSchema, { id: rowId }) : null;
  if (!row) throw TaskErrors.notFound(id);
  return row;
}

export async function projectRowId(em: EntityManager, projectId: string): Promise<number> {
  const rowId = idOf('project', projectId);
  const row = rowId ? await em.findOne(ProjectSchema, { id: rowId }, { fields: ['id'] }) : null;
  if (!row) throw ProjectErrors.notFound(projectId || '(none)');
  return row.id;
}

async function unmetDependencies(em: EntityManager, taskRowId: number): Promise<UnmetDependency[]> {
  const rows = await query<{ id: number; status: string }>(
    em,
    `select t.id, t.status from task_dependencies d join tasks t on t.id = d.depends_on_id
       where d.task_id = ? and t.status != 'completed' order by t.id`,
    [taskRowId],
  );
  return rows.map((r: { id: number; status: string }) => ({
    taskId: formatId('task', r.id),
    status: r.status,
  }));
}

async function tasksWithUnmetDependencies(em: EntityManager, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await query<{ task_id: number }>(
    em,
    `select distinct d.task_id from task_dependencies d join tasks t on t.id = d.depends_on_id
       where t.status != 'completed' and d.task_id in (${placeholders(ids)})`,
    ids,
  );
  return new Set(rows.map((r: { task_id: number }) => r.task_id));
}

/** A path of depends-on edges from `from` to `to` within a project, or null. */
async function findPath(
  em: EntityManager,
  projectRow: number,
  from: number,
  to: number,
): Promise<number[] | null> {
  const edges = await query<{ task_id: number; depends_on_id: number }>(
    em,
    `select d.task_id, d.depends_on_id from task_dependencies d join tasks t on t.id = d.task_id where t.project_id = ?`,
    [projectRow],
  );
  const next = new Map<number, number[]>();
  for (const e of edges) next.set(e.task_id, [...(next.get(e.task_id) ?? []), e.depends_on_id]);
  const previous = new Map<number, number>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length) {
    const node = queue.shift()!;
    if (node === to) {
      const path = [node];
      for (let n = node; n !== from;) path.unshift((n = previous.get(n)!));
      return path;
    }
    for (const n of next.get(node) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        previous.set(n, node);
        queue.push(n);
      }
    }
  }
  return null;
}

export type { TaskRefView };
