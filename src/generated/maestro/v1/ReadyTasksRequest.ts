// Original file: proto/maestro/v1/maestro.proto


export interface ReadyTasksRequest {
  'projectId'?: (string);
}

export interface ReadyTasksRequest__Output {
  'projectId': (string);
}
