// Original file: proto/maestro/v1/maestro.proto


export interface UsageLimit {
  'kind'?: (string);
  'resetsAt'?: (string);
  'message'?: (string);
}

export interface UsageLimit__Output {
  'kind': (string);
  'resetsAt': (string);
  'message': (string);
}
