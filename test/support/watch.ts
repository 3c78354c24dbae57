import type * as grpc from '@grpc/grpc-js';
import type { TestClient } from './server.js';

import type { WireEvent } from '../../src/contract/views.js';

export type { WireEvent };

/** Collects a Watch stream's events; `until` resolves once a predicate holds. */
export function watch(api: TestClient, sinceSeq: number) {
  const client = api.client('Events') as unknown as {
    watch(req: object, md: grpc.Metadata): grpc.ClientReadableStream<WireEvent>;
  };
  const stream = client.watch({ sinceSeq }, api.metadata());
  const events: WireEvent[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  stream.on('data', (e: WireEvent) => {
    events.push(e);
    for (const w of [...waiters]) if (w.test()) w.resolve();
  });
  stream.on('error', () => undefined);
  return {
    events,
    until(test: (events: WireEvent[]) => boolean, timeoutMs = 10_000): Promise<void> {
      if (test(events)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`watch: condition not met; got ${events.length} events`)),
          timeoutMs,
        );
        waiters.push({ test: () => test(events), resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    cancel: () => stream.cancel(),
  };
}
