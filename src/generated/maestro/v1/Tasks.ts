// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ClaimTaskRequest as _maestro_v1_ClaimTaskRequest, ClaimTaskRequest__Output as _maestro_v1_ClaimTaskRequest__Output } from '../../maestro/v1/ClaimTaskRequest.js';
import type { ClaimTaskResponse as _maestro_v1_ClaimTaskResponse, ClaimTaskResponse__Output as _maestro_v1_ClaimTaskResponse__Output } from '../../maestro/v1/ClaimTaskResponse.js';
import type { CreateTaskRequest as _maestro_v1_CreateTaskRequest, CreateTaskRequest__Output as _maestro_v1_CreateTaskRequest__Output } from '../../maestro/v1/CreateTaskRequest.js';
import type { DeleteTaskRequest as _maestro_v1_DeleteTaskRequest, DeleteTaskRequest__Output as _maestro_v1_DeleteTaskRequest__Output } from '../../maestro/v1/DeleteTaskRequest.js';
import type { DeleteTaskResponse as _maestro_v1_DeleteTaskResponse, DeleteTaskResponse__Output as _maestro_v1_DeleteTaskResponse__Output } from '../../maestro/v1/DeleteTaskResponse.js';
import type { DependencyRequest as _maestro_v1_DependencyRequest, DependencyRequest__Output as _maestro_v1_DependencyRequest__Output } from '../../maestro/v1/DependencyRequest.js';
import type { GetTaskRequest as _maestro_v1_GetTaskRequest, GetTaskRequest__Output as _maestro_v1_GetTaskRequest__Output } from '../../maestro/v1/GetTaskRequest.js';
import type { ListTasksRequest as _maestro_v1_ListTasksRequest, ListTasksRequest__Output as _maestro_v1_ListTasksRequest__Output } from '../../maestro/v1/ListTasksRequest.js';
import type { ListTasksResponse as _maestro_v1_ListTasksResponse, ListTasksResponse__Output as _maestro_v1_ListTasksResponse__Output } from '../../maestro/v1/ListTasksResponse.js';
import type { ReadyTasksRequest as _maestro_v1_ReadyTasksRequest, ReadyTasksRequest__Output as _maestro_v1_ReadyTasksRequest__Output } from '../../maestro/v1/ReadyTasksRequest.js';
import type { Task as _maestro_v1_Task, Task__Output as _maestro_v1_Task__Output } from '../../maestro/v1/Task.js';
import type { TaskCommandRequest as _maestro_v1_TaskCommandRequest, TaskCommandRequest__Output as _maestro_v1_TaskCommandRequest__Output } from '../../maestro/v1/TaskCommandRequest.js';
import type { TaskDetail as _maestro_v1_TaskDetail, TaskDetail__Output as _maestro_v1_TaskDetail__Output } from '../../maestro/v1/TaskDetail.js';
import type { UpdateTaskRequest as _maestro_v1_UpdateTaskRequest, UpdateTaskRequest__Output as _maestro_v1_UpdateTaskRequest__Output } from '../../maestro/v1/UpdateTaskRequest.js';

