import { describe, expect, it } from 'vitest';
import { inline, refusedStatement } from './pg-writer.js';

describe('inline: parameters as PostgreSQL literals', () => {
  it('quotes every value as an untyped literal, as the driver would send it', () => {
    expect(inline('select ? , ?, ?', [1, 'x', true])).toBe("select '1' , 'x', 'true'");
    expect(inline('values (?, ?)', [null, new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))])).toMatch(
      /^values \(NULL, '2026-01-0\d[ T]\d\d:\d\d:05\.006[^']*'\)$/,
    );
  });

  it('doubles quotes and marks backslashes, so a value can never end its literal', () => {
    expect(inline('?', ["it's"])).toBe("'it''s'");
    expect(inline('?', ['a\\b'])).toBe(" E'a\\\\b'");
    expect(inline('?', ["'); drop table tasks; --"])).toBe("'''); drop table tasks; --'");
  });

  it('leaves question marks inside values alone', () => {
    expect(inline('select ?, ?', ['why?', 'b'])).toBe("select 'why?', 'b'");
  });

  it('refuses a count of values that does not match, or a value that is undefined', () => {
    expect(() => inline('select ?, ?', [1])).toThrow(/Too few values/);
    expect(() => inline('select ?', [1, 2])).toThrow(/Too many values/);
    expect(() => inline('select ?', [undefined])).toThrow(/undefined/);
  });
});

describe('refusedStatement: when a failed string may be run again', () => {
  it('is true for a statement the server refused, which skipped the rest of the string and its COMMIT', () => {
    expect(refusedStatement({ severity: 'ERROR', code: '23503' })).toBe(true);
    expect(refusedStatement({ severity: 'ERROR', code: '22012' })).toBe(true);
  });

  it('is false for a lost connection or a terminated backend, where a COMMIT may have taken effect', () => {
    expect(refusedStatement(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(false);
    expect(refusedStatement(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(refusedStatement({ severity: 'FATAL', code: '57P01' })).toBe(false);
    expect(refusedStatement({ severity: 'ERROR', code: '08006' })).toBe(false);
    expect(refusedStatement(undefined)).toBe(false);
  });
});
