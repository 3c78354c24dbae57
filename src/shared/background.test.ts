import { describe, expect, it } from 'vitest';
import { Background, background } from './background.js';
import { DEFAULT_BACKOFF, backoffDelay } from './backoff.js';

describe('background', () => {
  it('reports a rejection and a synchronous throw under their names, and neither escapes', async () => {
    const reported: [string, string][] = [];
    const report = (what: string, error: unknown) => reported.push([what, (error as Error).message]);
    background('rejects', () => Promise.reject(new Error('no')), report);
    background(
      'throws',
      () => {
        throw new Error('boom');
      },
      report,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(reported).toEqual([
      ['throws', 'boom'],
      ['rejects', 'no'],
    ]);
  });

  it('Background.settled waits for running jobs, and a failing reporter is contained', async () => {
    const jobs = new Background(() => {
      throw new Error('reporter broke');
    });
    let done = false;
    jobs.run('slow', () => new Promise<void>((resolve) => setTimeout(() => ((done = true), resolve()), 20)));
    jobs.run('fails', () => Promise.reject(new Error('x')));
    expect(jobs.size).toBe(2);
    await jobs.settled();
    expect(done).toBe(true);
    expect(jobs.size).toBe(0);
  });
});

describe('backoff', () => {
  it('doubles from the base, caps at the maximum, and stays within the jitter bounds', () => {
    expect(backoffDelay(DEFAULT_BACKOFF, 1, () => 0.5)).toBe(100);
    expect(backoffDelay(DEFAULT_BACKOFF, 3, () => 0.5)).toBe(400);
    expect(backoffDelay(DEFAULT_BACKOFF, 20, () => 0.5)).toBe(5000);
    expect(backoffDelay(DEFAULT_BACKOFF, 2, () => 0)).toBe(100);
    expect(backoffDelay(DEFAULT_BACKOFF, 2, () => 1)).toBe(300);
  });
});
