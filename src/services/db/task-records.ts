import type { EntityManager } from '@mikro-orm/core';
import type { StoredState } from '../../machines/decide.js';
import type { TaskContext } from '../../machines/task.machine.js';
import { defer, listAgg, placeholders, query, updateOne, type Queryable } from './sql.js';

/**
 * A task row with what every view of it needs (its dependencies, subtask counts), read in one
 * statement. The lifecycle commands are the hot path of Maestro (agents call them hundreds of times
 * an hour), so they read and write tasks with hand-written SQL through the ORM's connection instead
 * of the unit of work: one statement per step rather than the entity machinery around each.
 */
export interface TaskRecord {
  id: number;
  projectId: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  priorityRank: number;
  parentId: number | null;
  labels: string[];
  state: StoredState<TaskContext>;
  version: number;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  dependsOn: number[];
  subtasksTotal: number;
  subtasksCompleted: number;
}

interface TaskRecordRow {
  id: number;
  project_id: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  priority_rank: number;
  parent_id: number | null;
  labels: string;
  state: string;
  version: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  deps: string | null;
  sub_total: number;
  sub_done: number;
}

const select = (
  em: Queryable,
  columns = '',
) => `select t.id, t.project_id, t.title, t.description, t.status, t.priority, t.priority_rank, t.parent_id,
  t.labels, t.state, t.version, t.created_at, t.updated_at, t.completed_at,
  (select ${listAgg(em, 'd.depends_on_id')} from task_dependencies d where d.task_id = t.id) as deps,
  (select count(*) from subtasks s where s.task_id = t.id) as sub_total,
  (select count(*) from subtasks s where s.task_id = t.id and s.status = 'completed') as sub_done${columns}
  from tasks t`;

const parseJson = <T>(value: unknown): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : (value as T);
const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
/**
 * A time column as epoch milliseconds: SQLite stores the number; PostgreSQL's driver (as the ORM
 * sets it up) returns `timestamptz` as its text, e.g. `2026-11-24 19:50:00.123+00`.
 */
export const millis = (value: unknown): number =>
  typeof value === 'string' && !/^\d+$/.test(value) ? Date.parse(value) : Number(value);
const millisOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : millis(value);

function toRecord(row: TaskRecordRow): TaskRecord {
  return {
    id: num(row.id),
    projectId: num(row.project_id),
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    priorityRank: num(row.priority_rank),
    parentId: numOrNull(row.parent_id),
    labels: parseJson<string[]>(row.labels),
    state: parseJson<StoredState<TaskContext>>(row.state),
    version: num(row.version),
    createdAt: millis(row.created_at),
    updatedAt: millis(row.updated_at),
    completedAt: millisOrNull(row.completed_at),
    dependsOn: row.deps
      ? String(row.deps)
          .split(',')
          .map(Number)
          .sort((a, b) => a - b)
      : [],
    subtasksTotal: num(row.sub_total),
    subtasksCompleted: num(row.sub_done),
  };
}

/** The rows a batch's commands say they will read (see CommandRunner.runAhead). */
export interface ReadAhead {
  /** The row id of the task the command reads first (through `findTaskRecord`). */
  task?: number | null;
  /** The row id of the project the command looks up (through `projectRowId`). */
  project?: number | null;
  /**
   * The command inserts a task (through `insertTask`). On PostgreSQL its id is taken ahead from the
   * sequence, so ids of tasks never made (a create refused or rolled back) are skipped: ids grow
   * with each task, but not always by one.
   */
  newTask?: boolean;
}

/**
 * Rows read ahead, in one round trip, for the commands of one batch: the task rows they name and
 * whether the projects they name exist. `findTaskRecord` hands each task row out once, to the first
 * command of the batch that reads it; `updateTask` forgets a row it changes; and a command that may
 * change rows otherwise (one that did not say what it reads) clears them all before it runs. So a
 * row handed out is what a read of its own would return at that point of the batch.
 */
export class RowsAhead {
  private readonly tasks = new Map<number, TaskRecord>();
  private readonly facts = new Map<number, TaskFacts>();
  private readonly projects = new Set<number>();
  /** Tasks this batch changed or added, and the parents of those: what their facts may no longer say. */
  private readonly changed = new Set<number>();
  private readonly parentsChanged = new Set<number>();
  /** How many rows were handed out: a command that took one and was refused runs again without them. */
  taken = 0;

