import { constants as osConstants } from 'node:os';
import {
  ConfigError,
  isLoopback,
  loadSettings,
  redactDbUrl,
  splitAddress,
  type Settings,
} from '../../src/config/config.js';
import { CliError, cliError } from '../errors.js';
import type { Command, CommandContext } from '../registry.js';

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
      describe: 'Database: sqlite:PATH, a file path, or postgres://... (MAESTRO_DB_URL).',
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
    'MAESTRO_SHUTDOWN_TIMEOUT_SECONDS',
    'MAESTRO_LOG_FILE',
  ],
  async run(ctx) {
    const flags = addressFlags(ctx);
    const db = ctx.flag('db');
    if (db !== undefined) flags.dbUrl = db;
    const settings = loadSettings({ env: ctx.env, flags });
    const { createLogger } = await import('../../src/gateway/logger.js');
    const log = createLogger(settings.logLevel, { file: settings.logFile || undefined });
    // Signals are handled from the first moment: a stop that arrives while starting still shuts down
    // cleanly. The first one drains; a second one means "now", without waiting for the drain.
    let stopRequested: (signal: NodeJS.Signals) => void = () => undefined;
    const stopped = new Promise<NodeJS.Signals>((resolve) => (stopRequested = resolve));
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals === 1) return stopRequested(signal);
      log.warn('second signal: exiting without finishing the drain', { signal });
      log.close();
      process.exit(128 + (osConstants.signals[signal] ?? 15));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const { startServer, StartupError } = await import('../../src/gateway/server.js');
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer(settings, { log });
    } catch (error) {
      // Nothing was left running; the process exits now with the error's code, whatever holds it.
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      log.error('server did not start', { error: String(error) });
      log.close();
      const failure =
        error instanceof StartupError
          ? new CliError(error.body)
          : error instanceof ConfigError
            ? cliError('invalid_argument', error.message, undefined, { field: error.key })
            : cliError(
                'internal',
                `The server did not start: ${error instanceof Error ? error.message : String(error)}`,
              );
      setTimeout(() => process.exit(failure.exitCode), 1000).unref();
      throw failure;
    }
    const http = `http://${server.http.host}:${server.http.port}`;
    const data = {
      pid: process.pid,
      http,
      /** Opening this link in a browser signs it in (it sets a cookie and drops the token from the URL). */
      ui: `${http}/?token=${encodeURIComponent(server.token)}`,
      grpc: `${server.grpc.host}:${server.grpc.port}`,
      db: redactDbUrl(settings.dbUrl),
      home: settings.home,
      warnings: [server.http.host, server.grpc.host].some((h) => !isLoopback(h))
        ? [
            'The server listens beyond loopback over plain HTTP: the token crosses the network in clear. Put a TLS-terminating proxy in front (docs/deployment.md).',
          ]
        : [],
    };
    ctx.writeLine(
      ctx.json
        ? JSON.stringify({ ok: true, data })
        : `Maestro is running.\n  Web UI  ${data.ui}\n  gRPC    ${data.grpc}\n  HTTP    ${data.http}  (/healthz, /readyz, /metrics, /ws)\n  DB      ${data.db}\n${data.warnings.map((w) => `Warning: ${w}\n`).join('')}Press Ctrl-C to stop.`,
    );
    const signal = await stopped;
    log.info('signal received: draining', { signal, timeoutSeconds: settings.shutdownTimeoutSeconds });
    const { forced } = await server.close();
    log.close();
    const exitCode = forced ? 1 : 0;
    // Nothing should hold the event loop once the server is closed; if something does, it must not
    // keep a stopped server's process alive.
    setTimeout(() => process.exit(exitCode), 1000).unref();
    return { data, streamed: true, exitCode };
  },
};

/** `--host`, `--http-port` and `--grpc-port` as address settings, each checked under its own flag name. */
function addressFlags(ctx: CommandContext): Partial<Record<keyof Settings, string>> {
  const host = ctx.flag('host');
  if (host !== undefined && !/^([\w.-]+|\[?[0-9a-fA-F:]+\]?)$/.test(host)) {
    throw cliError(
      'invalid_argument',
      `--host must be a host name or an IP address, not '${host}'.`,
      undefined,
      {
        field: 'host',
      },
    );
  }
  const port = (name: string) => {
    const raw = ctx.flag(name);
    if (raw !== undefined && (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535)) {
      throw cliError(
        'invalid_argument',
        `--${name} must be a port from 0 to 65535, not '${raw}'.`,
        undefined,
        {
          field: name,
        },
      );
    }
    return raw === undefined ? undefined : Number(raw);
  };
  const flags: Partial<Record<keyof Settings, string>> = {};
  const set = (key: 'httpAddr' | 'grpcAddr', portFlag: string) => {
    const p = port(portFlag);
    if (host === undefined && p === undefined) return;
    const current = splitAddress(ctx.settings[key]);
    const h = host ?? current.host;
    flags[key] = `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${p ?? current.port}`;
  };
  set('httpAddr', 'http-port');
  set('grpcAddr', 'grpc-port');
  return flags;
}

const status: Command = {
  path: ['server', 'status'],
  summary: 'Check whether the server answers, and report its version and newest event seq.',
  operation: 'whoami',
  examples: ['maestro server status --json'],
  async run(ctx) {
    const who = await ctx.op('whoami', {});
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
