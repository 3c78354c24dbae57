// A Maestro server in its own process, for the kill -9 tests of the merge queue: it starts on the
// home given in argv[2] (JSON) and, when the workspace engine reaches `pauseAt`, writes `marker` and
// stops there for good, so the test can kill the whole server exactly at that point.
import { writeFileSync } from 'node:fs';
import { loadSettings } from '../../src/config/config.js';
import { createLogger } from '../../src/gateway/logger.js';
import { startServer } from '../../src/gateway/server.js';
import type { FaultPoint } from '../../src/workspaces/index.js';

interface ServerChildJob {
  home: string;
  agentCommand: string;
  pauseAt: FaultPoint;
  marker: string;
  /** Where the server writes {grpcPort, token} once it listens. */
  ready: string;
}

const job = JSON.parse(process.argv[2] ?? '{}') as ServerChildJob;
const server = await startServer(
  {
    ...loadSettings({ env: { MAESTRO_HOME: job.home }, file: {} }),
    httpAddr: '127.0.0.1:0',
    grpcAddr: '127.0.0.1:0',
    logLevel: 'silent',
    agentCommand: job.agentCommand,
    runner: 'pipe',
  },
  {
    log: createLogger('silent'),
    workspaceHooks: {
      at: async (point) => {
        if (point !== job.pauseAt) return;
        writeFileSync(job.marker, point);
        await new Promise<never>(() => undefined);
      },
    },
  },
);
writeFileSync(job.ready, JSON.stringify({ grpcPort: server.grpc.port, token: server.token }));