  /** Keeps what one read ahead found (see `readRowsAhead`). */
  constructor(
    tasks: readonly { record: TaskRecord; facts: TaskFacts }[],
    projects: readonly number[],
    /** Ids for new tasks, taken from the database's sequence (PostgreSQL). */
    private readonly taskIds: number[] = [],
  ) {
    for (const { record, facts } of tasks) {
      this.tasks.set(record.id, record);
      this.facts.set(record.id, facts);
    }
    for (const id of projects) this.projects.add(id);
  }

  /**
   * The task's row, the first time it is asked for. Its facts (`factsOf`) come with it only while
   * nothing they depend on has changed in the batch: its dependencies' rows and its children's.
   */
  take(id: number): TaskRecord | undefined {
    const record = this.tasks.get(id);
    if (!record) return undefined;
    this.tasks.delete(id);
    this.taken++;
    const facts = this.facts.get(id);
    if (facts && !this.parentsChanged.has(id) && !record.dependsOn.some((dep) => this.changed.has(dep)))
      handedFacts.set(record, facts);
    return record;
  }

  /** The id for a task about to be inserted, when one was taken ahead. */
  newTaskId(): number | undefined {
    return this.taskIds.shift();
  }

  /** A task of the batch changed (or was added): its row and what its parent knows of it are stale. */
  changedTask(id: number, parentId: number | null): void {
    this.tasks.delete(id);
    this.changed.add(id);
    if (parentId !== null) this.parentsChanged.add(parentId);
  }

  /** True when the project was found; false says only that this does not know. */
  hasProject(id: number): boolean {
    if (!this.projects.has(id)) return false;
    this.taken++;
    return true;
  }

  clear(): void {
    this.tasks.clear();
    this.projects.clear();
  }
}

/**
 * What a lifecycle command asks of a task besides its row (see `completionFacts` and
 * `unmetDependencies`), read ahead with it.
 */
export interface TaskFacts {
  /** Dependencies not completed, by id. */
  unmet: { id: number; status: string }[];
  /** Child tasks neither completed nor cancelled, by id. */
  unfinishedChildren: { id: number; status: string }[];
  hasWorkspace: boolean;
  /** Whether the task's project has checks. */
  checks: boolean;
}

const handedFacts = new WeakMap<TaskRecord, TaskFacts>();

/** The facts read ahead with a task row, when they still hold (see `RowsAhead.take`). */
export function factsOf(record: TaskRecord): TaskFacts | undefined {
  return handedFacts.get(record);
}

const ahead = new WeakMap<object, RowsAhead>();

/** Lets the reads of `em` (one command's entity manager) take rows from `rows`. */
export function useRowsAhead(em: EntityManager, rows: RowsAhead): void {
  ahead.set(em, rows);
}

/** The rows read ahead for the command whose entity manager (or reader) this is, if any. */
export function rowsAhead(em: Queryable): RowsAhead | undefined {
  return ahead.get(em);
}

export async function findTaskRecord(em: Queryable, id: number): Promise<TaskRecord | null> {
  const early = rowsAhead(em)?.take(id);
  if (early) return early;
  const [row] = await query<TaskRecordRow>(em, `${select(em)} where t.id = ?`, [id]);
  return row ? toRecord(row) : null;
}

/** Tasks matching a SQL condition on `t`: highest priority first unless `order` says otherwise. */
export async function findTaskRecords(
  em: Queryable,
  where: string,
  params: readonly unknown[],
  options: { order?: string; limit?: number } = {},
): Promise<TaskRecord[]> {
  const limit = options.limit === undefined ? '' : ` limit ${Math.floor(options.limit)}`;
  const rows = await query<TaskRecordRow>(
    em,
    `${select(em)} where ${where} order by ${options.order ?? 't.priority_rank, t.id'}${limit}`,
    params,
  );
  return rows.map(toRecord);
}

interface TaskFactsRow extends TaskRecordRow {
  unmet: string | null;
  open_children: string | null;
  workspaces: number;
  checks: unknown;
}

