// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ReportRequest as _maestro_v1_ReportRequest, ReportRequest__Output as _maestro_v1_ReportRequest__Output } from '../../maestro/v1/ReportRequest.js';
import type { ReportResponse as _maestro_v1_ReportResponse, ReportResponse__Output as _maestro_v1_ReportResponse__Output } from '../../maestro/v1/ReportResponse.js';

export interface ReportsClient extends grpc.Client {
  Report(argument: _maestro_v1_ReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ReportResponse__Output>): grpc.ClientUnaryCall;
  Report(argument: _maestro_v1_ReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ReportResponse__Output>): grpc.ClientUnaryCall;
  Report(argument: _maestro_v1_ReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ReportResponse__Output>): grpc.ClientUnaryCall;
  Report(argument: _maestro_v1_ReportRequest, callback: grpc.requestCallback<_maestro_v1_ReportResponse__Output>): grpc.ClientUnaryCall;
  report(argument: _maestro_v1_ReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ReportResponse__Output>): grpc.ClientUnaryCall;
  report(argument: _maestro_v1_ReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ReportResponse__Output>): grpc.ClientUnaryCall;
  report(argument: _maestro_v1_ReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ReportResponse__Output>): grpc.ClientUnaryCall;
  report(argument: _maestro_v1_ReportRequest, callback: grpc.requestCallback<_maestro_v1_ReportResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ReportsHandlers extends grpc.UntypedServiceImplementation {
  Report: grpc.handleUnaryCall<_maestro_v1_ReportRequest__Output, _maestro_v1_ReportResponse>;
  
}

export interface ReportsDefinition extends grpc.ServiceDefinition {
  Report: MethodDefinition<_maestro_v1_ReportRequest, _maestro_v1_ReportResponse, _maestro_v1_ReportRequest__Output, _maestro_v1_ReportResponse__Output>
}
