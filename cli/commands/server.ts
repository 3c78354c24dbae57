import { splitAddress } from '../../src/config/config.js';
import { cliError } from '../errors.js';
import type { Command } from '../registry.js';

const start: Command = {
  path: ['server', 'start'],
  summary: 'Start the Maestro server (gRPC, HTTP probes) on its database; runs until stopped.',
  flags: {
    host: {
      type: 'string',
      value: 'HOST',
      describe: 'Interface for HTTP and gRPC (default 127.0.0.1; 0.0.0.0 for all).',
    },
    'http-port': { type: 'string', value: 'PORT', describe: 'HTTP port (default 4570).' },
    'grpc-port': { type: 'string', value: 'PORT', describe: 'gRPC port (default 4571).' },
    db: {
      type: 'string',
      value: 'URL',
      describe: 'Database URL: sqlite:PATH or postgres://... (MAESTRO_DB_URL).',
    },
  },
  examples: [
    'maestro server start',
    'maestro server start --http-port 0 --grpc-port 0 --db sqlite:/tmp/m.db --json',
  ],
  env: [
    'MAESTRO_HOME',
    'MAESTRO_DB_URL',
    'MAESTRO_HTTP_ADDR',
    'MAESTRO_GRPC_ADDR',
    'MAESTRO_LOG_LEVEL',
    'MAESTRO_LOG_FILE',
  ],
  async run(ctx) {
    const { loadSettings } = await import('../../src/config/config.js');
    const httpAddr = splitAddress(ctx.settings.httpAddr);
    const grpcAddr = splitAddress(ctx.settings.grpcAddr);
    const host = ctx.flag('host');
    const port = (name: string, fallback: number) => {
      const raw = ctx.flag(name);
      if (raw === undefined) return fallback;
      if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
        throw cliError(
          'invalid_argument',
          `--${name} must be a port from 0 to 65535, not '${raw}'.`,
          undefined,
          { field: name },
        );
      }
      return Number(raw);
    };
    const flags: Record<string, string> = {
      httpAddr: `${host ?? httpAddr.host}:${port('http-port', httpAddr.port)}`,
      grpcAddr: `${host ?? grpcAddr.host}:${port('grpc-port', grpcAddr.port)}`,
    };
    const db = ctx.flag('db');
    if (db) flags.dbUrl = db.startsWith('sqlite:') || db.startsWith('postgres') ? db : `sqlite:${db}`;
    let settings;
    try {
      settings = loadSettings({ env: ctx.env, flags });
    } catch (error) {
      throw cliError('invalid_argument', (error as Error).message, undefined, {
        field: (error as { key?: string }).key,
      });
    }
    // Signals are handled from the first moment: a stop that arrives while starting still shuts down cleanly.
    let stopRequested: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
    process.once('SIGINT', () => stopRequested());
    process.once('SIGTERM', () => stopRequested());
    const { startServer } = await import('../../src/gateway/server.js');
    const server = await startServer(settings);
    const http = `http://${server.http.host}:${server.http.port}`;
    const data = {
      pid: process.pid,
      http,
      /** Opening this link in a browser signs it in (it sets a cookie and drops the token from the URL). */
      ui: `${http}/?token=${encodeURIComponent(server.token)}`,
      grpc: `${server.grpc.host}:${server.grpc.port}`,
      db: settings.dbUrl,
      home: settings.home,
    };
    ctx.writeLine(
      ctx.json
        ? JSON.stringify({ ok: true, data })
        : `Maestro is running.\n  Web UI  ${data.ui}\n  gRPC    ${data.grpc}\n  HTTP    ${data.http}  (/healthz, /readyz, /metrics, /ws)\n  DB      ${data.db}\nPress Ctrl-C to stop.`,
    );
    await stopped;
    await server.close();
    return { data, streamed: true };
  },
};

const status: Command = {
  path: ['server', 'status'],
  summary: 'Check whether the server answers, and report its version and newest event seq.',
  examples: ['maestro server status --json'],
  async run(ctx) {
    const who = await ctx.client().call<{ serverVersion: string; lastSeq: number }>('Server', 'WhoAmI', {});
    const data = {
      running: true,
      server: ctx.settings.server,
      version: who.serverVersion,
      lastSeq: who.lastSeq,
    };
    return {
      data,
      human: `Maestro ${data.version} is running at ${data.server} (last event seq ${data.lastSeq}).`,
    };
  },
};

export const SERVER_COMMANDS: Command[] = [start, status];
