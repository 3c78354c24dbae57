// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AutopilotGetRequest as _maestro_v1_AutopilotGetRequest, AutopilotGetRequest__Output as _maestro_v1_AutopilotGetRequest__Output } from '../../maestro/v1/AutopilotGetRequest.js';
import type { AutopilotSetRequest as _maestro_v1_AutopilotSetRequest, AutopilotSetRequest__Output as _maestro_v1_AutopilotSetRequest__Output } from '../../maestro/v1/AutopilotSetRequest.js';
import type { AutopilotState as _maestro_v1_AutopilotState, AutopilotState__Output as _maestro_v1_AutopilotState__Output } from '../../maestro/v1/AutopilotState.js';
import type { DoctorRequest as _maestro_v1_DoctorRequest, DoctorRequest__Output as _maestro_v1_DoctorRequest__Output } from '../../maestro/v1/DoctorRequest.js';
import type { DoctorResponse as _maestro_v1_DoctorResponse, DoctorResponse__Output as _maestro_v1_DoctorResponse__Output } from '../../maestro/v1/DoctorResponse.js';

export interface AutopilotClient extends grpc.Client {
  Doctor(argument: _maestro_v1_DoctorRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DoctorResponse__Output>): grpc.ClientUnaryCall;
  Doctor(argument: _maestro_v1_DoctorRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_DoctorResponse__Output>): grpc.ClientUnaryCall;
  Doctor(argument: _maestro_v1_DoctorRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DoctorResponse__Output>): grpc.ClientUnaryCall;
  Doctor(argument: _maestro_v1_DoctorRequest, callback: grpc.requestCallback<_maestro_v1_DoctorResponse__Output>): grpc.ClientUnaryCall;
  doctor(argument: _maestro_v1_DoctorRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DoctorResponse__Output>): grpc.ClientUnaryCall;
  doctor(argument: _maestro_v1_DoctorRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_DoctorResponse__Output>): grpc.ClientUnaryCall;
  doctor(argument: _maestro_v1_DoctorRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DoctorResponse__Output>): grpc.ClientUnaryCall;
  doctor(argument: _maestro_v1_DoctorRequest, callback: grpc.requestCallback<_maestro_v1_DoctorResponse__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _maestro_v1_AutopilotGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_AutopilotGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_AutopilotGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_AutopilotGetRequest, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_AutopilotGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_AutopilotGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_AutopilotGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_AutopilotGetRequest, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  
  Set(argument: _maestro_v1_AutopilotSetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  Set(argument: _maestro_v1_AutopilotSetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  Set(argument: _maestro_v1_AutopilotSetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  Set(argument: _maestro_v1_AutopilotSetRequest, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  set(argument: _maestro_v1_AutopilotSetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  set(argument: _maestro_v1_AutopilotSetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  set(argument: _maestro_v1_AutopilotSetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  set(argument: _maestro_v1_AutopilotSetRequest, callback: grpc.requestCallback<_maestro_v1_AutopilotState__Output>): grpc.ClientUnaryCall;
  
}

export interface AutopilotHandlers extends grpc.UntypedServiceImplementation {
  Doctor: grpc.handleUnaryCall<_maestro_v1_DoctorRequest__Output, _maestro_v1_DoctorResponse>;
  
  Get: grpc.handleUnaryCall<_maestro_v1_AutopilotGetRequest__Output, _maestro_v1_AutopilotState>;
  
  Set: grpc.handleUnaryCall<_maestro_v1_AutopilotSetRequest__Output, _maestro_v1_AutopilotState>;
  
}

export interface AutopilotDefinition extends grpc.ServiceDefinition {
  Doctor: MethodDefinition<_maestro_v1_DoctorRequest, _maestro_v1_DoctorResponse, _maestro_v1_DoctorRequest__Output, _maestro_v1_DoctorResponse__Output>
  Get: MethodDefinition<_maestro_v1_AutopilotGetRequest, _maestro_v1_AutopilotState, _maestro_v1_AutopilotGetRequest__Output, _maestro_v1_AutopilotState__Output>
  Set: MethodDefinition<_maestro_v1_AutopilotSetRequest, _maestro_v1_AutopilotState, _maestro_v1_AutopilotSetRequest__Output, _maestro_v1_AutopilotState__Output>
}
