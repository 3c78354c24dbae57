import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';
import { tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/**
 * Builds docker/Dockerfile with podman and runs the image through buildah, the only way to start a
 * container on a machine without a Docker engine (`buildah run --isolation chroot`: host network,
 * no PID namespace). It runs wherever podman, buildah and the two node base images are there
 * (`shared/tools/make-node-base-images.sh` makes local stand-ins). It is its own tier, outside
 * `npm test` (a cold layer cache makes it take minutes): `npm run test:docker` runs it, and says in
 * one line what is missing when it cannot.
 */

const IMAGE = 'localhost/maestro:test';
const BASE_IMAGES = ['docker.io/library/node:22-bookworm', 'docker.io/library/node:22-bookworm-slim'];

const succeeds = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const enabled =
  succeeds('podman', ['--version']) &&
  succeeds('buildah', ['--version']) &&
  BASE_IMAGES.every((image) => succeeds('podman', ['image', 'exists', image]));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: readonly string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function ok(cmd: string, args: readonly string[], timeoutMs?: number): Promise<string> {
  const result = await run(cmd, args, timeoutMs);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${result.code}):\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface ImageConfig {
  Size: number;
  Config: {
    User: string;
    Env: string[];
    Entrypoint: string[];
    Cmd: string[];
    ExposedPorts: Record<string, object>;
    Volumes: Record<string, object>;
    StopSignal: string;
  };
  Healthcheck?: { Test: string[] };
}

interface Started {
  pid: number;
  http: string;
  grpc: string;
  db: string;
  home: string;
}

if (!enabled) {
  process.stderr.write(
    `The Docker image test needs podman, buildah and the images ${BASE_IMAGES.join(' and ')}: skipped.\n`,
  );
}

describe.skipIf(!enabled)('the Docker image (podman build, buildah run)', { timeout: 120_000 }, () => {
  const container = `maestro-image-test-${process.pid}`;
  const cliHome = tempHome('maestro-docker-cli-');
  let image: ImageConfig;
  let server: ChildProcess | undefined;
  let exited: Promise<number | null>;
  let serverStderr = '';
  let started: Started;
  let httpPort: number;
  let grpcPort: number;

  /** A command in the running container, as `docker exec` would run it (the image's user and env). */
  const inContainer = (args: readonly string[], env: Record<string, string> = {}) =>
    run('buildah', [
      'run',
      '--isolation',
      'chroot',
      ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      container,
      '--',
      ...args,
    ]);

  beforeAll(async () => {
    const t0 = Date.now();
    await ok(
      'podman',
      [
        'build',
        '--pull=never',
        '--isolation=chroot',
        '--format',
        'docker',
        '-f',
        'docker/Dockerfile',
        '-t',
        IMAGE,
        '.',
      ],
      20 * 60_000,
    );
    const built = Date.now() - t0;
    image = (JSON.parse(await ok('podman', ['image', 'inspect', IMAGE])) as ImageConfig[])[0]!;
    await ok('buildah', ['from', '--pull=never', '--name', container, IMAGE]);
    console.log(`image ${IMAGE}: ${image.Size} bytes, podman build took ${built} ms`);
  }, 20 * 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null && started) process.kill(started.pid, 'SIGKILL');
    server?.kill('SIGKILL');
    await run('buildah', ['rm', container]);
    cliHome.cleanup();
  });

  it('runs maestro as the node user, keeps state in a /data volume, and declares ports, healthcheck and SIGTERM', () => {
    const c = image.Config;
    expect(c.User).toBe('node');
    expect(c.Env).toContain('MAESTRO_HOME=/data');
    expect(Object.keys(c.Volumes)).toEqual(['/data']);
    expect(Object.keys(c.ExposedPorts).sort()).toEqual(['4570/tcp', '4571/tcp']);
    expect(c.StopSignal).toBe('SIGTERM');
    expect([...c.Entrypoint, ...c.Cmd]).toEqual(['maestro', 'server', 'start', '--host', '0.0.0.0']);
    expect(image.Healthcheck?.Test).toEqual(['CMD', 'node', '/app/docker/healthcheck.mjs']);
  });

  it('holds the built package and its production dependencies, not sources, tests or dev tools', async () => {
    const listing = await ok('buildah', [
      'run',
      '--isolation',
      'chroot',
      container,
      '--',
      'ls',
      '-A',
      '/app',
    ]);
    expect(listing.trim().split('\n').sort()).toEqual([
      'bin',
      'dist',
      'docker',
      'node_modules',
      'package-lock.json',
      'package.json',
      'proto',
      'skills',
      'web',
    ]);
    const absent = [
      'src',
      'cli',
      'test',
      'web/src',
      'node_modules/vitest',
      'node_modules/typescript',
      'node_modules/esbuild',
    ];
    const present = await inContainer([
      'sh',
      '-c',
      `cd /app && for p in ${absent.join(' ')}; do [ -e "$p" ] && echo "$p"; done; true`,
    ]);
    expect(present.stdout.trim()).toBe('');
    expect((await inContainer(['ls', '/app/web/dist'])).stdout).toContain('index.html');
  });

  it('serves on all interfaces: /readyz answers 200, the web UI loads, the healthcheck passes', async () => {
    httpPort = await freePort();
    grpcPort = await freePort();
    const t0 = Date.now();
    // The image's own entrypoint and command, with --json so the first line says where it listens.
    server = spawn(
      'buildah',
      [
        'run',
        '--isolation',
        'chroot',
        '--env',
        `MAESTRO_HTTP_ADDR=127.0.0.1:${httpPort}`,
        '--env',
        `MAESTRO_GRPC_ADDR=127.0.0.1:${grpcPort}`,
        container,
        '--',
        ...image.Config.Entrypoint,
        ...image.Config.Cmd,
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stderr!.on('data', (chunk: Buffer) => (serverStderr += chunk.toString()));
    exited = new Promise((resolve) => server!.once('exit', (code) => resolve(code)));
    const line = await Promise.race([
      new Promise<string>((resolve) => createInterface({ input: server!.stdout! }).once('line', resolve)),
      exited.then((code) => {
        throw new Error(`the server exited with ${code}: ${serverStderr}`);
      }),
    ]);
    started = (JSON.parse(line) as { data: Started }).data;
    // --host 0.0.0.0 replaces the host of the addresses; the ports come from the environment.
    expect(started.http).toBe(`http://0.0.0.0:${httpPort}`);
    expect(started.grpc).toBe(`0.0.0.0:${grpcPort}`);
    expect(started.home).toBe('/data');
    expect(started.db).toBe('sqlite:/data/maestro.db');

    const readyz = await waitFor(
      '/readyz 200',
      async () => {
        const res = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
        return res.status === 200 && ((await res.json()) as { status: string });
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    console.log(`container start to /readyz 200: ${Date.now() - t0} ms`);
    expect(readyz.status).toBe('ready');

    const page = await fetch(`http://127.0.0.1:${httpPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Maestro</title>');

    const healthcheck = await inContainer(image.Healthcheck!.Test.slice(1), {
      MAESTRO_HTTP_ADDR: `0.0.0.0:${httpPort}`,
    });
    expect(healthcheck.code).toBe(0);
  });

  it('runs the server process as uid 1000, not root', async () => {
    // chroot isolation has no PID namespace: the pid the server reports is the host's.
    const status = readFileSync(`/proc/${started.pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+1000\s+1000\s/m);
    expect((await inContainer(['id', '-u'])).stdout.trim()).toBe('1000');
  });

  it('requires the token it generated in /data: the host CLI works with it and is refused without', async () => {
    const mode = await inContainer(['stat', '-c', '%a %U', '/data/token']);
    expect(mode.stdout.trim()).toBe('600 node');
    const token = (await inContainer(['cat', '/data/token'])).stdout.trim();
    expect(token).toMatch(/^[\w-]{43}$/);

    const env = {
      PATH: process.env.PATH ?? '',
      HOME: cliHome.home,
      MAESTRO_HOME: cliHome.home,
      MAESTRO_SERVER: `127.0.0.1:${grpcPort}`,
      MAESTRO_ACTOR: 'docker-test',
      MAESTRO_RETRIES: '1',
      NO_COLOR: '1',
    };
    const created = await runCli(['task', 'create', 'Made from the host', '--json'], {
      ...env,
      MAESTRO_TOKEN: token,
    });
    expect(created.code).toBe(0);
    expect(created.json.data).toMatchObject({ title: 'Made from the host', status: 'pending' });

    const refused = await runCli(['task', 'list', '--json'], { ...env, MAESTRO_TOKEN: 'not-the-token' });
    expect(refused.code).not.toBe(0);
    expect(refused.json.error?.code).toBe('unauthenticated');
  });

  it('lets the CLI inside the container reach the server with no token set (docker exec)', async () => {
    const listed = await inContainer(['maestro', 'task', 'list', '--json'], {
      MAESTRO_SERVER: `127.0.0.1:${grpcPort}`,
    });
    expect(listed.code).toBe(0);
    const tasks = (JSON.parse(listed.stdout) as { data: { title: string }[] }).data;
    expect(tasks.map((t) => t.title)).toContain('Made from the host');
  });

  it('stops on SIGTERM with exit code 0, after which the healthcheck fails', async () => {
    process.kill(started.pid, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(serverStderr).toContain('"msg":"server stopped"');
    const healthcheck = await inContainer(image.Healthcheck!.Test.slice(1), {
      MAESTRO_HTTP_ADDR: `0.0.0.0:${httpPort}`,
    });
    expect(healthcheck.code).toBe(1);
  });
});
