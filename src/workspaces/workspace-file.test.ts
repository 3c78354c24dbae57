import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_FILE, parseWorkspaceFile, WORKSPACE_FILE_LIMITS } from './workspace-file.js';

const parse = (value: unknown) => parseWorkspaceFile(JSON.stringify(value));

/** The error a value gets: its code, the field it names and what it accepts. */
function refusal(value: unknown): { field: unknown; accepted: unknown; message: string } {
  try {
    parse(value);
  } catch (error) {
    const e = error as { code: string; message: string; details: { field: unknown; accepted?: unknown } };
    expect(e.code).toBe('workspace_file_invalid');
    return { field: e.details.field, accepted: e.details.accepted, message: e.message };
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('workspace file', () => {
  it('gives an empty object the defaults', () => {
    expect(parse({})).toEqual(DEFAULT_WORKSPACE_FILE);
    expect(DEFAULT_WORKSPACE_FILE).toMatchObject({
      isolation: 'worktree',
      mergeStrategy: 'merge',
      ports: { count: 10 },
    });
  });

  it('reads every field, with command shorthands and their default timeouts', () => {
    expect(
      parse({
        $schema: 'https://example.invalid/schema.json',
        isolation: 'none',
        baseBranch: 'release/2.x',
        copy: ['.env', './config/*.local.json', 'certs/'],
        link: ['node_modules', 'packages/*/node_modules'],
        setup: 'npm ci',
        checks: { command: ['npm', 'test'], timeoutSeconds: 900 },
        mergeStrategy: 'rebase',
        ports: { count: 4 },
      }),
    ).toEqual({
      isolation: 'none',
      baseBranch: 'release/2.x',
      copy: ['.env', 'config/*.local.json', 'certs'],
      link: ['node_modules', 'packages/*/node_modules'],
      setup: { command: 'npm ci', timeoutSeconds: 600 },
      checks: { command: ['npm', 'test'], timeoutSeconds: 900 },
      mergeStrategy: 'rebase',
      ports: { count: 4 },
    });
  });

  it.each([
    [{ isolaton: 'none' }, 'isolaton'],
    [{ isolation: 'container' }, 'isolation'],
    [{ mergeStrategy: 'squash' }, 'mergeStrategy'],
    [{ baseBranch: '-main' }, 'baseBranch'],
    [{ baseBranch: 'a..b' }, 'baseBranch'],
    [{ copy: '.env' }, 'copy'],
    [{ copy: ['/etc/passwd'] }, 'copy[0]'],
    [{ link: ['ok', '../outside'] }, 'link[1]'],
    [{ link: ['.git/config'] }, 'link[0]'],
    [{ copy: ['a\\b'] }, 'copy[0]'],
    [{ copy: [''] }, 'copy[0]'],
    [{ setup: '' }, 'setup'],
    [{ setup: 42 }, 'setup'],
    [{ setup: { command: 'x', timeout: 5 } }, 'setup.timeout'],
    [{ checks: { command: 'x', timeoutSeconds: 0 } }, 'checks.timeoutSeconds'],
    [{ checks: { command: 'x', timeoutSeconds: 1.5 } }, 'checks.timeoutSeconds'],
    [{ checks: { command: [] } }, 'checks.command'],
    [{ ports: { count: 0 } }, 'ports.count'],
    [{ ports: 3 }, 'ports.count'],
    [{ ports: { count: 2, start: 3000 } }, 'ports.start'],
  ])('refuses %j, naming %s', (value, field) => {
    const { field: named, message } = refusal(value);
    expect(named).toBe(field);
    expect(message).toContain(field);
  });

  it('says what a field accepts', () => {
    expect(refusal({ isolation: 'container' }).accepted).toBe('one of "worktree", "none"');
    expect(refusal({ ports: { count: 101 } }).accepted).toBe('a whole number from 1 to 100');
  });

  it('refuses text that is not a JSON object', () => {
    expect(() => parseWorkspaceFile('{"copy": [')).toThrow(/is not valid JSON/);
    expect(() => parseWorkspaceFile('[]')).toThrow(/must be a JSON object/);
  });

  it('takes each limit exactly, and refuses one past it', () => {
    const { patterns, patternLength, commandLength, commandArgs, timeoutSeconds, ports } =
      WORKSPACE_FILE_LIMITS;
    const many = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);
    expect(parse({ copy: many(patterns) }).copy).toHaveLength(patterns);
    expect(refusal({ copy: many(patterns + 1) }).field).toBe('copy');
    expect(parse({ link: ['a'.repeat(patternLength)] }).link[0]).toHaveLength(patternLength);
    expect(refusal({ link: ['a'.repeat(patternLength + 1)] }).field).toBe('link[0]');
    expect(parse({ setup: 'x'.repeat(commandLength) }).setup?.command).toHaveLength(commandLength);
    expect(refusal({ setup: 'x'.repeat(commandLength + 1) }).field).toBe('setup');
    expect(parse({ checks: many(commandArgs) }).checks?.command).toHaveLength(commandArgs);
    expect(refusal({ checks: many(commandArgs + 1) }).field).toBe('checks');
    expect(
      parse({ checks: { command: 'x', timeoutSeconds: timeoutSeconds.max } }).checks?.timeoutSeconds,
    ).toBe(timeoutSeconds.max);
    expect(refusal({ checks: { command: 'x', timeoutSeconds: timeoutSeconds.max + 1 } }).field).toBe(
      'checks.timeoutSeconds',
    );
    expect(parse({ ports: { count: ports.max } }).ports.count).toBe(ports.max);
  });
});
