// Original file: proto/maestro/v1/maestro.proto


export interface ReviewCommentResponse {
  'taskId'?: (string);
  'message'?: (string);
  'delivered'?: (boolean);
  'note'?: (string);
}

export interface ReviewCommentResponse__Output {
  'taskId': (string);
  'message': (string);
  'delivered': (boolean);
  'note': (string);
}
