// Original file: proto/maestro/v1/maestro.proto


export interface GetProjectRequest {
  'id'?: (string);
}

export interface GetProjectRequest__Output {
  'id': (string);
}
