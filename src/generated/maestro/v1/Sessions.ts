// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateSessionRequest as _maestro_v1_CreateSessionRequest, CreateSessionRequest__Output as _maestro_v1_CreateSessionRequest__Output } from '../../maestro/v1/CreateSessionRequest.js';
import type { FollowTranscriptRequest as _maestro_v1_FollowTranscriptRequest, FollowTranscriptRequest__Output as _maestro_v1_FollowTranscriptRequest__Output } from '../../maestro/v1/FollowTranscriptRequest.js';
import type { GetSessionRequest as _maestro_v1_GetSessionRequest, GetSessionRequest__Output as _maestro_v1_GetSessionRequest__Output } from '../../maestro/v1/GetSessionRequest.js';
import type { HeartbeatRequest as _maestro_v1_HeartbeatRequest, HeartbeatRequest__Output as _maestro_v1_HeartbeatRequest__Output } from '../../maestro/v1/HeartbeatRequest.js';
import type { ListSessionsRequest as _maestro_v1_ListSessionsRequest, ListSessionsRequest__Output as _maestro_v1_ListSessionsRequest__Output } from '../../maestro/v1/ListSessionsRequest.js';
import type { ListSessionsResponse as _maestro_v1_ListSessionsResponse, ListSessionsResponse__Output as _maestro_v1_ListSessionsResponse__Output } from '../../maestro/v1/ListSessionsResponse.js';
import type { LogChunk as _maestro_v1_LogChunk, LogChunk__Output as _maestro_v1_LogChunk__Output } from '../../maestro/v1/LogChunk.js';
import type { ResumeSessionRequest as _maestro_v1_ResumeSessionRequest, ResumeSessionRequest__Output as _maestro_v1_ResumeSessionRequest__Output } from '../../maestro/v1/ResumeSessionRequest.js';
import type { SendSessionMessageRequest as _maestro_v1_SendSessionMessageRequest, SendSessionMessageRequest__Output as _maestro_v1_SendSessionMessageRequest__Output } from '../../maestro/v1/SendSessionMessageRequest.js';
import type { SendSessionMessageResponse as _maestro_v1_SendSessionMessageResponse, SendSessionMessageResponse__Output as _maestro_v1_SendSessionMessageResponse__Output } from '../../maestro/v1/SendSessionMessageResponse.js';
import type { Session as _maestro_v1_Session, Session__Output as _maestro_v1_Session__Output } from '../../maestro/v1/Session.js';
import type { SessionLogsRequest as _maestro_v1_SessionLogsRequest, SessionLogsRequest__Output as _maestro_v1_SessionLogsRequest__Output } from '../../maestro/v1/SessionLogsRequest.js';
import type { SessionOutputRequest as _maestro_v1_SessionOutputRequest, SessionOutputRequest__Output as _maestro_v1_SessionOutputRequest__Output } from '../../maestro/v1/SessionOutputRequest.js';
import type { SessionOutputResponse as _maestro_v1_SessionOutputResponse, SessionOutputResponse__Output as _maestro_v1_SessionOutputResponse__Output } from '../../maestro/v1/SessionOutputResponse.js';
import type { SessionReportRequest as _maestro_v1_SessionReportRequest, SessionReportRequest__Output as _maestro_v1_SessionReportRequest__Output } from '../../maestro/v1/SessionReportRequest.js';
import type { SpawnSessionRequest as _maestro_v1_SpawnSessionRequest, SpawnSessionRequest__Output as _maestro_v1_SpawnSessionRequest__Output } from '../../maestro/v1/SpawnSessionRequest.js';
import type { SpawnSessionResponse as _maestro_v1_SpawnSessionResponse, SpawnSessionResponse__Output as _maestro_v1_SpawnSessionResponse__Output } from '../../maestro/v1/SpawnSessionResponse.js';
import type { TranscriptEntry as _maestro_v1_TranscriptEntry, TranscriptEntry__Output as _maestro_v1_TranscriptEntry__Output } from '../../maestro/v1/TranscriptEntry.js';
import type { TranscriptRequest as _maestro_v1_TranscriptRequest, TranscriptRequest__Output as _maestro_v1_TranscriptRequest__Output } from '../../maestro/v1/TranscriptRequest.js';
import type { TranscriptResponse as _maestro_v1_TranscriptResponse, TranscriptResponse__Output as _maestro_v1_TranscriptResponse__Output } from '../../maestro/v1/TranscriptResponse.js';