export interface TasksClient extends grpc.Client {
  AddDependency(argument: _maestro_v1_DependencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  AddDependency(argument: _maestro_v1_DependencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  AddDependency(argument: _maestro_v1_DependencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  AddDependency(argument: _maestro_v1_DependencyRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  addDependency(argument: _maestro_v1_DependencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  addDependency(argument: _maestro_v1_DependencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  addDependency(argument: _maestro_v1_DependencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  addDependency(argument: _maestro_v1_DependencyRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  Block(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Block(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Block(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Block(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  block(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  block(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  block(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  block(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  Cancel(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  cancel(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  cancel(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  cancel(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  cancel(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  Claim(argument: _maestro_v1_ClaimTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ClaimTaskResponse__Output>): grpc.ClientUnaryCall;
  Claim(argument: _maestro_v1_ClaimTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ClaimTaskResponse__Output>): grpc.ClientUnaryCall;
  Claim(argument: _maestro_v1_ClaimTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ClaimTaskResponse__Output>): grpc.ClientUnaryCall;
  Claim(argument: _maestro_v1_ClaimTaskRequest, callback: grpc.requestCallback<_maestro_v1_ClaimTaskResponse__Output>): grpc.ClientUnaryCall;
  claim(argument: _maestro_v1_ClaimTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ClaimTaskResponse__Output>): grpc.ClientUnaryCall;
  claim(argument: _maestro_v1_ClaimTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ClaimTaskResponse__Output>): grpc.ClientUnaryCall;
  claim(argument: _maestro_v1_ClaimTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ClaimTaskResponse__Output>): grpc.ClientUnaryCall;
  claim(argument: _maestro_v1_ClaimTaskRequest, callback: grpc.requestCallback<_maestro_v1_ClaimTaskResponse__Output>): grpc.ClientUnaryCall;
  
  Complete(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Complete(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Complete(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Complete(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  complete(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  complete(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  complete(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  complete(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _maestro_v1_CreateTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Create(argument: _maestro_v1_CreateTaskRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  create(argument: _maestro_v1_CreateTaskRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _maestro_v1_DeleteTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DeleteTaskResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _maestro_v1_DeleteTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_DeleteTaskResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _maestro_v1_DeleteTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DeleteTaskResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _maestro_v1_DeleteTaskRequest, callback: grpc.requestCallback<_maestro_v1_DeleteTaskResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_DeleteTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DeleteTaskResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_DeleteTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_DeleteTaskResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_DeleteTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_DeleteTaskResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _maestro_v1_DeleteTaskRequest, callback: grpc.requestCallback<_maestro_v1_DeleteTaskResponse__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _maestro_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  Get(argument: _maestro_v1_GetTaskRequest, callback: grpc.requestCallback<_maestro_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  get(argument: _maestro_v1_GetTaskRequest, callback: grpc.requestCallback<_maestro_v1_TaskDetail__Output>): grpc.ClientUnaryCall;
  
  List(argument: _maestro_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_ListTasksRequest, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_ListTasksRequest, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  Ready(argument: _maestro_v1_ReadyTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  Ready(argument: _maestro_v1_ReadyTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  Ready(argument: _maestro_v1_ReadyTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  Ready(argument: _maestro_v1_ReadyTasksRequest, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ready(argument: _maestro_v1_ReadyTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ready(argument: _maestro_v1_ReadyTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ready(argument: _maestro_v1_ReadyTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ready(argument: _maestro_v1_ReadyTasksRequest, callback: grpc.requestCallback<_maestro_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  Release(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Release(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Release(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Release(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  release(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  release(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  release(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  release(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  RemoveDependency(argument: _maestro_v1_DependencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  RemoveDependency(argument: _maestro_v1_DependencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  RemoveDependency(argument: _maestro_v1_DependencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  RemoveDependency(argument: _maestro_v1_DependencyRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  removeDependency(argument: _maestro_v1_DependencyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  removeDependency(argument: _maestro_v1_DependencyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  removeDependency(argument: _maestro_v1_DependencyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  removeDependency(argument: _maestro_v1_DependencyRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  Reopen(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Reopen(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Reopen(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Reopen(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  reopen(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  reopen(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  reopen(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  reopen(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  Start(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Start(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Start(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Start(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  start(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  start(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  start(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  start(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  Unblock(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Unblock(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Unblock(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Unblock(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  unblock(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  unblock(argument: _maestro_v1_TaskCommandRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  unblock(argument: _maestro_v1_TaskCommandRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  unblock(argument: _maestro_v1_TaskCommandRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _maestro_v1_UpdateTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Update(argument: _maestro_v1_UpdateTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Update(argument: _maestro_v1_UpdateTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  Update(argument: _maestro_v1_UpdateTaskRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  update(argument: _maestro_v1_UpdateTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  update(argument: _maestro_v1_UpdateTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  update(argument: _maestro_v1_UpdateTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  update(argument: _maestro_v1_UpdateTaskRequest, callback: grpc.requestCallback<_maestro_v1_Task__Output>): grpc.ClientUnaryCall;
  
}

export interface TasksHandlers extends grpc.UntypedServiceImplementation {
  AddDependency: grpc.handleUnaryCall<_maestro_v1_DependencyRequest__Output, _maestro_v1_Task>;
  
  Block: grpc.handleUnaryCall<_maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task>;
  
  Cancel: grpc.handleUnaryCall<_maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task>;
  
  Claim: grpc.handleUnaryCall<_maestro_v1_ClaimTaskRequest__Output, _maestro_v1_ClaimTaskResponse>;
  
  Complete: grpc.handleUnaryCall<_maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task>;
  
  Create: grpc.handleUnaryCall<_maestro_v1_CreateTaskRequest__Output, _maestro_v1_Task>;
  
  Delete: grpc.handleUnaryCall<_maestro_v1_DeleteTaskRequest__Output, _maestro_v1_DeleteTaskResponse>;
  
  Get: grpc.handleUnaryCall<_maestro_v1_GetTaskRequest__Output, _maestro_v1_TaskDetail>;
  
  List: grpc.handleUnaryCall<_maestro_v1_ListTasksRequest__Output, _maestro_v1_ListTasksResponse>;
  
  Ready: grpc.handleUnaryCall<_maestro_v1_ReadyTasksRequest__Output, _maestro_v1_ListTasksResponse>;
  
  Release: grpc.handleUnaryCall<_maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task>;
  
  RemoveDependency: grpc.handleUnaryCall<_maestro_v1_DependencyRequest__Output, _maestro_v1_Task>;
  
  Reopen: grpc.handleUnaryCall<_maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task>;
  
  Start: grpc.handleUnaryCall<_maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task>;
  
  Unblock: grpc.handleUnaryCall<_maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task>;
  
  Update: grpc.handleUnaryCall<_maestro_v1_UpdateTaskRequest__Output, _maestro_v1_Task>;
  
}

export interface TasksDefinition extends grpc.ServiceDefinition {
  AddDependency: MethodDefinition<_maestro_v1_DependencyRequest, _maestro_v1_Task, _maestro_v1_DependencyRequest__Output, _maestro_v1_Task__Output>
  Block: MethodDefinition<_maestro_v1_TaskCommandRequest, _maestro_v1_Task, _maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task__Output>
  Cancel: MethodDefinition<_maestro_v1_TaskCommandRequest, _maestro_v1_Task, _maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task__Output>
  Claim: MethodDefinition<_maestro_v1_ClaimTaskRequest, _maestro_v1_ClaimTaskResponse, _maestro_v1_ClaimTaskRequest__Output, _maestro_v1_ClaimTaskResponse__Output>
  Complete: MethodDefinition<_maestro_v1_TaskCommandRequest, _maestro_v1_Task, _maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task__Output>
  Create: MethodDefinition<_maestro_v1_CreateTaskRequest, _maestro_v1_Task, _maestro_v1_CreateTaskRequest__Output, _maestro_v1_Task__Output>
  Delete: MethodDefinition<_maestro_v1_DeleteTaskRequest, _maestro_v1_DeleteTaskResponse, _maestro_v1_DeleteTaskRequest__Output, _maestro_v1_DeleteTaskResponse__Output>
  Get: MethodDefinition<_maestro_v1_GetTaskRequest, _maestro_v1_TaskDetail, _maestro_v1_GetTaskRequest__Output, _maestro_v1_TaskDetail__Output>
  List: MethodDefinition<_maestro_v1_ListTasksRequest, _maestro_v1_ListTasksResponse, _maestro_v1_ListTasksRequest__Output, _maestro_v1_ListTasksResponse__Output>
  Ready: MethodDefinition<_maestro_v1_ReadyTasksRequest, _maestro_v1_ListTasksResponse, _maestro_v1_ReadyTasksRequest__Output, _maestro_v1_ListTasksResponse__Output>
  Release: MethodDefinition<_maestro_v1_TaskCommandRequest, _maestro_v1_Task, _maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task__Output>
  RemoveDependency: MethodDefinition<_maestro_v1_DependencyRequest, _maestro_v1_Task, _maestro_v1_DependencyRequest__Output, _maestro_v1_Task__Output>
  Reopen: MethodDefinition<_maestro_v1_TaskCommandRequest, _maestro_v1_Task, _maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task__Output>
  Start: MethodDefinition<_maestro_v1_TaskCommandRequest, _maestro_v1_Task, _maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task__Output>
  Unblock: MethodDefinition<_maestro_v1_TaskCommandRequest, _maestro_v1_Task, _maestro_v1_TaskCommandRequest__Output, _maestro_v1_Task__Output>
  Update: MethodDefinition<_maestro_v1_UpdateTaskRequest, _maestro_v1_Task, _maestro_v1_UpdateTaskRequest__Output, _maestro_v1_Task__Output>
}
