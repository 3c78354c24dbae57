// Original file: proto/maestro/v1/maestro.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { MergeQueueRequest as _maestro_v1_MergeQueueRequest, MergeQueueRequest__Output as _maestro_v1_MergeQueueRequest__Output } from '../../maestro/v1/MergeQueueRequest.js';
import type { MergeQueueResponse as _maestro_v1_MergeQueueResponse, MergeQueueResponse__Output as _maestro_v1_MergeQueueResponse__Output } from '../../maestro/v1/MergeQueueResponse.js';
import type { Project as _maestro_v1_Project, Project__Output as _maestro_v1_Project__Output } from '../../maestro/v1/Project.js';
import type { ReviewCommentRequest as _maestro_v1_ReviewCommentRequest, ReviewCommentRequest__Output as _maestro_v1_ReviewCommentRequest__Output } from '../../maestro/v1/ReviewCommentRequest.js';
import type { ReviewCommentResponse as _maestro_v1_ReviewCommentResponse, ReviewCommentResponse__Output as _maestro_v1_ReviewCommentResponse__Output } from '../../maestro/v1/ReviewCommentResponse.js';
import type { ReviewDecisionRequest as _maestro_v1_ReviewDecisionRequest, ReviewDecisionRequest__Output as _maestro_v1_ReviewDecisionRequest__Output } from '../../maestro/v1/ReviewDecisionRequest.js';
import type { TaskDiffRequest as _maestro_v1_TaskDiffRequest, TaskDiffRequest__Output as _maestro_v1_TaskDiffRequest__Output } from '../../maestro/v1/TaskDiffRequest.js';
import type { TaskDiffResponse as _maestro_v1_TaskDiffResponse, TaskDiffResponse__Output as _maestro_v1_TaskDiffResponse__Output } from '../../maestro/v1/TaskDiffResponse.js';
import type { Workspace as _maestro_v1_Workspace, Workspace__Output as _maestro_v1_Workspace__Output } from '../../maestro/v1/Workspace.js';
import type { WorkspaceListRequest as _maestro_v1_WorkspaceListRequest, WorkspaceListRequest__Output as _maestro_v1_WorkspaceListRequest__Output } from '../../maestro/v1/WorkspaceListRequest.js';
import type { WorkspaceListResponse as _maestro_v1_WorkspaceListResponse, WorkspaceListResponse__Output as _maestro_v1_WorkspaceListResponse__Output } from '../../maestro/v1/WorkspaceListResponse.js';
import type { WorkspacePruneRequest as _maestro_v1_WorkspacePruneRequest, WorkspacePruneRequest__Output as _maestro_v1_WorkspacePruneRequest__Output } from '../../maestro/v1/WorkspacePruneRequest.js';
import type { WorkspacePruneResponse as _maestro_v1_WorkspacePruneResponse, WorkspacePruneResponse__Output as _maestro_v1_WorkspacePruneResponse__Output } from '../../maestro/v1/WorkspacePruneResponse.js';
import type { WorkspaceRestoreRequest as _maestro_v1_WorkspaceRestoreRequest, WorkspaceRestoreRequest__Output as _maestro_v1_WorkspaceRestoreRequest__Output } from '../../maestro/v1/WorkspaceRestoreRequest.js';
import type { WorkspaceRestoreResponse as _maestro_v1_WorkspaceRestoreResponse, WorkspaceRestoreResponse__Output as _maestro_v1_WorkspaceRestoreResponse__Output } from '../../maestro/v1/WorkspaceRestoreResponse.js';
import type { WorkspaceSettingsRequest as _maestro_v1_WorkspaceSettingsRequest, WorkspaceSettingsRequest__Output as _maestro_v1_WorkspaceSettingsRequest__Output } from '../../maestro/v1/WorkspaceSettingsRequest.js';

