import { hostname, userInfo } from 'node:os';
import { CliError } from '../errors.js';
import type { Command, CommandContext } from '../registry.js';
import type { TaskDetailOut } from './format.js';

/** At most this many tasks, subtasks and sessions are listed, so the text fits a hook's budget. */
const MAX_TASKS = 5;
const MAX_SESSIONS = 5;
const MAX_IDS = 5;

interface PrimeTask {
  id: string;
  title: string;
  status: string;
  priority: string;
  blockedReason: string;
  holder: string | null;
  subtasks: { total: number; completed: number; next: { id: string; title: string }[] };
  blockedBy: { id: string; status: string }[];
  children: { total: number; completed: number };
}

interface PrimeSession {
  id: string;
  name: string;
  role: string;
  status: string;
  taskIds: string[];
}

interface PrimeProject {
  counts: Record<string, number>;
  ready: number;
  readyIds: string[];
  blockedIds: string[];
  activeSessions: PrimeSession[];
  lastSeq: number;
}

export interface PrimeData {
  inSession: boolean;
  sessionId: string;
  role: string;
  actor: string;
  projectId: string;
  server: string;
  /** null outside a session (prime does not call the server there). */
  reachable: boolean | null;
  session: PrimeSession | null;
  tasks: PrimeTask[];
  /** Task ids beyond the ones listed. */
  moreTasks: number;
  /** Orchestrators only: the project's state. */
  project: PrimeProject | null;
  next: string[];
  commands: string[];
  /** Calls that failed; prime still answers with what it has. */
  problems: { code: string; message: string }[];
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function localActor(ctx: CommandContext): string {
  if (ctx.settings.actor) return ctx.settings.actor;
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `user@${hostname()}`;
  }
}

function primeTask(d: TaskDetailOut): PrimeTask {
  const pending = d.subtasks.filter((s) => s.status !== 'completed');
  return {
    id: d.task.id,
    title: d.task.title,
    status: d.task.status,
    priority: d.task.priority,
    blockedReason: d.task.blockedReason,
    holder: d.task.claim?.holder ?? null,
    subtasks: {
      total: d.subtasks.length,
      completed: d.subtasks.length - pending.length,
      next: pending.slice(0, 2).map((s) => ({ id: s.id, title: s.title })),
    },
    blockedBy: d.blockedBy.map((b) => ({ id: b.id, status: b.status })),
    children: {
      total: d.children.length,
      completed: d.children.filter((c) => c.status === 'completed').length,
    },
  };
}

/** What a worker should do next with one of its tasks. */
function workerStep(t: PrimeTask): string {
  const waits = t.blockedBy.map((b) => `${b.id} (${b.status})`).join(', ');
  switch (t.status) {
    case 'pending':
      return waits
        ? `${t.id} waits on ${waits}: do not start it; block it with a reason and stop.`
        : `Start ${t.id}: maestro task start ${t.id} --json`;
    case 'in_progress': {
      const next = t.subtasks.next[0];
      return next
        ? `Continue ${t.id} with subtask ${next.id} "${clip(next.title, 60)}"; then maestro subtask complete ${t.id} ${next.id} --json`
        : `Verify ${t.id} (run the tests), report complete, then maestro task complete ${t.id} --json`;
    }
    case 'blocked':
      return `${t.id} is blocked (${clip(t.blockedReason, 80)}): wait until it is unblocked; stop.`;
    default:
      return `${t.id} is ${t.status}: nothing left to do on it.`;
  }
}

function orchestratorSteps(tasks: PrimeTask[], project: PrimeProject | null): string[] {
  const steps: string[] = [];
  for (const t of tasks) {
    if (t.status === 'pending') steps.push(`Take your goal: maestro task start ${t.id} --json`);
    else if (t.status === 'in_progress' && t.children.total === 0)
      steps.push(`Plan ${t.id}: create its tasks with --parent ${t.id}, subtasks and dependencies.`);
    else if (t.status === 'in_progress' && t.children.completed === t.children.total)
      steps.push(
        `Every child task of ${t.id} is completed: verify them, then maestro task complete ${t.id} --json`,
      );
  }
  if (project) {
    if (project.ready > 0)
      steps.push(
        `${project.ready} ready (${project.readyIds.join(', ')}${project.ready > project.readyIds.length ? ', …' : ''}): spawn one worker each with maestro session spawn --task <id> --json`,
      );
    if (project.blockedIds.length)
      steps.push(
        `Blocked: ${project.blockedIds.join(', ')}. Read each reason, resolve it, then unblock and release.`,
      );
    if (project.activeSessions.length)
      steps.push(
        `Watch ${project.activeSessions.length} active session(s): maestro events --since ${project.lastSeq} --json`,
      );
  }
  return steps;
}

