// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListAgentsRequest as _maestro_v1_ListAgentsRequest, ListAgentsRequest__Output as _maestro_v1_ListAgentsRequest__Output } from '../../maestro/v1/ListAgentsRequest.js';
import type { ListAgentsResponse as _maestro_v1_ListAgentsResponse, ListAgentsResponse__Output as _maestro_v1_ListAgentsResponse__Output } from '../../maestro/v1/ListAgentsResponse.js';

export interface AgentsClient extends grpc.Client {
  List(argument: _maestro_v1_ListAgentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListAgentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListAgentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListAgentsRequest, callback: grpc.requestCallback<_maestro_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListAgentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListAgentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListAgentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListAgentsRequest, callback: grpc.requestCallback<_maestro_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AgentsHandlers extends grpc.UntypedServiceImplementation {
  List: grpc.handleUnaryCall<_maestro_v1_ListAgentsRequest__Output, _maestro_v1_ListAgentsResponse>;
  
}

export interface AgentsDefinition extends grpc.ServiceDefinition {
  List: MethodDefinition<_maestro_v1_ListAgentsRequest, _maestro_v1_ListAgentsResponse, _maestro_v1_ListAgentsRequest__Output, _maestro_v1_ListAgentsResponse__Output>
}
