// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateProjectRequest as _maestro_v1_CreateProjectRequest, CreateProjectRequest__Output as _maestro_v1_CreateProjectRequest__Output } from '../../maestro/v1/CreateProjectRequest.js';
import type { DeleteProjectRequest as _maestro_v1_DeleteProjectRequest, DeleteProjectRequest__Output as _maestro_v1_DeleteProjectRequest__Output } from '../../maestro/v1/DeleteProjectRequest.js';
import type { DeleteProjectResponse as _maestro_v1_DeleteProjectResponse, DeleteProjectResponse__Output as _maestro_v1_DeleteProjectResponse__Output } from '../../maestro/v1/DeleteProjectResponse.js';
import type { GetProjectRequest as _maestro_v1_GetProjectRequest, GetProjectRequest__Output as _maestro_v1_GetProjectRequest__Output } from '../../maestro/v1/GetProjectRequest.js';
import type { ListProjectsRequest as _maestro_v1_ListProjectsRequest, ListProjectsRequest__Output as _maestro_v1_ListProjectsRequest__Output } from '../../maestro/v1/ListProjectsRequest.js';
import type { ListProjectsResponse as _maestro_v1_ListProjectsResponse, ListProjectsResponse__Output as _maestro_v1_ListProjectsResponse__Output } from '../../maestro/v1/ListProjectsResponse.js';
import type { Project as _maestro_v1_Project, Project__Output as _maestro_v1_Project__Output } from '../../maestro/v1/Project.js';
import type { ResolveProjectRequest as _maestro_v1_ResolveProjectRequest, ResolveProjectRequest__Output as _maestro_v1_ResolveProjectRequest__Output } from '../../maestro/v1/ResolveProjectRequest.js';

export interface ProjectsClient extends grpc.Client {
  Create(argument: _maestro_v1_CreateProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateProjectRequest, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateProjectRequest, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _maestro_v1_DeleteProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DeleteProjectResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _maestro_v1_DeleteProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_DeleteProjectResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _maestro_v1_DeleteProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DeleteProjectResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _maestro_v1_DeleteProjectRequest, callback: grpc.requestCallback<_maestro_v1_DeleteProjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_DeleteProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DeleteProjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_DeleteProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_DeleteProjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_DeleteProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DeleteProjectResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_DeleteProjectRequest, callback: grpc.requestCallback<_maestro_v1_DeleteProjectResponse__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _maestro_v1_GetProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_GetProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_GetProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_GetProjectRequest, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetProjectRequest, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  
  List(argument: _maestro_v1_ListProjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListProjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListProjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListProjectsRequest, callback: grpc.requestCallback<_maestro_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListProjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListProjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListProjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListProjectsRequest, callback: grpc.requestCallback<_maestro_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  
  Resolve(argument: _maestro_v1_ResolveProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _maestro_v1_ResolveProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _maestro_v1_ResolveProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _maestro_v1_ResolveProjectRequest, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  resolve(argument: _maestro_v1_ResolveProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  resolve(argument: _maestro_v1_ResolveProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  resolve(argument: _maestro_v1_ResolveProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  resolve(argument: _maestro_v1_ResolveProjectRequest, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  
}

export interface ProjectsHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_maestro_v1_CreateProjectRequest__Output, _maestro_v1_Project>;
  
  Delete: grpc.handleUnaryCall<_maestro_v1_DeleteProjectRequest__Output, _maestro_v1_DeleteProjectResponse>;
  
  Get: grpc.handleUnaryCall<_maestro_v1_GetProjectRequest__Output, _maestro_v1_Project>;
  
  List: grpc.handleUnaryCall<_maestro_v1_ListProjectsRequest__Output, _maestro_v1_ListProjectsResponse>;
  
  Resolve: grpc.handleUnaryCall<_maestro_v1_ResolveProjectRequest__Output, _maestro_v1_Project>;
  
}

export interface ProjectsDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_maestro_v1_CreateProjectRequest, _maestro_v1_Project, _maestro_v1_CreateProjectRequest__Output, _maestro_v1_Project__Output>
  Delete: MethodDefinition<_maestro_v1_DeleteProjectRequest, _maestro_v1_DeleteProjectResponse, _maestro_v1_DeleteProjectRequest__Output, _maestro_v1_DeleteProjectResponse__Output>
  Get: MethodDefinition<_maestro_v1_GetProjectRequest, _maestro_v1_Project, _maestro_v1_GetProjectRequest__Output, _maestro_v1_Project__Output>
  List: MethodDefinition<_maestro_v1_ListProjectsRequest, _maestro_v1_ListProjectsResponse, _maestro_v1_ListProjectsRequest__Output, _maestro_v1_ListProjectsResponse__Output>
  Resolve: MethodDefinition<_maestro_v1_ResolveProjectRequest, _maestro_v1_Project, _maestro_v1_ResolveProjectRequest__Output, _maestro_v1_Project__Output>
}
