import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentProfile as _maestro_v1_AgentProfile, AgentProfile__Output as _maestro_v1_AgentProfile__Output } from './maestro/v1/AgentProfile.js';
import type { AgentsClient as _maestro_v1_AgentsClient, AgentsDefinition as _maestro_v1_AgentsDefinition } from './maestro/v1/Agents.js';
import type { AutopilotClient as _maestro_v1_AutopilotClient, AutopilotDefinition as _maestro_v1_AutopilotDefinition } from './maestro/v1/Autopilot.js';
import type { AutopilotGetRequest as _maestro_v1_AutopilotGetRequest, AutopilotGetRequest__Output as _maestro_v1_AutopilotGetRequest__Output } from './maestro/v1/AutopilotGetRequest.js';
import type { AutopilotSetRequest as _maestro_v1_AutopilotSetRequest, AutopilotSetRequest__Output as _maestro_v1_AutopilotSetRequest__Output } from './maestro/v1/AutopilotSetRequest.js';
import type { AutopilotState as _maestro_v1_AutopilotState, AutopilotState__Output as _maestro_v1_AutopilotState__Output } from './maestro/v1/AutopilotState.js';
import type { Budget as _maestro_v1_Budget, Budget__Output as _maestro_v1_Budget__Output } from './maestro/v1/Budget.js';
import type { Claim as _maestro_v1_Claim, Claim__Output as _maestro_v1_Claim__Output } from './maestro/v1/Claim.js';
import type { ClaimTaskRequest as _maestro_v1_ClaimTaskRequest, ClaimTaskRequest__Output as _maestro_v1_ClaimTaskRequest__Output } from './maestro/v1/ClaimTaskRequest.js';
import type { ClaimTaskResponse as _maestro_v1_ClaimTaskResponse, ClaimTaskResponse__Output as _maestro_v1_ClaimTaskResponse__Output } from './maestro/v1/ClaimTaskResponse.js';
import type { CountEntry as _maestro_v1_CountEntry, CountEntry__Output as _maestro_v1_CountEntry__Output } from './maestro/v1/CountEntry.js';
import type { CreateProjectRequest as _maestro_v1_CreateProjectRequest, CreateProjectRequest__Output as _maestro_v1_CreateProjectRequest__Output } from './maestro/v1/CreateProjectRequest.js';
import type { CreateSessionRequest as _maestro_v1_CreateSessionRequest, CreateSessionRequest__Output as _maestro_v1_CreateSessionRequest__Output } from './maestro/v1/CreateSessionRequest.js';
import type { CreateSubtaskRequest as _maestro_v1_CreateSubtaskRequest, CreateSubtaskRequest__Output as _maestro_v1_CreateSubtaskRequest__Output } from './maestro/v1/CreateSubtaskRequest.js';
import type { CreateTaskRequest as _maestro_v1_CreateTaskRequest, CreateTaskRequest__Output as _maestro_v1_CreateTaskRequest__Output } from './maestro/v1/CreateTaskRequest.js';
import type { DeleteProjectRequest as _maestro_v1_DeleteProjectRequest, DeleteProjectRequest__Output as _maestro_v1_DeleteProjectRequest__Output } from './maestro/v1/DeleteProjectRequest.js';
import type { DeleteProjectResponse as _maestro_v1_DeleteProjectResponse, DeleteProjectResponse__Output as _maestro_v1_DeleteProjectResponse__Output } from './maestro/v1/DeleteProjectResponse.js';
import type { DeleteTaskRequest as _maestro_v1_DeleteTaskRequest, DeleteTaskRequest__Output as _maestro_v1_DeleteTaskRequest__Output } from './maestro/v1/DeleteTaskRequest.js';
import type { DeleteTaskResponse as _maestro_v1_DeleteTaskResponse, DeleteTaskResponse__Output as _maestro_v1_DeleteTaskResponse__Output } from './maestro/v1/DeleteTaskResponse.js';
import type { DependencyRequest as _maestro_v1_DependencyRequest, DependencyRequest__Output as _maestro_v1_DependencyRequest__Output } from './maestro/v1/DependencyRequest.js';
import type { DoctorEntry as _maestro_v1_DoctorEntry, DoctorEntry__Output as _maestro_v1_DoctorEntry__Output } from './maestro/v1/DoctorEntry.js';
import type { DoctorRequest as _maestro_v1_DoctorRequest, DoctorRequest__Output as _maestro_v1_DoctorRequest__Output } from './maestro/v1/DoctorRequest.js';
import type { DoctorResponse as _maestro_v1_DoctorResponse, DoctorResponse__Output as _maestro_v1_DoctorResponse__Output } from './maestro/v1/DoctorResponse.js';
import type { Event as _maestro_v1_Event, Event__Output as _maestro_v1_Event__Output } from './maestro/v1/Event.js';
import type { EventsClient as _maestro_v1_EventsClient, EventsDefinition as _maestro_v1_EventsDefinition } from './maestro/v1/Events.js';
import type { FollowTranscriptRequest as _maestro_v1_FollowTranscriptRequest, FollowTranscriptRequest__Output as _maestro_v1_FollowTranscriptRequest__Output } from './maestro/v1/FollowTranscriptRequest.js';
import type { GetProjectRequest as _maestro_v1_GetProjectRequest, GetProjectRequest__Output as _maestro_v1_GetProjectRequest__Output } from './maestro/v1/GetProjectRequest.js';
import type { GetSessionRequest as _maestro_v1_GetSessionRequest, GetSessionRequest__Output as _maestro_v1_GetSessionRequest__Output } from './maestro/v1/GetSessionRequest.js';
import type { GetTaskRequest as _maestro_v1_GetTaskRequest, GetTaskRequest__Output as _maestro_v1_GetTaskRequest__Output } from './maestro/v1/GetTaskRequest.js';
import type { HeartbeatRequest as _maestro_v1_HeartbeatRequest, HeartbeatRequest__Output as _maestro_v1_HeartbeatRequest__Output } from './maestro/v1/HeartbeatRequest.js';
import type { ListAgentsRequest as _maestro_v1_ListAgentsRequest, ListAgentsRequest__Output as _maestro_v1_ListAgentsRequest__Output } from './maestro/v1/ListAgentsRequest.js';
import type { ListAgentsResponse as _maestro_v1_ListAgentsResponse, ListAgentsResponse__Output as _maestro_v1_ListAgentsResponse__Output } from './maestro/v1/ListAgentsResponse.js';
import type { ListEventsRequest as _maestro_v1_ListEventsRequest, ListEventsRequest__Output as _maestro_v1_ListEventsRequest__Output } from './maestro/v1/ListEventsRequest.js';
import type { ListEventsResponse as _maestro_v1_ListEventsResponse, ListEventsResponse__Output as _maestro_v1_ListEventsResponse__Output } from './maestro/v1/ListEventsResponse.js';
import type { ListProjectsRequest as _maestro_v1_ListProjectsRequest, ListProjectsRequest__Output as _maestro_v1_ListProjectsRequest__Output } from './maestro/v1/ListProjectsRequest.js';
import type { ListProjectsResponse as _maestro_v1_ListProjectsResponse, ListProjectsResponse__Output as _maestro_v1_ListProjectsResponse__Output } from './maestro/v1/ListProjectsResponse.js';
import type { ListSessionsRequest as _maestro_v1_ListSessionsRequest, ListSessionsRequest__Output as _maestro_v1_ListSessionsRequest__Output } from './maestro/v1/ListSessionsRequest.js';
import type { ListSessionsResponse as _maestro_v1_ListSessionsResponse, ListSessionsResponse__Output as _maestro_v1_ListSessionsResponse__Output } from './maestro/v1/ListSessionsResponse.js';
import type { ListSubtasksRequest as _maestro_v1_ListSubtasksRequest, ListSubtasksRequest__Output as _maestro_v1_ListSubtasksRequest__Output } from './maestro/v1/ListSubtasksRequest.js';
import type { ListSubtasksResponse as _maestro_v1_ListSubtasksResponse, ListSubtasksResponse__Output as _maestro_v1_ListSubtasksResponse__Output } from './maestro/v1/ListSubtasksResponse.js';
import type { ListTasksRequest as _maestro_v1_ListTasksRequest, ListTasksRequest__Output as _maestro_v1_ListTasksRequest__Output } from './maestro/v1/ListTasksRequest.js';
import type { ListTasksResponse as _maestro_v1_ListTasksResponse, ListTasksResponse__Output as _maestro_v1_ListTasksResponse__Output } from './maestro/v1/ListTasksResponse.js';
import type { LogChunk as _maestro_v1_LogChunk, LogChunk__Output as _maestro_v1_LogChunk__Output } from './maestro/v1/LogChunk.js';
import type { MergeQueueRequest as _maestro_v1_MergeQueueRequest, MergeQueueRequest__Output as _maestro_v1_MergeQueueRequest__Output } from './maestro/v1/MergeQueueRequest.js';
import type { MergeQueueResponse as _maestro_v1_MergeQueueResponse, MergeQueueResponse__Output as _maestro_v1_MergeQueueResponse__Output } from './maestro/v1/MergeQueueResponse.js';
import type { Project as _maestro_v1_Project, Project__Output as _maestro_v1_Project__Output } from './maestro/v1/Project.js';
import type { ProjectsClient as _maestro_v1_ProjectsClient, ProjectsDefinition as _maestro_v1_ProjectsDefinition } from './maestro/v1/Projects.js';
import type { ReadyTasksRequest as _maestro_v1_ReadyTasksRequest, ReadyTasksRequest__Output as _maestro_v1_ReadyTasksRequest__Output } from './maestro/v1/ReadyTasksRequest.js';
import type { ReportRequest as _maestro_v1_ReportRequest, ReportRequest__Output as _maestro_v1_ReportRequest__Output } from './maestro/v1/ReportRequest.js';
import type { ReportResponse as _maestro_v1_ReportResponse, ReportResponse__Output as _maestro_v1_ReportResponse__Output } from './maestro/v1/ReportResponse.js';
import type { ReportsClient as _maestro_v1_ReportsClient, ReportsDefinition as _maestro_v1_ReportsDefinition } from './maestro/v1/Reports.js';
import type { ResolveProjectRequest as _maestro_v1_ResolveProjectRequest, ResolveProjectRequest__Output as _maestro_v1_ResolveProjectRequest__Output } from './maestro/v1/ResolveProjectRequest.js';
import type { ResumeSessionRequest as _maestro_v1_ResumeSessionRequest, ResumeSessionRequest__Output as _maestro_v1_ResumeSessionRequest__Output } from './maestro/v1/ResumeSessionRequest.js';
import type { ReviewCommentRequest as _maestro_v1_ReviewCommentRequest, ReviewCommentRequest__Output as _maestro_v1_ReviewCommentRequest__Output } from './maestro/v1/ReviewCommentRequest.js';
import type { ReviewCommentResponse as _maestro_v1_ReviewCommentResponse, ReviewCommentResponse__Output as _maestro_v1_ReviewCommentResponse__Output } from './maestro/v1/ReviewCommentResponse.js';
import type { ReviewDecisionRequest as _maestro_v1_ReviewDecisionRequest, ReviewDecisionRequest__Output as _maestro_v1_ReviewDecisionRequest__Output } from './maestro/v1/ReviewDecisionRequest.js';
import type { SendSessionMessageRequest as _maestro_v1_SendSessionMessageRequest, SendSessionMessageRequest__Output as _maestro_v1_SendSessionMessageRequest__Output } from './maestro/v1/SendSessionMessageRequest.js';
import type { SendSessionMessageResponse as _maestro_v1_SendSessionMessageResponse, SendSessionMessageResponse__Output as _maestro_v1_SendSessionMessageResponse__Output } from './maestro/v1/SendSessionMessageResponse.js';
import type { ServerClient as _maestro_v1_ServerClient, ServerDefinition as _maestro_v1_ServerDefinition } from './maestro/v1/Server.js';
import type { Session as _maestro_v1_Session, Session__Output as _maestro_v1_Session__Output } from './maestro/v1/Session.js';
import type { SessionLogsRequest as _maestro_v1_SessionLogsRequest, SessionLogsRequest__Output as _maestro_v1_SessionLogsRequest__Output } from './maestro/v1/SessionLogsRequest.js';
import type { SessionOutputRequest as _maestro_v1_SessionOutputRequest, SessionOutputRequest__Output as _maestro_v1_SessionOutputRequest__Output } from './maestro/v1/SessionOutputRequest.js';
import type { SessionOutputResponse as _maestro_v1_SessionOutputResponse, SessionOutputResponse__Output as _maestro_v1_SessionOutputResponse__Output } from './maestro/v1/SessionOutputResponse.js';
import type { SessionReportRequest as _maestro_v1_SessionReportRequest, SessionReportRequest__Output as _maestro_v1_SessionReportRequest__Output } from './maestro/v1/SessionReportRequest.js';
import type { SessionTerminal as _maestro_v1_SessionTerminal, SessionTerminal__Output as _maestro_v1_SessionTerminal__Output } from './maestro/v1/SessionTerminal.js';
import type { SessionUsage as _maestro_v1_SessionUsage, SessionUsage__Output as _maestro_v1_SessionUsage__Output } from './maestro/v1/SessionUsage.js';
import type { SessionsClient as _maestro_v1_SessionsClient, SessionsDefinition as _maestro_v1_SessionsDefinition } from './maestro/v1/Sessions.js';
import type { SpawnSessionRequest as _maestro_v1_SpawnSessionRequest, SpawnSessionRequest__Output as _maestro_v1_SpawnSessionRequest__Output } from './maestro/v1/SpawnSessionRequest.js';
import type { SpawnSessionResponse as _maestro_v1_SpawnSessionResponse, SpawnSessionResponse__Output as _maestro_v1_SpawnSessionResponse__Output } from './maestro/v1/SpawnSessionResponse.js';
import type { StatusRequest as _maestro_v1_StatusRequest, StatusRequest__Output as _maestro_v1_StatusRequest__Output } from './maestro/v1/StatusRequest.js';
import type { StatusResponse as _maestro_v1_StatusResponse, StatusResponse__Output as _maestro_v1_StatusResponse__Output } from './maestro/v1/StatusResponse.js';
import type { Subtask as _maestro_v1_Subtask, Subtask__Output as _maestro_v1_Subtask__Output } from './maestro/v1/Subtask.js';
import type { SubtaskCommandRequest as _maestro_v1_SubtaskCommandRequest, SubtaskCommandRequest__Output as _maestro_v1_SubtaskCommandRequest__Output } from './maestro/v1/SubtaskCommandRequest.js';
import type { SubtasksClient as _maestro_v1_SubtasksClient, SubtasksDefinition as _maestro_v1_SubtasksDefinition } from './maestro/v1/Subtasks.js';
import type { Task as _maestro_v1_Task, Task__Output as _maestro_v1_Task__Output } from './maestro/v1/Task.js';
import type { TaskCommandRequest as _maestro_v1_TaskCommandRequest, TaskCommandRequest__Output as _maestro_v1_TaskCommandRequest__Output } from './maestro/v1/TaskCommandRequest.js';
import type { TaskDetail as _maestro_v1_TaskDetail, TaskDetail__Output as _maestro_v1_TaskDetail__Output } from './maestro/v1/TaskDetail.js';
import type { TaskDiffFile as _maestro_v1_TaskDiffFile, TaskDiffFile__Output as _maestro_v1_TaskDiffFile__Output } from './maestro/v1/TaskDiffFile.js';
import type { TaskDiffRequest as _maestro_v1_TaskDiffRequest, TaskDiffRequest__Output as _maestro_v1_TaskDiffRequest__Output } from './maestro/v1/TaskDiffRequest.js';
import type { TaskDiffResponse as _maestro_v1_TaskDiffResponse, TaskDiffResponse__Output as _maestro_v1_TaskDiffResponse__Output } from './maestro/v1/TaskDiffResponse.js';
import type { TaskDiffTotals as _maestro_v1_TaskDiffTotals, TaskDiffTotals__Output as _maestro_v1_TaskDiffTotals__Output } from './maestro/v1/TaskDiffTotals.js';
import type { TaskRef as _maestro_v1_TaskRef, TaskRef__Output as _maestro_v1_TaskRef__Output } from './maestro/v1/TaskRef.js';
import type { TasksClient as _maestro_v1_TasksClient, TasksDefinition as _maestro_v1_TasksDefinition } from './maestro/v1/Tasks.js';
import type { TimelineEntry as _maestro_v1_TimelineEntry, TimelineEntry__Output as _maestro_v1_TimelineEntry__Output } from './maestro/v1/TimelineEntry.js';
import type { TranscriptEntry as _maestro_v1_TranscriptEntry, TranscriptEntry__Output as _maestro_v1_TranscriptEntry__Output } from './maestro/v1/TranscriptEntry.js';
import type { TranscriptRequest as _maestro_v1_TranscriptRequest, TranscriptRequest__Output as _maestro_v1_TranscriptRequest__Output } from './maestro/v1/TranscriptRequest.js';
import type { TranscriptResponse as _maestro_v1_TranscriptResponse, TranscriptResponse__Output as _maestro_v1_TranscriptResponse__Output } from './maestro/v1/TranscriptResponse.js';
import type { UpdateTaskRequest as _maestro_v1_UpdateTaskRequest, UpdateTaskRequest__Output as _maestro_v1_UpdateTaskRequest__Output } from './maestro/v1/UpdateTaskRequest.js';
import type { UsageLimit as _maestro_v1_UsageLimit, UsageLimit__Output as _maestro_v1_UsageLimit__Output } from './maestro/v1/UsageLimit.js';
import type { UsageRollup as _maestro_v1_UsageRollup, UsageRollup__Output as _maestro_v1_UsageRollup__Output } from './maestro/v1/UsageRollup.js';
import type { WatchRequest as _maestro_v1_WatchRequest, WatchRequest__Output as _maestro_v1_WatchRequest__Output } from './maestro/v1/WatchRequest.js';
import type { WhoAmIRequest as _maestro_v1_WhoAmIRequest, WhoAmIRequest__Output as _maestro_v1_WhoAmIRequest__Output } from './maestro/v1/WhoAmIRequest.js';
import type { WhoAmIResponse as _maestro_v1_WhoAmIResponse, WhoAmIResponse__Output as _maestro_v1_WhoAmIResponse__Output } from './maestro/v1/WhoAmIResponse.js';
import type { Workspace as _maestro_v1_Workspace, Workspace__Output as _maestro_v1_Workspace__Output } from './maestro/v1/Workspace.js';
import type { WorkspaceDiskStatus as _maestro_v1_WorkspaceDiskStatus, WorkspaceDiskStatus__Output as _maestro_v1_WorkspaceDiskStatus__Output } from './maestro/v1/WorkspaceDiskStatus.js';
import type { WorkspaceListEntry as _maestro_v1_WorkspaceListEntry, WorkspaceListEntry__Output as _maestro_v1_WorkspaceListEntry__Output } from './maestro/v1/WorkspaceListEntry.js';
import type { WorkspaceListRequest as _maestro_v1_WorkspaceListRequest, WorkspaceListRequest__Output as _maestro_v1_WorkspaceListRequest__Output } from './maestro/v1/WorkspaceListRequest.js';
import type { WorkspaceListResponse as _maestro_v1_WorkspaceListResponse, WorkspaceListResponse__Output as _maestro_v1_WorkspaceListResponse__Output } from './maestro/v1/WorkspaceListResponse.js';
import type { WorkspacePruneRequest as _maestro_v1_WorkspacePruneRequest, WorkspacePruneRequest__Output as _maestro_v1_WorkspacePruneRequest__Output } from './maestro/v1/WorkspacePruneRequest.js';
import type { WorkspacePruneResponse as _maestro_v1_WorkspacePruneResponse, WorkspacePruneResponse__Output as _maestro_v1_WorkspacePruneResponse__Output } from './maestro/v1/WorkspacePruneResponse.js';
import type { WorkspacePruned as _maestro_v1_WorkspacePruned, WorkspacePruned__Output as _maestro_v1_WorkspacePruned__Output } from './maestro/v1/WorkspacePruned.js';
import type { WorkspaceRestoreRequest as _maestro_v1_WorkspaceRestoreRequest, WorkspaceRestoreRequest__Output as _maestro_v1_WorkspaceRestoreRequest__Output } from './maestro/v1/WorkspaceRestoreRequest.js';
import type { WorkspaceRestoreResponse as _maestro_v1_WorkspaceRestoreResponse, WorkspaceRestoreResponse__Output as _maestro_v1_WorkspaceRestoreResponse__Output } from './maestro/v1/WorkspaceRestoreResponse.js';
import type { WorkspaceSettingsRequest as _maestro_v1_WorkspaceSettingsRequest, WorkspaceSettingsRequest__Output as _maestro_v1_WorkspaceSettingsRequest__Output } from './maestro/v1/WorkspaceSettingsRequest.js';
import type { WorkspacesClient as _maestro_v1_WorkspacesClient, WorkspacesDefinition as _maestro_v1_WorkspacesDefinition } from './maestro/v1/Workspaces.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  maestro: {
    v1: {
      AgentProfile: MessageTypeDefinition<_maestro_v1_AgentProfile, _maestro_v1_AgentProfile__Output>
      Agents: SubtypeConstructor<typeof grpc.Client, _maestro_v1_AgentsClient> & { service: _maestro_v1_AgentsDefinition }
      Autopilot: SubtypeConstructor<typeof grpc.Client, _maestro_v1_AutopilotClient> & { service: _maestro_v1_AutopilotDefinition }
      AutopilotGetRequest: MessageTypeDefinition<_maestro_v1_AutopilotGetRequest, _maestro_v1_AutopilotGetRequest__Output>
      AutopilotSetRequest: MessageTypeDefinition<_maestro_v1_AutopilotSetRequest, _maestro_v1_AutopilotSetRequest__Output>
      AutopilotState: MessageTypeDefinition<_maestro_v1_AutopilotState, _maestro_v1_AutopilotState__Output>
      Budget: MessageTypeDefinition<_maestro_v1_Budget, _maestro_v1_Budget__Output>
      Claim: MessageTypeDefinition<_maestro_v1_Claim, _maestro_v1_Claim__Output>
      ClaimTaskRequest: MessageTypeDefinition<_maestro_v1_ClaimTaskRequest, _maestro_v1_ClaimTaskRequest__Output>
      ClaimTaskResponse: MessageTypeDefinition<_maestro_v1_ClaimTaskResponse, _maestro_v1_ClaimTaskResponse__Output>
      CountEntry: MessageTypeDefinition<_maestro_v1_CountEntry, _maestro_v1_CountEntry__Output>
      CreateProjectRequest: MessageTypeDefinition<_maestro_v1_CreateProjectRequest, _maestro_v1_CreateProjectRequest__Output>
      CreateSessionRequest: MessageTypeDefinition<_maestro_v1_CreateSessionRequest, _maestro_v1_CreateSessionRequest__Output>
      CreateSubtaskRequest: MessageTypeDefinition<_maestro_v1_CreateSubtaskRequest, _maestro_v1_CreateSubtaskRequest__Output>
      CreateTaskRequest: MessageTypeDefinition<_maestro_v1_CreateTaskRequest, _maestro_v1_CreateTaskRequest__Output>
      DeleteProjectRequest: MessageTypeDefinition<_maestro_v1_DeleteProjectRequest, _maestro_v1_DeleteProjectRequest__Output>
      DeleteProjectResponse: MessageTypeDefinition<_maestro_v1_DeleteProjectResponse, _maestro_v1_DeleteProjectResponse__Output>
      DeleteTaskRequest: MessageTypeDefinition<_maestro_v1_DeleteTaskRequest, _maestro_v1_DeleteTaskRequest__Output>
      DeleteTaskResponse: MessageTypeDefinition<_maestro_v1_DeleteTaskResponse, _maestro_v1_DeleteTaskResponse__Output>
      DependencyRequest: MessageTypeDefinition<_maestro_v1_DependencyRequest, _maestro_v1_DependencyRequest__Output>
      DoctorEntry: MessageTypeDefinition<_maestro_v1_DoctorEntry, _maestro_v1_DoctorEntry__Output>
      DoctorRequest: MessageTypeDefinition<_maestro_v1_DoctorRequest, _maestro_v1_DoctorRequest__Output>
      DoctorResponse: MessageTypeDefinition<_maestro_v1_DoctorResponse, _maestro_v1_DoctorResponse__Output>
      Event: MessageTypeDefinition<_maestro_v1_Event, _maestro_v1_Event__Output>
      Events: SubtypeConstructor<typeof grpc.Client, _maestro_v1_EventsClient> & { service: _maestro_v1_EventsDefinition }
      FollowTranscriptRequest: MessageTypeDefinition<_maestro_v1_FollowTranscriptRequest, _maestro_v1_FollowTranscriptRequest__Output>
      GetProjectRequest: MessageTypeDefinition<_maestro_v1_GetProjectRequest, _maestro_v1_GetProjectRequest__Output>
      GetSessionRequest: MessageTypeDefinition<_maestro_v1_GetSessionRequest, _maestro_v1_GetSessionRequest__Output>
      GetTaskRequest: MessageTypeDefinition<_maestro_v1_GetTaskRequest, _maestro_v1_GetTaskRequest__Output>
      HeartbeatRequest: MessageTypeDefinition<_maestro_v1_HeartbeatRequest, _maestro_v1_HeartbeatRequest__Output>
      ListAgentsRequest: MessageTypeDefinition<_maestro_v1_ListAgentsRequest, _maestro_v1_ListAgentsRequest__Output>
      ListAgentsResponse: MessageTypeDefinition<_maestro_v1_ListAgentsResponse, _maestro_v1_ListAgentsResponse__Output>
      ListEventsRequest: MessageTypeDefinition<_maestro_v1_ListEventsRequest, _maestro_v1_ListEventsRequest__Output>
      ListEventsResponse: MessageTypeDefinition<_maestro_v1_ListEventsResponse, _maestro_v1_ListEventsResponse__Output>
      ListProjectsRequest: MessageTypeDefinition<_maestro_v1_ListProjectsRequest, _maestro_v1_ListProjectsRequest__Output>
      ListProjectsResponse: MessageTypeDefinition<_maestro_v1_ListProjectsResponse, _maestro_v1_ListProjectsResponse__Output>
      ListSessionsRequest: MessageTypeDefinition<_maestro_v1_ListSessionsRequest, _maestro_v1_ListSessionsRequest__Output>
      ListSessionsResponse: MessageTypeDefinition<_maestro_v1_ListSessionsResponse, _maestro_v1_ListSessionsResponse__Output>
      ListSubtasksRequest: MessageTypeDefinition<_maestro_v1_ListSubtasksRequest, _maestro_v1_ListSubtasksRequest__Output>
      ListSubtasksResponse: MessageTypeDefinition<_maestro_v1_ListSubtasksResponse, _maestro_v1_ListSubtasksResponse__Output>
      ListTasksRequest: MessageTypeDefinition<_maestro_v1_ListTasksRequest, _maestro_v1_ListTasksRequest__Output>
      ListTasksResponse: MessageTypeDefinition<_maestro_v1_ListTasksResponse, _maestro_v1_ListTasksResponse__Output>
      LogChunk: MessageTypeDefinition<_maestro_v1_LogChunk, _maestro_v1_LogChunk__Output>
      MergeQueueRequest: MessageTypeDefinition<_maestro_v1_MergeQueueRequest, _maestro_v1_MergeQueueRequest__Output>
      MergeQueueResponse: MessageTypeDefinition<_maestro_v1_MergeQueueResponse, _maestro_v1_MergeQueueResponse__Output>
      Project: MessageTypeDefinition<_maestro_v1_Project, _maestro_v1_Project__Output>
      Projects: SubtypeConstructor<typeof grpc.Client, _maestro_v1_ProjectsClient> & { service: _maestro_v1_ProjectsDefinition }
      ReadyTasksRequest: MessageTypeDefinition<_maestro_v1_ReadyTasksRequest, _maestro_v1_ReadyTasksRequest__Output>
      ReportRequest: MessageTypeDefinition<_maestro_v1_ReportRequest, _maestro_v1_ReportRequest__Output>
      ReportResponse: MessageTypeDefinition<_maestro_v1_ReportResponse, _maestro_v1_ReportResponse__Output>
      Reports: SubtypeConstructor<typeof grpc.Client, _maestro_v1_ReportsClient> & { service: _maestro_v1_ReportsDefinition }
      ResolveProjectRequest: MessageTypeDefinition<_maestro_v1_ResolveProjectRequest, _maestro_v1_ResolveProjectRequest__Output>
      ResumeSessionRequest: MessageTypeDefinition<_maestro_v1_ResumeSessionRequest, _maestro_v1_ResumeSessionRequest__Output>
      ReviewCommentRequest: MessageTypeDefinition<_maestro_v1_ReviewCommentRequest, _maestro_v1_ReviewCommentRequest__Output>
      ReviewCommentResponse: MessageTypeDefinition<_maestro_v1_ReviewCommentResponse, _maestro_v1_ReviewCommentResponse__Output>
      ReviewDecisionRequest: MessageTypeDefinition<_maestro_v1_ReviewDecisionRequest, _maestro_v1_ReviewDecisionRequest__Output>
      SendSessionMessageRequest: MessageTypeDefinition<_maestro_v1_SendSessionMessageRequest, _maestro_v1_SendSessionMessageRequest__Output>
      SendSessionMessageResponse: MessageTypeDefinition<_maestro_v1_SendSessionMessageResponse, _maestro_v1_SendSessionMessageResponse__Output>
      Server: SubtypeConstructor<typeof grpc.Client, _maestro_v1_ServerClient> & { service: _maestro_v1_ServerDefinition }
      Session: MessageTypeDefinition<_maestro_v1_Session, _maestro_v1_Session__Output>
      SessionLogsRequest: MessageTypeDefinition<_maestro_v1_SessionLogsRequest, _maestro_v1_SessionLogsRequest__Output>
      SessionOutputRequest: MessageTypeDefinition<_maestro_v1_SessionOutputRequest, _maestro_v1_SessionOutputRequest__Output>
      SessionOutputResponse: MessageTypeDefinition<_maestro_v1_SessionOutputResponse, _maestro_v1_SessionOutputResponse__Output>
      SessionReportRequest: MessageTypeDefinition<_maestro_v1_SessionReportRequest, _maestro_v1_SessionReportRequest__Output>
      SessionTerminal: MessageTypeDefinition<_maestro_v1_SessionTerminal, _maestro_v1_SessionTerminal__Output>
      SessionUsage: MessageTypeDefinition<_maestro_v1_SessionUsage, _maestro_v1_SessionUsage__Output>
      Sessions: SubtypeConstructor<typeof grpc.Client, _maestro_v1_SessionsClient> & { service: _maestro_v1_SessionsDefinition }
      SpawnSessionRequest: MessageTypeDefinition<_maestro_v1_SpawnSessionRequest, _maestro_v1_SpawnSessionRequest__Output>
      SpawnSessionResponse: MessageTypeDefinition<_maestro_v1_SpawnSessionResponse, _maestro_v1_SpawnSessionResponse__Output>
      StatusRequest: MessageTypeDefinition<_maestro_v1_StatusRequest, _maestro_v1_StatusRequest__Output>
      StatusResponse: MessageTypeDefinition<_maestro_v1_StatusResponse, _maestro_v1_StatusResponse__Output>
      Subtask: MessageTypeDefinition<_maestro_v1_Subtask, _maestro_v1_Subtask__Output>
      SubtaskCommandRequest: MessageTypeDefinition<_maestro_v1_SubtaskCommandRequest, _maestro_v1_SubtaskCommandRequest__Output>
      Subtasks: SubtypeConstructor<typeof grpc.Client, _maestro_v1_SubtasksClient> & { service: _maestro_v1_SubtasksDefinition }
      Task: MessageTypeDefinition<_maestro_v1_Task, _maestro_v1_Task__Output>
      TaskCommandRequest: MessageTypeDefinition<_maestro_v1_TaskCommandRequest, _maestro_v1_TaskCommandRequest__Output>
      TaskDetail: MessageTypeDefinition<_maestro_v1_TaskDetail, _maestro_v1_TaskDetail__Output>
      TaskDiffFile: MessageTypeDefinition<_maestro_v1_TaskDiffFile, _maestro_v1_TaskDiffFile__Output>
      TaskDiffRequest: MessageTypeDefinition<_maestro_v1_TaskDiffRequest, _maestro_v1_TaskDiffRequest__Output>
      TaskDiffResponse: MessageTypeDefinition<_maestro_v1_TaskDiffResponse, _maestro_v1_TaskDiffResponse__Output>
      TaskDiffTotals: MessageTypeDefinition<_maestro_v1_TaskDiffTotals, _maestro_v1_TaskDiffTotals__Output>
      TaskRef: MessageTypeDefinition<_maestro_v1_TaskRef, _maestro_v1_TaskRef__Output>
      Tasks: SubtypeConstructor<typeof grpc.Client, _maestro_v1_TasksClient> & { service: _maestro_v1_TasksDefinition }
      TimelineEntry: MessageTypeDefinition<_maestro_v1_TimelineEntry, _maestro_v1_TimelineEntry__Output>
      TranscriptEntry: MessageTypeDefinition<_maestro_v1_TranscriptEntry, _maestro_v1_TranscriptEntry__Output>
      TranscriptRequest: MessageTypeDefinition<_maestro_v1_TranscriptRequest, _maestro_v1_TranscriptRequest__Output>
      TranscriptResponse: MessageTypeDefinition<_maestro_v1_TranscriptResponse, _maestro_v1_TranscriptResponse__Output>
      UpdateTaskRequest: MessageTypeDefinition<_maestro_v1_UpdateTaskRequest, _maestro_v1_UpdateTaskRequest__Output>
      UsageLimit: MessageTypeDefinition<_maestro_v1_UsageLimit, _maestro_v1_UsageLimit__Output>
      UsageRollup: MessageTypeDefinition<_maestro_v1_UsageRollup, _maestro_v1_UsageRollup__Output>
      WatchRequest: MessageTypeDefinition<_maestro_v1_WatchRequest, _maestro_v1_WatchRequest__Output>
      WhoAmIRequest: MessageTypeDefinition<_maestro_v1_WhoAmIRequest, _maestro_v1_WhoAmIRequest__Output>
      WhoAmIResponse: MessageTypeDefinition<_maestro_v1_WhoAmIResponse, _maestro_v1_WhoAmIResponse__Output>
      Workspace: MessageTypeDefinition<_maestro_v1_Workspace, _maestro_v1_Workspace__Output>
      WorkspaceDiskStatus: MessageTypeDefinition<_maestro_v1_WorkspaceDiskStatus, _maestro_v1_WorkspaceDiskStatus__Output>
      WorkspaceListEntry: MessageTypeDefinition<_maestro_v1_WorkspaceListEntry, _maestro_v1_WorkspaceListEntry__Output>
      WorkspaceListRequest: MessageTypeDefinition<_maestro_v1_WorkspaceListRequest, _maestro_v1_WorkspaceListRequest__Output>
      WorkspaceListResponse: MessageTypeDefinition<_maestro_v1_WorkspaceListResponse, _maestro_v1_WorkspaceListResponse__Output>
      WorkspacePruneRequest: MessageTypeDefinition<_maestro_v1_WorkspacePruneRequest, _maestro_v1_WorkspacePruneRequest__Output>
      WorkspacePruneResponse: MessageTypeDefinition<_maestro_v1_WorkspacePruneResponse, _maestro_v1_WorkspacePruneResponse__Output>
      WorkspacePruned: MessageTypeDefinition<_maestro_v1_WorkspacePruned, _maestro_v1_WorkspacePruned__Output>
      WorkspaceRestoreRequest: MessageTypeDefinition<_maestro_v1_WorkspaceRestoreRequest, _maestro_v1_WorkspaceRestoreRequest__Output>
      WorkspaceRestoreResponse: MessageTypeDefinition<_maestro_v1_WorkspaceRestoreResponse, _maestro_v1_WorkspaceRestoreResponse__Output>
      WorkspaceSettingsRequest: MessageTypeDefinition<_maestro_v1_WorkspaceSettingsRequest, _maestro_v1_WorkspaceSettingsRequest__Output>
      Workspaces: SubtypeConstructor<typeof grpc.Client, _maestro_v1_WorkspacesClient> & { service: _maestro_v1_WorkspacesDefinition }
    }
  }
}

