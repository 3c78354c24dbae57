// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateSessionRequest as _maestro_v1_CreateSessionRequest, CreateSessionRequest__Output as _maestro_v1_CreateSessionRequest__Output } from '../../maestro/v1/CreateSessionRequest.js';
import type { GetSessionRequest as _maestro_v1_GetSessionRequest, GetSessionRequest__Output as _maestro_v1_GetSessionRequest__Output } from '../../maestro/v1/GetSessionRequest.js';
import type { HeartbeatRequest as _maestro_v1_HeartbeatRequest, HeartbeatRequest__Output as _maestro_v1_HeartbeatRequest__Output } from '../../maestro/v1/HeartbeatRequest.js';
import type { ListSessionsRequest as _maestro_v1_ListSessionsRequest, ListSessionsRequest__Output as _maestro_v1_ListSessionsRequest__Output } from '../../maestro/v1/ListSessionsRequest.js';
import type { ListSessionsResponse as _maestro_v1_ListSessionsResponse, ListSessionsResponse__Output as _maestro_v1_ListSessionsResponse__Output } from '../../maestro/v1/ListSessionsResponse.js';
import type { Session as _maestro_v1_Session, Session__Output as _maestro_v1_Session__Output } from '../../maestro/v1/Session.js';
import type { SessionReportRequest as _maestro_v1_SessionReportRequest, SessionReportRequest__Output as _maestro_v1_SessionReportRequest__Output } from '../../maestro/v1/SessionReportRequest.js';

export interface SessionsClient extends grpc.Client {
  Create(argument: _maestro_v1_CreateSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_GetSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_GetSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(argument: _maestro_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _maestro_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _maestro_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _maestro_v1_HeartbeatRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _maestro_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _maestro_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _maestro_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _maestro_v1_HeartbeatRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  
  List(argument: _maestro_v1_ListSessionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListSessionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListSessionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListSessionsRequest, callback: grpc.requestCallback<_maestro_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListSessionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListSessionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListSessionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListSessionsRequest, callback: grpc.requestCallback<_maestro_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  
  ReportProcess(argument: _maestro_v1_SessionReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  ReportProcess(argument: _maestro_v1_SessionReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  ReportProcess(argument: _maestro_v1_SessionReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  ReportProcess(argument: _maestro_v1_SessionReportRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  reportProcess(argument: _maestro_v1_SessionReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  reportProcess(argument: _maestro_v1_SessionReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  reportProcess(argument: _maestro_v1_SessionReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  reportProcess(argument: _maestro_v1_SessionReportRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  
  Stop(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Stop(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Stop(argument: _maestro_v1_GetSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Stop(argument: _maestro_v1_GetSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  stop(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  stop(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  stop(argument: _maestro_v1_GetSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  stop(argument: _maestro_v1_GetSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  
}

export interface SessionsHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_maestro_v1_CreateSessionRequest__Output, _maestro_v1_Session>;
  
  Get: grpc.handleUnaryCall<_maestro_v1_GetSessionRequest__Output, _maestro_v1_Session>;
  
  Heartbeat: grpc.handleUnaryCall<_maestro_v1_HeartbeatRequest__Output, _maestro_v1_Session>;
  
  List: grpc.handleUnaryCall<_maestro_v1_ListSessionsRequest__Output, _maestro_v1_ListSessionsResponse>;
  
  ReportProcess: grpc.handleUnaryCall<_maestro_v1_SessionReportRequest__Output, _maestro_v1_Session>;
  
  Stop: grpc.handleUnaryCall<_maestro_v1_GetSessionRequest__Output, _maestro_v1_Session>;
  
}

export interface SessionsDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_maestro_v1_CreateSessionRequest, _maestro_v1_Session, _maestro_v1_CreateSessionRequest__Output, _maestro_v1_Session__Output>
  Get: MethodDefinition<_maestro_v1_GetSessionRequest, _maestro_v1_Session, _maestro_v1_GetSessionRequest__Output, _maestro_v1_Session__Output>
  Heartbeat: MethodDefinition<_maestro_v1_HeartbeatRequest, _maestro_v1_Session, _maestro_v1_HeartbeatRequest__Output, _maestro_v1_Session__Output>
  List: MethodDefinition<_maestro_v1_ListSessionsRequest, _maestro_v1_ListSessionsResponse, _maestro_v1_ListSessionsRequest__Output, _maestro_v1_ListSessionsResponse__Output>
  ReportProcess: MethodDefinition<_maestro_v1_SessionReportRequest, _maestro_v1_Session, _maestro_v1_SessionReportRequest__Output, _maestro_v1_Session__Output>
  Stop: MethodDefinition<_maestro_v1_GetSessionRequest, _maestro_v1_Session, _maestro_v1_GetSessionRequest__Output, _maestro_v1_Session__Output>
}
