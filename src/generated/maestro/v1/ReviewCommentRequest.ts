// Original file: proto/maestro/v1/maestro.proto


export interface ReviewCommentRequest {
  'taskId'?: (string);
  'comment'?: (string);
  'file'?: (string);
  'line'?: (number);
  '_line'?: "line";
}

export interface ReviewCommentRequest__Output {
  'taskId': (string);
  'comment': (string);
  'file': (string);
  'line'?: (number);
  '_line'?: "line";
}
