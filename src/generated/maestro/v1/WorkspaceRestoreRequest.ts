// Original file: proto/maestro/v1/maestro.proto


export interface WorkspaceRestoreRequest {
  'taskId'?: (string);
  'snapshot'?: (number);
  '_snapshot'?: "snapshot";
}

export interface WorkspaceRestoreRequest__Output {
  'taskId': (string);
  'snapshot'?: (number);
  '_snapshot'?: "snapshot";
}
