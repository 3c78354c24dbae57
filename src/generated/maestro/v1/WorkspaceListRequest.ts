// Original file: proto/maestro/v1/maestro.proto


export interface WorkspaceListRequest {
  'projectId'?: (string);
}

export interface WorkspaceListRequest__Output {
  'projectId': (string);
}
