import { AutopilotService } from './autopilot.service.js';
import { CommandRunner, type Clock } from './command-runner.js';
import { CredentialService } from './credential.service.js';
import type { Database } from './db/database.js';
import { EventBus, EventLogService, LogFollower } from './events.js';
import { ProjectService } from './project.service.js';
import { ReportService } from './report.service.js';
import { DEFAULT_SESSION_OPTIONS, SessionService, type SessionServiceOptions } from './session.service.js';
import { StatusService } from './status.service.js';
import { SubtaskService } from './subtask.service.js';
import { DEFAULT_TASK_OPTIONS, TaskService, type TaskServiceOptions } from './task.service.js';
import { WorkspaceService } from './workspace.service.js';

export interface ServicesOptions {
  clock?: Clock;
  /** Where a shared database's follower reports read failures (they are retried on the next poll). */
  onFollowError?: (error: unknown) => void;
  tasks?: Partial<TaskServiceOptions>;
  sessions?: Partial<SessionServiceOptions>;
}

/** Every service over one database, sharing one command runner and one event bus. */
export interface Services {
  db: Database;
  bus: EventBus;
  /** On a database other servers write too: brings their events onto the bus. */
  follower: LogFollower | undefined;
  runner: CommandRunner;
  events: EventLogService;
  projects: ProjectService;
  tasks: TaskService;
  subtasks: SubtaskService;
  reports: ReportService;
  sessions: SessionService;
  status: StatusService;
  /** Session credentials: minted with a spawned session, revoked when it ends, resolved on every call. */
  credentials: CredentialService;
  /** Tasks' workspaces (git worktrees) as the database keeps them; the server does the git work. */
  workspaces: WorkspaceService;
  /** Each project's autopilot: on or off, its limits; the scheduler runs in the server. */
  autopilots: AutopilotService;
}

export async function createServices(db: Database, options: ServicesOptions = {}): Promise<Services> {
  const bus = new EventBus();
  let follower: LogFollower | undefined;
  const runner = new CommandRunner(
    db,
    {
      publish: (events) => (follower ?? bus).publish(events),
      committing: (lastSeq, committed) => follower?.committing(lastSeq, committed),
    },
    options.clock,
  );
  const events = new EventLogService(runner, bus);
  bus.reset(await events.lastSeq());
  if (db.shared) {
    follower = new LogFollower(
      bus,
      (sinceSeq, limit) => events.after(db.orm.em.fork(), sinceSeq, limit),
      options.onFollowError ?? (() => undefined),
    );
  }
  const tasks = new TaskService(runner, { ...DEFAULT_TASK_OPTIONS, ...options.tasks });
  const credentials = new CredentialService(runner, bus);
  return {
    db,
    bus,
    follower,
    runner,
    events,
    projects: new ProjectService(runner),
    tasks,
    subtasks: new SubtaskService(runner),
    reports: new ReportService(runner),
    sessions: new SessionService(runner, tasks, credentials, {
      ...DEFAULT_SESSION_OPTIONS,
      ...options.sessions,
    }),
    status: new StatusService(runner, tasks, events),
    credentials,
    workspaces: new WorkspaceService(runner, tasks),
    autopilots: new AutopilotService(runner),
  };
}

export type { RequestContext } from './command-runner.js';
export type { Principal, SessionPrincipal } from './principal.js';
export { SERVER_PRINCIPAL } from './principal.js';
export { MaestroError } from './errors.js';
export type { MaestroEvent } from './events.js';