export interface SessionsClient extends grpc.Client {
  Create(argument: _maestro_v1_CreateSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  
  FollowTranscript(argument: _maestro_v1_FollowTranscriptRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_TranscriptEntry__Output>;
  FollowTranscript(argument: _maestro_v1_FollowTranscriptRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_TranscriptEntry__Output>;
  followTranscript(argument: _maestro_v1_FollowTranscriptRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_TranscriptEntry__Output>;
  followTranscript(argument: _maestro_v1_FollowTranscriptRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_TranscriptEntry__Output>;
  
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
  
  Logs(argument: _maestro_v1_SessionLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_LogChunk__Output>;
  Logs(argument: _maestro_v1_SessionLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_LogChunk__Output>;
  logs(argument: _maestro_v1_SessionLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_LogChunk__Output>;
  logs(argument: _maestro_v1_SessionLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_maestro_v1_LogChunk__Output>;
  
  Output(argument: _maestro_v1_SessionOutputRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SessionOutputResponse__Output>): grpc.ClientUnaryCall;
  Output(argument: _maestro_v1_SessionOutputRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_SessionOutputResponse__Output>): grpc.ClientUnaryCall;
  Output(argument: _maestro_v1_SessionOutputRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SessionOutputResponse__Output>): grpc.ClientUnaryCall;
  Output(argument: _maestro_v1_SessionOutputRequest, callback: grpc.requestCallback<_maestro_v1_SessionOutputResponse__Output>): grpc.ClientUnaryCall;
  output(argument: _maestro_v1_SessionOutputRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SessionOutputResponse__Output>): grpc.ClientUnaryCall;
  output(argument: _maestro_v1_SessionOutputRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_SessionOutputResponse__Output>): grpc.ClientUnaryCall;
  output(argument: _maestro_v1_SessionOutputRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SessionOutputResponse__Output>): grpc.ClientUnaryCall;
  output(argument: _maestro_v1_SessionOutputRequest, callback: grpc.requestCallback<_maestro_v1_SessionOutputResponse__Output>): grpc.ClientUnaryCall;
  
  ReportProcess(argument: _maestro_v1_SessionReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  ReportProcess(argument: _maestro_v1_SessionReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  ReportProcess(argument: _maestro_v1_SessionReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  ReportProcess(argument: _maestro_v1_SessionReportRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  reportProcess(argument: _maestro_v1_SessionReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  reportProcess(argument: _maestro_v1_SessionReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  reportProcess(argument: _maestro_v1_SessionReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  reportProcess(argument: _maestro_v1_SessionReportRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  
  Resume(argument: _maestro_v1_ResumeSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  Resume(argument: _maestro_v1_ResumeSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  Resume(argument: _maestro_v1_ResumeSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  Resume(argument: _maestro_v1_ResumeSessionRequest, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _maestro_v1_ResumeSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _maestro_v1_ResumeSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _maestro_v1_ResumeSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _maestro_v1_ResumeSessionRequest, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  
  Send(argument: _maestro_v1_SendSessionMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SendSessionMessageResponse__Output>): grpc.ClientUnaryCall;
  Send(argument: _maestro_v1_SendSessionMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_SendSessionMessageResponse__Output>): grpc.ClientUnaryCall;
  Send(argument: _maestro_v1_SendSessionMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SendSessionMessageResponse__Output>): grpc.ClientUnaryCall;
  Send(argument: _maestro_v1_SendSessionMessageRequest, callback: grpc.requestCallback<_maestro_v1_SendSessionMessageResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _maestro_v1_SendSessionMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SendSessionMessageResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _maestro_v1_SendSessionMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_SendSessionMessageResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _maestro_v1_SendSessionMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SendSessionMessageResponse__Output>): grpc.ClientUnaryCall;
  send(argument: _maestro_v1_SendSessionMessageRequest, callback: grpc.requestCallback<_maestro_v1_SendSessionMessageResponse__Output>): grpc.ClientUnaryCall;
  
  Spawn(argument: _maestro_v1_SpawnSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  Spawn(argument: _maestro_v1_SpawnSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  Spawn(argument: _maestro_v1_SpawnSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  Spawn(argument: _maestro_v1_SpawnSessionRequest, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  spawn(argument: _maestro_v1_SpawnSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  spawn(argument: _maestro_v1_SpawnSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  spawn(argument: _maestro_v1_SpawnSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  spawn(argument: _maestro_v1_SpawnSessionRequest, callback: grpc.requestCallback<_maestro_v1_SpawnSessionResponse__Output>): grpc.ClientUnaryCall;
  
  Stop(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Stop(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Stop(argument: _maestro_v1_GetSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  Stop(argument: _maestro_v1_GetSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  stop(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  stop(argument: _maestro_v1_GetSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  stop(argument: _maestro_v1_GetSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  stop(argument: _maestro_v1_GetSessionRequest, callback: grpc.requestCallback<_maestro_v1_Session__Output>): grpc.ClientUnaryCall;
  
  Transcript(argument: _maestro_v1_TranscriptRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TranscriptResponse__Output>): grpc.ClientUnaryCall;
  Transcript(argument: _maestro_v1_TranscriptRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_TranscriptResponse__Output>): grpc.ClientUnaryCall;
  Transcript(argument: _maestro_v1_TranscriptRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TranscriptResponse__Output>): grpc.ClientUnaryCall;
  Transcript(argument: _maestro_v1_TranscriptRequest, callback: grpc.requestCallback<_maestro_v1_TranscriptResponse__Output>): grpc.ClientUnaryCall;
  transcript(argument: _maestro_v1_TranscriptRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TranscriptResponse__Output>): grpc.ClientUnaryCall;
  transcript(argument: _maestro_v1_TranscriptRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_TranscriptResponse__Output>): grpc.ClientUnaryCall;
  transcript(argument: _maestro_v1_TranscriptRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TranscriptResponse__Output>): grpc.ClientUnaryCall;
  transcript(argument: _maestro_v1_TranscriptRequest, callback: grpc.requestCallback<_maestro_v1_TranscriptResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface SessionsHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_maestro_v1_CreateSessionRequest__Output, _maestro_v1_Session>;
  
  FollowTranscript: grpc.handleServerStreamingCall<_maestro_v1_FollowTranscriptRequest__Output, _maestro_v1_TranscriptEntry>;
  
  Get: grpc.handleUnaryCall<_maestro_v1_GetSessionRequest__Output, _maestro_v1_Session>;
  
  Heartbeat: grpc.handleUnaryCall<_maestro_v1_HeartbeatRequest__Output, _maestro_v1_Session>;
  
  List: grpc.handleUnaryCall<_maestro_v1_ListSessionsRequest__Output, _maestro_v1_ListSessionsResponse>;
  
  Logs: grpc.handleServerStreamingCall<_maestro_v1_SessionLogsRequest__Output, _maestro_v1_LogChunk>;
  
  Output: grpc.handleUnaryCall<_maestro_v1_SessionOutputRequest__Output, _maestro_v1_SessionOutputResponse>;
  
  ReportProcess: grpc.handleUnaryCall<_maestro_v1_SessionReportRequest__Output, _maestro_v1_Session>;
  
  Resume: grpc.handleUnaryCall<_maestro_v1_ResumeSessionRequest__Output, _maestro_v1_SpawnSessionResponse>;
  
  Send: grpc.handleUnaryCall<_maestro_v1_SendSessionMessageRequest__Output, _maestro_v1_SendSessionMessageResponse>;
  
  Spawn: grpc.handleUnaryCall<_maestro_v1_SpawnSessionRequest__Output, _maestro_v1_SpawnSessionResponse>;
  
  Stop: grpc.handleUnaryCall<_maestro_v1_GetSessionRequest__Output, _maestro_v1_Session>;
  
  Transcript: grpc.handleUnaryCall<_maestro_v1_TranscriptRequest__Output, _maestro_v1_TranscriptResponse>;
  
}

export interface SessionsDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_maestro_v1_CreateSessionRequest, _maestro_v1_Session, _maestro_v1_CreateSessionRequest__Output, _maestro_v1_Session__Output>
  FollowTranscript: MethodDefinition<_maestro_v1_FollowTranscriptRequest, _maestro_v1_TranscriptEntry, _maestro_v1_FollowTranscriptRequest__Output, _maestro_v1_TranscriptEntry__Output>
  Get: MethodDefinition<_maestro_v1_GetSessionRequest, _maestro_v1_Session, _maestro_v1_GetSessionRequest__Output, _maestro_v1_Session__Output>
  Heartbeat: MethodDefinition<_maestro_v1_HeartbeatRequest, _maestro_v1_Session, _maestro_v1_HeartbeatRequest__Output, _maestro_v1_Session__Output>
  List: MethodDefinition<_maestro_v1_ListSessionsRequest, _maestro_v1_ListSessionsResponse, _maestro_v1_ListSessionsRequest__Output, _maestro_v1_ListSessionsResponse__Output>
  Logs: MethodDefinition<_maestro_v1_SessionLogsRequest, _maestro_v1_LogChunk, _maestro_v1_SessionLogsRequest__Output, _maestro_v1_LogChunk__Output>
  Output: MethodDefinition<_maestro_v1_SessionOutputRequest, _maestro_v1_SessionOutputResponse, _maestro_v1_SessionOutputRequest__Output, _maestro_v1_SessionOutputResponse__Output>
  ReportProcess: MethodDefinition<_maestro_v1_SessionReportRequest, _maestro_v1_Session, _maestro_v1_SessionReportRequest__Output, _maestro_v1_Session__Output>
  Resume: MethodDefinition<_maestro_v1_ResumeSessionRequest, _maestro_v1_SpawnSessionResponse, _maestro_v1_ResumeSessionRequest__Output, _maestro_v1_SpawnSessionResponse__Output>
  Send: MethodDefinition<_maestro_v1_SendSessionMessageRequest, _maestro_v1_SendSessionMessageResponse, _maestro_v1_SendSessionMessageRequest__Output, _maestro_v1_SendSessionMessageResponse__Output>
  Spawn: MethodDefinition<_maestro_v1_SpawnSessionRequest, _maestro_v1_SpawnSessionResponse, _maestro_v1_SpawnSessionRequest__Output, _maestro_v1_SpawnSessionResponse__Output>
  Stop: MethodDefinition<_maestro_v1_GetSessionRequest, _maestro_v1_Session, _maestro_v1_GetSessionRequest__Output, _maestro_v1_Session__Output>
  Transcript: MethodDefinition<_maestro_v1_TranscriptRequest, _maestro_v1_TranscriptResponse, _maestro_v1_TranscriptRequest__Output, _maestro_v1_TranscriptResponse__Output>
}
