// Original file: proto/maestro/v1/maestro.proto


export interface SubtaskCommandRequest {
  'taskId'?: (string);
  'subtaskId'?: (string);
}

export interface SubtaskCommandRequest__Output {
  'taskId': (string);
  'subtaskId': (string);
}
