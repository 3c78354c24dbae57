import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { parseExposition } from '../support/prometheus.js';
import { TestClient, tempHome } from '../support/server.js';

const ENTRY = join(ROOT, 'dist', 'cli.js');

/** The files a bundle file imports, statically (`import … from`) or on demand (`import()`). */
function imports(file: string, dynamic: boolean): string[] {
  const text = readFileSync(file, 'utf8');
  const pattern = dynamic ? /\bimport\("(\.[^"]+)"\)/g : /^(?:import|export)\b[^;]*?from\s*"(\.[^"]+)"/gm;
  return [...text.matchAll(pattern)].map((m) => resolve(dirname(file), m[1]!));
}

/** Every file loaded with `entry`, following static imports only. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of imports(file, false)) visit(next);
  };
  visit(entry);
  return seen;
}

/** esbuild marks each bundled module with a `// …node_modules/<package>/…` comment. */
const bundles = (file: string, pkg: string) =>
  new RegExp(`^// (.*/)?node_modules/${pkg}/`, 'm').test(readFileSync(file, 'utf8'));

describe('the bundled CLI (npm run build)', () => {
  it('keeps pino and prom-client out of what --json commands load; they come with `server start`', () => {
    expect(existsSync(ENTRY), 'run `npm run build` first').toBe(true);
    const eager = staticGraph(ENTRY);
    expect(eager.size).toBeGreaterThan(1); // the entry's shared chunks were found
    for (const file of eager) {
      expect(bundles(file, 'pino'), file).toBe(false);
      expect(bundles(file, 'prom-client'), file).toBe(false);
    }
    const onDemand = [...eager].flatMap((f) => imports(f, true)).flatMap((f) => [...staticGraph(f)]);
    expect(onDemand.some((f) => bundles(f, 'pino'))).toBe(true);
    expect(onDemand.some((f) => bundles(f, 'prom-client'))).toBe(true);
  });

  it('serves /metrics and logs to MAESTRO_LOG_FILE, flushed when stopped with SIGTERM', async () => {
    const home = tempHome();
    const logFile = join(home.home, 'server.log');
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/maestro.js'), 'server', 'start', '--http-port', '0', '--grpc-port', '0', '--json'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          MAESTRO_HOME: home.home,
          MAESTRO_LOG_FILE: logFile,
          MAESTRO_LOG_LEVEL: 'debug',
          MAESTRO_RUNNER: 'off',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
      });
      const { data } = JSON.parse(line) as { data: { http: string; grpc: string } };
      const api = new TestClient(data.grpc, readFileSync(join(home.home, 'token'), 'utf8').trim());
      for (let i = 0; i < 20; i++) await api.call('Projects', 'list');
      api.close();
      const metrics = parseExposition(await (await fetch(`${data.http}/metrics`)).text());
      expect(
        metrics.value('maestro_grpc_requests_total', { method: 'maestro.v1.Projects/List', code: 'OK' }),
      ).toBe(20);
      expect(metrics.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const lines = readFileSync(logFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    home.cleanup();
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'server started' });
    expect(
      lines.filter((l) => l.msg === 'grpc call' && l.method === 'maestro.v1.Projects/List'),
    ).toHaveLength(20);
    expect(lines[lines.length - 1]).toMatchObject({ level: 'info', msg: 'server stopped' });
  });
});
