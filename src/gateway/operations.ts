import type { RequestContext, Services } from '../services/index.js';
import { MaestroError } from '../services/errors.js';

/**
 * The operations a WebSocket `command` can run, by name, over the same services as gRPC. Arguments
 * arrive as untyped JSON, so each one is read through a checker that names the field on failure;
 * the services then validate values as they do for every caller.
 */
export type Operation = (args: Args, ctx: RequestContext) => Promise<unknown>;

export class Args {
  constructor(private readonly raw: Record<string, unknown>) {}

  private bad(field: string, expected: string): MaestroError {
    return new MaestroError('invalid_argument', `args.${field} must be ${expected}.`, undefined, { field });
  }
  str(field: string): string {
    const v = this.raw[field];
    if (typeof v !== 'string') throw this.bad(field, 'a string');
    return v;
  }
  optStr(field: string): string | undefined {
    return this.raw[field] === undefined ? undefined : this.str(field);
  }
  strList(field: string): string[] {
    const v = this.raw[field] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw this.bad(field, 'a list of strings');
    return v as string[];
  }
  bool(field: string): boolean {
    const v = this.raw[field] ?? false;
    if (typeof v !== 'boolean') throw this.bad(field, 'true or false');
    return v;
  }
  int(field: string): number {
    const v = this.raw[field] ?? 0;
    if (!Number.isInteger(v)) throw this.bad(field, 'a whole number');
    return v as number;
  }
}

/** Mutating operations carry the command id as their idempotency key. */
export const MUTATIONS = new Set([
  'project.create',
  'task.create',
  'task.update',
  'task.start',
  'task.claim',
  'task.release',
  'task.block',
  'task.unblock',
  'task.complete',
  'task.reopen',
  'task.cancel',
  'task.delete',
  'task.dep.add',
  'task.dep.remove',
  'subtask.create',
  'subtask.complete',
  'subtask.reopen',
  'subtask.delete',
  'report',
  'session.stop',
]);

export function operations(s: Services): Record<string, Operation> {
  return {
    'project.create': (a, ctx) =>
      s.projects.create(ctx, {
        name: a.str('name'),
        description: a.optStr('description'),
        workingDir: a.optStr('workingDir'),
      }),
    'project.list': () => s.projects.list(),
    'project.resolve': (a, ctx) => s.projects.resolve(ctx, a.optStr('workingDir') ?? ''),
    'task.create': (a, ctx) =>
      s.tasks.create(ctx, {
        projectId: a.str('projectId'),
        title: a.str('title'),
        description: a.optStr('description'),
        priority: a.optStr('priority'),
        parentId: a.optStr('parentId'),
        dependsOn: a.strList('dependsOn'),
        labels: a.strList('labels'),
      }),
    'task.list': (a) =>
      s.tasks.list({
        projectId: a.optStr('projectId'),
        status: a.strList('status'),
        priority: a.strList('priority'),
        parentId: a.optStr('parentId'),
        label: a.optStr('label'),
        ready: a.bool('ready'),
      }),
    'task.get': (a) => s.tasks.get(a.str('id'), a.int('timelineLimit') || 50),
    'task.ready': (a) => s.tasks.ready(a.optStr('projectId')),
    'task.update': (a, ctx) =>
      s.tasks.update(ctx, {
        id: a.str('id'),
        title: a.optStr('title'),
        description: a.optStr('description'),
        priority: a.optStr('priority'),
        addLabels: a.strList('addLabels'),
        removeLabels: a.strList('removeLabels'),
        expectedVersion: a.int('expectedVersion'),
      }),
    'task.start': (a, ctx) => s.tasks.start(ctx, a.str('id')),
    'task.claim': (a, ctx) =>
      s.tasks.claim(ctx, { id: a.optStr('id'), next: a.bool('next'), projectId: a.optStr('projectId') }),
    'task.release': (a, ctx) => s.tasks.release(ctx, a.str('id')),
    'task.block': (a, ctx) => s.tasks.block(ctx, a.str('id'), a.str('reason')),
    'task.unblock': (a, ctx) => s.tasks.unblock(ctx, a.str('id')),
    'task.complete': (a, ctx) => s.tasks.complete(ctx, a.str('id')),
    'task.reopen': (a, ctx) => s.tasks.reopen(ctx, a.str('id')),
    'task.cancel': (a, ctx) => s.tasks.cancel(ctx, a.str('id')),
    'task.delete': (a, ctx) => s.tasks.delete(ctx, a.str('id'), a.bool('cascade')),
    'task.dep.add': (a, ctx) => s.tasks.addDependency(ctx, a.str('taskId'), a.str('dependsOnId')),
    'task.dep.remove': (a, ctx) => s.tasks.removeDependency(ctx, a.str('taskId'), a.str('dependsOnId')),
    'subtask.create': (a, ctx) => s.subtasks.create(ctx, a.str('taskId'), a.str('title')),
    'subtask.list': (a) => s.subtasks.list(a.str('taskId')),
    'subtask.complete': (a, ctx) => s.subtasks.complete(ctx, a.str('taskId'), a.str('subtaskId')),
    'subtask.reopen': (a, ctx) => s.subtasks.reopen(ctx, a.str('taskId'), a.str('subtaskId')),
    'subtask.delete': (a, ctx) => s.subtasks.delete(ctx, a.str('taskId'), a.str('subtaskId')),
    report: (a, ctx) =>
      s.reports.report(ctx, { taskId: a.str('taskId'), kind: a.str('kind'), message: a.str('message') }),
    'session.list': (a) => s.sessions.list({ projectId: a.optStr('projectId'), status: a.strList('status') }),
    'session.get': (a) => s.sessions.get(a.str('id')),
    'session.stop': (a, ctx) => s.sessions.stop(ctx, a.str('id')),
    status: (a) => s.status.status(a.optStr('projectId')),
  };
}
