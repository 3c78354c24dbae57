import type * as grpc from '@grpc/grpc-js';
import {
  OPERATIONS,
  operationForMethod,
  type OperationName,
  type OperationSpec,
  type StreamName,
} from '../../contract/operations.js';
import { loadProto } from '../../contract/proto.js';
import { parseArgs } from '../../contract/schema.js';
import { MaestroError } from '../../services/errors.js';
import type { RequestContext } from '../../services/index.js';
import { background } from '../../shared/background.js';
import { authorize } from '../auth.js';
import { implementations, SERVER_VERSION, type Implementations } from '../operations.js';
import type { HandlerDeps } from './deps.js';
import { callLog } from './call-observer.js';
import { authenticate, requestContext } from './context.js';
import { toGrpcError } from './errors.js';
import type { WatchCall } from './event-stream.js';
import { followTranscript, streamSessionLogs } from './session-logs.js';

export { SERVER_VERSION };

export type { HandlerDeps };

/** The gRPC services of proto/maestro/v1, in the order the proto declares them. */
export const GRPC_SERVICE_NAMES = [
  'Projects',
  'Tasks',
  'Subtasks',
  'Reports',
  'Sessions',
  'Agents',
  'Events',
  'Server',
  'Workspaces',
  'Autopilot',
];

/** Set on a request whose bytes did not decode, in place of its fields. */
const UNDECODABLE = Symbol('undecodable');

type Definition = grpc.ServiceDefinition<grpc.UntypedServiceImplementation>;

/**
 * Every Maestro gRPC service, built from the operation registry: each method finds its operation,
 * checks the token (who the caller is), checks the operation's `access` against it, reads the
 * caller, checks the arguments against the registry's schema, makes the one service call and
 * replies; every failure goes through `toGrpcError`. No method is mapped to a service by hand here.
 */
export class GrpcOperations {
  private readonly impl: Implementations;

  constructor(private readonly deps: HandlerDeps) {
    this.impl = implementations({
      services: deps.services,
      get dispatcher() {
        return deps.dispatcher;
      },
      serverVersion: SERVER_VERSION,
    });
  }

  addToServer(server: grpc.Server): void {
    const v1 = loadProto().maestro.v1 as unknown as Record<string, { service: Definition }>;
    for (const serviceName of GRPC_SERVICE_NAMES) {
      const definition = tolerant(v1[serviceName]!.service);
      const handlers: grpc.UntypedServiceImplementation = {};
      for (const method of Object.keys(definition)) {
        const found = operationForMethod(serviceName, method);
        if (!found) throw new Error(`gRPC method ${serviceName}.${method} has no operation in the registry.`);
        handlers[method] = found.stream
          ? this.stream(found.name as StreamName, found.spec)
          : this.unary(found.name as OperationName, found.spec);
      }
      server.addService(definition, handlers);
    }
  }

  private unary(name: OperationName, spec: OperationSpec): grpc.handleUnaryCall<unknown, unknown> {
    const call = this.impl[name] as (args: unknown, ctx: { request: RequestContext }) => Promise<unknown>;
    const method = `${spec.grpc!.service}.${spec.grpc!.method}`;
    return (serverCall, callback) => {
      const log = callLog(this.deps.log, serverCall.metadata);
      const answer = async () => {
        let ctx: RequestContext;
        let args: unknown;
        try {
          const principal = await authenticate(serverCall.metadata, this.deps.auth);
          authorize(principal, name, spec.access);
          ctx = requestContext(serverCall.metadata, spec.mutates, principal);
          args = parseArgs(spec.args, fieldsOf(serverCall.request, spec));
        } catch (error) {
          callback(toGrpcError(error, log));
          return;
        }
        this.deps.onCall?.(ctx, method);
        await call(args, { request: ctx }).then(
          (result) => callback(null, result),
          (error: unknown) => callback(toGrpcError(error, log)),
        );
      };
      background(method, answer, (what, error) => log.error(`${what} failed`, { error: String(error) }));
    };
  }

  private stream(name: StreamName, spec: OperationSpec): grpc.handleServerStreamingCall<unknown, unknown> {
    const method = `${spec.grpc!.service}.${spec.grpc!.method}`;
    return (call) => {
      const log = callLog(this.deps.log, call.metadata);
      const open = async () => {
        try {
          const principal = await authenticate(call.metadata, this.deps.auth);
          authorize(principal, name, spec.access);
          const ctx = requestContext(call.metadata, false, principal);
          this.deps.onCall?.(ctx, method);
          const args = parseArgs(spec.args, fieldsOf(call.request, spec));
          // Flow control, cut-off and replay live in event-stream.ts.
          if (name === 'events.watch') this.deps.eventStreams.watch(call as WatchCall, ctx);
          else if (name === 'session.logs')
            streamSessionLogs(this.deps, call, args as { id: string; follow: boolean }, ctx);
          else followTranscript(this.deps, call, args as { id: string; after?: number }, ctx);
        } catch (error) {
          call.emit('error', toGrpcError(error, log));
        }
      };
      background(method, open, (what, error) => log.error(`${what} failed`, { error: String(error) }));
    };
  }
}

/**
 * The request's fields that the operation declares, as the schema reads them. A proto3 `optional`
 * field the client did not set is absent (proto-loader leaves it out); other fields carry proto's
 * defaults, which the schema reads as "not given" where that is their meaning.
 */
function fieldsOf(request: unknown, spec: OperationSpec): Record<string, unknown> {
  const req = request as Record<string | symbol, unknown>;
  if (req[UNDECODABLE] !== undefined) {
    throw new MaestroError(
      'invalid_argument',
      'The request could not be decoded: its bytes are not the message this method takes.',
      'Send the message the proto declares for this method (proto/maestro/v1/maestro.proto).',
      { field: 'request' },
    );
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(spec.args)) if (req[key] !== undefined) out[key] = req[key];
  return out;
}

/**
 * The service definition with a request decoder that never throws: grpc-js answers a decoding
 * failure with INTERNAL and no Maestro code, where the caller sent bad input (invalid_argument).
 */
function tolerant(definition: Definition): Definition {
  const out: Record<string, Definition[string]> = {};
  for (const [method, d] of Object.entries(definition)) {
    out[method] = {
      ...d,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return d.requestDeserialize(bytes);
        } catch (error) {
          return { [UNDECODABLE]: error };
        }
      },
    };
  }
  return out;
}

/** Every registry operation with a gRPC method is served (checked by the contract test). */
export const GRPC_OPERATIONS = (Object.keys(OPERATIONS) as OperationName[]).filter(
  (n) => (OPERATIONS as Record<string, OperationSpec>)[n]!.grpc !== undefined,
);
