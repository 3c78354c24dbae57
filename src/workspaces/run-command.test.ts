import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';

const cwd = mkdtempSync(join(os.tmpdir(), 'maestro-run-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GREETING: 'hello' };

describe('runCommand', () => {
  it('runs a shell string with the given environment, stdout and stderr in the order written', async () => {
    const result = await runCommand(
      { command: 'echo "$GREETING"; echo oops >&2; pwd; exit 2', timeoutSeconds: 30 },
      { cwd, env },
    );
    expect(result).toMatchObject({
      ok: false,
      exitCode: 2,
      signal: null,
      timedOut: false,
      output: `hello\noops\n${cwd}\n`,
      truncated: false,
    });
    expect(result.outputBytes).toBe(result.output.length);
  });

  it('runs an argument vector without a shell', async () => {
    const result = await runCommand(
      { command: ['echo', '$GREETING; exit 1'], timeoutSeconds: 30 },
      { cwd, env },
    );
    expect(result).toMatchObject({ ok: true, exitCode: 0, output: '$GREETING; exit 1\n' });
  });

  it('keeps the head and the tail of a long output within the limit', async () => {
    const result = await runCommand(
      { command: 'echo HEAD; head -c 100000 /dev/zero | tr "\\0" x; echo; echo TAIL', timeoutSeconds: 30 },
      { cwd, env, outputLimit: 1024 },
    );
    expect(result.truncated).toBe(true);
    expect(result.outputBytes).toBe(100_000 + 'HEAD\n\nTAIL\n'.length);
    expect(result.output.startsWith('HEAD\n')).toBe(true);
    expect(result.output.endsWith('TAIL\n')).toBe(true);
    const omitted = /… (\d+) bytes omitted …/.exec(result.output);
    expect(Number(omitted?.[1])).toBe(result.outputBytes - 1024);
  });

  it('reports a command that cannot start', async () => {
    const result = await runCommand({ command: ['/nonexistent/tool'], timeoutSeconds: 30 }, { cwd, env });
    expect(result).toMatchObject({ ok: false, exitCode: 127 });
    expect(result.output).toContain('/nonexistent/tool');
  });
});
