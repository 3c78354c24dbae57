import type { TaskView } from '../contract/views.js';

/**
 * The dependency graph of a board's tasks, as the graph view draws it: whether a new dependency would
 * close a cycle (refused before it is sent), the critical path, and the tasks that can never be ready.
 * Edges go from a dependency to the task that waits for it.
 */

type Tasks = ReadonlyMap<string, TaskView>;

const FINISHED = new Set(['completed', 'cancelled']);

/** Whether `taskId` depending on `dependsOnId` would make a task wait for itself. */
export function wouldCycle(tasks: Tasks, taskId: string, dependsOnId: string): boolean {
  if (taskId === dependsOnId) return true;
  // A cycle exists if taskId is already among what dependsOnId (transitively) depends on.
  const seen = new Set<string>();
  const stack = [dependsOnId];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === taskId) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const dep of tasks.get(id)?.dependsOn ?? []) stack.push(dep);
  }
  return false;
}

/**
 * The longest chain of unfinished tasks, each waiting for the one before it: what bounds how soon
 * the rest can be done. Ids in order, first to do first; empty when nothing is unfinished.
 */
export function criticalPath(tasks: Tasks): string[] {
  const length = new Map<string, number>();
  const next = new Map<string, string | undefined>();
  const visiting = new Set<string>();
  // depth(id): the longest unfinished chain ending at id (through its dependencies).
  const depth = (id: string): number => {
    const known = length.get(id);
    if (known !== undefined) return known;
    const task = tasks.get(id);
    if (!task || FINISHED.has(task.status) || visiting.has(id)) return 0;
    visiting.add(id);
    let best = 0;
    let via: string | undefined;
    for (const dep of task.dependsOn) {
      const d = depth(dep);
      if (d > best) {
        best = d;
        via = dep;
      }
    }
    visiting.delete(id);
    length.set(id, best + 1);
    next.set(id, via);
    return best + 1;
  };
  let end: string | undefined;
  let longest = 0;
  for (const id of tasks.keys()) {
    const d = depth(id);
    if (d > longest) {
      longest = d;
      end = id;
    }
  }
  const path: string[] = [];
  for (let id = end; id !== undefined; id = next.get(id)) path.unshift(id);
  return path;
}

/**
 * Unfinished tasks that can never become ready as things stand: they wait (directly or through
 * others) for a cancelled task, a task the board does not have, or themselves (a cycle).
 */
export function neverReady(tasks: Tasks): Set<string> {
  const verdict = new Map<string, boolean>();
  const visiting = new Set<string>();
  const stuck = (id: string): boolean => {
    const known = verdict.get(id);
    if (known !== undefined) return known;
    const task = tasks.get(id);
    if (!task) return true;
    if (task.status === 'cancelled') return true;
    if (task.status === 'completed') return false;
    if (visiting.has(id)) return true;
    visiting.add(id);
    const result = task.dependsOn.some(stuck);
    visiting.delete(id);
    verdict.set(id, result);
    return result;
  };
  const out = new Set<string>();
  for (const [id, task] of tasks) if (!FINISHED.has(task.status) && task.dependsOn.some(stuck)) out.add(id);
  return out;
}
