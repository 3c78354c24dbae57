// Original file: proto/maestro/v1/maestro.proto


export interface TimelineEntry {
  'id'?: (string);
  'taskId'?: (string);
  'kind'?: (string);
  'message'?: (string);
  'actor'?: (string);
  'sessionId'?: (string);
  'createdAt'?: (string);
}

export interface TimelineEntry__Output {
  'id': (string);
  'taskId': (string);
  'kind': (string);
  'message': (string);
  'actor': (string);
  'sessionId': (string);
  'createdAt': (string);
}
