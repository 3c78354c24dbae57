// Original file: proto/maestro/v1/maestro.proto


export interface FollowTranscriptRequest {
  'id'?: (string);
  'after'?: (number);
}

export interface FollowTranscriptRequest__Output {
  'id': (string);
  'after': (number);
}
