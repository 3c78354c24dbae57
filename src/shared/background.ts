/**
 * Background work with an owner. A promise nobody awaits must never reject unhandled (Node exits
 * on that) nor fail silently: every such piece of work goes through `background`, which names it,
 * reports its failure, and keeps running the process. `Background` also remembers what is still
 * running, so a shutdown can wait for it within its bound.
 */
export type BackgroundErrorReporter = (what: string, error: unknown) => void;

/** Reports to stderr; servers pass their logger instead. */
export const reportToStderr: BackgroundErrorReporter = (what, error) => {
  const line = `maestro: ${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  // Node's stderr; a browser (the web UI's code shares this module) has the console instead.
  const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process?.stderr;
  if (stderr) stderr.write(`${line}\n`);
  else console.error(line);
};

/**
 * Runs `work` without waiting for it. A synchronous throw and a rejection are both reported under
 * `what`; neither escapes.
 */
export function background(
  what: string,
  work: () => unknown,
  report: BackgroundErrorReporter = reportToStderr,
): void {
  let result: unknown;
  try {
    result = work();
  } catch (error) {
    safeReport(report, what, error);
    return;
  }
  if (isThenable(result)) result.then(undefined, (error: unknown) => safeReport(report, what, error));
}

/** A set of background jobs that a shutdown can wait for. */
export class Background {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly report: BackgroundErrorReporter = reportToStderr) {}

  /** Starts `work` in the background; its failure is reported, never thrown. */
  run(what: string, work: () => unknown): void {
    let result: unknown;
    try {
      result = work();
    } catch (error) {
      safeReport(this.report, what, error);
      return;
    }
    if (!isThenable(result)) return;
    const tracked: Promise<void> = Promise.resolve(result)
      .then(
        () => undefined,
        (error: unknown) => safeReport(this.report, what, error),
      )
      .then(() => {
        this.running.delete(tracked);
      });
    this.running.add(tracked);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves once the jobs running now have settled (never rejects). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function safeReport(report: BackgroundErrorReporter, what: string, error: unknown): void {
  try {
    report(what, error);
  } catch {
    // A reporter that throws must not turn a handled failure into an unhandled one.
  }
}
