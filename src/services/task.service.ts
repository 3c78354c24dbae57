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
  SessionSchema,
  SubtaskSchema,
  TaskDependencySchema,
  TaskSchema,
  TimelineEntrySchema,
} from './db/entities.js';
import { placeholders, query } from './db/sql.js';
import {
  ALL_DEPENDENCIES_MET,
  findTaskRecord,
  findTaskRecords,
  insertDependencies,
  insertTask,
  insertTimeline,
  unmetDependencies,
  updateTask,
  type TaskChanges,
  type TaskRecord,
} from './db/task-records.js';
import { MaestroError, ProjectErrors, SessionErrors, TaskErrors, invalidArgument } from './errors.js';
import { idOf, labelsOf, oneOf, optionalText, requireText } from './validate.js';
import { subtaskView, taskRef, taskView, timelineView, type TaskDetailView, type TaskView } from './views.js';

import { PRIORITIES, type Priority } from '../contract/views.js';

export { PRIORITIES, type Priority };
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

  get(id: string, timelineLimit = 50): Promise<TaskDetailView> {
    return this.runner.read(async (em) => {
      const record = await loadTask(em, id);
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
      return {
        task: taskView(record),
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
    return this.runner.read(async (em) => (await this.findRecords(em, input)).map(taskView));
  }

  /** Pending tasks whose dependencies are all completed, highest priority first. */
  ready(projectId?: string): Promise<TaskView[]> {
    return this.list({ projectId, ready: true });
  }

  /** Tasks matching a filter, inside a unit of work the caller already holds. */
  async findRecords(em: EntityManager, input: ListTasksInput): Promise<TaskRecord[]> {
    const where: string[] = ['1 = 1'];
    const params: unknown[] = [];
    if (input.projectId) {
      where.push('t.project_id = ?');
      params.push(await projectRowId(em, input.projectId));
    }
    const statuses = input.ready
      ? ['pending']
      : (input.status ?? []).map((s) => oneOf('status', s, TASK_STATUSES));
    if (statuses.length) {
      where.push(`t.status in (${placeholders(statuses)})`);
      params.push(...statuses);
    }
    const priorities = (input.priority ?? []).map((p) => oneOf('priority', p, PRIORITIES));
    if (priorities.length) {
      where.push(`t.priority in (${placeholders(priorities)})`);
      params.push(...priorities);
    }
    if (input.parentId) {
      where.push('t.parent_id = ?');
      params.push((await loadTask(em, input.parentId)).id);
    }
    if (input.ready) where.push(ALL_DEPENDENCIES_MET);
    const records = await findTaskRecords(em, where.join(' and '), params);
    return input.label ? records.filter((r) => r.labels.includes(input.label!)) : records;
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
      const id = await insertTask(tx.em, {
        projectId,
        title,
        description,
        status: state.value,
        priority,
        priorityRank: PRIORITY_RANK[priority],
        parentId: parent?.id ?? null,
        labels,
        state,
        machineVersion: TASK_MACHINE_VERSION,
        now: tx.now,
      });
      await insertDependencies(tx.em, id, [...dependsOn], tx.now);
      await addTimeline(tx, id, 'created', `Created "${title}".`);
      const view = taskView(await loadTask(tx.em, formatId('task', id)));
      await tx.emit('task.created', 'task', view.id, view.projectId, { task: view });
      return view;
    });
  }

  update(ctx: RequestContext, input: UpdateTaskInput): Promise<TaskView> {
    return this.runner.run('task.update', ctx, async (tx) => {
      const record = await loadTask(tx.em, input.id);
      if (input.expectedVersion && record.version !== input.expectedVersion) {
        throw TaskErrors.versionConflict(formatId('task', record.id), input.expectedVersion, record.version);
      }
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
        changes.labels = labelsOf('label', [...record.labels, ...(input.addLabels ?? [])]).filter(
          (l) => !remove.has(l),
        );
      }
      const fields = Object.keys(changes).filter((k) => k !== 'priorityRank');
      if (fields.length === 0) {
        throw invalidArgument(
          'update',
          'Nothing to update: give at least one of title, description, priority, labels.',
        );
      }
      await write(tx, record, changes);
      await addTimeline(tx, record.id, 'updated', `Updated ${fields.join(', ')}.`);
      const view = taskView(record);
      const shown = Object.fromEntries(fields.map((f) => [f, changes[f as keyof TaskChanges]]));
      await tx.emit('task.updated', 'task', view.id, view.projectId, { task: view, changes: shown });
      return view;
    });
  }

  delete(ctx: RequestContext, id: string, cascade: boolean): Promise<{ deletedIds: string[] }> {
    return this.runner.run('task.delete', ctx, async (tx) => {
      const record = await loadTask(tx.em, id);
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
      const record = await loadTask(tx.em, id);
      const dep = await loadTask(tx.em, dependsOnId);
      const [a, b] = [formatId('task', record.id), formatId('task', dep.id)];
      if (record.id === dep.id) throw TaskErrors.dependencyCycle(a, b, [a, a]);
      if (record.projectId !== dep.projectId) {
        throw invalidArgument(
          'depends-on',
          `Task ${b} belongs to another project; dependencies stay within one.`,
        );
      }
      if (record.dependsOn.includes(dep.id)) return taskView(record);
      const path = await findPath(tx.em, record.projectId, dep.id, record.id);
      if (path) throw TaskErrors.dependencyCycle(a, b, [a, ...path.map((n) => formatId('task', n))]);
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
      const record = await loadTask(tx.em, id);
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

  start(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.lifecycle('task.start', ctx, id, async (tx, record) => ({
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
    return this.runner.run('task.claim', ctx, async (tx) => {
      if (!input.id && !input.next)
        throw invalidArgument('id', 'Give a task id, or --next to claim the next ready task.');
      const leaseMs = input.leaseSeconds ? input.leaseSeconds * 1000 : null;
      if (leaseMs !== null && (leaseMs < 1000 || leaseMs > this.options.maxLeaseMs)) {
        throw invalidArgument('lease', `The lease must be 1 to ${this.options.maxLeaseMs / 1000} seconds.`);
      }
      const record = input.id
        ? await loadTask(tx.em, input.id)
        : ((await this.findRecords(tx.em, { projectId: input.projectId, ready: true }))[0] ?? null);
      if (!record) return { task: null, claimed: false };
      const task = await this.apply(tx, record, {
        type: 'CLAIM',
        claim: await this.claimFor(tx, leaseMs),
        unmetDependencies: await unmet(tx.em, record),
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
    return this.lifecycle('task.unblock', ctx, id, async (tx, record) => {
      // The work goes back to whoever held it when it was blocked; an unheld task goes to the caller.
      const held = record.state.context.claim;
      const claim = held
        ? { ...held, expiresAt: held.expiresAt === null ? null : tx.now + this.options.defaultLeaseMs }
        : await this.claimFor(tx, null);
      return { type: 'UNBLOCK', claim, unmetDependencies: await unmet(tx.em, record) };
    });
  }

  complete(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.lifecycle('task.complete', ctx, id, async (tx, record) => ({
      type: 'COMPLETE',
      unmetDependencies: await unmet(tx.em, record),
    }));
  }

  reopen(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.lifecycle('task.reopen', ctx, id, async (tx, record) => ({
      type: 'REOPEN',
      claim: await this.claimFor(tx, null),
      unmetDependencies: record.status === 'completed' ? await unmet(tx.em, record) : [],
    }));
  }

  cancel(ctx: RequestContext, id: string): Promise<TaskView> {
    return this.lifecycle('task.cancel', ctx, id, () => ({ type: 'CANCEL' }));
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
    makeEvent: (tx: Tx, record: TaskRecord) => TaskEvent | Promise<TaskEvent>,
  ): Promise<TaskView> {
    return this.runner.run(operation, ctx, async (tx) => {
      const record = await loadTask(tx.em, id);
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
    await tx.emit(TASK_EVENT_TYPE[eventType], 'task', view.id, view.projectId, {
      task: view,
      from,
      to: next.value,
    });
    return view;
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
  }
}

export async function addTimeline(tx: Tx, taskRowId: number, kind: string, message: string): Promise<number> {
  return insertTimeline(tx.em, {
    taskId: taskRowId,
    kind,
    message,
    actor: tx.ctx.actor,
    sessionId: tx.ctx.sessionId,
    now: tx.now,
  });
}

export async function loadTask(em: EntityManager, id: string): Promise<TaskRecord> {
  const rowId = idOf('task', id);
  const record = rowId ? await findTaskRecord(em, rowId) : null;
  if (!record) throw TaskErrors.notFound(id);
  return record;
}

export async function projectRowId(em: EntityManager, projectId: string): Promise<number> {
  const rowId = idOf('project', projectId);
  const [row] = rowId ? await query<{ id: number }>(em, 'select id from projects where id = ?', [rowId]) : [];
  if (!row) throw ProjectErrors.notFound(projectId || '(none)');
  return Number(row.id);
}

async function unmet(em: EntityManager, record: TaskRecord) {
  if (record.dependsOn.length === 0) return [];
  return (await unmetDependencies(em, record.id)).map((d) => ({
    taskId: formatId('task', d.id),
    status: d.status,
  }));
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
  for (const e of edges)
    next.set(Number(e.task_id), [...(next.get(Number(e.task_id)) ?? []), Number(e.depends_on_id)]);
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
