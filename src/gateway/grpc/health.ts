import type * as grpc from '@grpc/grpc-js';
import { loadProto } from '../../contract/proto.js';
import type { HealthHandlers as HealthServiceHandlers } from '../../generated/grpc/health/v1/Health.js';
import type { HealthCheckResponse } from '../../generated/grpc/health/v1/HealthCheckResponse.js';
import { errorStatus } from './errors.js';

type ServingStatus = 'SERVING' | 'NOT_SERVING';

/**
 * The standard `grpc.health.v1.Health` service. It needs no token, so that probes and load
 * balancers can ask. '' is the whole server.
 */
export class HealthHandlers {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Set<{
    service: string;
    send: (r: HealthCheckResponse) => void;
    end: () => void;
  }>();

  constructor(services: readonly string[]) {
    for (const s of ['', ...services]) this.statuses.set(s, 'NOT_SERVING');
  }

  setAll(status: ServingStatus): void {
    for (const service of this.statuses.keys()) this.statuses.set(service, status);
    for (const w of this.watchers) w.send({ status: this.statuses.get(w.service) ?? 'SERVICE_UNKNOWN' });
  }

  /** Ends every Watch stream (with OK), so that a shutdown need not wait for them. */
  endWatches(): void {
    for (const w of this.watchers) w.end();
    this.watchers.clear();
  }

  get serving(): boolean {
    return this.statuses.get('') === 'SERVING';
  }

  addToServer(server: grpc.Server): void {
    const handlers: HealthServiceHandlers = {
      Check: (call, callback) => {
        const status = this.statuses.get(call.request.service);
        if (!status) {
          callback({
            ...errorStatus({
              code: 'invalid_argument',
              message: `Unknown service '${call.request.service}'.`,
            }),
            code: 5,
          });
          return;
        }
        callback(null, { status });
      },
      List: (_call, callback) => {
        callback(null, {
          statuses: Object.fromEntries([...this.statuses].map(([k, v]) => [k, { status: v }])),
        });
      },
      Watch: (call) => {
        const watcher = {
          service: call.request.service,
          send: (r: HealthCheckResponse) => call.write(r),
          end: () => call.end(),
        };
        this.watchers.add(watcher);
        watcher.send({ status: this.statuses.get(watcher.service) ?? 'SERVICE_UNKNOWN' });
        const stop = () => this.watchers.delete(watcher);
        call.on('cancelled', stop);
        call.on('close', stop);
      },
    };
    server.addService(loadProto().grpc.health.v1.Health.service, handlers);
  }
}
