import * as grpc from '@grpc/grpc-js';
import { ERROR_METADATA_CODE } from '../../contract/error-codes.js';
import type { Logger } from '../logger.js';
import { errorStatus } from './errors.js';

type PartialStatusObject = Parameters<NonNullable<grpc.ServerInterceptingCallInterface['sendStatus']>>[0];
import type { ServerMetrics } from '../metrics.js';
import { REQUEST_ID, requestId } from '../request-id.js';

export interface CallObserverOptions {
  /** A unary call that takes at least this long is logged at warn. */
  slowCallMs: number;
}

export const DEFAULT_SLOW_CALL_MS = 1000;

/** Statuses that mean the server failed, not the request: logged at error. */
const SERVER_FAULTS = new Set<grpc.status>([
  grpc.status.UNKNOWN,
  grpc.status.INTERNAL,
  grpc.status.UNIMPLEMENTED,
  grpc.status.DATA_LOSS,
]);

/**
 * A server interceptor, so every call of every service, unary or streaming, is seen in one place:
 * it gives the call a request id (the client's `x-request-id`, else a new one) that handlers read
 * from the metadata and that goes back to the client in the response headers and trailers, counts
 * the call by method and status, times unary calls, and logs each call (debug) and each failure or
 * slow call (warn, or error when the server is at fault).
 */
export function callObserver(
  metrics: ServerMetrics,
  log: Logger,
  options: CallObserverOptions = { slowCallMs: DEFAULT_SLOW_CALL_MS },
): grpc.ServerInterceptor {
  return (descriptor, call) => {
    const method = descriptor.path.slice(1);
    const stream = descriptor.requestStream || descriptor.responseStream;
    const started = performance.now();
    let id = '';
    let ended = false;
    metrics.grpcStarted(method, stream);

    const end = (code: grpc.status, error: string | undefined) => {
      if (ended) return;
      ended = true;
      const ms = performance.now() - started;
      const name = grpc.status[code] ?? String(code);
      metrics.grpcEnded(method, stream, name, error, ms / 1000);
      const fields = {
        method,
        code: name,
        ...(error ? { errorCode: error } : {}),
        requestId: id,
        durationMs: Math.round(ms * 10) / 10,
      };
      if (SERVER_FAULTS.has(code)) log.error('grpc call failed', fields);
      else if (code !== grpc.status.OK && code !== grpc.status.CANCELLED)
        log.warn('grpc call failed', fields);
      else if (!stream && ms >= options.slowCallMs) log.warn('grpc call slow', fields);
      else log.debug('grpc call', fields);
    };

    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            id = requestId(metadata.get(REQUEST_ID)[0]);
            metadata.set(REQUEST_ID, id);
            nextMetadata(metadata);
          },
          // The client went away (or its deadline passed); no status will be sent.
          onCancel: () => end(grpc.status.CANCELLED, undefined),
        }),
      sendMetadata: (metadata, next) => {
        metadata.set(REQUEST_ID, id || (id = requestId(undefined)));
        next(metadata);
      },
      sendStatus: (sent, next) => {
        const status = asMaestroStatus(sent);
        // Also in the trailers: a failure sent before any header carries only trailers.
        const metadata = status.metadata ?? new grpc.Metadata();
        metadata.set(REQUEST_ID, id || (id = requestId(undefined)));
        const error = metadata.get(ERROR_METADATA_CODE)[0];
        end(status.code, error === undefined ? undefined : String(error));
        next({ ...status, metadata });
      },
    });
  };
}

/** A logger whose lines carry the request id the observer put in the call's metadata. */
export function callLog(log: Logger, metadata: grpc.Metadata): Logger {
  return log.child({ requestId: String(metadata.get(REQUEST_ID)[0] ?? '') });
}

/**
 * grpc-js answers a call whose request message never arrived whole (a truncated frame, or none)
 * with UNIMPLEMENTED, as if the method did not exist, and without a Maestro code. It is bad input:
 * answer it as invalid_argument like every other malformed request.
 */
function asMaestroStatus(status: PartialStatusObject): PartialStatusObject {
  if (
    status.code !== grpc.status.UNIMPLEMENTED ||
    !/^Received (no|multiple) request message/.test(status.details ?? '') ||
    status.metadata?.get(ERROR_METADATA_CODE).length
  ) {
    return status;
  }
  const mapped = errorStatus({
    code: 'invalid_argument',
    message: 'The request message was incomplete: the stream ended before a whole message arrived.',
    hint: 'Send exactly one length-prefixed message for a unary call.',
    details: { field: 'request' },
  });
  return { code: mapped.code!, details: mapped.details!, metadata: mapped.metadata! };
}