/** Reads the session's state from the server; a failure is recorded and the rest goes on. */
async function gather(ctx: CommandContext, data: PrimeData, taskIds: string[]): Promise<void> {
  data.reachable = true;
  // A function, not a narrowed property read: `attempt` flips it while this runs.
  const down = () => data.reachable === false;
  const attempt = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    if (down()) return undefined;
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      data.problems.push({ code: error.body.code, message: error.body.message });
      if (error.body.code === 'server_unavailable' || error.body.code === 'unauthenticated')
        data.reachable = false;
      return undefined;
    }
  };
  const client = () => ctx.client();
  const session = await attempt(() => client().op('session.get', { id: data.sessionId }));
  if (session) {
    data.session = {
      id: session.id,
      name: session.name,
      role: session.role,
      status: session.status,
      taskIds: session.taskIds,
    };
    data.role ||= session.role;
    data.projectId ||= session.projectId;
  }
  for (const id of taskIds.slice(0, MAX_TASKS)) {
    const detail = await attempt(() => client().op('task.get', { id, timelineLimit: 1 }));
    if (detail) data.tasks.push(primeTask(detail));
  }
  if (data.role !== 'orchestrator' || down() || !data.projectId) return;
  const projectId = data.projectId;
  const status = await attempt(() => client().op('status', { projectId }));
  if (!status) return;
  // One page each: the ids shown are few, and the counts come from status.
  const pageSize = Math.min(1000, MAX_IDS + taskIds.length);
  const ready = await attempt(() => client().op('task.list', { projectId, ready: true, pageSize }));
  const blocked = await attempt(() =>
    client().op('task.list', { projectId, status: ['blocked'], pageSize: MAX_IDS }),
  );
  // The orchestrator's own goal is not work to hand out.
  const readyIds = ready ? ready.tasks.map((t) => t.id).filter((id) => !taskIds.includes(id)) : undefined;
  const ownReady = ready ? ready.tasks.length - readyIds!.length : 0;
  data.project = {
    counts: Object.fromEntries(status.byStatus.map((c) => [c.key, c.count])),
    ready: Math.max(0, status.ready - ownReady),
    readyIds: (readyIds ?? []).slice(0, MAX_IDS),
    blockedIds: (blocked?.tasks ?? []).slice(0, MAX_IDS).map((t) => t.id),
    activeSessions: status.activeSessions.map((s) => ({
      id: s.id,
      name: s.name,
      role: s.role,
      status: s.status,
      taskIds: s.taskIds,
    })),
    lastSeq: Number(status.lastSeq),
  };
}

function commandsFor(data: PrimeData, taskIds: string[]): string[] {
  if (!data.inSession) {
    return [
      'maestro whoami --json',
      'maestro status --json',
      'maestro task ready --json',
      'maestro task claim --next --json',
    ];
  }
  if (data.role === 'orchestrator') {
    return [
      'maestro task ready --json',
      'maestro session spawn --task <taskId> --json',
      'maestro status --json',
      `maestro events --since ${data.project?.lastSeq ?? 0} --json`,
      'maestro task unblock <taskId> --json',
    ];
  }
  const id = taskIds.length === 1 ? taskIds[0]! : '<taskId>';
  return [
    `maestro task get ${id} --json`,
    `maestro report progress "<milestone>" --task ${id} --json`,
    `maestro subtask complete ${id} <subtaskId> --json`,
    `maestro task complete ${id} --json`,
    `maestro task block ${id} --reason "<what you need>" --json`,
  ];
}

