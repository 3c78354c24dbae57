// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateSubtaskRequest as _maestro_v1_CreateSubtaskRequest, CreateSubtaskRequest__Output as _maestro_v1_CreateSubtaskRequest__Output } from '../../maestro/v1/CreateSubtaskRequest.js';
import type { ListSubtasksRequest as _maestro_v1_ListSubtasksRequest, ListSubtasksRequest__Output as _maestro_v1_ListSubtasksRequest__Output } from '../../maestro/v1/ListSubtasksRequest.js';
import type { ListSubtasksResponse as _maestro_v1_ListSubtasksResponse, ListSubtasksResponse__Output as _maestro_v1_ListSubtasksResponse__Output } from '../../maestro/v1/ListSubtasksResponse.js';
import type { Subtask as _maestro_v1_Subtask, Subtask__Output as _maestro_v1_Subtask__Output } from '../../maestro/v1/Subtask.js';
import type { SubtaskCommandRequest as _maestro_v1_SubtaskCommandRequest, SubtaskCommandRequest__Output as _maestro_v1_SubtaskCommandRequest__Output } from '../../maestro/v1/SubtaskCommandRequest.js';

export interface SubtasksClient extends grpc.Client {
  Complete(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Complete(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Complete(argument: _maestro_v1_SubtaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Complete(argument: _maestro_v1_SubtaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  complete(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  complete(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  complete(argument: _maestro_v1_SubtaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  complete(argument: _maestro_v1_SubtaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _maestro_v1_CreateSubtaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateSubtaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateSubtaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateSubtaskRequest, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSubtaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSubtaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSubtaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSubtaskRequest, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Delete(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Delete(argument: _maestro_v1_SubtaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Delete(argument: _maestro_v1_SubtaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_SubtaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_SubtaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  
  List(argument: _maestro_v1_ListSubtasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListSubtasksResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListSubtasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListSubtasksResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListSubtasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListSubtasksResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListSubtasksRequest, callback: grpc.requestCallback<_maestro_v1_ListSubtasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListSubtasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListSubtasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListSubtasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListSubtasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListSubtasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListSubtasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListSubtasksRequest, callback: grpc.requestCallback<_maestro_v1_ListSubtasksResponse__Output>): grpc.ClientUnaryCall;
  
  Reopen(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Reopen(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Reopen(argument: _maestro_v1_SubtaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  Reopen(argument: _maestro_v1_SubtaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  reopen(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  reopen(argument: _maestro_v1_SubtaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  reopen(argument: _maestro_v1_SubtaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  reopen(argument: _maestro_v1_SubtaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Subtask__Output>): grpc.ClientUnaryCall;
  
}

export interface SubtasksHandlers extends grpc.UntypedServiceImplementation {
  Complete: grpc.handleUnaryCall<_maestro_v1_SubtaskCommandRequest__Output, _maestro_v1_Subtask>;
  
  Create: grpc.handleUnaryCall<_maestro_v1_CreateSubtaskRequest__Output, _maestro_v1_Subtask>;
  
  Delete: grpc.handleUnaryCall<_maestro_v1_SubtaskCommandRequest__Output, _maestro_v1_Subtask>;
  
  List: grpc.handleUnaryCall<_maestro_v1_ListSubtasksRequest__Output, _maestro_v1_ListSubtasksResponse>;
  
  Reopen: grpc.handleUnaryCall<_maestro_v1_SubtaskCommandRequest__Output, _maestro_v1_Subtask>;
  
}

export interface SubtasksDefinition extends grpc.ServiceDefinition {
  Complete: MethodDefinition<_maestro_v1_SubtaskCommandRequest, _maestro_v1_Subtask, _maestro_v1_SubtaskCommandRequest__Output, _maestro_v1_Subtask__Output>
  Create: MethodDefinition<_maestro_v1_CreateSubtaskRequest, _maestro_v1_Subtask, _maestro_v1_CreateSubtaskRequest__Output, _maestro_v1_Subtask__Output>
  Delete: MethodDefinition<_maestro_v1_SubtaskCommandRequest, _maestro_v1_Subtask, _maestro_v1_SubtaskCommandRequest__Output, _maestro_v1_Subtask__Output>
  List: MethodDefinition<_maestro_v1_ListSubtasksRequest, _maestro_v1_ListSubtasksResponse, _maestro_v1_ListSubtasksRequest__Output, _maestro_v1_ListSubtasksResponse__Output>
  Reopen: MethodDefinition<_maestro_v1_SubtaskCommandRequest, _maestro_v1_Subtask, _maestro_v1_SubtaskCommandRequest__Output, _maestro_v1_Subtask__Output>
}
