// Original file: proto/maestro/v1/maestro.proto


export interface GetSessionRequest {
  'id'?: (string);
}

export interface GetSessionRequest__Output {
  'id': (string);
}
