import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

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
import type { Event as _maestro_v1_Event, Event__Output as _maestro_v1_Event__Output } from './maestro/v1/Event.js';
import type { EventsClient as _maestro_v1_EventsClient, EventsDefinition as _maestro_v1_EventsDefinition } from './maestro/v1/Events.js';
import type { GetProjectRequest as _maestro_v1_GetProjectRequest, GetProjectRequest__Output as _maestro_v1_GetProjectRequest__Output } from './maestro/v1/GetProjectRequest.js';
import type { GetSessionRequest as _maestro_v1_GetSessionRequest, GetSessionRequest__Output as _maestro_v1_GetSessionRequest__Output } from './maestro/v1/GetSessionRequest.js';
import type { GetTaskRequest as _maestro_v1_GetTaskRequest, GetTaskRequest__Output as _maestro_v1_GetTaskRequest__Output } from './maestro/v1/GetTaskRequest.js';
import type { HeartbeatRequest as _maestro_v1_HeartbeatRequest, HeartbeatRequest__Output as _maestro_v1_HeartbeatRequest__Output } from './maestro/v1/HeartbeatRequest.js';
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
import type { Project as _maestro_v1_Project, Project__Output as _maestro_v1_Project__Output } from './maestro/v1/Project.js';
import type { ProjectsClient as _maestro_v1_ProjectsClient, ProjectsDefinition as _maestro_v1_ProjectsDefinition } from './maestro/v1/Projects.js';
import type { ReadyTasksRequest as _maestro_v1_ReadyTasksRequest, ReadyTasksRequest__Output as _maestro_v1_ReadyTasksRequest__Output } from './maestro/v1/ReadyTasksRequest.js';
import type { ReportRequest as _maestro_v1_ReportRequest, ReportRequest__Output as _maestro_v1_ReportRequest__Output } from './maestro/v1/ReportRequest.js';
import type { ReportResponse as _maestro_v1_ReportResponse, ReportResponse__Output as _maestro_v1_ReportResponse__Output } from './maestro/v1/ReportResponse.js';
import type { ReportsClient as _maestro_v1_ReportsClient, ReportsDefinition as _maestro_v1_ReportsDefinition } from './maestro/v1/Reports.js';
import type { ResolveProjectRequest as _maestro_v1_ResolveProjectRequest, ResolveProjectRequest__Output as _maestro_v1_ResolveProjectRequest__Output } from './maestro/v1/ResolveProjectRequest.js';
import type { ServerClient as _maestro_v1_ServerClient, ServerDefinition as _maestro_v1_ServerDefinition } from './maestro/v1/Server.js';
import type { Session as _maestro_v1_Session, Session__Output as _maestro_v1_Session__Output } from './maestro/v1/Session.js';
import type { SessionLogsRequest as _maestro_v1_SessionLogsRequest, SessionLogsRequest__Output as _maestro_v1_SessionLogsRequest__Output } from './maestro/v1/SessionLogsRequest.js';
import type { SessionReportRequest as _maestro_v1_SessionReportRequest, SessionReportRequest__Output as _maestro_v1_SessionReportRequest__Output } from './maestro/v1/SessionReportRequest.js';
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
import type { TaskRef as _maestro_v1_TaskRef, TaskRef__Output as _maestro_v1_TaskRef__Output } from './maestro/v1/TaskRef.js';
import type { TasksClient as _maestro_v1_TasksClient, TasksDefinition as _maestro_v1_TasksDefinition } from './maestro/v1/Tasks.js';
import type { TimelineEntry as _maestro_v1_TimelineEntry, TimelineEntry__Output as _maestro_v1_TimelineEntry__Output } from './maestro/v1/TimelineEntry.js';
import type { UpdateTaskRequest as _maestro_v1_UpdateTaskRequest, UpdateTaskRequest__Output as _maestro_v1_UpdateTaskRequest__Output } from './maestro/v1/UpdateTaskRequest.js';
import type { WatchRequest as _maestro_v1_WatchRequest, WatchRequest__Output as _maestro_v1_WatchRequest__Output } from './maestro/v1/WatchRequest.js';
import type { WhoAmIRequest as _maestro_v1_WhoAmIRequest, WhoAmIRequest__Output as _maestro_v1_WhoAmIRequest__Output } from './maestro/v1/WhoAmIRequest.js';
import type { WhoAmIResponse as _maestro_v1_WhoAmIResponse, WhoAmIResponse__Output as _maestro_v1_WhoAmIResponse__Output } from './maestro/v1/WhoAmIResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  maestro: {
    v1: {
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
      Event: MessageTypeDefinition<_maestro_v1_Event, _maestro_v1_Event__Output>
      Events: SubtypeConstructor<typeof grpc.Client, _maestro_v1_EventsClient> & { service: _maestro_v1_EventsDefinition }
      GetProjectRequest: MessageTypeDefinition<_maestro_v1_GetProjectRequest, _maestro_v1_GetProjectRequest__Output>
      GetSessionRequest: MessageTypeDefinition<_maestro_v1_GetSessionRequest, _maestro_v1_GetSessionRequest__Output>
      GetTaskRequest: MessageTypeDefinition<_maestro_v1_GetTaskRequest, _maestro_v1_GetTaskRequest__Output>
      HeartbeatRequest: MessageTypeDefinition<_maestro_v1_HeartbeatRequest, _maestro_v1_HeartbeatRequest__Output>
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
      Project: MessageTypeDefinition<_maestro_v1_Project, _maestro_v1_Project__Output>
      Projects: SubtypeConstructor<typeof grpc.Client, _maestro_v1_ProjectsClient> & { service: _maestro_v1_ProjectsDefinition }
      ReadyTasksRequest: MessageTypeDefinition<_maestro_v1_ReadyTasksRequest, _maestro_v1_ReadyTasksRequest__Output>
      ReportRequest: MessageTypeDefinition<_maestro_v1_ReportRequest, _maestro_v1_ReportRequest__Output>
      ReportResponse: MessageTypeDefinition<_maestro_v1_ReportResponse, _maestro_v1_ReportResponse__Output>
      Reports: SubtypeConstructor<typeof grpc.Client, _maestro_v1_ReportsClient> & { service: _maestro_v1_ReportsDefinition }
      ResolveProjectRequest: MessageTypeDefinition<_maestro_v1_ResolveProjectRequest, _maestro_v1_ResolveProjectRequest__Output>
      Server: SubtypeConstructor<typeof grpc.Client, _maestro_v1_ServerClient> & { service: _maestro_v1_ServerDefinition }
      Session: MessageTypeDefinition<_maestro_v1_Session, _maestro_v1_Session__Output>
      SessionLogsRequest: MessageTypeDefinition<_maestro_v1_SessionLogsRequest, _maestro_v1_SessionLogsRequest__Output>
      SessionReportRequest: MessageTypeDefinition<_maestro_v1_SessionReportRequest, _maestro_v1_SessionReportRequest__Output>
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
      TaskRef: MessageTypeDefinition<_maestro_v1_TaskRef, _maestro_v1_TaskRef__Output>
      Tasks: SubtypeConstructor<typeof grpc.Client, _maestro_v1_TasksClient> & { service: _maestro_v1_TasksDefinition }
      TimelineEntry: MessageTypeDefinition<_maestro_v1_TimelineEntry, _maestro_v1_TimelineEntry__Output>
      UpdateTaskRequest: MessageTypeDefinition<_maestro_v1_UpdateTaskRequest, _maestro_v1_UpdateTaskRequest__Output>
      WatchRequest: MessageTypeDefinition<_maestro_v1_WatchRequest, _maestro_v1_WatchRequest__Output>
      WhoAmIRequest: MessageTypeDefinition<_maestro_v1_WhoAmIRequest, _maestro_v1_WhoAmIRequest__Output>
      WhoAmIResponse: MessageTypeDefinition<_maestro_v1_WhoAmIResponse, _maestro_v1_WhoAmIResponse__Output>
    }
  }
}

