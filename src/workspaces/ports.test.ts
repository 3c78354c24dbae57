import { describe, expect, it } from 'vitest';
import { allocatePortRange, overlaps, portEnv, type PortRange } from './ports.js';

const POOL = { min: 20_000, max: 20_099 };

describe('port ranges', () => {
  it('gives the lowest free range', () => {
    expect(allocatePortRange([], 10, POOL)).toEqual({ start: 20_000, count: 10 });
    expect(allocatePortRange([{ start: 20_000, count: 10 }], 10, POOL)).toEqual({ start: 20_010, count: 10 });
  });

  it('fills a gap that is wide enough, and skips one that is not', () => {
    const live = [
      { start: 20_020, count: 10 },
      { start: 20_000, count: 5 },
      { start: 20_034, count: 6 },
    ];
    expect(allocatePortRange(live, 5, POOL)).toEqual({ start: 20_005, count: 5 });
    expect(allocatePortRange(live, 15, POOL)).toEqual({ start: 20_005, count: 15 });
    expect(allocatePortRange(live, 16, POOL)).toEqual({ start: 20_040, count: 16 });
  });

  it('uses the pool to its last port, and says when nothing fits', () => {
    expect(allocatePortRange([{ start: 20_000, count: 90 }], 10, POOL)).toEqual({ start: 20_090, count: 10 });
    expect(() => allocatePortRange([{ start: 20_000, count: 91 }], 10, POOL)).toThrow(
      expect.objectContaining({
        code: 'ports_exhausted',
        details: { count: 10, min: 20_000, max: 20_099, live: 1 },
      }),
    );
    expect(() => allocatePortRange([], 0, POOL)).toThrow(
      expect.objectContaining({ code: 'workspace_invalid_argument' }),
    );
    expect(() => allocatePortRange([], 101, POOL)).toThrow(
      expect.objectContaining({ code: 'workspace_invalid_argument' }),
    );
  });

  it('never overlaps a live range, whatever the live ranges are', () => {
    // A fixed pseudo-random sequence: the same cases on every run.
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let round = 0; round < 500; round++) {
      const live: PortRange[] = [];
      const wanted = 1 + Math.floor(next() * 12);
      for (let i = 0; i < 8; i++) {
        try {
          live.push(allocatePortRange(live, 1 + Math.floor(next() * 12), POOL));
        } catch {
          break;
        }
        if (next() < 0.3) live.splice(Math.floor(next() * live.length), 1);
      }
      let got: PortRange;
      try {
        got = allocatePortRange(live, wanted, POOL);
      } catch {
        continue;
      }
      expect(got.start + got.count - 1).toBeLessThanOrEqual(POOL.max);
      for (const range of live) expect(overlaps(got, range), JSON.stringify({ live, got })).toBe(false);
    }
  });

  it('becomes MAESTRO_PORT and MAESTRO_PORT_COUNT', () => {
    expect(portEnv({ start: 20_010, count: 3 })).toEqual({ MAESTRO_PORT: '20010', MAESTRO_PORT_COUNT: '3' });
    expect(portEnv(null)).toEqual({});
  });
});
