import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import descriptor from '../generated/descriptor.json' with { type: 'json' };
import type { ProtoGrpcType as MaestroProto } from '../generated/maestro.js';
import type { ProtoGrpcType as HealthProto } from '../generated/health.js';
import { PROTO_LOADER_OPTIONS } from './proto-options.js';

export type { MaestroProto, HealthProto };

let loaded: (MaestroProto & HealthProto) | undefined;

/**
 * The gRPC package for `proto/`, loaded from the JSON descriptor generated at build time: no .proto
 * parsing at startup, which matters for a CLI that agents call hundreds of times.
 */
export function loadProto(): MaestroProto & HealthProto {
  loaded ??= grpc.loadPackageDefinition(
    fromJSON(descriptor as Parameters<typeof fromJSON>[0], PROTO_LOADER_OPTIONS),
  ) as unknown as MaestroProto & HealthProto;
  return loaded;
}

export { METADATA } from './proto-metadata.js';
