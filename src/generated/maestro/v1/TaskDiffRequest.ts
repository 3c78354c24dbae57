// Original file: proto/maestro/v1/maestro.proto


export interface TaskDiffRequest {
  'taskId'?: (string);
  'stat'?: (boolean);
}

export interface TaskDiffRequest__Output {
  'taskId': (string);
  'stat': (boolean);
}
