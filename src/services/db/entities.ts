import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { StoredState } from '../../machines/decide.js';
import type { TaskContext } from '../../machines/task.machine.js';
import type { SessionContext } from '../../machines/session.machine.js';

const now = () => new Date();

export const ProjectSchema = defineEntity({
  name: 'Project',
  tableName: 'projects',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().unique(),
    description: p.text().default(''),
    workingDir: p.string().nullable(),
    createdAt: p.datetime().onCreate(now),
    updatedAt: p.datetime().onCreate(now).onUpdate(now),
  },
});
export type ProjectRow = InferEntity<typeof ProjectSchema>;

export const TaskSchema = defineEntity({
  name: 'Task',
  tableName: 'tasks',
  properties: {
    id: p.integer().primary().autoincrement(),
    project: () => p.manyToOne(ProjectSchema).deleteRule('cascade'),
    title: p.string(),
    description: p.text().default(''),
    status: p.string().index(),
    priority: p.string(),
    /** 0 = high, 1 = medium, 2 = low: the order `task ready` lists in. */
    priorityRank: p.integer(),
    parent: () => p.manyToOne(TaskSchema).nullable().deleteRule('set null'),
    labels: p.json<string[]>(),
    claimHolder: p.string().nullable(),
    claimSessionId: p.string().nullable().index(),
    /** Epoch milliseconds; the lease reaper releases the claim once it passes. */
    claimExpiresAt: p.bigint('number').nullable().index(),
    claimedAt: p.bigint('number').nullable(),
    blockedReason: p.text().nullable(),
    state: p.json<StoredState<TaskContext>>(),
    machineVersion: p.integer(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(now),
    updatedAt: p.datetime().onCreate(now).onUpdate(now),
    completedAt: p.datetime().nullable(),
  },
});
export type TaskRow = InferEntity<typeof TaskSchema>;

export const TaskDependencySchema = defineEntity({
  name: 'TaskDependency',
  tableName: 'task_dependencies',
  uniques: [{ properties: ['task', 'dependsOn'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    task: () => p.manyToOne(TaskSchema).deleteRule('cascade'),
    dependsOn: () => p.manyToOne(TaskSchema).deleteRule('cascade').index(),
    createdAt: p.datetime().onCreate(now),
  },
});
export type TaskDependencyRow = InferEntity<typeof TaskDependencySchema>;

export const SubtaskSchema = defineEntity({
  name: 'Subtask',
  tableName: 'subtasks',
  properties: {
    id: p.integer().primary().autoincrement(),
    task: () => p.manyToOne(TaskSchema).deleteRule('cascade'),
    title: p.string(),
    status: p.string(),
    position: p.integer(),
    state: p.json<StoredState<Record<string, never>>>(),
    machineVersion: p.integer(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(now),
    updatedAt: p.datetime().onCreate(now).onUpdate(now),
  },
});
export type SubtaskRow = InferEntity<typeof SubtaskSchema>;

export const TimelineEntrySchema = defineEntity({
  name: 'TimelineEntry',
  tableName: 'timeline_entries',
  properties: {
    id: p.integer().primary().autoincrement(),
    task: () => p.manyToOne(TaskSchema).deleteRule('cascade'),
    kind: p.string(),
    message: p.text(),
    actor: p.string(),
    sessionId: p.string().nullable(),
    createdAt: p.datetime().onCreate(now),
  },
});
export type TimelineEntryRow = InferEntity<typeof TimelineEntrySchema>;

export const EventLogSchema = defineEntity({
  name: 'EventLog',
  tableName: 'event_log',
  properties: {
    seq: p.integer().primary().autoincrement(),
    type: p.string(),
    entityType: p.string(),
    entityId: p.string(),
    projectId: p.string().nullable(),
    data: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(now),
  },
});
export type EventLogRow = InferEntity<typeof EventLogSchema>;

export const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.integer().primary().autoincrement(),
    project: () => p.manyToOne(ProjectSchema).deleteRule('cascade'),
    taskIds: p.json<string[]>(),
    role: p.string(),
    name: p.string(),
    skill: p.string().default(''),
    status: p.string().index(),
    state: p.json<StoredState<SessionContext>>(),
    machineVersion: p.integer(),
    version: p.integer().version(),
    /** Epoch milliseconds of the last heartbeat (or of the start). */
    heartbeatAt: p.bigint('number').nullable(),
    createdAt: p.datetime().onCreate(now),
    updatedAt: p.datetime().onCreate(now).onUpdate(now),
    endedAt: p.datetime().nullable(),
  },
});
export type SessionRow = InferEntity<typeof SessionSchema>;

export const IdempotencyKeySchema = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    key: p.string().primary(),
    operation: p.string(),
    response: p.json<unknown>(),
    createdAt: p.datetime().onCreate(now).index(),
  },
});
export type IdempotencyKeyRow = InferEntity<typeof IdempotencyKeySchema>;

export const ENTITIES = [
  ProjectSchema,
  TaskSchema,
  TaskDependencySchema,
  SubtaskSchema,
  TimelineEntrySchema,
  EventLogSchema,
  SessionSchema,
  IdempotencyKeySchema,
];
