import { DriverException } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { isStorageFull } from './database.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isStorageFull', () => {
  it("knows SQLite's SQLITE_FULL, the system's ENOSPC and PostgreSQL's disk_full (53100), also when wrapped", () => {
    expect(isStorageFull(withCode('SQLITE_FULL', 'database or disk is full'))).toBe(true);
    expect(isStorageFull(withCode('ENOSPC', 'no space left on device'))).toBe(true);
    expect(isStorageFull(withCode('53100', 'could not extend file'))).toBe(true);
    // The ORM copies the driver's code onto its own exception and keeps the driver's error.
    expect(isStorageFull(new DriverException(withCode('53100')))).toBe(true);
    expect(isStorageFull(new Error('commit failed', { cause: withCode('SQLITE_FULL') }))).toBe(true);
  });

  it('is false for other failures, and for errors whose causes loop', () => {
    expect(isStorageFull(withCode('SQLITE_BUSY'))).toBe(false);
    expect(isStorageFull(withCode('53300', 'too many connections'))).toBe(false);
    expect(isStorageFull('SQLITE_FULL')).toBe(false);
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(isStorageFull(loop)).toBe(false);
  });
});
