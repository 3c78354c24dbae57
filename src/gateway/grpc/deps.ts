import type { RequestContext, Services } from '../../services/index.js';
import type { Authenticator } from '../auth.js';
import type { Logger } from '../logger.js';
import type { SpawnDispatcher } from '../spawn/dispatcher.js';
import type { EventStreams } from './event-stream.js';

/** What every handler needs: the services, who checks the callers' tokens, a logger. */
export interface HandlerDeps {
  services: Services;
  auth: Authenticator;
  log: Logger;
  /** Open server streams (Events.Watch, Sessions.Logs), ended when the server shuts down. */
  streams: Set<{ end(): void }>;
  /** The Events.Watch streams (event-stream.ts). */
  eventStreams: EventStreams;
  /** Starts agents; absent in tests that need no spawning. */
  dispatcher?: SpawnDispatcher;
  /** Called after each authenticated call, e.g. to count a session's CLI call as a heartbeat. */
  onCall?: (ctx: RequestContext, method: string) => void;
}
