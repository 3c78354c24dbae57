import { describe, expect, it } from 'vitest';
import { clientMemory } from './client-memory.js';

/** localStorage as a Map; `broken` makes every call throw, as private modes and full quotas do. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  broken = false;
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    this.check();
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.check();
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.check();
    this.items.set(key, value);
  }
  private check(): void {
    if (this.broken) throw new Error('QuotaExceededError');
  }
}

describe("the web UI's client memory", () => {
  it('a reload is the same client, resumes after the saved seq and still has the unacknowledged commands', () => {
    const storage = new MemoryStorage();
    const first = clientMemory(storage);
    expect(first.clientId).toMatch(/^web-[0-9a-f]{24}$/);
    expect(first.lastSeq).toBeUndefined();
    first.saveSeq(41);
    first.outbox.add({ id: 'c1', op: 'task.create', args: { title: 'A' } });
    first.outbox.add({ id: 'c2', op: 'task.start', args: { id: 't_1' } });
    first.outbox.remove('c1');

    const reloaded = clientMemory(storage);
    expect(reloaded.clientId).toBe(first.clientId);
    expect(reloaded.lastSeq).toBe(41);
    expect(reloaded.outbox.load()).toEqual([{ id: 'c2', op: 'task.start', args: { id: 't_1' } }]);
    reloaded.forgetSeq();
    expect(clientMemory(storage).lastSeq).toBeUndefined();
  });

  it('drops an outbox entry it cannot read and ignores a seq that is not one', () => {
    const storage = new MemoryStorage();
    storage.setItem('maestro.outbox.bad', '{not json');
    storage.setItem('maestro.lastSeq', '-3');
    const memory = clientMemory(storage);
    expect(memory.outbox.load()).toEqual([]);
    expect(storage.getItem('maestro.outbox.bad')).toBeNull();
    expect(memory.lastSeq).toBeUndefined();
  });

  it('without usable storage it lasts one page instead of failing', () => {
    const storage = new MemoryStorage();
    storage.broken = true;
    const memory = clientMemory(storage);
    expect(memory.clientId).toMatch(/^web-/);
    expect(() => memory.saveSeq(5)).not.toThrow();
    expect(() => memory.outbox.add({ id: 'c1', op: 'task.create', args: {} })).not.toThrow();
    expect(clientMemory(undefined).outbox.load()).toEqual([]);
  });
});
