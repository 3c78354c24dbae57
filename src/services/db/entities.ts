import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { StoredState } from '../../machines/decide.js';
import type { TaskContext } from '../../machines/task.machine.js';
import type { SessionContext } from '../../machines/session.machine.js';
import type { WorkspaceContext } from '../../machines/workspace.machine.js';
import type { SessionUsage, TerminalAddress, UsageLimit } from '../../contract/views.js';

const now = () => new Date();

export const ProjectSchema = defineEntity({
  name: 'Project',
  tableName: 'projects',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().unique(),
    description: p.text().default(''),
    workingDir: p.string().nullable(),
    /** `worktree`, `none`, or '' (a worktree per task when the directory is in git). */
    isolation: p.string().default(''),
    /** The branch workspaces start from and merge into; '' the workspace file's, else the checked-out one. */
    baseBranch: p.string().default(''),
    /** `auto` (completed work goes to the merge queue) or `required` (it waits for approval). */
    review: p.string().default('auto'),
    /** The checks command (`/bin/sh -c`) that guards completion and merges; '' none (the workspace file's). */
    checks: p.text().default(''),
    /** Seconds the checks may run; 0 the default (1800). */
    checksTimeoutSeconds: p.integer().default(0),
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
    /** Where the agent runs, as its runner reported at start (`session attach` uses it). */
    terminal: p.json<TerminalAddress>().nullable(),
    /** The agent profile it runs (docs/agents.md) and its mode. */
    agent: p.string().default(''),
    mode: p.string().default('headless'),
    /** The harness's own id of the conversation (Claude Code's session id, Codex's thread id). */
    harnessSessionId: p.string().default(''),
    /** The session whose conversation this one continues (`session resume`). */
    resumedFrom: p.string().default(''),
    /** What came of it: task_completed, task_incomplete, failed, usage_limited, stopped, lost, … */
    outcome: p.string().default(''),
    usage: p.json<SessionUsage>(),
    resultText: p.text().default(''),
    /** The usage or rate limit the harness reported, with its reset when known. */
    usageLimit: p.json<UsageLimit>().nullable(),
    /** Paused: epoch milliseconds of the limit's reset, when the agent is started again. */
    pausedUntil: p.bigint('number').nullable(),
    /** How often the agent was started again after a pause (its conversation resumed). */
    resumes: p.integer().default(0),
  },
});
export type SessionRow = InferEntity<typeof SessionSchema>;

/** A task's workspace (its git worktree) and where its lifecycle is: one per task. */
export const WorkspaceSchema = defineEntity({
  name: 'Workspace',
  tableName: 'workspaces',
  properties: {
    id: p.integer().primary().autoincrement(),
    project: () => p.manyToOne(ProjectSchema).deleteRule('cascade'),
    task: () => p.manyToOne(TaskSchema).deleteRule('cascade').unique(),
    status: p.string().index(),
    state: p.json<StoredState<WorkspaceContext>>(),
    machineVersion: p.integer(),
    version: p.integer().version(),
    branch: p.string().default(''),
    baseBranch: p.string().default(''),
    /** The worktree folder, and where the agent starts in it. */
    path: p.text().default(''),
    workingDir: p.text().default(''),
    portStart: p.integer().nullable(),
    portCount: p.integer().nullable(),
    /** Epoch milliseconds it joined the merge queue (the queue's order); null when not queued. */
    queuedAt: p.bigint('number').nullable(),
    createdAt: p.datetime().onCreate(now),
    updatedAt: p.datetime().onCreate(now).onUpdate(now),
  },
});
export type WorkspaceRow = InferEntity<typeof WorkspaceSchema>;

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
  WorkspaceSchema,
];
