import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from './logger.js';

type Line = Record<string, unknown>;

function capture(level: LogLevel): { lines: Line[]; log: ReturnType<typeof createLogger> } {
  const lines: Line[] = [];
  const log = createLogger(level, { stream: { write: (s) => void lines.push(JSON.parse(s) as Line) } });
  return { lines, log };
}

const parseFile = (path: string): Line[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe('createLogger', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'maestro-log-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes one JSON object a line with level name, ISO time, pid, msg and the fields', () => {
    const { lines, log } = capture('info');
    log.info('task created', { taskId: 't_1', count: 2 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      pid: process.pid,
      msg: 'task created',
      taskId: 't_1',
      count: 2,
    });
    expect(new Date(String(lines[0]!.time)).toISOString()).toBe(lines[0]!.time);
  });

  it('child loggers add their bindings (a request id) to every line, the parent stays as it was', () => {
    const { lines, log } = capture('debug');
    const call = log.child({ requestId: 'req-1' });
    call.warn('grpc call failed', { code: 'NOT_FOUND' });
    call.child({ op: 'task.get' }).error('boom');
    log.info('plain');
    expect(lines[0]).toMatchObject({ level: 'warn', requestId: 'req-1', code: 'NOT_FOUND' });
    expect(lines[1]).toMatchObject({ level: 'error', requestId: 'req-1', op: 'task.get', msg: 'boom' });
    expect(lines[2]).not.toHaveProperty('requestId');
  });

  it('drops lines below its level; silent writes nothing', () => {
    const warn = capture('warn');
    warn.log.debug('d');
    warn.log.info('i');
    warn.log.warn('w');
    warn.log.error('e');
    expect(warn.lines.map((l) => l.level)).toEqual(['warn', 'error']);

    const debug = capture('debug');
    debug.log.debug('d');
    expect(debug.lines.map((l) => l.level)).toEqual(['debug']);

    const silent = capture('silent');
    silent.log.error('e');
    expect(silent.lines).toEqual([]);
  });

  it('appends to a file (creating its folder); close flushes, and later lines are dropped, not thrown', () => {
    const file = join(tempDir(), 'logs', 'nested', 'maestro.log');
    const first = createLogger('info', { file });
    first.info('one', { n: 1 });
    first.debug('hidden');
    first.close();
    first.error('after close');
    expect(parseFile(file).map((l) => l.msg)).toEqual(['one']);

    const second = createLogger('debug', { file });
    for (let i = 0; i < 1000; i++) second.debug('line', { i });
    second.flush();
    const lines = parseFile(file);
    expect(lines).toHaveLength(1001);
    expect(lines[1000]).toMatchObject({ level: 'debug', i: 999 });
    second.close();
  });

  it('fails at creation when the log file cannot be opened', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    expect(() => createLogger('info', { file: join(dir, 'file', 'maestro.log') })).toThrow();
    expect(() => createLogger('info', { file: dir })).toThrow();
  });
});
