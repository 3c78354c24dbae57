// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { StatusRequest as _maestro_v1_StatusRequest, StatusRequest__Output as _maestro_v1_StatusRequest__Output } from '../../maestro/v1/StatusRequest.js';
import type { StatusResponse as _maestro_v1_StatusResponse, StatusResponse__Output as _maestro_v1_StatusResponse__Output } from '../../maestro/v1/StatusResponse.js';
import type { WhoAmIRequest as _maestro_v1_WhoAmIRequest, WhoAmIRequest__Output as _maestro_v1_WhoAmIRequest__Output } from '../../maestro/v1/WhoAmIRequest.js';
import type { WhoAmIResponse as _maestro_v1_WhoAmIResponse, WhoAmIResponse__Output as _maestro_v1_WhoAmIResponse__Output } from '../../maestro/v1/WhoAmIResponse.js';

export interface ServerClient extends grpc.Client {
  Status(argument: _maestro_v1_StatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _maestro_v1_StatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _maestro_v1_StatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _maestro_v1_StatusRequest, callback: grpc.requestCallback<_maestro_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _maestro_v1_StatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _maestro_v1_StatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _maestro_v1_StatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _maestro_v1_StatusRequest, callback: grpc.requestCallback<_maestro_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  
  WhoAmI(argument: _maestro_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _maestro_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _maestro_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _maestro_v1_WhoAmIRequest, callback: grpc.requestCallback<_maestro_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _maestro_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _maestro_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _maestro_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _maestro_v1_WhoAmIRequest, callback: grpc.requestCallback<_maestro_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ServerHandlers extends grpc.UntypedServiceImplementation {
  Status: grpc.handleUnaryCall<_maestro_v1_StatusRequest__Output, _maestro_v1_StatusResponse>;
  
  WhoAmI: grpc.handleUnaryCall<_maestro_v1_WhoAmIRequest__Output, _maestro_v1_WhoAmIResponse>;
  
}

export interface ServerDefinition extends grpc.ServiceDefinition {
  Status: MethodDefinition<_maestro_v1_StatusRequest, _maestro_v1_StatusResponse, _maestro_v1_StatusRequest__Output, _maestro_v1_StatusResponse__Output>
  WhoAmI: MethodDefinition<_maestro_v1_WhoAmIRequest, _maestro_v1_WhoAmIResponse, _maestro_v1_WhoAmIRequest__Output, _maestro_v1_WhoAmIResponse__Output>
}
