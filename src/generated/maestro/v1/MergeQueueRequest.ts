// Original file: proto/maestro/v1/maestro.proto


export interface MergeQueueRequest {
  'projectId'?: (string);
}

export interface MergeQueueRequest__Output {
  'projectId': (string);
}
