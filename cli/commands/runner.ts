import { existsSync, readFileSync } from 'node:fs';
import { splitAddress } from '../../src/config/config.js';
import type { Command } from '../registry.js';

/** `maestro runner`: start agents on this machine for a server elsewhere. */
export const RUNNER_COMMAND: Command = {
  path: ['runner'],
  summary: 'Run agents on this machine for a Maestro server (a WebSocket runner); runs until stopped.',
  flags: {
    url: {
      type: 'string',
      value: 'URL',
      describe: "The server's WebSocket URL (default ws://<MAESTRO_HTTP_ADDR>/ws).",
    },
    capacity: { type: 'string', value: 'N', describe: 'Agents this runner may run at once (default 4).' },
    backend: {
      type: 'string',
      choices: ['auto', 'tmux', 'pipe'],
      describe: 'Terminal backend (default auto: tmux if installed).',
    },
    id: { type: 'string', value: 'NAME', describe: 'Runner id (default runner-<pid>).' },
  },
  examples: ['MAESTRO_TOKEN=... maestro runner --url ws://10.0.0.5:4570/ws --capacity 2'],
  env: ['MAESTRO_TOKEN', 'MAESTRO_SERVER', 'MAESTRO_HOME', 'MAESTRO_TMUX_SOCKET'],
  async run(ctx) {
    const { Runner } = await import('../../src/runner/runner.js');
    const http = splitAddress(ctx.settings.httpAddr);
    const url = ctx.flag('url') ?? `ws://${http.host}:${http.port}/ws`;
    const tokenFile = `${ctx.settings.home}/token`;
    const token = ctx.settings.token || (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
    const runner = new Runner({
      url,
      token,
      home: ctx.settings.home,
      runnerId: ctx.flag('id'),
      capacity: Number(ctx.flag('capacity') ?? 4),
      backend: (ctx.flag('backend') as 'auto' | 'tmux' | 'pipe' | undefined) ?? 'auto',
      tmuxSocket: ctx.settings.tmuxSocket,
      serverAddress: ctx.settings.server,
    });
    await runner.start();
    ctx.writeLine(
      ctx.json
        ? JSON.stringify({ ok: true, data: { url, backend: runner.backendName } })
        : `Runner connected to ${url} (${runner.backendName}).`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    runner.close();
    return { data: null, streamed: true };
  },
};