/** `id:status,id:status` as a list by id. */
const idStatuses = (value: string | null): { id: number; status: string }[] =>
  (value ? String(value).split(',') : [])
    .map((pair) => {
      const at = pair.indexOf(':');
      return { id: Number(pair.slice(0, at)), status: pair.slice(at + 1) };
    })
    .sort((a, b) => a.id - b.id);

/** Reads ahead for a batch, in one round trip: the task rows and which of the projects exist. */
export async function readRowsAhead(
  em: Queryable,
  tasks: readonly number[],
  projects: readonly number[],
  newTasks = 0,
): Promise<RowsAhead> {
  const pair = (column: string) => `${column} || ':' || `;
  const factsSql = `${select(
    em,
    `,
  (select ${listAgg(em, `${pair('dt.id')}dt.status`)} from task_dependencies d join tasks dt on dt.id = d.depends_on_id
    where d.task_id = t.id and dt.status != 'completed') as unmet,
  (select ${listAgg(em, `${pair('c.id')}c.status`)} from tasks c
    where c.parent_id = t.id and c.status not in ('completed', 'cancelled')) as open_children,
  (select count(*) from workspaces w where w.task_id = t.id) as workspaces,
  (select p.checks from projects p where p.id = t.project_id) as checks`,
  )} where t.id in (${placeholders(tasks)})`;
  // Asked together: on PostgreSQL the answers come in one round trip.
  const [rows, found, ids] = await Promise.all([
    tasks.length ? query<TaskFactsRow>(em, factsSql, tasks) : Promise.resolve([]),
    projects.length
      ? query<{ id: number }>(em, `select id from projects where id in (${placeholders(projects)})`, projects)
      : Promise.resolve([]),
    newTasks > 0
      ? query<{ id: number }>(em, `select nextval('tasks_id_seq') as id from generate_series(1, ?)`, [
          newTasks,
        ])
      : Promise.resolve([]),
  ]);
  return new RowsAhead(
    rows.map((row) => ({
      record: toRecord(row),
      facts: {
        unmet: idStatuses(row.unmet),
        unfinishedChildren: idStatuses(row.open_children),
        hasWorkspace: num(row.workspaces) > 0,
        checks: Boolean(row.checks),
      },
    })),
    found.map((row) => Number(row.id)),
    ids.map((row) => Number(row.id)),
  );
}

export interface NewTask {
  projectId: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  priorityRank: number;
  parentId: number | null;
  labels: string[];
  state: StoredState<TaskContext>;
  machineVersion: number;
  now: number;
}

const TASK_COLUMNS = `project_id, title, description, status, priority, priority_rank, parent_id,
  labels, state, machine_version, version, created_at, updated_at`;
const TASK_VALUES = '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?';

export async function insertTask(em: EntityManager, t: NewTask): Promise<number> {
  const values = [
    t.projectId,
    t.title,
    t.description,
    t.status,
    t.priority,
    t.priorityRank,
    t.parentId,
    JSON.stringify(t.labels),
    JSON.stringify(t.state),
    t.machineVersion,
    new Date(t.now),
    new Date(t.now),
  ];
  const ahead = rowsAhead(em);
  // With an id taken ahead, nothing needs the insert's answer: it may share a round trip (see `defer`).
  const given = ahead?.newTaskId();
  let id: number;
  if (given !== undefined) {
    await defer(em, `insert into tasks (${TASK_COLUMNS}, id) values (${TASK_VALUES}, ?)`, [...values, given]);
    id = given;
  } else {
    const [row] = await query<{ id: number }>(
      em,
      `insert into tasks (${TASK_COLUMNS}) values (${TASK_VALUES}) returning id`,
      values,
    );
    id = num(row!.id);
  }
  ahead?.changedTask(id, t.parentId);
  return id;
}

export async function insertDependencies(
  em: EntityManager,
  taskId: number,
  dependsOn: readonly number[],
  now: number,
): Promise<void> {
  for (const dep of dependsOn) {
    await defer(em, 'insert into task_dependencies (task_id, depends_on_id, created_at) values (?, ?, ?)', [
      taskId,
      dep,
      new Date(now),
    ]);
  }
}

