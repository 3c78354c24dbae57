// Original file: proto/maestro/v1/maestro.proto


export interface DeleteProjectRequest {
  'id'?: (string);
  'cascade'?: (boolean);
}

export interface DeleteProjectRequest__Output {
  'id': (string);
  'cascade': (boolean);
}
