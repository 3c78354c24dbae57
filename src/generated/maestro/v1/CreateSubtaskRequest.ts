// Original file: proto/maestro/v1/maestro.proto


export interface CreateSubtaskRequest {
  'taskId'?: (string);
  'title'?: (string);
}

export interface CreateSubtaskRequest__Output {
  'taskId': (string);
  'title': (string);
}
