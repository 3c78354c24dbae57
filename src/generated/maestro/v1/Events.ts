// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Event as _maestro_v1_Event, Event__Output as _maestro_v1_Event__Output } from '../../maestro/v1/Event.js';
import type { ListEventsRequest as _maestro_v1_ListEventsRequest, ListEventsRequest__Output as _maestro_v1_ListEventsRequest__Output } from '../../maestro/v1/ListEventsRequest.js';
import type { ListEventsResponse as _maestro_v1_ListEventsResponse, ListEventsResponse__Output as _maestro_v1_ListEventsResponse__Output } from '../../maestro/v1/ListEventsResponse.js';
import type { WatchRequest as _maestro_v1_WatchRequest, WatchRequest__Output as _maestro_v1_WatchRequest__Output } from '../../maestro/v1/WatchRequest.js';

export interface EventsClient extends grpc.Client {
  List(argument: _maestro_v1_ListEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListEventsRequest, callback: grpc.requestCallback<_maestro_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListEventsRequest, callback: grpc.requestCallback<_maestro_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  
  Watch(argument: _maestro_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_Event__Output>;
  Watch(argument: _maestro_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_Event__Output>;
  watch(argument: _maestro_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_Event__Output>;
  watch(argument: _maestro_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_Event__Output>;
  
}

export interface EventsHandlers extends grpc.UntypedServiceImplementation {
  List: grpc.handleUnaryCall<_maestro_v1_ListEventsRequest__Output, _maestro_v1_ListEventsResponse>;
  
  Watch: grpc.handleServerStreamingCall<_maestro_v1_WatchRequest__Output, _maestro_v1_Event>;
  
}

export interface EventsDefinition extends grpc.ServiceDefinition {
  List: MethodDefinition<_maestro_v1_ListEventsRequest, _maestro_v1_ListEventsResponse, _maestro_v1_ListEventsRequest__Output, _maestro_v1_ListEventsResponse__Output>
  Watch: MethodDefinition<_maestro_v1_WatchRequest, _maestro_v1_Event, _maestro_v1_WatchRequest__Output, _maestro_v1_Event__Output>
}
