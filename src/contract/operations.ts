import type {
  ProjectView,
  SessionView,
  SubtaskView,
  TaskDetailView,
  TaskView,
  TimelineEntryView,
  TranscriptEntry,
  UsageRollup,
  WireEvent,
  WorkspaceView,
} from './views.js';
import { PRIORITIES, SESSION_STATUSES, TASK_STATUSES } from './views.js';
import { SESSION_ID_PATTERN, SKILL_NAME } from './ids.js';
import type { AutopilotView } from './autopilot.js';
import { f, type Infer, type InferInput, type Shape } from './schema.js';

/**
 * Every operation Maestro serves, declared once: its name, its arguments with their limits,
 * whether it changes state (and so carries an idempotency key and is safe to retry), who may call
 * it, and the gRPC method that carries it. The gRPC handlers, the WebSocket gateway, the CLI and
 * the MCP server are all built from this table (docs/architecture.md, "One registry").
 */

/**
 * Who may call an operation. `read`: any valid token. `work`: a worker's session token too (within
 * its project). `orchestrate`: an orchestrator's session token, or the server token. `admin`: the
 * server token only. `runner`: a runner connection (WebSocket, server token).
 */
export type Access = 'read' | 'work' | 'orchestrate' | 'admin' | 'runner';

/** Who may call an operation of each access level, in words (refusals and the docs say it). */
export const ACCESS_WHO: Record<Access, string> = {
  read: 'any valid token (a session token only within its own project)',
  work: "a worker's or an orchestrator's session token within its project, or the server token",
  orchestrate: "an orchestrator's session token within its project, or the server token",
  admin: 'the server token only',
  runner: 'a runner connection, with the server token',
};

export interface OperationSpec<S extends Shape = Shape, R = unknown> {
  summary: string;
  args: S;
  /** Changes state: carries an idempotency key, which makes a retry safe. */
  mutates: boolean;
  access: Access;
  /** The gRPC method that carries it; WebSocket-only operations have none. */
  grpc?: { service: GrpcService; method: string };
  /** Type only: the reply's shape. */
  readonly result?: R;
}

export type GrpcService =
  | 'Projects'
  | 'Tasks'
  | 'Subtasks'
  | 'Reports'
  | 'Sessions'
  | 'Agents'
  | 'Events'
  | 'Server'
  | 'Workspaces'
  | 'Autopilot';

/** An agent profile as `maestro agent list` shows it (the values of its env are never shown). */
export interface AgentProfileView {
  name: string;
  adapter: string;
  command: string;
  args: string[];
  permissions: string;
  model: string;
  mode: string;
  isDefault: boolean;
  found: boolean;
  path: string;
  version: string;
  env: string[];
}

/** A workspace as `maestro workspace list` shows it: the lifecycle, and what git and the disk say. */
export interface WorkspaceListEntry {
  workspace: WorkspaceView;
  onDisk: boolean;
  sizeBytes: number;
  ageSeconds: number;
  ahead: number;
  behind: number;
  dirty: boolean;
  changes: number;
  snapshots: number;
}

export interface TaskDiffFile {
  path: string;
  oldPath: string;
  status: string;
  /** -1 for a binary file. */
  additions: number;
  deletions: number;
  binary: boolean;
}

/** `maestro task diff`: a task's changes from where its branch left the base, uncommitted ones included. */
export interface TaskDiffResult {
  taskId: string;
  base: string;
  mergeBase: string;
  head: string;
  files: TaskDiffFile[];
  filesTruncated: boolean;
  totals: { files: number; additions: number; deletions: number };
  stat: string;
  patch: string;
  patchTruncated: boolean;
}

export interface WorkspacePruneResult {
  removed: {
    taskId: string;
    projectId: string;
    reason: string;
    bytes: number;
    snapshot: number;
    branchKept: boolean;
  }[];
  totalBytes: number;
  bytesAfter: number;
  overCapBytes: number;
}

// ---- limits every wire enforces (docs/errors.md lists them) ---------------------------------

