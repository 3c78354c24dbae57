// Original file: proto/maestro/v1/maestro.proto


export interface ListSubtasksRequest {
  'taskId'?: (string);
}

export interface ListSubtasksRequest__Output {
  'taskId': (string);
}
