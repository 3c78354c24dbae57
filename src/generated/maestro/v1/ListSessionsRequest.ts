// Original file: proto/maestro/v1/maestro.proto


export interface ListSessionsRequest {
  'projectId'?: (string);
  'status'?: (string)[];
}

export interface ListSessionsRequest__Output {
  'projectId': (string);
  'status': (string)[];
}