export const LIMITS = {
  id: 64,
  title: 500,
  description: 20_000,
  reason: 2_000,
  reportMessage: 5_000,
  projectName: 200,
  projectDescription: 5_000,
  workingDir: 4_096,
  labels: 50,
  label: 50,
  dependsOn: 100,
  sessionName: 200,
  skill: 64,
  timeline: 10_000,
  eventsPage: 10_000,
  leaseSeconds: 86_400,
  version: 2_147_483_647,
  runnerOutput: 512 * 1024,
  runnerSessions: 1_000,
  statusFilters: 10,
  message: 20_000,
  checksCommand: 4_096,
  /** Most tasks in one page of `task.list` (also its default page). */
  tasksPage: 1_000,
  pageToken: 512,
} as const;

/** The orders `task.list` reads in: `priority` (highest first, then oldest) or `created`. */
export const TASK_LIST_SORTS = ['priority', 'created'] as const;
const pageToken = () =>
  f.optText(LIMITS.pageToken, 'where the page starts: the nextPageToken of the page before');

const LABEL = /^[\w.:/-]{1,50}$/;
const SKILL = SKILL_NAME;
const SESSION_ID = SESSION_ID_PATTERN;

const id = (what: string) => f.text(LIMITS.id, `${what} id`);
const optId = (what: string) => f.optText(LIMITS.id, `${what} id`);
const labels = (describe: string) =>
  f.list(
    f.text(LIMITS.label, 'label', { pattern: LABEL, patternText: '1 to 50 letters, digits or . _ - : /' }),
    LIMITS.labels,
    describe,
  );
const terminal = () =>
  f.optObject(
    {
      backend: f.text(20, 'tmux or pipe'),
      host: f.text(255, 'the runner’s machine'),
      socket: f.text(LIMITS.workingDir, 'tmux socket path (empty for pipe)', { min: 0, keepEmpty: true }),
      target: f.text(200, 'tmux window (empty for pipe)', { min: 0, keepEmpty: true }),
    },
    'where the agent runs (with started)',
  );
const version = () => f.optInt(1, LIMITS.version, 'refuse unless the task is at this version');
const budget = () =>
  f.optText(200, 'caps on spend: usd=<dollars>,tokens=<n>,minutes=<n> (none removes them)', {
    keepEmpty: true,
  });

const op = <S extends Shape, R>(spec: OperationSpec<S, R>): OperationSpec<S, R> => spec;
const out = <R>(): R | undefined => undefined;
const lifecycle = (method: string, summary: string) =>
  op({
    summary,
    args: { id: id('task'), expectedVersion: version() },
    mutates: true,
    access: 'work',
    grpc: { service: 'Tasks', method },
    result: out<TaskView>(),
  });
const subtaskCommand = (method: string, summary: string) =>
  op({
    summary,
    args: { taskId: id('task'), subtaskId: id('subtask') },
    mutates: true,
    access: 'work',
    grpc: { service: 'Subtasks', method },
    result: out<SubtaskView>(),
  });

