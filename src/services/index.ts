import { CommandRunner, type Clock } from './command-runner.js';
import type { Database } from './db/database.js';
import { EventBus, EventLogService } from './events.js';
import { ProjectService } from './project.service.js';
import { ReportService } from './report.service.js';
import { DEFAULT_SESSION_OPTIONS, SessionService, type SessionServiceOptions } from './session.service.js';
import { StatusService } from './status.service.js';
import { SubtaskService } from './subtask.service.js';
import { DEFAULT_TASK_OPTIONS, TaskService, type TaskServiceOptions } from './task.service.js';

export interface ServicesOptions {
  clock?: Clock;
  tasks?: Partial<TaskServiceOptions>;
  sessions?: Partial<SessionServiceOptions>;
}

/** Every service over one database, sharing one command runner and one event bus. */
export interface Services {
  db: Database;
  bus: EventBus;
  runner: CommandRunner;
  events: EventLogService;
  projects: ProjectService;
  tasks: TaskService;
  subtasks: SubtaskService;
  reports: ReportService;
  sessions: SessionService;
  status: StatusService;
}

export async function createServices(db: Database, options: ServicesOptions = {}): Promise<Services> {
  const bus = new EventBus();
  const runner = new CommandRunner(db.orm, db.sqlite, bus, options.clock);
  const events = new EventLogService(runner, bus);
  bus.reset(await events.lastSeq());
  const tasks = new TaskService(runner, { ...DEFAULT_TASK_OPTIONS, ...options.tasks });
  return {
    db,
    bus,
    runner,
    events,
    projects: new ProjectService(runner),
    tasks,
    subtasks: new SubtaskService(runner),
    reports: new ReportService(runner),
    sessions: new SessionService(runner, tasks, { ...DEFAULT_SESSION_OPTIONS, ...options.sessions }),
    status: new StatusService(runner, tasks, events),
  };
}

export type { RequestContext } from './command-runner.js';
export { MaestroError } from './errors.js';
export type { MaestroEvent } from './events.js';
