import type * as grpc from '@grpc/grpc-js';
import { SESSION_FINAL_STATUSES, type SessionStatus } from '../../contract/views.js';
import type { RequestContext } from '../../services/index.js';
import { background } from '../../shared/background.js';
import { callLog } from './call-observer.js';
import { toGrpcError } from './errors.js';
import type { HandlerDeps } from './deps.js';

/** `Sessions.Logs`: the output so far, then (with `follow`) new output until the session ends or the client leaves. */
export function streamSessionLogs(
  deps: HandlerDeps,
  call: grpc.ServerWritableStream<unknown, unknown>,
  args: { id: string; follow: boolean },
  ctx: RequestContext,
): void {
  const log = callLog(deps.log, call.metadata);
  background(
    'session logs stream',
    async () => {
      try {
        await follow(deps, call, args, ctx);
      } catch (error) {
        call.emit('error', toGrpcError(error, log));
      }
    },
    (what, error) => log.error(`${what} failed`, { error: String(error) }),
  );
}

async function follow(
  deps: HandlerDeps,
  call: grpc.ServerWritableStream<unknown, unknown>,
  args: { id: string; follow: boolean },
  ctx: RequestContext,
): Promise<void> {
  const { dispatcher, services } = deps;
  // A session's token reads the output of its own project's sessions only.
  const session = await services.sessions.get(args.id, ctx);
  const existing = dispatcher?.logs(session.id) ?? '';
  if (existing) call.write({ data: existing });
  if (!args.follow || !dispatcher || SESSION_FINAL_STATUSES.includes(session.status as SessionStatus)) {
    call.end();
    return;
  }
  // Ending stops the output first: a write after end() would break the stream instead of closing it.
  const stream = {
    end: () => {
      stop();
      if (!call.writableEnded) call.end();
    },
  };
  deps.streams.add(stream);
  const stopOutput = dispatcher.onOutput((id, data) => {
    if (id === session.id) call.write({ data });
  });
  let ending: NodeJS.Timeout | undefined;
  const stopEvents = services.bus.subscribe((events) => {
    for (const e of events) {
      const status = (e.data.session as { status?: string } | undefined)?.status as SessionStatus | undefined;
      if (e.entityId === session.id && status && SESSION_FINAL_STATUSES.includes(status)) {
        // The runner ships the last output with its exit report; give it a moment to arrive.
        ending ??= setTimeout(() => stream.end(), 300);
      }
    }
  });
  const stop = () => {
    clearTimeout(ending);
    stopOutput();
    stopEvents();
    deps.streams.delete(stream);
  };
  call.on('cancelled', stop);
  call.on('close', stop);
  call.on('finish', stop);
}

/**
 * `Sessions.FollowTranscript`: the transcript after `after`, then new entries as the agent makes
 * them, until the session ends (and its last entries are in) or the client leaves.
 */
export function followTranscript(
  deps: HandlerDeps,
  call: grpc.ServerWritableStream<unknown, unknown>,
  args: { id: string; after?: number },
  ctx: RequestContext,
): void {
  const log = callLog(deps.log, call.metadata);
  background(
    'transcript stream',
    async () => {
      try {
        const { dispatcher, services } = deps;
        // A session's token follows the transcripts of its own project's sessions only.
        const session = await services.sessions.get(args.id, ctx);
        if (!dispatcher) {
          call.end();
          return;
        }
        let last = args.after ?? 0;
        const write = (entry: { n: number }) => {
          if (entry.n <= last || call.writableEnded) return;
          last = entry.n;
          call.write(entry);
        };
        // Subscribe first, then read what is on disk: nothing falls between the two.
        const stopEntries = dispatcher.agents.onTranscript((id, entry) => id === session.id && write(entry));
        for (const entry of dispatcher.agents.transcript(session.id, last, Number.MAX_SAFE_INTEGER).entries)
          write(entry);
        const stream = {
          end: () => {
            stop();
            if (!call.writableEnded) call.end();
          },
        };
        deps.streams.add(stream);
        let ending: NodeJS.Timeout | undefined;
        const endSoon = () => (ending ??= setTimeout(() => stream.end(), 300));
        const stopEvents = services.bus.subscribe((events) => {
          for (const e of events) {
            const status = (e.data.session as { status?: string } | undefined)?.status as
              SessionStatus | undefined;
            if (e.entityId === session.id && status && SESSION_FINAL_STATUSES.includes(status)) endSoon();
          }
        });
        const stop = () => {
          clearTimeout(ending);
          stopEntries();
          stopEvents();
          deps.streams.delete(stream);
        };
        call.on('cancelled', stop);
        call.on('close', stop);
        call.on('finish', stop);
        if (SESSION_FINAL_STATUSES.includes(session.status as SessionStatus)) endSoon();
      } catch (error) {
        call.emit('error', toGrpcError(error, log));
      }
    },
    (what, error) => log.error(`${what} failed`, { error: String(error) }),
  );
}