export const OPERATIONS = {
  // ---- projects ----
  'project.create': op({
    summary: 'Create a project.',
    args: {
      name: f.text(LIMITS.projectName, 'project name'),
      description: f.optText(LIMITS.projectDescription, 'description'),
      workingDir: f.optText(LIMITS.workingDir, 'working directory'),
    },
    mutates: true,
    access: 'admin',
    grpc: { service: 'Projects', method: 'Create' },
    result: out<ProjectView>(),
  }),
  'project.list': op({
    summary: 'List projects.',
    args: {},
    mutates: false,
    access: 'read',
    grpc: { service: 'Projects', method: 'List' },
    result: out<{ projects: ProjectView[] }>(),
  }),
  'project.get': op({
    summary: 'Get a project by id or name.',
    args: { id: f.text(LIMITS.projectName, 'project id or name') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Projects', method: 'Get' },
    result: out<ProjectView>(),
  }),
  'project.delete': op({
    summary: 'Delete a project (with cascade: and its tasks).',
    args: { id: f.text(LIMITS.projectName, 'project id or name'), cascade: f.bool('also delete its tasks') },
    mutates: true,
    access: 'admin',
    grpc: { service: 'Projects', method: 'Delete' },
    result: out<{ id: string; deletedTasks: number }>(),
  }),
  'project.resolve': op({
    summary: 'The project of a working directory (the default project when none holds it).',
    args: { workingDir: f.optText(LIMITS.workingDir, 'working directory') },
    // It may create the default project, but doing so twice is the same as once: no key needed.
    mutates: false,
    access: 'read',
    grpc: { service: 'Projects', method: 'Resolve' },
    result: out<ProjectView>(),
  }),

  // ---- tasks ----
  'task.create': op({
    summary: 'Create a task.',
    args: {
      projectId: f.text(LIMITS.projectName, 'project id or name'),
      title: f.text(LIMITS.title, 'title'),
      description: f.optText(LIMITS.description, 'description'),
      priority: f.optOneOf(PRIORITIES, 'priority (default medium)'),
      parentId: optId('parent task'),
      dependsOn: f.list(id('task'), LIMITS.dependsOn, 'task ids this one waits for'),
      labels: labels('labels'),
      budget: budget(),
    },
    mutates: true,
    access: 'work',
    grpc: { service: 'Tasks', method: 'Create' },
    result: out<TaskView>(),
  }),
  'task.get': op({
    summary: 'A task with its subtasks, dependencies, claim and timeline.',
    args: { id: id('task'), timelineLimit: f.optInt(1, LIMITS.timeline, 'timeline entries (default 50)') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Tasks', method: 'Get' },
    result: out<TaskDetailView>(),
  }),
  'task.list': op({
    summary: 'List tasks, highest priority first.',
    args: {
      projectId: f.optText(LIMITS.projectName, 'project id or name'),
      status: f.list(f.oneOf(TASK_STATUSES, 'status'), LIMITS.statusFilters, 'only these statuses'),
      priority: f.list(f.oneOf(PRIORITIES, 'priority'), LIMITS.statusFilters, 'only these priorities'),
      parentId: optId('parent task'),
      label: f.optText(LIMITS.label, 'only tasks with this label'),
      ready: f.bool('only pending tasks whose dependencies are completed'),
      pageSize: f.optInt(1, LIMITS.tasksPage, `tasks per page (default and most ${LIMITS.tasksPage})`),
      pageToken: pageToken(),
      sort: f.optOneOf(TASK_LIST_SORTS, 'priority (default) or created'),
    },
    mutates: false,
    access: 'read',
    grpc: { service: 'Tasks', method: 'List' },
    result: out<{ tasks: TaskView[]; nextPageToken: string }>(),
  }),
  'task.ready': op({
    summary:
      'Pending tasks whose dependencies are all completed, in priority order (at most 1000: task.list with ready pages through more).',
    args: { projectId: f.optText(LIMITS.projectName, 'project id or name') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Tasks', method: 'Ready' },
    result: out<{ tasks: TaskView[] }>(),
  }),
  'task.update': op({
    summary: "Change a task's title, description, priority or labels.",
    args: {
      id: id('task'),
      title: f.optText(LIMITS.title, 'new title', { keepEmpty: true }),
      description: f.optText(LIMITS.description, 'new description', { keepEmpty: true }),
      priority: f.optOneOf(PRIORITIES, 'new priority'),
      addLabels: labels('labels to add'),
      removeLabels: labels('labels to remove'),
      expectedVersion: version(),
      budget: budget(),
    },
    mutates: true,
    access: 'work',
    grpc: { service: 'Tasks', method: 'Update' },
    result: out<TaskView>(),
  }),
  'task.start': lifecycle('Start', 'Start a task (claims it for the caller).'),
  'task.claim': op({
    summary: 'Claim a task, or the highest-priority ready task with next.',
    args: {
      id: optId('task'),
      next: f.bool('claim the highest-priority ready task'),
      projectId: f.optText(LIMITS.projectName, 'project id or name (with next)'),
      leaseSeconds: f.optInt(1, LIMITS.leaseSeconds, 'lease outside a session, in seconds'),
    },
    mutates: true,
    access: 'work',
    grpc: { service: 'Tasks', method: 'Claim' },
    result: out<{ task: TaskView | null; claimed: boolean }>(),
  }),
  'task.release': lifecycle('Release', 'Give up the claim; the task is pending and ready again.'),
  'task.block': op({
    summary: 'Mark a task blocked, with the reason.',
    args: { id: id('task'), reason: f.text(LIMITS.reason, 'what blocks it'), expectedVersion: version() },
    mutates: true,
    access: 'work',
    grpc: { service: 'Tasks', method: 'Block' },
    result: out<TaskView>(),
  }),
  'task.unblock': lifecycle('Unblock', 'Resume a blocked task.'),
  'task.complete': lifecycle('Complete', 'Complete a task.'),
  'task.reopen': lifecycle('Reopen', 'Reopen a completed or cancelled task.'),
  'task.cancel': lifecycle('Cancel', 'Cancel a task.'),
  'task.delete': op({
    summary: 'Delete a task (with cascade: its children and dependencies on it).',
    args: { id: id('task'), cascade: f.bool('also delete child tasks and dependencies on it') },
    mutates: true,
    access: 'work',
    grpc: { service: 'Tasks', method: 'Delete' },
    result: out<{ deletedIds: string[] }>(),
  }),
  'task.dep.add': op({
    summary: 'Make a task depend on another (a cycle is refused).',
    args: { taskId: id('task'), dependsOnId: id('task') },
    mutates: true,
    access: 'work',
    grpc: { service: 'Tasks', method: 'AddDependency' },
    result: out<TaskView>(),
  }),
  'task.dep.remove': op({
    summary: 'Remove a dependency.',
    args: { taskId: id('task'), dependsOnId: id('task') },
    mutates: true,
    access: 'work',
    grpc: { service: 'Tasks', method: 'RemoveDependency' },
    result: out<TaskView>(),
  }),

  // ---- subtasks ----
  'subtask.create': op({
    summary: 'Add a subtask to a task.',
    args: { taskId: id('task'), title: f.text(LIMITS.title, 'title') },
    mutates: true,
    access: 'work',
    grpc: { service: 'Subtasks', method: 'Create' },
    result: out<SubtaskView>(),
  }),
  'subtask.list': op({
    summary: "A task's subtasks in order.",
    args: { taskId: id('task') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Subtasks', method: 'List' },
    result: out<{ subtasks: SubtaskView[] }>(),
  }),
  'subtask.complete': subtaskCommand('Complete', 'Complete a subtask.'),
  'subtask.reopen': subtaskCommand('Reopen', 'Reopen a completed subtask.'),
  'subtask.delete': subtaskCommand('Delete', 'Delete a subtask.'),

  // ---- reports ----
  report: op({
    summary: 'Record a progress, blocked, completion or question report on a task (a timeline entry).',
    args: {
      taskId: id('task'),
      kind: f.oneOf(['progress', 'blocked', 'complete', 'question'] as const, 'kind of report'),
      message: f.text(LIMITS.reportMessage, 'message'),
    },
    mutates: true,
    access: 'work',
    grpc: { service: 'Reports', method: 'Report' },
    result: out<{ entry: TimelineEntryView; task: TaskView }>(),
  }),

  // ---- sessions ----
  'session.spawn': op({
    summary: 'Start an agent for a task in a terminal.',
    args: {
      taskId: id('task'),
      role: f.optOneOf(['worker', 'orchestrator'] as const, 'role (default worker)'),
      name: f.optText(LIMITS.sessionName, 'session name'),
      skill: f.optText(LIMITS.skill, 'skill given to the agent', {
        pattern: SKILL,
        patternText: 'a skill name: lowercase letters, digits, . _ -',
      }),
      agent: f.optText(LIMITS.skill, 'agent profile (default: the server’s defaultAgent)', {
        pattern: SKILL,
        patternText: 'a profile name: lowercase letters, digits, . _ -',
      }),
    },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Sessions', method: 'Spawn' },
    result: out<{ session: SessionView; queuePosition: number }>(),
  }),
  'session.create': op({
    summary: 'Record a session that runs outside Maestro.',
    args: {
      projectId: f.text(LIMITS.projectName, 'project id or name'),
      taskIds: f.list(id('task'), LIMITS.dependsOn, 'its tasks'),
      role: f.optOneOf(['worker', 'orchestrator'] as const, 'role (default worker)'),
      name: f.optText(LIMITS.sessionName, 'session name'),
      skill: f.optText(LIMITS.skill, 'skill', { pattern: SKILL, patternText: 'a skill name' }),
    },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Sessions', method: 'Create' },
    result: out<SessionView>(),
  }),
  'session.list': op({
    summary: 'List agent sessions.',
    args: {
      projectId: f.optText(LIMITS.projectName, 'project id or name'),
      status: f.list(f.oneOf(SESSION_STATUSES, 'status'), LIMITS.statusFilters, 'only these statuses'),
    },
    mutates: false,
    access: 'read',
    grpc: { service: 'Sessions', method: 'List' },
    result: out<{ sessions: SessionView[] }>(),
  }),
  'session.get': op({
    summary: 'Get a session.',
    args: { id: id('session') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Sessions', method: 'Get' },
    result: out<SessionView>(),
  }),
  'session.report': op({
    summary: "Report a change in a session's process (started, exited, failed, stopped).",
    args: {
      id: id('session'),
      kind: f.oneOf(['started', 'exited', 'failed', 'stopped'] as const, 'what happened'),
      pid: f.optInt(0, 2 ** 31 - 1, 'process id'),
      exitCode: f.optInt(-(2 ** 31), 2 ** 31 - 1, 'exit code'),
      reason: f.optText(LIMITS.reason, 'why it failed'),
      terminal: terminal(),
    },
    mutates: true,
    access: 'admin',
    grpc: { service: 'Sessions', method: 'ReportProcess' },
    result: out<SessionView>(),
  }),
  'session.heartbeat': op({
    summary: 'Tell the server a session is alive.',
    args: { id: id('session') },
    // A heartbeat repeated is a heartbeat: no key.
    mutates: false,
    access: 'work',
    grpc: { service: 'Sessions', method: 'Heartbeat' },
    result: out<SessionView>(),
  }),
  'session.stop': op({
    summary: 'Stop a session; its claims return to ready.',
    args: { id: id('session') },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Sessions', method: 'Stop' },
    result: out<SessionView>(),
  }),

  'session.send': op({
    summary: 'Send a message to a running session’s agent (steering).',
    args: { id: id('session'), message: f.text(LIMITS.message, 'the message') },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Sessions', method: 'Send' },
    result: out<{ session: SessionView; delivered: boolean; note: string }>(),
  }),
  'session.resume': op({
    summary: 'Start a new session for the same task that continues the harness’s conversation.',
    args: { id: id('session') },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Sessions', method: 'Resume' },
    result: out<{ session: SessionView; queuePosition: number }>(),
  }),
  'session.transcript': op({
    summary: 'A session’s transcript: messages, tool calls and results, errors.',
    args: {
      id: id('session'),
      after: f.optInt(0, 2 ** 31 - 1, 'entries after this one'),
      limit: f.optInt(1, LIMITS.eventsPage, 'at most this many (default 1000)'),
    },
    mutates: false,
    access: 'read',
    grpc: { service: 'Sessions', method: 'Transcript' },
    result: out<{ entries: TranscriptEntry[]; total: number }>(),
  }),
  'session.output': op({
    summary: 'The end of a session’s raw terminal output.',
    args: {
      id: id('session'),
      tailBytes: f.optInt(1, 1024 * 1024, 'at most this many bytes from the end (default 65536)'),
    },
    mutates: false,
    access: 'read',
    grpc: { service: 'Sessions', method: 'Output' },
    result: out<{ data: string; size: number }>(),
  }),
  'agent.list': op({
    summary: 'The agent profiles, and whether each harness is found with its version.',
    args: {},
    mutates: false,
    access: 'read',
    grpc: { service: 'Agents', method: 'List' },
    result: out<{ agents: AgentProfileView[]; defaultAgent: string; checkedOn: string }>(),
  }),

  // ---- workspaces, review and the merge queue ----
  'project.configure': op({
    summary: "Set how a project's tasks get workspaces and checks: isolation, base branch, review, checks.",
    args: {
      id: f.text(LIMITS.projectName, 'project id or name'),
      isolation: f.optOneOf(['worktree', 'none'] as const, 'a git worktree per task, or none'),
      baseBranch: f.optText(200, 'the branch workspaces start from and merge into'),
      review: f.optOneOf(['auto', 'required'] as const, 'whether completed work waits for approval'),
      checks: f.optText(LIMITS.checksCommand, "the checks command (run with /bin/sh -c); 'none' clears it"),
      checksTimeoutSeconds: f.optInt(0, 86_400, 'seconds the checks may run (0: the default, 1800)'),
    },
    mutates: true,
    access: 'admin',
    grpc: { service: 'Workspaces', method: 'Configure' },
    result: out<ProjectView>(),
  }),
  'workspace.list': op({
    summary: 'Workspaces: task, branch, state, size on disk, age, ahead/behind, dirty.',
    args: { projectId: f.optText(LIMITS.projectName, 'project id or name') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Workspaces', method: 'List' },
    result: out<{ workspaces: WorkspaceListEntry[]; totalBytes: number; maxTotalBytes: number }>(),
  }),
  'workspace.prune': op({
    summary: 'Remove worktrees by policy (merged ones past N days, a disk cap); each is snapshotted first.',
    args: {
      keepMergedDays: f.optInt(0, 3650, 'keep merged worktrees this many days (default 7)'),
      maxTotalBytes: f.optInt(0, Number.MAX_SAFE_INTEGER, 'a cap on the disk all worktrees take'),
    },
    mutates: true,
    access: 'admin',
    grpc: { service: 'Workspaces', method: 'Prune' },
    result: out<WorkspacePruneResult>(),
  }),
  'workspace.restore': op({
    summary: "Bring a snapshot back into a task's worktree (making it again if it was removed).",
    args: { taskId: id('task'), snapshot: f.optInt(1, 1_000_000, 'snapshot number (default the newest)') },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Workspaces', method: 'Restore' },
    result: out<{
      workspace: WorkspaceView;
      snapshot: number;
      previousSnapshot: number;
      recreated: boolean;
    }>(),
  }),
  'merge_queue.list': op({
    summary: 'The merge queue: queued and merging workspaces, oldest first.',
    args: { projectId: f.optText(LIMITS.projectName, 'project id or name') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Workspaces', method: 'MergeQueue' },
    result: out<{ queue: WorkspaceView[] }>(),
  }),
  'task.diff': op({
    summary: "A task's changes against its merge base, uncommitted changes included.",
    args: { taskId: id('task'), stat: f.bool('the files and counts only, no patch') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Workspaces', method: 'TaskDiff' },
    result: out<TaskDiffResult>(),
  }),
  'task.review': op({
    summary:
      "A review comment: on the task's timeline, and to its running worker (or the next one's prompt).",
    args: {
      taskId: id('task'),
      comment: f.text(LIMITS.reportMessage, 'the comment'),
      file: f.optText(LIMITS.workingDir, 'the file it is about'),
      line: f.optInt(1, 2 ** 31 - 1, 'the line it is about (with file)'),
    },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Workspaces', method: 'Review' },
    result: out<{ taskId: string; message: string; delivered: boolean; note: string }>(),
  }),
  'task.approve': op({
    summary: 'Approve a task in review: its work goes to the merge queue.',
    args: { taskId: id('task'), comment: f.optText(LIMITS.reportMessage, 'a comment') },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Workspaces', method: 'Approve' },
    result: out<WorkspaceView>(),
  }),
  'task.reject': op({
    summary: 'Reject a task in review: it is pending again, the comment on its timeline.',
    args: { taskId: id('task'), comment: f.text(LIMITS.reportMessage, 'what to change') },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Workspaces', method: 'Reject' },
    result: out<WorkspaceView>(),
  }),

  // ---- events and the server ----
  'events.list': op({
    summary: 'One page of the event log after a seq.',
    args: {
      sinceSeq: f.optInt(0, Number.MAX_SAFE_INTEGER, 'events after this seq (default 0)'),
      limit: f.optInt(1, LIMITS.eventsPage, 'at most this many (default 1000)'),
      pageToken: pageToken(),
    },
    mutates: false,
    access: 'read',
    grpc: { service: 'Events', method: 'List' },
    result: out<{ events: WireEvent[]; lastSeq: number; nextPageToken: string }>(),
  }),
  whoami: op({
    summary: 'Who the caller is, to the server.',
    args: {},
    mutates: false,
    access: 'read',
    grpc: { service: 'Server', method: 'WhoAmI' },
    result: out<{ actor: string; sessionId: string; serverVersion: string; lastSeq: number }>(),
  }),
  status: op({
    summary: 'Counts by status and priority, ready work and active sessions.',
    args: { projectId: f.optText(LIMITS.projectName, 'project id or name') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Server', method: 'Status' },
    result: out<StatusResult>(),
  }),

  // ---- autopilot (docs/autopilot.md) ----
  'autopilot.get': op({
    summary: "A project's autopilot: on or off, its cap, filter, agent, attempts and budget.",
    args: { projectId: f.text(LIMITS.projectName, 'project id or name') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Autopilot', method: 'Get' },
    result: out<AutopilotView>(),
  }),
  'autopilot.set': op({
    summary: "Turn a project's autopilot on or off, and set its limits.",
    args: {
      projectId: f.text(LIMITS.projectName, 'project id or name'),
      state: f.optOneOf(['on', 'off'] as const, 'on or off (unset: as it is)'),
      maxWorkers: f.optInt(1, 1000, 'live workers at most'),
      label: f.optText(LIMITS.label, 'only tasks with this label (empty: every task)', { keepEmpty: true }),
      agent: f.optText(LIMITS.skill, 'agent profile of its workers (empty: the default)', {
        keepEmpty: true,
      }),
      maxAttempts: f.optInt(1, 100, 'workers a task gets at most'),
      budget: budget(),
    },
    mutates: true,
    access: 'orchestrate',
    grpc: { service: 'Autopilot', method: 'Set' },
    result: out<AutopilotView>(),
  }),
  'autopilot.doctor': op({
    summary: 'For every pending task, why it is not ready or not started; and which can never be.',
    args: { projectId: f.text(LIMITS.projectName, 'project id or name') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Autopilot', method: 'Doctor' },
    result: out<DoctorResult>(),
  }),

  // ---- runners (WebSocket only) ----
  'runner.report': op({
    summary: 'A runner reports on a process it owns.',
    args: {
      sessionId: f.text(20, 'session id', { pattern: SESSION_ID, patternText: 'a session id (s_<n>)' }),
      kind: f.oneOf(['started', 'adopted', 'exited', 'failed', 'stopped'] as const, 'what happened'),
      pid: f.optInt(0, 2 ** 31 - 1, 'process id'),
      exitCode: f.optInt(-(2 ** 31), 2 ** 31 - 1, 'exit code'),
      reason: f.optText(LIMITS.reason, 'why it failed'),
      terminal: terminal(),
    },
    mutates: true,
    access: 'runner',
    result: out<SessionView>(),
  }),
  'runner.output': op({
    summary: "A runner sends output of a session's terminal.",
    args: {
      sessionId: f.text(20, 'session id', { pattern: SESSION_ID, patternText: 'a session id (s_<n>)' }),
      data: f.text(LIMITS.runnerOutput, 'output', { min: 0, keepEmpty: true }),
    },
    mutates: false,
    access: 'runner',
    result: out<null>(),
  }),
  'runner.heartbeat': op({
    summary: "A runner says its sessions' processes are alive.",
    args: {
      sessionIds: f.list(
        f.text(20, 'session id', { pattern: SESSION_ID, patternText: 'a session id (s_<n>)' }),
        LIMITS.runnerSessions,
        'live sessions',
      ),
    },
    mutates: false,
    access: 'runner',
    result: out<{ refused: string[] }>(),
  }),
} as const;

/**
 * The server streams: declared like the operations (arguments, access, gRPC method) but served by
 * their own handlers, since a stream is not one reply.
 */
export const STREAMS = {
  'events.watch': op({
    summary: 'Replay the event log after a seq, then stream live events.',
    args: { sinceSeq: f.optInt(0, Number.MAX_SAFE_INTEGER, 'events after this seq') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Events', method: 'Watch' },
    result: out<WireEvent>(),
  }),
  'session.transcript.follow': op({
    summary: 'A session’s transcript so far, then new entries until it ends.',
    args: { id: id('session'), after: f.optInt(0, 2 ** 31 - 1, 'entries after this one') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Sessions', method: 'FollowTranscript' },
    result: out<TranscriptEntry>(),
  }),
  'session.logs': op({
    summary: "A session's terminal output so far, then (with follow) as it comes.",
    args: { id: id('session'), follow: f.bool('keep streaming new output') },
    mutates: false,
    access: 'read',
    grpc: { service: 'Sessions', method: 'Logs' },
    result: out<{ data: string }>(),
  }),
} as const;

export type StreamName = keyof typeof STREAMS;

/** `task doctor`: one entry per pending (or autopilot-blocked) task. */
export interface DoctorEntry {
  taskId: string;
  title: string;
  status: string;
  ready: boolean;
  reason: string;
  waitingOn: string[];
  neverReady: boolean;
}

export interface DoctorResult {
  autopilot: AutopilotView;
  tasks: DoctorEntry[];
}
export type StreamArgsOf<N extends StreamName> = InferInput<(typeof STREAMS)[N]['args']>;

export interface StatusResult {
  byStatus: { key: string; count: number }[];
  byPriority: { key: string; count: number }[];
  activeSessions: SessionView[];
  ready: number;
  lastSeq: number;
  usage: UsageRollup;
  /** The disk task worktrees take, against the cap (`workspaceDiskCapMb`); a warning past 80%. */
  workspaceDisk?: { totalBytes: number; maxTotalBytes: number; workspaces: number; warning: string } | null;
}

export type OperationName = keyof typeof OPERATIONS;
/** The arguments an implementation receives (checked). */
export type ArgsOf<N extends OperationName> = Infer<(typeof OPERATIONS)[N]['args']>;
/** The arguments a caller passes. */
export type InputOf<N extends OperationName> = InferInput<(typeof OPERATIONS)[N]['args']>;
export type ResultOf<N extends OperationName> = Exclude<(typeof OPERATIONS)[N]['result'], undefined>;

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

/** The operation a name denotes, or undefined: never a property of Object.prototype. */
export function operationNamed(name: string): (OperationSpec & { name: OperationName }) | undefined {
  if (!Object.hasOwn(OPERATIONS, name)) return undefined;
  return { ...(OPERATIONS as Record<string, OperationSpec>)[name]!, name: name as OperationName };
}

/** The operation or stream a gRPC method carries. */
export function operationForMethod(
  service: string,
  method: string,
): { name: OperationName | StreamName; spec: OperationSpec; stream: boolean } | undefined {
  for (const [table, stream] of [
    [OPERATIONS, false],
    [STREAMS, true],
  ] as const) {
    for (const [name, spec] of Object.entries(table) as [OperationName | StreamName, OperationSpec][]) {
      if (spec.grpc?.service === service && spec.grpc.method === method) return { name, spec, stream };
    }
  }
  return undefined;
}
