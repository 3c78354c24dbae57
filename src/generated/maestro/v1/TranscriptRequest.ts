// Original file: proto/maestro/v1/maestro.proto


export interface TranscriptRequest {
  'id'?: (string);
  'after'?: (number);
  'limit'?: (number);
  '_limit'?: "limit";
}

export interface TranscriptRequest__Output {
  'id': (string);
  'after': (number);
  'limit'?: (number);
  '_limit'?: "limit";
}
