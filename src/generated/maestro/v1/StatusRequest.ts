// Original file: proto/maestro/v1/maestro.proto


export interface StatusRequest {
  'projectId'?: (string);
}

export interface StatusRequest__Output {
  'projectId': (string);
}