function primeText(data: PrimeData): string {
  const out: string[] = [];
  if (!data.inSession) {
    out.push(
      `Maestro: this shell is not a Maestro session (MAESTRO_SESSION_ID is unset); commands act as ${data.actor}.`,
      'Basics (always pass --json):',
      ...data.commands,
      "Skills: maestro-cli (reference), maestro-worker, maestro-orchestrator; read one with 'maestro skill show <name>'.",
    );
    return out.join('\n');
  }
  const name = data.session?.name ? ` (${data.session.name})` : '';
  out.push(
    `# Maestro ${data.role || 'worker'} session ${data.sessionId}${name}`,
    `Actor ${data.actor}; project ${data.projectId || '?'}; server ${data.server}.`,
  );
  if (data.reachable === false)
    out.push(`The server did not answer (${data.problems[0]?.code}); the state below is incomplete.`);
  else for (const p of data.problems.slice(0, 2)) out.push(`Problem: ${p.code}: ${clip(p.message, 120)}`);
  if (data.session && !['spawning', 'running', 'stale'].includes(data.session.status))
    out.push(`This session is ${data.session.status}: it can no longer claim tasks.`);
  out.push('', 'Your tasks:');
  if (data.tasks.length === 0) out.push('- none readable (MAESTRO_TASK_IDS is empty or the server is down)');
  for (const t of data.tasks) {
    const extra = [
      t.subtasks.total ? `subtasks ${t.subtasks.completed}/${t.subtasks.total}` : '',
      t.children.total ? `children ${t.children.completed}/${t.children.total} done` : '',
      t.blockedBy.length ? `waits on ${t.blockedBy.map((b) => b.id).join(', ')}` : '',
      t.blockedReason ? `blocked: ${clip(t.blockedReason, 80)}` : '',
    ].filter(Boolean);
    out.push(
      `- ${t.id} ${t.status} [${t.priority}] ${clip(t.title, 70)}${extra.length ? `; ${extra.join('; ')}` : ''}`,
    );
  }
  if (data.moreTasks > 0) out.push(`- and ${data.moreTasks} more: maestro whoami --json lists them`);
  if (data.project) {
    const p = data.project;
    const counts = Object.entries(p.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(
      '',
      `Project: ${counts || 'no tasks'}; ready ${p.ready}; active sessions ${p.activeSessions.length}.`,
    );
    for (const s of p.activeSessions.slice(0, MAX_SESSIONS))
      out.push(`- ${s.id} ${s.name} ${s.role} ${s.status} on ${s.taskIds.join(', ') || '-'}`);
    if (p.activeSessions.length > MAX_SESSIONS)
      out.push(`- and ${p.activeSessions.length - MAX_SESSIONS} more`);
  }
  if (data.next.length) out.push('', 'Next:', ...data.next.slice(0, 5).map((n) => `- ${n}`));
  out.push('', 'Commands (always --json):', ...data.commands);
  out.push(
    `Workflow: skill maestro-${data.role === 'orchestrator' ? 'orchestrator' : 'worker'}; reference: skill maestro-cli.`,
  );
  return out.join('\n');
}

export const PRIME_COMMAND: Command = {
  path: ['prime'],
  summary:
    "Role-aware context for an agent (who you are, your tasks, what to do next), e.g. for Claude Code's SessionStart hook.",
  examples: ['maestro prime', 'maestro prime --json'],
  env: ['MAESTRO_SESSION_ID', 'MAESTRO_TASK_IDS', 'MAESTRO_ROLE', 'MAESTRO_PROJECT_ID', 'MAESTRO_ACTOR'],
  async run(ctx) {
    const sessionId = ctx.env.MAESTRO_SESSION_ID ?? '';
    const taskIds = (ctx.env.MAESTRO_TASK_IDS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const data: PrimeData = {
      inSession: sessionId !== '',
      sessionId,
      role: ctx.env.MAESTRO_ROLE ?? '',
      actor: ctx.settings.actor || sessionId || localActor(ctx),
      projectId: ctx.env.MAESTRO_PROJECT_ID ?? '',
      server: ctx.settings.server,
      reachable: null,
      session: null,
      tasks: [],
      moreTasks: Math.max(0, taskIds.length - MAX_TASKS),
      project: null,
      next: [],
      commands: [],
      problems: [],
    };
    // Outside a session prime never calls the server: a global hook must be fast and never fail.
    if (data.inSession) {
      await gather(ctx, data, taskIds);
      data.role ||= 'worker';
      data.next =
        data.role === 'orchestrator'
          ? orchestratorSteps(data.tasks, data.project)
          : data.tasks.map(workerStep);
      if (taskIds.length === 0)
        data.next.push('No task in MAESTRO_TASK_IDS: ask whoever started this session.');
      if (data.reachable === false)
        data.next.unshift(`Check the server: maestro server status --json (${data.server}).`);
    }
    data.commands = commandsFor(data, taskIds);
    return { data, human: primeText(data) };
  },
};
