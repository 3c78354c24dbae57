// Original file: proto/maestro/v1/maestro.proto


export interface ReviewDecisionRequest {
  'taskId'?: (string);
  'comment'?: (string);
}

export interface ReviewDecisionRequest__Output {
  'taskId': (string);
  'comment': (string);
}
