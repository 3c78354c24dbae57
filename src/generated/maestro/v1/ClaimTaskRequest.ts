// Original file: proto/maestro/v1/maestro.proto


export interface ClaimTaskRequest {
  'id'?: (string);
  'next'?: (boolean);
  'projectId'?: (string);
  'leaseSeconds'?: (number);
  '_leaseSeconds'?: "leaseSeconds";
}

export interface ClaimTaskRequest__Output {
  'id': (string);
  'next': (boolean);
  'projectId': (string);
  'leaseSeconds'?: (number);
  '_leaseSeconds'?: "leaseSeconds";
}
