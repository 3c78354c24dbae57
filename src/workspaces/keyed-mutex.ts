/**
 * One async operation at a time per key, in this process: a task's workspace is created, removed
 * or merged by one caller at a time, and one merge runs per project and base branch (the merge
 * queue). Waiters run in arrival order.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, body: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await body();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Whether an operation holds or waits for `key`. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }
}