/** The columns a command may change; `version` moves on by one. */
export interface TaskChanges {
  title?: string;
  description?: string;
  priority?: string;
  priorityRank?: number;
  labels?: string[];
  state?: StoredState<TaskContext>;
  completedAt?: number | null;
}

/**
 * Writes the changes if the row is still at `record.version` (optimistic lock). Returns false when
 * another writer got there first; the caller retries the whole command.
 */
export async function updateTask(
  em: EntityManager,
  record: TaskRecord,
  changes: TaskChanges,
  now: number,
): Promise<boolean> {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    params.push(value);
  };
  if (changes.title !== undefined) set('title', changes.title);
  if (changes.description !== undefined) set('description', changes.description);
  if (changes.priority !== undefined) set('priority', changes.priority);
  if (changes.priorityRank !== undefined) set('priority_rank', changes.priorityRank);
  if (changes.labels !== undefined) set('labels', JSON.stringify(changes.labels));
  if (changes.completedAt !== undefined) {
    set('completed_at', changes.completedAt === null ? null : new Date(changes.completedAt));
  }
  if (changes.state !== undefined) {
    const { value, context } = changes.state;
    set('status', value);
    set('state', JSON.stringify(changes.state));
    set('claim_holder', context.claim?.holder ?? null);
    set('claim_session_id', context.claim?.sessionId ?? null);
    set('claim_expires_at', context.claim?.expiresAt ?? null);
    set('claimed_at', context.claim?.claimedAt ?? null);
    set('blocked_reason', context.blockedReason);
  }
  set('updated_at', new Date(now));
  rowsAhead(em)?.changedTask(record.id, record.parentId);
  const changed = await updateOne(
    em,
    `update tasks set ${sets.join(', ')}, version = version + 1 where id = ? and version = ?`,
    [...params, record.id, record.version],
  );
  if (!changed) return false;
  Object.assign(record, changes, { version: record.version + 1, updatedAt: now });
  if (changes.state) record.status = changes.state.value;
  return true;
}

export interface TimelineInsert {
  taskId: number;
  kind: string;
  message: string;
  actor: string;
  sessionId: string | null;
  now: number;
}

const INSERT_TIMELINE =
  'insert into timeline_entries (task_id, kind, message, actor, session_id, created_at) values (?, ?, ?, ?, ?, ?)';
const timelineValues = (entry: TimelineInsert) => [
  entry.taskId,
  entry.kind,
  entry.message,
  entry.actor,
  entry.sessionId,
  new Date(entry.now),
];

/** Adds a timeline entry and returns its id. */
export async function insertTimeline(em: EntityManager, entry: TimelineInsert): Promise<number> {
  const [row] = await query<{ id: number }>(em, `${INSERT_TIMELINE} returning id`, timelineValues(entry));
  return num(row!.id);
}

/** Adds a timeline entry whose id nobody needs (it may share a round trip: see `defer`). */
export async function appendTimeline(em: EntityManager, entry: TimelineInsert): Promise<void> {
  await defer(em, INSERT_TIMELINE, timelineValues(entry));
}

/** Dependencies of a task that are not completed, with their status. */
export async function unmetDependencies(
  em: EntityManager,
  taskId: number,
): Promise<{ id: number; status: string }[]> {
  const rows = await query<{ id: number; status: string }>(
    em,
    `select t.id, t.status from task_dependencies d join tasks t on t.id = d.depends_on_id
     where d.task_id = ? and t.status != 'completed' order by t.id`,
    [taskId],
  );
  return rows.map((r) => ({ id: num(r.id), status: r.status }));
}

/** Child tasks that are neither completed nor cancelled, with their status. */
export async function unfinishedChildren(
  em: EntityManager,
  taskId: number,
): Promise<{ id: number; status: string }[]> {
  const rows = await query<{ id: number; status: string }>(
    em,
    `select id, status from tasks where parent_id = ? and status not in ('completed', 'cancelled') order by id`,
    [taskId],
  );
  return rows.map((r) => ({ id: num(r.id), status: r.status }));
}

/** The condition "no dependency of t is unfinished", for ready queries. */
export const ALL_DEPENDENCIES_MET = `not exists (select 1 from task_dependencies d join tasks dt on dt.id = d.depends_on_id
  where d.task_id = t.id and dt.status != 'completed')`;