export interface WorkspacesClient extends grpc.Client {
  Approve(argument: _maestro_v1_ReviewDecisionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  Approve(argument: _maestro_v1_ReviewDecisionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  Approve(argument: _maestro_v1_ReviewDecisionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  Approve(argument: _maestro_v1_ReviewDecisionRequest, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  approve(argument: _maestro_v1_ReviewDecisionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  approve(argument: _maestro_v1_ReviewDecisionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  approve(argument: _maestro_v1_ReviewDecisionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  approve(argument: _maestro_v1_ReviewDecisionRequest, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  
  Configure(argument: _maestro_v1_WorkspaceSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Configure(argument: _maestro_v1_WorkspaceSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Configure(argument: _maestro_v1_WorkspaceSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  Configure(argument: _maestro_v1_WorkspaceSettingsRequest, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  configure(argument: _maestro_v1_WorkspaceSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  configure(argument: _maestro_v1_WorkspaceSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  configure(argument: _maestro_v1_WorkspaceSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  configure(argument: _maestro_v1_WorkspaceSettingsRequest, callback: grpc.requestCallback<_maestro_v1_Project__Output>): grpc.ClientUnaryCall;
  
  List(argument: _maestro_v1_WorkspaceListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspaceListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_WorkspaceListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_WorkspaceListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_WorkspaceListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspaceListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _maestro_v1_WorkspaceListRequest, callback: grpc.requestCallback<_maestro_v1_WorkspaceListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_WorkspaceListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspaceListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_WorkspaceListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_WorkspaceListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_WorkspaceListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspaceListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _maestro_v1_WorkspaceListRequest, callback: grpc.requestCallback<_maestro_v1_WorkspaceListResponse__Output>): grpc.ClientUnaryCall;
  
  MergeQueue(argument: _maestro_v1_MergeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_MergeQueueResponse__Output>): grpc.ClientUnaryCall;
  MergeQueue(argument: _maestro_v1_MergeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_MergeQueueResponse__Output>): grpc.ClientUnaryCall;
  MergeQueue(argument: _maestro_v1_MergeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_MergeQueueResponse__Output>): grpc.ClientUnaryCall;
  MergeQueue(argument: _maestro_v1_MergeQueueRequest, callback: grpc.requestCallback<_maestro_v1_MergeQueueResponse__Output>): grpc.ClientUnaryCall;
  mergeQueue(argument: _maestro_v1_MergeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_MergeQueueResponse__Output>): grpc.ClientUnaryCall;
  mergeQueue(argument: _maestro_v1_MergeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_MergeQueueResponse__Output>): grpc.ClientUnaryCall;
  mergeQueue(argument: _maestro_v1_MergeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_MergeQueueResponse__Output>): grpc.ClientUnaryCall;
  mergeQueue(argument: _maestro_v1_MergeQueueRequest, callback: grpc.requestCallback<_maestro_v1_MergeQueueResponse__Output>): grpc.ClientUnaryCall;
  
  Prune(argument: _maestro_v1_WorkspacePruneRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspacePruneResponse__Output>): grpc.ClientUnaryCall;
  Prune(argument: _maestro_v1_WorkspacePruneRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_WorkspacePruneResponse__Output>): grpc.ClientUnaryCall;
  Prune(argument: _maestro_v1_WorkspacePruneRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspacePruneResponse__Output>): grpc.ClientUnaryCall;
  Prune(argument: _maestro_v1_WorkspacePruneRequest, callback: grpc.requestCallback<_maestro_v1_WorkspacePruneResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _maestro_v1_WorkspacePruneRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspacePruneResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _maestro_v1_WorkspacePruneRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_WorkspacePruneResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _maestro_v1_WorkspacePruneRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspacePruneResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _maestro_v1_WorkspacePruneRequest, callback: grpc.requestCallback<_maestro_v1_WorkspacePruneResponse__Output>): grpc.ClientUnaryCall;
  
  Reject(argument: _maestro_v1_ReviewDecisionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  Reject(argument: _maestro_v1_ReviewDecisionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  Reject(argument: _maestro_v1_ReviewDecisionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  Reject(argument: _maestro_v1_ReviewDecisionRequest, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  reject(argument: _maestro_v1_ReviewDecisionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  reject(argument: _maestro_v1_ReviewDecisionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  reject(argument: _maestro_v1_ReviewDecisionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  reject(argument: _maestro_v1_ReviewDecisionRequest, callback: grpc.requestCallback<_maestro_v1_Workspace__Output>): grpc.ClientUnaryCall;
  
  Restore(argument: _maestro_v1_WorkspaceRestoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspaceRestoreResponse__Output>): grpc.ClientUnaryCall;
  Restore(argument: _maestro_v1_WorkspaceRestoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_WorkspaceRestoreResponse__Output>): grpc.ClientUnaryCall;
  Restore(argument: _maestro_v1_WorkspaceRestoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspaceRestoreResponse__Output>): grpc.ClientUnaryCall;
  Restore(argument: _maestro_v1_WorkspaceRestoreRequest, callback: grpc.requestCallback<_maestro_v1_WorkspaceRestoreResponse__Output>): grpc.ClientUnaryCall;
  restore(argument: _maestro_v1_WorkspaceRestoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspaceRestoreResponse__Output>): grpc.ClientUnaryCall;
  restore(argument: _maestro_v1_WorkspaceRestoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_WorkspaceRestoreResponse__Output>): grpc.ClientUnaryCall;
  restore(argument: _maestro_v1_WorkspaceRestoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_WorkspaceRestoreResponse__Output>): grpc.ClientUnaryCall;
  restore(argument: _maestro_v1_WorkspaceRestoreRequest, callback: grpc.requestCallback<_maestro_v1_WorkspaceRestoreResponse__Output>): grpc.ClientUnaryCall;
  
  Review(argument: _maestro_v1_ReviewCommentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ReviewCommentResponse__Output>): grpc.ClientUnaryCall;
  Review(argument: _maestro_v1_ReviewCommentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ReviewCommentResponse__Output>): grpc.ClientUnaryCall;
  Review(argument: _maestro_v1_ReviewCommentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ReviewCommentResponse__Output>): grpc.ClientUnaryCall;
  Review(argument: _maestro_v1_ReviewCommentRequest, callback: grpc.requestCallback<_maestro_v1_ReviewCommentResponse__Output>): grpc.ClientUnaryCall;
  review(argument: _maestro_v1_ReviewCommentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ReviewCommentResponse__Output>): grpc.ClientUnaryCall;
  review(argument: _maestro_v1_ReviewCommentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_ReviewCommentResponse__Output>): grpc.ClientUnaryCall;
  review(argument: _maestro_v1_ReviewCommentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_ReviewCommentResponse__Output>): grpc.ClientUnaryCall;
  review(argument: _maestro_v1_ReviewCommentRequest, callback: grpc.requestCallback<_maestro_v1_ReviewCommentResponse__Output>): grpc.ClientUnaryCall;
  
  TaskDiff(argument: _maestro_v1_TaskDiffRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TaskDiffResponse__Output>): grpc.ClientUnaryCall;
  TaskDiff(argument: _maestro_v1_TaskDiffRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_TaskDiffResponse__Output>): grpc.ClientUnaryCall;
  TaskDiff(argument: _maestro_v1_TaskDiffRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TaskDiffResponse__Output>): grpc.ClientUnaryCall;
  TaskDiff(argument: _maestro_v1_TaskDiffRequest, callback: grpc.requestCallback<_maestro_v1_TaskDiffResponse__Output>): grpc.ClientUnaryCall;
  taskDiff(argument: _maestro_v1_TaskDiffRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TaskDiffResponse__Output>): grpc.ClientUnaryCall;
  taskDiff(argument: _maestro_v1_TaskDiffRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_maestro_v1_TaskDiffResponse__Output>): grpc.ClientUnaryCall;
  taskDiff(argument: _maestro_v1_TaskDiffRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_maestro_v1_TaskDiffResponse__Output>): grpc.ClientUnaryCall;
  taskDiff(argument: _maestro_v1_TaskDiffRequest, callback: grpc.requestCallback<_maestro_v1_TaskDiffResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface WorkspacesHandlers extends grpc.UntypedServiceImplementation {
  Approve: grpc.handleUnaryCall<_maestro_v1_ReviewDecisionRequest__Output, _maestro_v1_Workspace>;
  
  Configure: grpc.handleUnaryCall<_maestro_v1_WorkspaceSettingsRequest__Output, _maestro_v1_Project>;
  
  List: grpc.handleUnaryCall<_maestro_v1_WorkspaceListRequest__Output, _maestro_v1_WorkspaceListResponse>;
  
  MergeQueue: grpc.handleUnaryCall<_maestro_v1_MergeQueueRequest__Output, _maestro_v1_MergeQueueResponse>;
  
  Prune: grpc.handleUnaryCall<_maestro_v1_WorkspacePruneRequest__Output, _maestro_v1_WorkspacePruneResponse>;
  
  Reject: grpc.handleUnaryCall<_maestro_v1_ReviewDecisionRequest__Output, _maestro_v1_Workspace>;
  
  Restore: grpc.handleUnaryCall<_maestro_v1_WorkspaceRestoreRequest__Output, _maestro_v1_WorkspaceRestoreResponse>;
  
  Review: grpc.handleUnaryCall<_maestro_v1_ReviewCommentRequest__Output, _maestro_v1_ReviewCommentResponse>;
  
  TaskDiff: grpc.handleUnaryCall<_maestro_v1_TaskDiffRequest__Output, _maestro_v1_TaskDiffResponse>;
  
}

export interface WorkspacesDefinition extends grpc.ServiceDefinition {
  Approve: MethodDefinition<_maestro_v1_ReviewDecisionRequest, _maestro_v1_Workspace, _maestro_v1_ReviewDecisionRequest__Output, _maestro_v1_Workspace__Output>
  Configure: MethodDefinition<_maestro_v1_WorkspaceSettingsRequest, _maestro_v1_Project, _maestro_v1_WorkspaceSettingsRequest__Output, _maestro_v1_Project__Output>
  List: MethodDefinition<_maestro_v1_WorkspaceListRequest, _maestro_v1_WorkspaceListResponse, _maestro_v1_WorkspaceListRequest__Output, _maestro_v1_WorkspaceListResponse__Output>
  MergeQueue: MethodDefinition<_maestro_v1_MergeQueueRequest, _maestro_v1_MergeQueueResponse, _maestro_v1_MergeQueueRequest__Output, _maestro_v1_MergeQueueResponse__Output>
  Prune: MethodDefinition<_maestro_v1_WorkspacePruneRequest, _maestro_v1_WorkspacePruneResponse, _maestro_v1_WorkspacePruneRequest__Output, _maestro_v1_WorkspacePruneResponse__Output>
  Reject: MethodDefinition<_maestro_v1_ReviewDecisionRequest, _maestro_v1_Workspace, _maestro_v1_ReviewDecisionRequest__Output, _maestro_v1_Workspace__Output>
  Restore: MethodDefinition<_maestro_v1_WorkspaceRestoreRequest, _maestro_v1_WorkspaceRestoreResponse, _maestro_v1_WorkspaceRestoreRequest__Output, _maestro_v1_WorkspaceRestoreResponse__Output>
  Review: MethodDefinition<_maestro_v1_ReviewCommentRequest, _maestro_v1_ReviewCommentResponse, _maestro_v1_ReviewCommentRequest__Output, _maestro_v1_ReviewCommentResponse__Output>
  TaskDiff: MethodDefinition<_maestro_v1_TaskDiffRequest, _maestro_v1_TaskDiffResponse, _maestro_v1_TaskDiffRequest__Output, _maestro_v1_TaskDiffResponse__Output>
}
