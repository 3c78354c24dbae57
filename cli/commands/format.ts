import { formatBudget, type Budget } from '../../src/contract/autopilot.js';
import type { UsageRollup, WorkspaceView } from '../../src/contract/views.js';
import { paint, statusColor, table } from '../output.js';

/** Human renderings of the API's shapes; `--json` never comes through here. */
export interface TaskOut {
  id: string;
  title: string;
  status: string;
  priority: string;
  parentId: string;
  labels: string[];
  claim: { holder: string; sessionId: string; expiresAt: string } | null;
  blockedReason: string;
  dependsOn: string[];
  subtasksTotal: number;
  subtasksCompleted: number;
  version: number;
  budget?: Budget | null;
}

export function taskTable(tasks: readonly TaskOut[]): string {
  if (tasks.length === 0) return 'No tasks.';
  return table(
    ['ID', 'STATUS', 'PRIORITY', 'SUBTASKS', 'CLAIMED BY', 'TITLE'],
    tasks.map((t) => [
      t.id,
      statusColor(t.status),
      t.priority,
      t.subtasksTotal ? `${t.subtasksCompleted}/${t.subtasksTotal}` : '-',
      t.claim?.holder ?? '-',
      t.title + (t.blockedReason ? paint('red', `  [blocked: ${t.blockedReason}]`) : ''),
    ]),
  );
}

export function taskSummary(t: TaskOut, verb?: string): string {
  const head = `${verb ? `${verb} ` : ''}${t.id} ${statusColor(t.status)}  ${t.title}`;
  const extra = [
    t.claim ? `claimed by ${t.claim.holder}${t.claim.expiresAt ? ` until ${t.claim.expiresAt}` : ''}` : '',
    t.blockedReason ? `blocked: ${t.blockedReason}` : '',
    t.dependsOn.length ? `depends on ${t.dependsOn.join(', ')}` : '',
  ].filter(Boolean);
  return extra.length ? `${head}\n  ${extra.join('\n  ')}` : head;
}

interface Ref {
  id: string;
  title: string;
  status: string;
}

export interface TaskDetailOut {
  task: TaskOut & { description: string; projectId: string; createdAt: string; updatedAt: string };
  subtasks: { id: string; title: string; status: string }[];
  dependencies: Ref[];
  dependents: Ref[];
  children: Ref[];
  blockedBy: Ref[];
  timeline: { createdAt: string; kind: string; actor: string; message: string }[];
  usage?: UsageRollup;
  isolation?: string;
  workspace?: WorkspaceView | null;
}

export function taskDetail(d: TaskDetailOut): string {
  const t = d.task;
  const out = [
    `${paint('bold', t.id)}  ${t.title}`,
    `  status     ${statusColor(t.status)}${t.blockedReason ? `  (${t.blockedReason})` : ''}`,
    `  priority   ${t.priority}`,
    `  project    ${t.projectId}${t.parentId ? `   parent ${t.parentId}` : ''}`,
    `  claim      ${t.claim ? `${t.claim.holder}${t.claim.sessionId ? ` (session ${t.claim.sessionId})` : ''}${t.claim.expiresAt ? ` until ${t.claim.expiresAt}` : ''}` : '-'}`,
    `  labels     ${t.labels.join(', ') || '-'}`,
    `  version    ${t.version}`,
  ];
  if (d.isolation) {
    const w = d.workspace;
    out.push(
      `  workspace  ${w ? `${w.status}  ${w.branch} -> ${w.baseBranch}  ${paint('dim', w.workingDir || w.path)}` : d.isolation === 'worktree' ? 'made when a worker is spawned' : d.isolation}`,
    );
    if (w?.failureMessage) out.push(paint('red', `             ${w.failureKind}: ${w.failureMessage}`));
  }
  if (t.description) out.push('', ...t.description.split('\n').map((l) => `  ${l}`));
  const refs = (title: string, list: Ref[]) => {
    if (list.length)
      out.push('', `${title}:`, ...list.map((r) => `  ${r.id}  ${statusColor(r.status)}  ${r.title}`));
  };
  refs('Depends on', d.dependencies);
  if (d.blockedBy.length) out.push(paint('red', `  waiting for ${d.blockedBy.map((b) => b.id).join(', ')}`));
  refs('Needed by', d.dependents);
  refs('Child tasks', d.children);
  if (d.subtasks.length) {
    out.push(
      '',
      'Subtasks:',
      ...d.subtasks.map((s) => `  [${s.status === 'completed' ? 'x' : ' '}] ${s.id}  ${s.title}`),
    );
  }
  if (d.task.budget) out.push('', `Budget: ${formatBudget(d.task.budget)}`);
  if (d.usage?.sessions) {
    const u = d.usage;
    out.push(
      '',
      `Sessions: ${u.sessions}, ${u.turns} turns, ${u.toolCalls} tool calls, ${u.inputTokens} in / ${u.outputTokens} out tokens, $${u.costUsd.toFixed(4)}`,
    );
  }
  if (d.timeline.length) {
    out.push(
      '',
      'Timeline:',
      ...d.timeline.map(
        (e) =>
          `  ${e.createdAt.slice(0, 19).replace('T', ' ')}  ${e.kind.padEnd(9)} ${e.actor}: ${e.message}`,
      ),
    );
  }
  return out.join('\n');
}

/** Indented forest of tasks by parent. */
export function taskTree(tasks: readonly TaskOut[], rootId?: string): string {
  const children = new Map<string, TaskOut[]>();
  const ids = new Set(tasks.map((t) => t.id));
  for (const t of tasks) {
    const parent = t.parentId && ids.has(t.parentId) ? t.parentId : '';
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const lines: string[] = [];
  const walk = (t: TaskOut, depth: number) => {
    lines.push(
      `${'  '.repeat(depth)}${t.id}  ${statusColor(t.status)}  ${t.title}${t.dependsOn.length ? paint('dim', `  (after ${t.dependsOn.join(', ')})`) : ''}`,
    );
    for (const c of children.get(t.id) ?? []) walk(c, depth + 1);
  };
  const roots = rootId ? tasks.filter((t) => t.id === rootId) : (children.get('') ?? []);
  for (const r of roots) walk(r, 0);
  return lines.join('\n') || 'No tasks.';
}

/** Builds the nested tree for --json: each task with `children`. */
export function treeData(tasks: readonly TaskOut[], rootId?: string): unknown[] {
  const byParent = new Map<string, TaskOut[]>();
  const ids = new Set(tasks.map((t) => t.id));
  for (const t of tasks) {
    const parent = t.parentId && ids.has(t.parentId) ? t.parentId : '';
    byParent.set(parent, [...(byParent.get(parent) ?? []), t]);
  }
  const build = (t: TaskOut): unknown => ({ ...t, children: (byParent.get(t.id) ?? []).map(build) });
  const roots = rootId ? tasks.filter((t) => t.id === rootId) : (byParent.get('') ?? []);
  return roots.map(build);
}
