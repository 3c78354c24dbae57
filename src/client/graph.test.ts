import { describe, expect, it } from 'vitest';
import type { TaskView } from '../contract/views.js';
import { criticalPath, neverReady, wouldCycle } from './graph.js';

const tasks = (spec: Record<string, [status: string, deps: string[]]>) =>
  new Map(
    Object.entries(spec).map(([id, [status, dependsOn]]) => [
      id,
      { id, status, dependsOn } as unknown as TaskView,
    ]),
  );

describe('the dependency graph', () => {
  const g = tasks({
    a: ['completed', []],
    b: ['in_progress', ['a']],
    c: ['pending', ['b']],
    d: ['pending', ['c', 'b']],
    e: ['pending', []],
    x: ['cancelled', []],
    y: ['pending', ['x']],
    z: ['pending', ['y']],
  });

  it('refuses a dependency that closes a cycle', () => {
    expect(wouldCycle(g, 'b', 'd')).toBe(true); // d already waits for b
    expect(wouldCycle(g, 'a', 'a')).toBe(true);
    expect(wouldCycle(g, 'e', 'd')).toBe(false);
    expect(wouldCycle(g, 'd', 'e')).toBe(false);
  });

  it('finds the longest chain of unfinished tasks', () => {
    expect(criticalPath(g)).toEqual(['b', 'c', 'd']);
    expect(criticalPath(tasks({ a: ['completed', []] }))).toEqual([]);
  });

  it('finds tasks that wait for a cancelled or missing task, or for themselves', () => {
    expect([...neverReady(g)].sort()).toEqual(['y', 'z']);
    const cyclic = tasks({ p: ['pending', ['q']], q: ['pending', ['p']], r: ['pending', ['gone']] });
    expect([...neverReady(cyclic)].sort()).toEqual(['p', 'q', 'r']);
  });
});
